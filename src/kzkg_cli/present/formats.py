"""Output formats: JSON, JSON Lines, CSV and TSV written as plain text, a row at a time.

Commands hand over rows already shaped as JSON objects, plus a View naming the columns a
person wants to see. None of these formats touches Rich (present.table draws tables), and each
writes as it goes, so a bulk export holds one row at a time whatever the size of the fact base.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from typing import IO, Any

from kzkg_cli.core.errors import UsageError
from kzkg_cli.core.rows import Row
from kzkg_cli.core.text import neutralise, unsafe
from kzkg_cli.present.columns import View, as_text


class Format:
    """Every output format kzkg writes (plain strings: no enum import on the hot path)."""

    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FORMATS = (Format.table, Format.tsv, Format.json, Format.jsonl, Format.csv)


def write(rows: Iterable[Row], view: View, fmt: str, stream: IO[str] | None = None) -> int:
    """Write rows to stream (stdout by default) in the chosen format; the number written.

    rows may be a Stream: CSV passes over it twice (its header is every row's keys), the
    others once.
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
        Format.csv: write_csv,
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


def write_csv(rows: Iterable[Row], out: IO[str]) -> int:
    """CSV with the union of keys as header (a first pass); nested values as JSON text.

    In a pipe or a file the cells are the data, byte for byte; on a terminal they are
    neutralised, as a person reads them there."""
    import csv

    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
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
    """Plain tab-separated lines, one record a line, the view's columns, no header."""
    count = 0
    for row in rows:
        out.write(
            "\t".join(_tsv_cell(as_text(column.cell(row), "; ")) for column in view.columns) + "\n"
        )
        count += 1
    return count


def _tsv_cell(text: str) -> str:
    """One cell on one line: the lines of a list (a person's offices) joined by "; "."""
    return neutralise(re.sub(r"[\t\r]+", " ", re.sub(r"\s*\n\s*", "; ", text.strip())))


def plain_cell(value: Any) -> str:
    """A value as CSV and --fields TSV show it: lists and tables as JSON text."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    """Whether stream is an interactive terminal (tests replace this to fake one)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
