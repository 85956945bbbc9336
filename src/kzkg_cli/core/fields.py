"""The model's type hints, compiled once into field specs: the one reading of the model.

Validation (ingest.validate), the JSON Schema (ingest.schema), verify's English check and the
keys `--fields` offers all walk these specs; none of them reads a type hint itself.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal

from kzkg_cli.core.lang import english_key
from kzkg_cli.core.model import (
    KIND_BY_NAME,
    DateText,
    EnglishText,
    PeriodText,
    Quoted,
    Record,
    Ref,
)
from kzkg_cli.core.rows import KINDS

Shape = Literal["str", "int", "float", "bool", "choice", "array", "table"]
_SCALARS: dict[Any, Shape] = {str: "str", int: "int", float: "float", bool: "bool"}


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """What one field may hold, as the fact file writes it (TOML has no null: None is absent)."""

    shape: Shape
    choices: tuple[Any, ...] = ()
    """The allowed values of a choice (a Literal)."""
    item: Spec | None = None
    """What each element of an array holds."""
    table: str | None = None
    """The name of the model class a table follows (see table_spec)."""
    date: Literal["date", "period"] | None = None
    """A partial ISO date, or a date or an interval START/END."""
    ref: tuple[str, ...] | None = None
    """The value names records by id, of these kinds (empty: any kind)."""
    english: bool = False
    """The curated English of the Russian field it is named after."""
    quoted: str | None = None
    """How verify's support check finds the value in the record's quotes (see model.Quoted)."""


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a table: its name, what it holds, and whether the file must give it."""

    name: str
    spec: Spec
    required: bool
    default: Any
    """The value a row gets when the file leaves the field out ([] for an empty tuple)."""


@dataclasses.dataclass(frozen=True, slots=True)
class TableSpec:
    """A model class compiled: a record kind or a part of one (a role, a source reference)."""

    name: str
    doc: str
    kind: str | None
    """The record kind ("person"), or None for a part."""
    fields: tuple[FieldSpec, ...]
    """In the order the model declares them."""

    def in_row_order(self) -> tuple[FieldSpec, ...]:
        """The fields in the order a row holds them: for a record, id first, the identity
        marks, note and sources last (and ``type`` after id, which is not a field)."""
        if self.kind is None:
            return self.fields
        last = ("identity_inferred", "identity_note", "note", "sources")
        by_name = {f.name: f for f in self.fields}
        middle = [f for f in self.fields if f.name not in ("id", *last)]
        return (by_name["id"], *middle, *(by_name[name] for name in last))

    def english_pairs(self) -> dict[str, str]:
        """Each Russian text field and the field holding its English: ``title`` ->
        ``title_en``, ``name`` -> ``name_latin`` (core.lang.english_key names them)."""
        names = [f.name for f in self.fields]
        return {name: english_key(name) for name in names if english_key(name) in names}

    def parts(self) -> dict[str, TableSpec]:
        """The fields that hold arrays of tables (a person's roles), with their specs."""
        found = {}
        for field in self.fields:
            item = field.spec.item
            if field.spec.shape == "array" and item is not None and item.table is not None:
                found[field.name] = table_spec(_CLASSES[item.table])
        return found


_CLASSES: dict[str, type[Any]] = {}
_TABLES: dict[str, TableSpec] = {}


def table_spec(cls: type[Any]) -> TableSpec:
    """The compiled spec of a model class (compiled once, then shared)."""
    found = _TABLES.get(cls.__name__)
    if found is None:
        _CLASSES[cls.__name__] = cls
        found = _TABLES[cls.__name__] = _compile(cls)
    return found


def _compile(cls: type[Any]) -> TableSpec:
    hints = typing.get_type_hints(cls, include_extras=True)
    kind = cls.kind_name if issubclass(cls, Record) else None
    compiled = []
    for field in dataclasses.fields(cls):
        name = field.name
        has_default = field.default is not dataclasses.MISSING
        required = not has_default and field.default_factory is dataclasses.MISSING
        default = field.default if has_default else None
        compiled.append(FieldSpec(name, spec_of(hints[name]), required, _plain(default)))
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    return TableSpec(cls.__name__, doc, kind, tuple(compiled))


def record_spec(kind: str) -> TableSpec:
    """The compiled spec of one kind of record."""
    return table_spec(KIND_BY_NAME[kind])


def spec_of(hint: Any) -> Spec:
    """One type hint as a Spec (Optional is dropped: a missing key is "none")."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *markers = typing.get_args(hint)
        return _marked(spec_of(base), markers)
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return spec_of(options[0])
    if origin is typing.Literal:
        return Spec("choice", choices=typing.get_args(hint))
    if origin is tuple:
        return Spec("array", item=spec_of(typing.get_args(hint)[0]))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        table_spec(hint)
        return Spec("table", table=hint.__name__)
    return Spec(_SCALARS[hint])


def table_of(spec: Spec) -> TableSpec:
    """The TableSpec a table-shaped Spec follows."""
    assert spec.table is not None
    return table_spec(_CLASSES[spec.table])


def _marked(spec: Spec, markers: list[Any]) -> Spec:
    for marker in markers:
        if isinstance(marker, DateText):
            spec = dataclasses.replace(spec, date="date")
        elif isinstance(marker, PeriodText):
            spec = dataclasses.replace(spec, date="period")
        elif isinstance(marker, Ref):
            spec = dataclasses.replace(spec, ref=marker.kinds)
        elif isinstance(marker, EnglishText):
            spec = dataclasses.replace(spec, english=True)
        elif isinstance(marker, Quoted):
            spec = dataclasses.replace(spec, quoted=marker.what)
    return spec


def _plain(default: Any) -> Any:
    """A default as a row holds it: tuples become lists."""
    return list(default) if isinstance(default, tuple) else default


English = dict[str, tuple[dict[str, str], dict[str, dict[str, str]]]]
"""By kind: its Russian/English field pairs, and those of its parts that have any (roles)."""


def english_fields() -> English:
    """Every kind's English field pairs, read off the model's field specs (the index stores
    them, so that verifying a cached index does not load the model)."""
    found: English = {}
    for kind in KINDS:
        table = record_spec(kind)
        nested = {key: part.english_pairs() for key, part in table.parts().items()}
        found[kind] = table.english_pairs(), {key: pairs for key, pairs in nested.items() if pairs}
    return found


QuotedFields = dict[str, tuple[dict[str, str], dict[str, dict[str, str]]]]
"""By kind: its fields verify's support check looks for in the quotes (field -> how, see
model.Quoted), and those of its parts that have any (roles)."""


def quoted_fields() -> QuotedFields:
    """Every kind's quoted fields, read off the model's field specs (the index stores them,
    so that verifying a cached index does not load the model)."""
    found: QuotedFields = {}
    for kind in KINDS:
        table = record_spec(kind)
        nested = {key: _quoted(part) for key, part in table.parts().items()}
        found[kind] = _quoted(table), {key: fields for key, fields in nested.items() if fields}
    return found


def _quoted(table: TableSpec) -> dict[str, str]:
    return {f.name: f.spec.quoted for f in table.fields if f.spec.quoted is not None}
