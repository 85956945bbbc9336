"""Read a TOML fact file into a validated FactBase; never prints, never exits.

Validation is driven by the model's type hints, and every problem found is collected (not just
the first) with the file, the line where we can find it, the record and the field.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import re
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomli

from kzkg_cli import dates
from kzkg_cli.errors import FactFileError, Problem
from kzkg_cli.model import (
    KIND_BY_NAME,
    RECORD_TYPES,
    Conflict,
    DateText,
    FactBase,
    PeriodText,
    Record,
    Ref,
    SourceRef,
)

TOP_LEVEL_SCALARS = {"schema_version": 1}


@dataclasses.dataclass
class _LineMap:
    """Finds where a record or a piece of text sits in the raw TOML, for error messages."""

    lines: list[str]
    headers: dict[tuple[str, int], int]

    @classmethod
    def of(cls, text: str) -> _LineMap:
        lines = text.splitlines()
        headers: dict[tuple[str, int], int] = {}
        counts: dict[str, int] = {}
        for number, line in enumerate(lines, start=1):
            match = re.match(r"\s*\[\[\s*([\w-]+)\s*\]\]", line)
            if match:
                kind = match.group(1)
                headers[(kind, counts.get(kind, 0))] = number
                counts[kind] = counts.get(kind, 0) + 1
        return cls(lines, headers)

    def find(self, kind: str, index: int, needle: str | None = None) -> int | None:
        """Line of record ``kind[index]``, or of ``needle`` inside it when found there."""
        start = self.headers.get((kind, index))
        if start is None and needle:
            return next((n for n, line in enumerate(self.lines, 1) if needle in line), None)
        if start is None or not needle:
            return start
        later = [line for (k, _), line in self.headers.items() if line > start]
        end = min(later, default=len(self.lines) + 1)
        for number in range(start, end):
            if needle in self.lines[number - 1]:
                return number
        return start


@dataclasses.dataclass
class _Context:
    """Where validation is: the file, the record, and the problems found so far."""

    file: str
    lines: _LineMap
    problems: list[Problem] = dataclasses.field(default_factory=list)
    refs: list[tuple[str, int, str, tuple[str, ...], tuple[str, ...]]] = dataclasses.field(
        default_factory=list
    )
    kind: str = ""
    index: int = 0
    label: str = ""
    invalid_ids: set[str] = dataclasses.field(default_factory=set)
    """Ids of records that failed validation: references to them are not errors too."""

    def add(self, path: str, message: str, needle: str | None = None) -> None:
        line = self.lines.find(self.kind, self.index, needle)
        where = f"{self.label} {path}".strip() if path else self.label
        self.problems.append(Problem(self.file, message, line, where))


def read_fact_text(path: Path) -> str:
    """The fact file's text, or a FactFileError saying plainly why it cannot be read."""
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FactFileError([Problem(name, "fact file not found")]) from None
    except IsADirectoryError:
        raise FactFileError([Problem(name, "is a directory, not a fact file")]) from None
    except PermissionError:
        raise FactFileError([Problem(name, "permission denied")]) from None
    except OSError as exc:
        raise FactFileError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FactFileError(
            [Problem(name, f"not UTF-8 text (byte {exc.start}: {exc.reason})", line)]
        ) from None


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """TOML text to a dict; syntax errors become a Problem with line and column."""
    if not text.strip():
        raise FactFileError([Problem(name, "fact file is empty")])
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message = f"invalid TOML: {exc.msg} (column {exc.colno})"
        raise FactFileError([Problem(name, message, exc.lineno)]) from None
    except RecursionError:
        raise FactFileError([Problem(name, "invalid TOML: nested too deeply")]) from None


def load_facts(path: Path) -> FactBase:
    """Read, parse and validate a fact file; FactFileError lists every problem found."""
    text = read_fact_text(path)
    return build_factbase(parse_toml(text, str(path)), text, str(path))


def build_factbase(data: dict[str, Any], text: str, name: str) -> FactBase:
    """Validate parsed TOML against the model and check every cross-reference."""
    ctx = _Context(name, _LineMap.of(text))
    _check_top_level(data, ctx)
    if not any(kind in data for kind in KIND_BY_NAME):
        ctx.add("", f"no records; expected tables such as [[{']], [['.join(KIND_BY_NAME)}]]")
    records: list[Record] = []
    for cls in RECORD_TYPES:
        records.extend(_build_kind(cls, data.get(cls.kind_name, []), ctx))
    by_id = _index_ids(records, ctx)
    _check_refs(by_id, ctx)
    if ctx.problems:
        raise FactFileError(ctx.problems)
    return FactBase(tuple(records), name, by_id)


def _check_top_level(data: dict[str, Any], ctx: _Context) -> None:
    for key, value in data.items():
        if key in KIND_BY_NAME:
            if not isinstance(value, list):
                ctx.add(
                    key,
                    f"expected an array of tables [[{key}]], got {_type_name(value)}",
                    f"[{key}]",
                )
        elif key in TOP_LEVEL_SCALARS:
            if value != TOP_LEVEL_SCALARS[key]:
                ctx.add(key, f"expected {TOP_LEVEL_SCALARS[key]!r}, got {value!r}")
        else:
            ctx.add(
                "",
                f"unknown top-level key {key!r}{_suggest(key, KIND_BY_NAME)}; "
                f"expected one of: {', '.join(KIND_BY_NAME)}",
                f"{key}",
            )


def _build_kind(cls: type[Record], items: Any, ctx: _Context) -> Iterable[Record]:
    if not isinstance(items, list):
        return []
    built: list[Record] = []
    for index, item in enumerate(items):
        ctx.kind, ctx.index = cls.kind_name, index
        record_id = item.get("id") if isinstance(item, dict) else None
        ctx.label = f"{cls.kind_name}[{index}]" + (
            f" {record_id!r}" if isinstance(record_id, str) else ""
        )
        if not isinstance(item, dict):
            ctx.add("", f"expected a table, got {_type_name(item)}")
            continue
        if cls is Conflict and "sources" not in item:
            item = {**item, "sources": _reading_sources(item)}
        record = _build_dataclass(cls, item, "", ctx)
        if isinstance(record, Record):
            built.append(record)
        elif isinstance(record_id, str):
            ctx.invalid_ids.add(record_id)
    return built


def _reading_sources(item: dict[str, Any]) -> list[Any]:
    """A conflict's sources are those of its readings, so it is cited like any record."""
    readings = item.get("readings")
    if not isinstance(readings, list):
        return []
    return [ref for r in readings if isinstance(r, dict) for ref in r.get("sources", []) or []]


@functools.cache
def _schema(cls: type[Any]) -> tuple[dict[str, dataclasses.Field[Any]], dict[str, Any]]:
    """A class's fields and resolved type hints, worked out once (it is costly per record)."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    return fields, typing.get_type_hints(cls, include_extras=True)


def _build_dataclass(cls: type[Any], table: dict[str, Any], path: str, ctx: _Context) -> Any:
    fields, hints = _schema(cls)  # type: ignore[arg-type]
    ok = True
    for key in table:
        if key not in fields:
            ctx.add(
                _join(path, key),
                f"unknown field{_suggest(key, fields)}; expected one of: {', '.join(fields)}",
                f"{key} =",
            )
            ok = False
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in table:
            required = (
                spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            )
            if required:
                ctx.add(_join(path, name), "missing required field")
                ok = False
            continue
        converted = _convert(table[name], hints[name], _join(path, name), ctx)
        if converted is _INVALID:
            ok = False
        else:
            values[name] = converted
    return cls(**values) if ok else None


_INVALID = object()


def _convert(value: Any, hint: Any, path: str, ctx: _Context) -> Any:
    """Check ``value`` against a type hint; the converted value, or _INVALID after a Problem."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *markers = typing.get_args(hint)
        return _convert_marked(value, base, markers, path, ctx)
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _convert(value, options[0], path, ctx)
    if origin is typing.Literal:
        allowed = typing.get_args(hint)
        if value in allowed and type(value) is type(allowed[0]):
            return value
        choices = ", ".join(repr(a) for a in allowed)
        return _fail(ctx, path, f"expected one of {choices}, got {value!r}", value)
    if origin is tuple:
        if not isinstance(value, list):
            return _fail(ctx, path, f"expected an array, got {_type_name(value)}", None)
        item_hint = typing.get_args(hint)[0]
        items = [_convert(v, item_hint, f"{path}[{i}]", ctx) for i, v in enumerate(value)]
        return _INVALID if any(i is _INVALID for i in items) else tuple(items)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            return _fail(ctx, path, f"expected a table, got {_type_name(value)}", None)
        built = _build_dataclass(hint, value, path, ctx)
        return _INVALID if built is None else built
    return _convert_scalar(value, hint, path, ctx)


def _convert_scalar(value: Any, hint: Any, path: str, ctx: _Context) -> Any:
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, hint)
    if ok and isinstance(value, str) and not value.strip():
        return _fail(ctx, path, "must not be empty", None)
    if ok:
        return value
    return _fail(ctx, path, f"expected {_hint_name(hint)}, got {_type_name(value)}", None)


def _convert_marked(value: Any, base: Any, markers: list[Any], path: str, ctx: _Context) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = value.isoformat()
    converted = _convert(value, base, path, ctx)
    if converted is _INVALID:
        return _INVALID
    for marker in markers:
        problem = None
        if isinstance(marker, DateText):
            problem = dates.check_date(converted)
        elif isinstance(marker, PeriodText):
            problem = dates.check_period(converted)
        elif isinstance(marker, Ref):
            ids = converted if isinstance(converted, tuple) else (converted,)
            ctx.refs.append((ctx.kind, ctx.index, f"{ctx.label} {path}", ids, marker.kinds))
        if problem:
            return _fail(ctx, path, problem, converted)
    return converted


def _fail(ctx: _Context, path: str, message: str, value: Any) -> Any:
    needle = value if isinstance(value, str) else path.rsplit(".", 1)[-1].split("[")[0] + " ="
    ctx.add(path, message, needle)
    return _INVALID


def _index_ids(records: list[Record], ctx: _Context) -> dict[str, Record]:
    by_id: dict[str, Record] = {}
    first_use: dict[str, str] = {}
    positions: dict[str, int] = {}
    for record in records:
        kind = record.kind_name
        positions[kind] = positions.get(kind, -1) + 1
        ctx.kind, ctx.index = kind, positions[kind]
        here = f"{kind}[{positions[kind]}]"
        if record.id in by_id:
            ctx.label = f"{here} {record.id!r}"
            ctx.add("id", f"duplicate id, first used by {first_use[record.id]}", f'"{record.id}"')
        else:
            by_id[record.id] = record
            line = ctx.lines.find(kind, positions[kind])
            first_use[record.id] = here + (f" at line {line}" if line else "")
    _check_source_docs(records, by_id, ctx)
    return by_id


def _check_source_docs(records: list[Record], by_id: dict[str, Record], ctx: _Context) -> None:
    known = {r.id for r in records if r.kind_name == "source"}
    for kind, index, label, ref in _walk_refs(records):
        if ref.doc not in known:
            ctx.kind, ctx.index, ctx.label = kind, index, label
            ctx.add(
                "sources",
                f"doc {ref.doc!r} is not the id of any [[source]] record{_suggest(ref.doc, known)}",
                ref.doc,
            )


def _walk_refs(records: list[Record]) -> Iterable[tuple[str, int, str, SourceRef]]:
    """Every SourceRef of every record, roles included, with its record."""
    positions: dict[str, int] = {}
    for record in records:
        kind = record.kind_name
        positions[kind] = positions.get(kind, -1) + 1
        label = f"{kind}[{positions[kind]}] {record.id!r}"
        for ref in iter_source_refs(record):
            yield kind, positions[kind], label, ref


def iter_source_refs(record: Record) -> Iterable[SourceRef]:
    """The record's own sources and its roles'; a conflict's already hold its readings'."""
    yield from record.sources
    for part in getattr(record, "roles", ()):
        yield from part.sources


def _check_refs(by_id: dict[str, Record], ctx: _Context) -> None:
    for kind, index, label, ids, kinds in ctx.refs:
        for ref_id in ids:
            if ref_id in ctx.invalid_ids:
                continue
            target = by_id.get(ref_id)
            if target is None:
                message = f"unknown id {ref_id!r}{_suggest(ref_id, by_id)}"
            elif kinds and target.kind_name not in kinds:
                message = f"{ref_id!r} is a {target.kind_name}, expected {' or '.join(kinds)}"
            else:
                continue
            ctx.kind, ctx.index, ctx.label = kind, index, label
            ctx.add("", message, f'"{ref_id}"')


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _type_name(value: Any) -> str:
    names = {
        dict: "a table",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


def _hint_name(hint: Any) -> str:
    return {
        str: "a string",
        bool: "a boolean (true/false)",
        int: "an integer",
        float: "a number",
    }.get(hint, getattr(hint, "__name__", str(hint)))
