r"""Output formats: JSON, JSON Lines, CSV and TSV written as plain text, a row at a time.

Commands hand over rows already shaped as JSON objects, plus a View naming the columns a
person wants to see. None of these formats touches Rich (present.table draws tables), and each
writes as it goes, so a bulk export holds one row at a time whatever the size of the fact base.

Numbers are written as JSON writes them, in JSON, JSON Lines, CSV and TSV alike: an int as
its digits, a float in its shortest exact form (a score of 2.0 is `2.0` in all four, never
`2` in one and `2.0` in another; a whole float is not made an int, so a field keeps one type
from row to row); true and false as in JSON; null as an empty cell. A table, and a view's TSV
columns, show figures as a person reads them ($1.7 bn, 80%); --fields gives the numbers.

TSV: one record a line, no header, cells parted by a tab. A cell holds one or more items
parted by "; " (a list: a person's offices, an event's participants; most cells hold one). In
an item, a backslash is written `\\`, a tab `\t`, a newline `\n`, a carriage return `\r` and
a semicolon `\x3b`; characters that could drive a terminal are `\xNN`, `\uNNNN` or
`\UNNNNNNNN` (core.text.neutralise). So a cell holds no tab or newline, and no ";" but its
separators: split it on "; ", then undo the escapes in each item (unescape_tsv), and the
items are exact (but for the whitespace around each, which TSV drops). These are Python's
escapes, and PostgreSQL's COPY text format reads `\\`, `\t`, `\n`, `\r` and an ASCII `\xNN`
back. With --fields, a list of plain values is such a list, and an object, or a list inside
a list, is an item of JSON text.

CSV: a header row, always (with no rows, the keys the rows would have had); a list or an
object is one cell of JSON text.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from kzkg_cli.core.errors import UsageError
from kzkg_cli.core.rows import Row
from kzkg_cli.core.text import neutralise, unsafe
from kzkg_cli.present import console
from kzkg_cli.present.columns import CellValue, View


class Format:
    """Every output format kzkg writes (plain strings: no enum import on the hot path)."""

    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FORMATS = (Format.table, Format.tsv, Format.json, Format.jsonl, Format.csv)


Header = Callable[[], Sequence[str]]
"""The keys a command's rows would have: CSV's header when there are no rows."""


def write(
    rows: Iterable[Row],
    view: View,
    fmt: str,
    stream: IO[str] | None = None,
    header: Header | None = None,
) -> int:
    """Write rows to stream (stdout by default) in the chosen format; the number written.

    rows may be a Stream: CSV passes over it twice (its header is every row's keys, or
    header() when there is none), the others once.
    """
    out = stream if stream is not None else sys.stdout
    if fmt == Format.table:
        from kzkg_cli.present.table import print_table

        shown = list(rows)
        print_table(shown, view, out)
        return len(shown)
    writers: dict[str, Callable[[Iterable[Row], IO[str]], int]] = {
        Format.json: write_json,
        Format.jsonl: write_jsonl,
        Format.csv: lambda r, o: write_csv(r, o, header),
        Format.tsv: lambda r, o: write_tsv(r, view, o),
    }
    count = writers[fmt](rows, out)
    out.flush()
    return count


def write_json(rows: Iterable[Row], out: IO[str]) -> int:
    """A JSON array indented by two, UTF-8 text rather than \\u escapes, a row at a time.

    The bytes are those of json.dumps(list(rows), indent=2, ensure_ascii=ascii_only(out)) and
    a newline (on a terminal, with json_encoder's escapes): JSON strings hold no raw newline,
    so indenting each row's own text by two more spaces nests it exactly
    (tests/test_properties.py checks it).
    """
    dumps = json_encoder(out, indent=2)
    count = 0
    for row in rows:
        text = dumps(row).replace("\n", "\n  ")
        out.write(("[\n  " if count == 0 else ",\n  ") + text)
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def write_object(value: dict[str, Any], out: IO[str]) -> None:
    """One JSON object indented by two, and a newline (as write_json writes a row)."""
    out.write(json_encoder(out, indent=2)(value) + "\n")
    out.flush()


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    """One JSON object a line, written a thousand lines at a time."""
    dumps = json_encoder(out)
    count = 0
    batch: list[str] = []
    for row in rows:
        batch.append(dumps(row))
        if len(batch) == 1000:
            count += _write_lines(batch, out)
    return count + _write_lines(batch, out)


def json_encoder(out: IO[str], indent: int | None = None) -> Callable[[Any], str]:
    """JSON text as json.dumps writes it (ASCII escapes only where out cannot take UTF-8);
    on a terminal, the characters core.text.neutralise escapes are \\u escapes too.

    Rows hold no reference cycles, so the encoder does not look for them; and one line at a
    time, CPython's C encoder is made once and called directly, as json.dumps would make it
    afresh for every row (together a fifth of the time of a large export)."""
    dumps = _plain_encoder(out, indent)
    if not is_terminal(out):
        return dumps
    return lambda row: terminal_json(dumps(row))


def terminal_json(text: str) -> str:
    """JSON text safe for a terminal and equal in value: JSON escapes C0 controls itself, but
    leaves C1 controls, bidi controls and invisible characters raw, which a terminal obeys or
    hides. Outside strings JSON holds none of them, so escaping them anywhere is exact."""
    return unsafe().sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return json.dumps(match.group())[1:-1]  # \\uXXXX, or a surrogate pair's two


def _plain_encoder(out: IO[str], indent: int | None) -> Callable[[Any], str]:
    ascii = ascii_only(out)
    encoder = json.JSONEncoder(ensure_ascii=ascii, indent=indent, check_circular=False)
    from json import encoder as c_json

    make = getattr(c_json, "c_make_encoder", None)  # CPython's; absent elsewhere
    if indent is not None or make is None:
        return encoder.encode
    strings = c_json.encode_basestring_ascii if ascii else c_json.encode_basestring
    direct = make(None, encoder.default, strings, None, ": ", ", ", False, False, True)
    return lambda row: "".join(direct(row, 0))


def _write_lines(lines: list[str], out: IO[str]) -> int:
    """Write lines, each ended by a newline, and empty the list; how many there were."""
    if lines:
        lines.append("")
        out.write("\n".join(lines))
    count = len(lines) - 1 if lines else 0
    lines.clear()
    return count


def write_csv(rows: Iterable[Row], out: IO[str], header: Header | None = None) -> int:
    """CSV with the union of keys as header (a first pass), or header() where there are no
    rows, so that an empty answer is still a table with its columns; nested values as JSON
    text.

    In a pipe or a file the cells are the data, byte for byte; on a terminal they are
    neutralised, as a person reads them there."""
    import csv

    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    if not keys and header is not None:
        keys = dict.fromkeys(header())
    cell = _terminal_cell if is_terminal(out) else plain_cell
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    count = 0
    for row in rows:
        writer.writerow([cell(row.get(key)) for key in keys])
        count += 1
    return count


def _terminal_cell(value: Any) -> str:
    return neutralise(plain_cell(value))


def write_tsv(rows: Iterable[Row], view: View, out: IO[str]) -> int:
    """Tab-separated lines, one record a line, the view's columns, no header (the rule is
    the module's)."""
    count = 0
    for row in rows:
        out.write(tsv_line(column.cell(row) for column in view.columns))
        count += 1
    return count


LIST_SEPARATOR = "; "
"""What parts the items of a list in a TSV cell."""
_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", ";": "\\x3b"}


@functools.cache
def _tsv_special() -> re.Pattern[str]:
    return re.compile(r"[\\\t\n\r;]")


def tsv_line(cells: Iterable[CellValue]) -> str:
    """One TSV line (with its newline) of these cells."""
    return "\t".join(map(tsv_cell, cells)) + "\n"


def tsv_cell(value: CellValue) -> str:
    """A cell as TSV writes it: a list's items escaped and parted by "; ", a text escaped."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(tsv_item, value))
    return tsv_item(value)


def tsv_item(text: str) -> str:
    """One item of a TSV cell: its surrounding whitespace dropped; backslash, tab, newline,
    carriage return and ";" escaped, and whatever could drive a terminal
    (core.text.neutralise)."""
    return neutralise(_tsv_special().sub(lambda m: _TSV_ESCAPES[m.group()], text.strip()))


@functools.cache
def _tsv_escape() -> re.Pattern[str]:
    return re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\tnr])")


def unescape_tsv(item: str) -> str:
    """An item of a TSV cell (split on "; ") as the data has it: its escapes undone."""
    return _tsv_escape().sub(_unescape, item)


def _unescape(match: re.Match[str]) -> str:
    code = match.group()[1:]
    simple = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
    return simple[code] if code in simple else chr(int(code[1:], 16))


def split_tsv_cell(cell: str) -> list[str]:
    """The items of a TSV cell, exact (an empty cell has none)."""
    return [unescape_tsv(item) for item in cell.split(LIST_SEPARATOR)] if cell else []


def scalar_text(value: Any) -> str:
    """A plain value as every format writes it: as JSON does (an int as its digits, a float
    in its shortest exact form, so 2.0 is `2.0`; true, false), null as nothing."""
    kind = type(value)
    if kind is str:  # most cells: first
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, float):
        return float.__repr__(value)  # what json writes (a float subclass's own repr aside)
    if isinstance(value, int):
        return int.__repr__(value)  # an IntEnum's str() is its name
    return str(value)


def plain_cell(value: Any) -> str:
    """A value as CSV shows it: lists and tables as JSON text, the rest as scalar_text."""
    if value is None:  # the commonest cells first: a CSV of every kind is mostly empty ones
        return ""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is list or kind is dict:
        return json.dumps(value, ensure_ascii=False)
    return scalar_text(value)


def field_cell(value: Any) -> CellValue:
    """A value as --fields TSV shows it: a list as a list cell (each plain item as
    scalar_text, an object or a list in it as JSON text), an object as JSON text."""
    if isinstance(value, list):
        return [plain_cell(item) for item in value]
    return plain_cell(value)


def choose_format(fmt: str | None, as_json: bool, stream: IO[str] | None = None) -> str:
    """--format or --json; otherwise a table on a terminal and TSV in a pipe.

    --json with a --format other than json contradicts itself: a usage error.
    """
    if as_json:
        if fmt not in (None, Format.json):
            raise UsageError(f"--json and --format {fmt} ask for two formats; give one")
        return Format.json
    if fmt is not None:
        return fmt
    out = stream if stream is not None else sys.stdout
    return Format.table if is_terminal(out) else Format.tsv


def ascii_only(stream: IO[str] | None = None) -> bool:
    """Whether JSON for stream (stdout by default) must escape non-ASCII characters as \\uXXXX:
    when its encoding cannot write them (say PYTHONIOENCODING=ascii), so the JSON stays valid."""
    encoding = getattr(stream if stream is not None else sys.stdout, "encoding", None)
    try:
        "Жәё😀".encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return True
    return False


def is_terminal(stream: IO[str]) -> bool:
    """Whether output to stream is formatted as on a terminal: it is one, or KZKG_FORCE_TTY
    forces one (present.console; tests replace this to fake one)."""
    return console.is_terminal(stream)
