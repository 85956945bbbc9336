"""Read a TOML fact file into a validated FactBase; never prints, never exits.

Validation is driven by the model's type hints, and every problem found is collected (not just
the first) with the file, the line where we can find it, the record and the field.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

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
from kzkg_cli.render import row_sources

Row = dict[str, Any]
TOP_LEVEL_SCALARS = {"schema_version": 1}


@dataclasses.dataclass
class _LineMap:
    """Finds where a record or a piece of text sits in the raw TOML, for error messages."""

    lines: list[str]
    headers: dict[tuple[str, int], int]
    starts: list[int] = dataclasses.field(default_factory=list)
    """Every header's line, in order."""

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
        return cls(lines, headers, sorted(headers.values()))

    def find(self, kind: str, index: int, needle: str | None = None) -> int | None:
        """Line of record ``kind[index]``, or of ``needle`` inside it when found there."""
        start = self.headers.get((kind, index))
        if start is None and needle:
            return next((n for n, line in enumerate(self.lines, 1) if needle in line), None)
        if start is None or not needle:
            return start
        starts = self.starts
        after = bisect.bisect_right(starts, start)
        end = starts[after] if after < len(starts) else len(self.lines) + 1
        for number in range(start, end):
            if needle in self.lines[number - 1]:
                return number
        return start


class _Context:
    """Where validation is: the file, the record, and the problems found so far."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.problems: list[Problem] = []
        self.refs: list[RefSeen] = []
        self.kind = ""
        self.index = 0
        self.label = ""
        self.invalid_ids: set[str] = set()
        """Ids of records that failed validation: references to them are not errors too."""
        self.allow_empty = False
        """True for one piece of a file (validate_part), which may hold no records."""
        self._lines: _LineMap | None = None

    @property
    def lines(self) -> _LineMap:
        """The line map, made only once there is a problem to place (a valid file never pays)."""
        if self._lines is None:
            self._lines = _LineMap.of(self.text)
        return self._lines

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
        raise FactFileError([Problem(name, "nested too deeply to parse")]) from None


def load_rows(path: Path) -> list[Row]:
    """Read, parse and validate a fact file into rows; FactFileError lists every problem."""
    text = read_fact_text(path)
    return validate(parse_toml(text, str(path)), text, str(path))


def load_facts(path: Path) -> FactBase:
    """Read, parse and validate a fact file into typed records."""
    text = read_fact_text(path)
    return build_factbase(parse_toml(text, str(path)), text, str(path))


def build_factbase(data: dict[str, Any], text: str, name: str) -> FactBase:
    """Validated records as the model's dataclasses, with an id index."""
    classes: dict[str, Any] = dict(KIND_BY_NAME)  # Any: the cache wants hashables
    records = [_typed(classes[row["type"]])(row) for row in validate(data, text, name)]
    return FactBase(tuple(records), name, {record.id: record for record in records})


def validate(data: dict[str, Any], text: str, name: str) -> list[Row]:
    """Parsed TOML checked against the model, as rows: plain dicts in the shape kzkg prints.

    A row holds every field of its record (defaults filled in), ``id`` and ``type`` first,
    ``note`` and ``sources`` last; records come grouped by kind, each kind in file order.
    """
    ctx = _Context(name, text)
    placed = _validate_tables(data, ctx)
    return _checked_links(placed, ctx)


RefSeen = tuple[str, int, str, str, tuple[str, ...], tuple[str, ...]]
"""A reference as validation met it: kind, index, label, field path, ids, allowed kinds."""


class Part(NamedTuple):
    """A validated piece of a fact file whose links are yet to be checked (see validate_part)."""

    rows: dict[str, list[Row]]
    """The piece's rows by kind, in file order."""
    refs: list[RefSeen]
    """Every reference the rows make."""


def validate_part(data: dict[str, Any], text: str, name: str) -> Part:
    """Validate the records of one piece of a fact file; FactFileError on any problem.

    Pieces validate apart (in parallel, see parts), which then checks ids and references
    across all of them. Messages here carry the piece's own indexes, so on any problem the caller
    validates the whole file again with validate, whose messages are exact.
    """
    ctx = _Context(name, text)
    ctx.allow_empty = True
    placed = _validate_tables(data, ctx)
    if ctx.problems:
        raise FactFileError(ctx.problems)
    rows: dict[str, list[Row]] = {}
    for _, row in placed:
        rows.setdefault(row["type"], []).append(row)
    return Part(rows, ctx.refs)


def _validate_tables(data: dict[str, Any], ctx: _Context) -> list[tuple[int, Row]]:
    _check_top_level(data, ctx)
    if not ctx.allow_empty and not any(kind in data for kind in KIND_BY_NAME):
        ctx.add("", f"no records; expected tables such as [[{']], [['.join(KIND_BY_NAME)}]]")
    placed: list[tuple[int, Row]] = []
    for cls in RECORD_TYPES:
        placed.extend(_rows_of_kind(cls, data.get(cls.kind_name, []), ctx))
    return placed


def _checked_links(placed: list[tuple[int, Row]], ctx: _Context) -> list[Row]:
    by_id = _index_ids(placed, ctx)
    _check_refs(by_id, ctx)
    if ctx.problems:
        raise FactFileError(ctx.problems)
    return [row for _, row in placed]


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
                ctx.add(key, f"expected {_shown(TOP_LEVEL_SCALARS[key])}, got {_shown(value)}")
        else:
            ctx.add(
                "",
                f"unknown top-level key {_shown(key)}{_suggest(key, KIND_BY_NAME)}; "
                f"expected one of: {', '.join(KIND_BY_NAME)}",
                f"{key}",
            )


def _rows_of_kind(cls: type[Record], items: Any, ctx: _Context) -> Iterable[tuple[int, Row]]:
    """(index within the kind, row) of each valid record of one kind."""
    if not isinstance(items, list):
        return []
    target: Any = cls  # the cache wants hashables
    convert = _table_converter(target)
    kind = cls.kind_name
    built: list[tuple[int, Row]] = []
    for index, item in enumerate(items):
        ctx.kind, ctx.index = kind, index
        record_id = item.get("id") if type(item) is dict else None
        ctx.label = (
            f"{kind}[{index}] {_shown(record_id)}" if type(record_id) is str else f"{kind}[{index}]"
        )
        if type(item) is not dict:
            ctx.add("", f"expected a table, got {_type_name(item)}")
            continue
        if cls is Conflict and "sources" not in item:
            item = {**item, "sources": _reading_sources(item)}
        row = convert(item, "", ctx)
        items[index] = None  # the row holds what is needed: let the parsed table go
        if row is not _INVALID:
            built.append((index, row))
        elif type(record_id) is str:
            ctx.invalid_ids.add(record_id)
    return built


def _reading_sources(item: dict[str, Any]) -> list[Any]:
    """A conflict's sources are those of its readings, so it is cited like any record."""
    readings = item.get("readings")
    if not isinstance(readings, list):
        return []
    return [ref for r in readings if isinstance(r, dict) for ref in r.get("sources", []) or []]


# ----------------------------------------------------------------------------- converters
#
# Each type hint of the model is compiled once into a function that checks a parsed TOML
# value and returns it in plain form (tables as dicts with every field, arrays as lists), or
# returns _INVALID after adding a Problem. Compiling keeps typing's introspection off the
# per-value path, which matters with 100,000 records.

Convert = Callable[[Any, str, "_Context"], Any]
_INVALID: Any = object()


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@functools.cache
def _table_converter(cls: type[Any]) -> Convert:
    """Convert a TOML table to a dict of cls's fields; records get id and type first."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls, include_extras=True)
    is_record = isinstance(cls, type) and issubclass(cls, Record)
    order = list(fields)
    if is_record:
        middle = [n for n in order if n not in ("id", "note", "sources")]
        order = ["id", *middle, "note", "sources"]
    specs: list[tuple[str, Convert, bool, Any]] = []
    for name in order:
        spec = fields[name]
        if spec.default is not dataclasses.MISSING:
            required, default = False, spec.default
        else:
            required, default = spec.default_factory is dataclasses.MISSING, None
        specs.append((name, _converter(hints[name]), required, default))
    known = frozenset(fields)
    expected = ", ".join(fields)
    kind = cls.kind_name if is_record else None

    def convert(table: Any, path: str, ctx: _Context) -> Any:
        if type(table) is not dict:
            return _fail(ctx, path, f"expected a table, got {_type_name(table)}", None)
        ok = True
        if not known.issuperset(table):
            for key in table:
                if key not in known:
                    message = f"unknown field{_suggest(key, known)}; expected one of: {expected}"
                    ctx.add(_join(path, key), message, f"{key} =")
                    ok = False
        out: Row = {"id": None, "type": kind} if kind else {}
        for name, field_convert, required, default in specs:
            if name in table:
                value = field_convert(table[name], _join(path, name), ctx)
                if value is _INVALID:
                    ok = False
                else:
                    out[name] = value
            elif required:
                ctx.add(_join(path, name), "missing required field")
                ok = False
            else:
                out[name] = [] if default == () else default
        return out if ok else _INVALID

    return convert


@functools.cache
def _converter(hint: Any) -> Convert:
    """The checking function for one type hint (see the section comment)."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *markers = typing.get_args(hint)
        return _marked_converter(_converter(base), tuple(markers))
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _converter(options[0])
    if origin is typing.Literal:
        return _literal_converter(typing.get_args(hint))
    if origin is tuple:
        return _array_converter(_converter(typing.get_args(hint)[0]))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _table_converter(hint)
    return _scalar_converter(hint)


def _literal_converter(allowed: tuple[Any, ...]) -> Convert:
    choices = ", ".join(repr(a) for a in allowed)
    allowed_type = type(allowed[0])

    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) is allowed_type and value in allowed:
            return value
        return _fail(ctx, path, f"expected one of {choices}, got {_shown(value)}", value)

    return convert


def _array_converter(item_convert: Convert) -> Convert:
    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) is not list:
            return _fail(ctx, path, f"expected an array, got {_type_name(value)}", None)
        items = [item_convert(v, f"{path}[{i}]", ctx) for i, v in enumerate(value)]
        return _INVALID if any(i is _INVALID for i in items) else items

    return convert


def _scalar_converter(hint: Any) -> Convert:
    accepted: tuple[type, ...] = (int, float) if hint is float else (hint,)
    expected = f"expected {_hint_name(hint)}"

    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) not in accepted:  # exact types: a bool is not an int here
            return _fail(ctx, path, f"{expected}, got {_type_name(value)}", None)
        if type(value) is str and not value.strip():
            return _fail(ctx, path, "must not be empty", None)
        return value

    return convert


def _marked_converter(base: Convert, markers: tuple[Any, ...]) -> Convert:
    checks: list[Callable[[str], str | None]] = []
    refs = [m for m in markers if isinstance(m, Ref)]
    for marker in markers:
        if isinstance(marker, DateText):
            checks.append(dates.check_date)
        elif isinstance(marker, PeriodText):
            checks.append(dates.check_period)

    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) is datetime.date:
            value = value.isoformat()
        converted = base(value, path, ctx)
        if converted is _INVALID:
            return _INVALID
        for check in checks:
            problem = check(converted)
            if problem:
                return _fail(ctx, path, problem, converted)
        for ref in refs:
            ids = tuple(converted) if type(converted) is list else (converted,)
            ctx.refs.append((ctx.kind, ctx.index, ctx.label, path, ids, ref.kinds))
        return converted

    return convert


def _fail(ctx: _Context, path: str, message: str, value: Any) -> Any:
    needle = value if isinstance(value, str) else path.rsplit(".", 1)[-1].split("[")[0] + " ="
    ctx.add(path, message, needle)
    return _INVALID


@functools.cache
def _typed(hint: Any) -> Callable[[Any], Any]:
    """Turn a validated plain value back into the model's types (dataclasses, tuples)."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated or origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _typed(options[0])
    if origin is tuple:
        item = _typed(typing.get_args(hint)[0])
        return lambda value: tuple(item(v) for v in value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint, include_extras=True)
        fields = [(f.name, _typed(hints[f.name])) for f in dataclasses.fields(hint)]
        cls: Any = hint
        return lambda row: cls(**{name: build(row[name]) for name, build in fields})
    return lambda value: value


# ----------------------------------------------------------------------------- references


def _index_ids(placed: list[tuple[int, Row]], ctx: _Context) -> dict[str, Row]:
    by_id: dict[str, Row] = {}
    first_use: dict[str, tuple[str, int]] = {}
    for index, row in placed:
        kind, record_id = row["type"], row["id"]
        if record_id in by_id:
            ctx.kind, ctx.index, ctx.label = kind, index, f"{kind}[{index}] {_shown(record_id)}"
            first_kind, first_index = first_use[record_id]
            line = ctx.lines.find(first_kind, first_index)
            first = f"{first_kind}[{first_index}]" + (f" at line {line}" if line else "")
            ctx.add("id", f"duplicate id, first used by {first}", f'"{record_id}"')
        else:
            by_id[record_id] = row
            first_use[record_id] = (kind, index)
    _check_source_docs(placed, ctx)
    return by_id


def _check_source_docs(placed: list[tuple[int, Row]], ctx: _Context) -> None:
    known = {row["id"] for _, row in placed if row["type"] == "source"}
    for index, row in placed:
        for ref in row_sources(row):
            if ref["doc"] not in known:
                kind = row["type"]
                ctx.kind, ctx.index, ctx.label = kind, index, f"{kind}[{index}] {_shown(row['id'])}"
                ctx.add(
                    "sources",
                    f"doc {_shown(ref['doc'])} is not the id of any [[source]] record"
                    f"{_suggest(ref['doc'], known)}",
                    ref["doc"],
                )


def iter_source_refs(record: Record) -> Iterable[SourceRef]:
    """The record's own sources and its roles'; a conflict's already hold its readings'."""
    yield from record.sources
    for part in getattr(record, "roles", ()):
        yield from part.sources


def _check_refs(by_id: dict[str, Row], ctx: _Context) -> None:
    for kind, index, label, path, ids, kinds in ctx.refs:
        for ref_id in ids:
            if ref_id in ctx.invalid_ids:
                continue
            target = by_id.get(ref_id)
            if target is None:
                message = f"unknown id {_shown(ref_id)}{_suggest(ref_id, by_id)}"
            elif kinds and target["type"] not in kinds:
                message = f"{_shown(ref_id)} is a {target['type']}, expected {' or '.join(kinds)}"
            else:
                continue
            ctx.kind, ctx.index, ctx.label = kind, index, f"{label} {path}"
            ctx.add("", message, f'"{ref_id}"')


def _shown(value: Any, limit: int = 60) -> str:
    """A value quoted for a message, cut short if long (a fact file may hold huge strings)."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + f"… ({len(value):,} characters)"
    return repr(value)


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
