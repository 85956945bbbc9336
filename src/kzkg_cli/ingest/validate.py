"""Validate a parsed fact file against the model's field specs, into the rows kzkg prints.

Every problem found is collected (not just the first) with the file, the line where we can
find it, the record and the field. A large file is validated a chunk at a time (iter_rows); ids
and references are then checked across the whole file by the same Links that a whole-file
validation uses. Never prints, never exits.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import difflib
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from kzkg_cli.core import dates
from kzkg_cli.core.errors import FactFileError, Problem
from kzkg_cli.core.fields import Spec, TableSpec, record_spec, table_of
from kzkg_cli.core.model import KIND_BY_NAME
from kzkg_cli.core.rows import Row, cited_docs
from kzkg_cli.core.text import shown
from kzkg_cli.ingest.read import (
    FactFile,
    FilePath,
    chunks,
    decode,
    parse_toml,
    read_fact_text,
)

TOP_LEVEL_SCALARS = {"schema_version": 1}


def load_rows(facts: FactFile | FilePath) -> list[Row]:
    """Read, parse and validate a whole fact file into rows; FactFileError lists every problem."""
    if not isinstance(facts, FactFile):
        with FactFile(facts) as opened:
            return load_rows(opened)
    text = read_fact_text(facts)
    return validate(parse_toml(text, facts.name), text, facts.name)


def validate(data: dict[str, Any], text: str, name: str) -> list[Row]:
    """Check parsed TOML against the model and return one row per record.

    Each row holds every field of its record (defaults filled in), ``id`` and ``type`` first,
    ``note`` and ``sources`` last; records come grouped by kind, each kind in file order.
    The parsed tables are let go as they are read (each is replaced by None in data): pass a copy to
    keep them.
    """
    ctx = _Context(name, text)
    links = Links()
    rows = _validate_tables(data, ctx, links)
    links.check(ctx)
    if ctx.problems:
        raise FactFileError(ctx.problems)
    return rows


class WholeFileNeeded(Exception):
    """Reading a file a chunk at a time found a problem, or a cut it cannot trust: read it
    whole (load_rows), whose answer, rows or problems, is exact."""


def iter_rows(facts: FactFile | FilePath) -> Iterator[list[Row]]:
    """The rows of a fact file, a chunk at a time (each chunk grouped by kind, in file order).

    A file that fits in one chunk is validated whole. A larger one is parsed and validated a
    chunk at a time, so that only one chunk's parsed TOML is held, and its ids and references
    are checked across chunks at the end. On any problem in a larger file this raises
    WholeFileNeeded: the caller drops what it was given and calls load_rows, which reports
    the problems exactly (or, if a cut fell inside a multi-line string, reads the file).
    """
    if not isinstance(facts, FactFile):
        with FactFile(facts) as opened:
            yield from iter_rows(opened)
        return
    name = facts.name
    facts.rewind()
    pieces = chunks(facts)
    first = next(pieces, b"")
    second = next(pieces, None)
    if second is None:
        facts.finish()
        text = decode(first, name)
        yield validate(parse_toml(text, name), text, name)
        return
    links = Links()
    try:
        for piece in itertools.chain((first, second), pieces):  # read as they are parsed
            yield _validate_piece(piece, links)
    except (FactFileError, UnicodeDecodeError):
        raise WholeFileNeeded from None
    facts.finish()
    ctx = _Context(name, "")
    links.check(ctx)
    if ctx.problems or not links.ids:
        raise WholeFileNeeded


def _validate_piece(data: bytes, links: Links) -> list[Row]:
    text = data.decode("utf-8")
    ctx = _Context("<chunk>", text)
    ctx.allow_empty = True
    rows = _validate_tables(parse_toml(text, "<chunk>"), ctx, links)
    if ctx.problems:
        raise FactFileError(ctx.problems)
    return rows


def _validate_tables(data: dict[str, Any], ctx: _Context, links: Links) -> list[Row]:
    _check_top_level(data, ctx)
    if not ctx.allow_empty and not any(kind in data for kind in KIND_BY_NAME):
        ctx.add("", f"no records; expected tables such as [[{']], [['.join(KIND_BY_NAME)}]]")
    rows: list[Row] = []
    for kind in KIND_BY_NAME:
        rows.extend(_rows_of_kind(kind, data.get(kind, []), ctx, links))
    return rows


def _check_top_level(data: dict[str, Any], ctx: _Context) -> None:
    for key, value in data.items():
        if key in KIND_BY_NAME:
            if not isinstance(value, list):
                message = f"expected an array of tables [[{key}]], got {_type_name(value)}"
                ctx.add(key, message, f"[{key}]")
        elif key in TOP_LEVEL_SCALARS:
            if value != TOP_LEVEL_SCALARS[key]:
                ctx.add(key, f"expected {shown(TOP_LEVEL_SCALARS[key])}, got {shown(value)}")
        else:
            ctx.add(
                "",
                f"unknown top-level key {shown(key)}{_suggest(key, KIND_BY_NAME)}; "
                f"expected one of: {', '.join(KIND_BY_NAME)}",
                f"{key}",
            )


def _rows_of_kind(kind: str, items: Any, ctx: _Context, links: Links) -> list[Row]:
    """The valid rows of one kind, in file order; links learns of each."""
    if not isinstance(items, list):
        return []
    convert = _table_converter(kind, record_spec(kind).name)
    first = links.seen(kind)
    built: list[Row] = []
    for number, item in enumerate(items):
        index = first + number
        record_id = item.get("id") if type(item) is dict else None
        label = (
            f"{kind}[{index}] {shown(record_id)}" if type(record_id) is str else f"{kind}[{index}]"
        )
        ctx.at(kind, number, label)
        if type(item) is not dict:
            ctx.add("", f"expected a table, got {_type_name(item)}")
            continue
        if kind == "conflict" and "sources" not in item:
            item = {**item, "sources": _reading_sources(item)}
        row = convert(item, "", ctx)
        if kind == "conflict" and row is not _INVALID and not _readings_fit(row, ctx):
            row = _INVALID
        items[number] = None  # the row holds what is needed: let the parsed table go
        if row is not _INVALID:
            built.append(row)
            links.add(kind, index, row)
        elif type(record_id) is str:
            links.invalid_ids.add(record_id)
        links.refs.extend(Reference(kind, index, ref) for ref in ctx.refs)
        ctx.refs = []
    links.count(kind, len(items))
    return built


def _reading_sources(item: dict[str, Any]) -> list[Any]:
    """A conflict's sources are those of its readings, so it is cited like any record."""
    readings = item.get("readings")
    if not isinstance(readings, list):
        return []
    return [ref for r in readings if isinstance(r, dict) for ref in r.get("sources", []) or []]


# ----------------------------------------------------------------------------- readings


@functools.cache
def reading_fields() -> dict[str, Spec]:
    """What a conflict's readings hold, by the field the conflict is about: a number for a
    field that holds one in any kind of record (value_usd; an integer where every kind has
    one: count), one of the allowed values for a choice (status: any kind's). Fields not
    named here (a date, a title) are read as text."""
    found: dict[str, Spec] = {}
    for kind in KIND_BY_NAME:
        for field in record_spec(kind).fields:
            spec, seen = field.spec, found.get(field.name)
            if spec.shape in ("int", "float"):
                whole = spec.shape == "int" and (seen is None or seen.shape == "int")
                found[field.name] = Spec("int" if whole else "float")
            elif spec.shape == "choice" and type(spec.choices[0]) is str:
                before = seen.choices if seen is not None else ()
                found[field.name] = Spec("choice", tuple(dict.fromkeys(before + spec.choices)))
    return found


def _readings_fit(row: Row, ctx: _Context) -> bool:
    """Whether each reading holds what the conflict's field does: a value (a number) or a
    text, never both; the flags only with a value; a number for a number field, an allowed
    word for a choice (did you mean ...?)."""
    field = row["field"]
    expected = reading_fields().get(field)
    ok = True
    for number, reading in enumerate(row["readings"]):
        problem = _reading_problem(reading, field, expected)
        if problem:
            path, message = problem
            quotes = [ref["quote"] for ref in reading["sources"]]
            ctx.add(f"readings[{number}].{path}", message, quotes[0] if quotes else f"{path} =")
            ok = False
    return ok


def _reading_problem(reading: Row, field: str, expected: Spec | None) -> tuple[str, str] | None:
    """(the key at fault, the message) for a reading that does not fit its conflict's field."""
    value, text = reading["value"], reading["text"]
    if value is None and text is None:
        return "value", "missing: a reading has its value (a number) or its text (words)"
    if value is not None and text is not None:
        return "text", "a reading has its value (a number) or its text (words), not both"
    if text is not None:
        if reading["approximate"] or reading["bound"]:
            flag = "approximate" if reading["approximate"] else "bound"
            return flag, "qualifies a value (a number), not a text"
        if expected is not None and expected.shape in ("int", "float"):
            hint = _number_hint("value", text) or " = <the number>"
            return "text", f"{field} holds a number: write it as value{hint}"
        if expected is not None and expected.shape == "choice" and text not in expected.choices:
            allowed = ", ".join(repr(c) for c in expected.choices)
            hint = _suggest(text, expected.choices)
            return "text", f"expected one of {allowed} (as {field}), got {shown(text)}{hint}"
        return None
    if expected is not None and expected.shape == "choice":
        return "value", f"{field} holds words: write text = one of {', '.join(expected.choices)}"
    if expected is not None and expected.shape == "int" and not float(value).is_integer():
        return "value", f"{field} holds a whole number, got {value}"
    return None


# ----------------------------------------------------------------------------- where


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
        """The references the record being validated makes."""
        self.kind = ""
        self.index = 0
        """The record's index among the records of its kind in this text."""
        self.label = ""
        self.allow_empty = False
        """True for one chunk of a file, which may hold no records."""
        self._lines: _LineMap | None = None

    @property
    def lines(self) -> _LineMap:
        """The line map, made only once there is a problem to place (a valid file never pays)."""
        if self._lines is None:
            self._lines = _LineMap.of(self.text)
        return self._lines

    def at(self, kind: str, index: int, label: str) -> None:
        """Problems from now on are about this record."""
        self.kind, self.index, self.label = kind, index, label

    def add(self, path: str, message: str, needle: str | None = None) -> None:
        line = self.lines.find(self.kind, self.index, needle) if self.text else None
        where = f"{self.label} {path}".strip() if path else self.label
        self.problems.append(Problem(self.file, message, line, where))


# ----------------------------------------------------------------------------- converters
#
# Each field spec is compiled once into a function that checks a parsed TOML value and returns
# it in plain form (tables as dicts with every field, arrays as lists), or returns _INVALID
# after adding a Problem. Compiling keeps the specs off the per-value path, which matters
# with 100,000 records.

Convert = Callable[[Any, str, _Context], Any]
_INVALID: Any = object()


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@functools.cache
def _table_converter(kind: str | None, name: str) -> Convert:
    """Convert a TOML table to a dict of the table's fields; records get id and type first."""
    table = record_spec(kind) if kind else _PARTS[name]
    return _compile_table(table)


_PARTS: dict[str, TableSpec] = {}


def _compile_table(table: TableSpec) -> Convert:
    specs = [(f.name, _converter(f.spec), f.required, f.default) for f in table.in_row_order()]
    known = frozenset(f.name for f in table.fields)
    expected = ", ".join(f.name for f in table.fields)
    kind = table.kind

    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) is not dict:
            return _fail(ctx, path, f"expected a table, got {_type_name(value)}", None)
        ok = True
        if not known.issuperset(value):
            for key in value:
                if key not in known:
                    message = f"unknown field{_suggest(key, known)}; expected one of: {expected}"
                    ctx.add(_join(path, key), message, f"{key} =")
                    ok = False
        out: Row = {"id": None, "type": kind} if kind else {}
        for name, field_convert, required, default in specs:
            if name in value:
                converted = field_convert(value[name], f"{path}.{name}" if path else name, ctx)
                if converted is _INVALID:
                    ok = False
                else:
                    out[name] = converted
            elif required:
                ctx.add(_join(path, name), "missing required field")
                ok = False
            else:
                out[name] = list(default) if type(default) is list else default
        return out if ok else _INVALID

    return convert


def _converter(spec: Spec) -> Convert:
    """The checking function for one field spec (see the section comment)."""
    if spec.shape == "table":
        table = table_of(spec)
        _PARTS[table.name] = table
        base = _table_converter(None, table.name)
    elif spec.shape == "array":
        assert spec.item is not None
        base = _array_converter(_converter(spec.item), _already_plain(spec.item))
    elif spec.shape == "choice":
        base = _choice_converter(spec.choices)
    else:
        base = _scalar_converter(spec.shape)
    if spec.date is None and spec.ref is None:
        return base
    return _marked_converter(base, spec)


def _already_plain(spec: Spec) -> Callable[[Any], bool] | None:
    """For the items of an array, a quick test that an item is valid and needs no change
    (a non-blank string, an allowed value, a table of required strings in the model's
    order), so that the common case skips the converters; None where there is none."""
    if spec.date is not None or spec.ref is not None:
        return None
    if spec.shape == "str":
        return lambda v: type(v) is str and bool(v) and not v.isspace()
    if spec.shape == "choice":
        kind, allowed = type(spec.choices[0]), frozenset(spec.choices)
        return lambda v: type(v) is kind and v in allowed
    if spec.shape != "table":
        return None
    table = table_of(spec)
    names = tuple(f.name for f in table.fields)
    all_text = all(f.required and f.spec == Spec("str") for f in table.fields)
    if not all_text:
        return None

    def plain(v: Any) -> bool:
        if type(v) is not dict or tuple(v) != names:
            return False
        return all(type(x) is str and x and not x.isspace() for x in v.values())

    return plain


def _choice_converter(allowed: tuple[Any, ...]) -> Convert:
    choices = ", ".join(repr(a) for a in allowed)
    allowed_type = type(allowed[0])

    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) is allowed_type and value in allowed:
            return value
        hint = _suggest(value, (str(a) for a in allowed)) if type(value) is str else ""
        return _fail(ctx, path, f"expected one of {choices}, got {shown(value)}{hint}", value)

    return convert


def _array_converter(item_convert: Convert, plain: Callable[[Any], bool] | None) -> Convert:
    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) is not list:
            return _fail(ctx, path, f"expected an array, got {_type_name(value)}", None)
        if plain is not None and all(map(plain, value)):
            return value  # every item is valid and already as a row holds it
        items = [item_convert(v, f"{path}[{i}]", ctx) for i, v in enumerate(value)]
        return _INVALID if any(i is _INVALID for i in items) else items

    return convert


_NOT_ISO_TEXT = re.compile(r"\A\s|\s\Z|(?![0-9])\d")
"""What core.dates would pass but ISO 8601 does not have: spaces about it, other digits."""
_NOT_ISO = f"write it in ASCII digits with no spaces, as {dates.EXPECTED}"

_ACCEPTED: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}
_EXPECTED = {
    "str": "a string",
    "bool": "a boolean (true/false)",
    "int": "an integer",
    "float": "a number",
}


def _scalar_converter(shape: str) -> Convert:
    accepted = _ACCEPTED[shape]
    expected = f"expected {_EXPECTED[shape]}"
    numeric = shape in ("int", "float")

    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) not in accepted:  # exact types: a bool is not an int here
            if not numeric or type(value) is not str:
                return _fail(ctx, path, f"{expected}, got {_type_name(value)}", None)
            hint = _number_hint(_leaf(path), value)  # "около 2000000000": what to write
            message = f"{expected}, got {_type_name(value)}{hint}"
            return _fail(ctx, path, message, f'"{value}"')  # the string as the file writes it
        if type(value) is str and (not value or value.isspace()):
            return _fail(ctx, path, "must not be empty", None)
        if type(value) is float and not math.isfinite(value):
            return _fail(ctx, path, f"expected a finite number, got {value}", None)
        return value

    return convert


def _marked_converter(base: Convert, spec: Spec) -> Convert:
    check = {"date": dates.check_date, "period": dates.check_period}.get(spec.date or "")
    kinds = spec.ref

    def convert(value: Any, path: str, ctx: _Context) -> Any:
        if type(value) is datetime.date:
            value = value.isoformat()
        converted = base(value, path, ctx)
        if converted is _INVALID:
            return _INVALID
        if check is not None:
            problem = _NOT_ISO if _NOT_ISO_TEXT.search(converted) else None
            problem = problem or check(converted)
            if problem:
                return _fail(ctx, path, problem, converted)
        if kinds is not None:
            ids = tuple(converted) if type(converted) is list else (converted,)
            ctx.refs.append(RefSeen(ctx.label, path, ids, kinds))
        return converted

    return convert


def _fail(ctx: _Context, path: str, message: str, value: Any) -> Any:
    needle = value if isinstance(value, str) else path.rsplit(".", 1)[-1].split("[")[0] + " ="
    ctx.add(path, message, needle)
    return _INVALID


# ----------------------------------------------------------------------------- links


class RefSeen(NamedTuple):
    """A reference as validation met it: the record's label, the field, the ids it names and
    the kinds they must be (empty: any)."""

    label: str
    path: str
    ids: tuple[str, ...]
    kinds: tuple[str, ...]


class Placed(NamedTuple):
    """A valid record, reduced to what the links between records need."""

    kind: str
    number: int
    """Its index among the records of its kind."""
    id: str


class Reference(NamedTuple):
    """A reference and the record (valid or not) that makes it."""

    kind: str
    number: int
    ref: RefSeen


@dataclasses.dataclass
class Links:
    """Ids, references and cited articles of every valid record, to check across the file."""

    ids: list[Placed] = dataclasses.field(default_factory=list)
    refs: list[Reference] = dataclasses.field(default_factory=list)
    invalid_ids: set[str] = dataclasses.field(default_factory=set)
    """Ids of records that failed validation: references to them are not errors too."""
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    sources: set[str] = dataclasses.field(default_factory=set)
    """Ids of the valid sources met so far (a file lists its sources first)."""
    unmet: list[tuple[Placed, str]] = dataclasses.field(default_factory=list)
    """Records citing an article whose source had not been met when they were."""

    def seen(self, kind: str) -> int:
        """How many records of a kind earlier chunks held (the index of the next one)."""
        return self.counts.get(kind, 0)

    def count(self, kind: str, more: int) -> None:
        self.counts[kind] = self.seen(kind) + more

    def add(self, kind: str, index: int, row: Row) -> None:
        placed = Placed(kind, index, row["id"])
        self.ids.append(placed)
        if kind == "source":
            self.sources.add(placed.id)
        for doc in cited_docs(row):
            if doc not in self.sources:
                self.unmet.append((placed, doc))

    def check(self, ctx: _Context) -> None:
        """Add a problem for each duplicate id, unknown article and unresolved reference."""
        kinds = self._unique_ids(ctx)
        sources = {record_id for record_id, kind in kinds.items() if kind == "source"}
        for placed, doc in self.unmet:
            if doc not in sources and doc not in self.invalid_ids:  # an invalid source: said
                message = f"doc {shown(doc)} is not the id of any [[source]] record"
                self._at(ctx, placed).add("sources", message + _suggest(doc, sources), doc)
        for reference in self.refs:
            self._check_ref(ctx, reference, kinds)

    def _unique_ids(self, ctx: _Context) -> dict[str, str]:
        kinds: dict[str, str] = {}
        first_use: dict[str, Placed] = {}
        for placed in self.ids:
            if placed.id not in kinds:
                kinds[placed.id] = placed.kind
                first_use[placed.id] = placed
                continue
            first = first_use[placed.id]
            line = ctx.lines.find(first.kind, first.number) if ctx.text else None
            where = f"{first.kind}[{first.number}]" + (f" at line {line}" if line else "")
            self._at(ctx, placed).add(
                "id", f"duplicate id, first used by {where}", f'"{placed.id}"'
            )
        return kinds

    def _check_ref(self, ctx: _Context, reference: Reference, kinds: dict[str, str]) -> None:
        ref = reference.ref
        for ref_id in ref.ids:
            if ref_id in self.invalid_ids:
                continue
            kind = kinds.get(ref_id)
            if kind is None:
                message = f"unknown id {shown(ref_id)}{_suggest(ref_id, kinds)}"
            elif ref.kinds and kind not in ref.kinds:
                message = f"{shown(ref_id)} is a {kind}, expected {' or '.join(ref.kinds)}"
            else:
                continue
            ctx.at(reference.kind, reference.number, f"{ref.label} {ref.path}")
            ctx.add("", message, f'"{ref_id}"')

    @staticmethod
    def _at(ctx: _Context, placed: Placed) -> _Context:
        ctx.at(placed.kind, placed.number, f"{placed.kind}[{placed.number}] {shown(placed.id)}")
        return ctx


# ----------------------------------------------------------------------------- words

_FIGURE = re.compile(
    r"(?P<before>[^\d]*?)\s*\$?\s*(?P<number>\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+(?:[.,]\d+)?)"
    r"\s*(?P<scale>[^\W\d_]+)?\.?\s*(?:%|\$|долл\w*|dollars?|usd)?\s*",
    re.IGNORECASE,
)
_SCALES = {
    "тыс": 10**3, "тысяч": 10**3, "thousand": 10**3, "млн": 10**6, "миллионов": 10**6,
    "mn": 10**6, "million": 10**6, "млрд": 10**9, "миллиарда": 10**9, "миллиардов": 10**9,
    "bn": 10**9, "billion": 10**9, "трлн": 10**12, "tn": 10**12, "trillion": 10**12,
}  # fmt: skip
_FLAGS = {
    "около": "approximate = true", "примерно": "approximate = true",
    "порядка": "approximate = true", "~": "approximate = true", "about": "approximate = true",
    "свыше": 'bound = "more_than"', "более": 'bound = "more_than"',
    "больше": 'bound = "more_than"', "over": 'bound = "more_than"',
    "more than": 'bound = "more_than"', "менее": 'bound = "less_than"',
    "меньше": 'bound = "less_than"', "less than": 'bound = "less_than"',
}  # fmt: skip


def _number_hint(field: str, text: str) -> str:
    """For a number written as text ("около 2000000000", "1,7 млрд"), what to write instead:
    the number and the flag its words stand for; "" where the text is no such figure."""
    import decimal

    match = _FIGURE.fullmatch(text.strip())
    if match is None:
        return ""
    before = " ".join(match["before"].casefold().split()).strip(" $")
    flag = _FLAGS.get(before)
    scale = _SCALES.get((match["scale"] or "").casefold(), 1 if not match["scale"] else 0)
    if (before and flag is None) or not scale:
        return ""
    digits = match["number"]
    grouped = re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f,]\d{3})+", digits) is not None
    digits = re.sub(r"[ \u00a0\u202f,]", "", digits) if grouped else digits.replace(",", ".")
    number = (decimal.Decimal(digits) * scale).normalize()
    written = f"{field} = {number:f}" + (f" and {flag}" if flag else "")
    return f" (did you mean {written}?)"


def _leaf(path: str) -> str:
    """The field a value path ends in: readings[1].value -> value."""
    return path.rsplit(".", 1)[-1].split("[")[0]


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


_TYPE_NAMES = {
    dict: "a table",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)
