"""Output formats: JSON, JSON Lines, CSV and TSV as plain text; tables through Rich.

Commands hand over rows already shaped as JSON objects, plus a View naming the columns a
person wants to see. Only the table format imports Rich, so scripted calls stay fast.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from rich.console import Console

    from kzkg_cli.model import Record

Row = dict[str, Any]


class Format:
    """Every output format kzkg writes (plain strings: no enum import on the hot path)."""

    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FORMATS = (Format.table, Format.tsv, Format.json, Format.jsonl, Format.csv)


class Column(NamedTuple):
    """One column of a table or TSV line: a header and how to get its text from a row."""

    header: str
    cell: Callable[[Row], str]
    wrap: bool = True


class View(NamedTuple):
    """How a command's rows look to a person: a title and columns."""

    title: str
    columns: Sequence[Column]


# C0 and C1 control characters (ESC among them) would let a string drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def neutralise(text: str) -> str:
    """Text safe to show: control characters become visible escapes like \\x1b."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def record_to_row(record: Record) -> Row:
    """A record as a JSON object: id and type first, sources last, nested parts as objects."""
    row: Row = {"id": record.id, "type": record.kind_name}
    for name in _field_names(type(record)):
        if name not in ("id", "sources", "note"):
            row[name] = to_plain(getattr(record, name))
    row["note"] = record.note
    row["sources"] = to_plain(record.sources)
    return row


_SCALARS = (str, int, float, bool, type(None))


def to_plain(value: Any) -> Any:
    """Dataclasses to dicts and tuples to lists, recursively, for JSON."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    names = _field_names(type(value))
    return {name: to_plain(getattr(value, name)) for name in names} if names else value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names (empty for anything else), looked up once per class."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        import dataclasses

        fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields)
    return names


def row_sources(row: Row) -> list[Row]:
    """A row's own sources followed by those of its roles (a person's are mostly there)."""
    refs = list(row.get("sources", []))
    for role in row.get("roles", []):
        refs.extend(role.get("sources", []))
    return refs


def to_json(rows: Sequence[Row]) -> str:
    """A JSON array, UTF-8 text rather than \\u escapes."""
    return json.dumps(list(rows), ensure_ascii=ascii_only(), indent=2) + "\n"


def to_jsonl(rows: Sequence[Row]) -> str:
    """One JSON object a line."""
    ascii = ascii_only()
    return "".join(json.dumps(row, ensure_ascii=ascii) + "\n" for row in rows)


def to_csv(rows: Sequence[Row]) -> str:
    """CSV with the union of keys as header; nested values as JSON text."""
    return _delimited(rows, _all_keys(rows), ",")


def to_tsv(rows: Sequence[Row], view: View) -> str:
    """Plain tab-separated lines, one record a line, the view's columns, no header."""
    lines = ["\t".join(_tsv_cell(col.cell(row)) for col in view.columns) for row in rows]
    return "".join(line + "\n" for line in lines)


def _tsv_cell(text: str) -> str:
    return neutralise(re.sub(r"[\t\r\n]+", " ", text))


def _all_keys(rows: Sequence[Row]) -> list[str]:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)


def _delimited(rows: Sequence[Row], keys: list[str], delimiter: str) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([plain_cell(row.get(key)) for key in keys])
    return buffer.getvalue()


def plain_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


MAX_KEPT_WIDTH = 30
"""A column that does not wrap keeps up to this many characters however narrow the terminal."""
MIN_COLUMN_WIDTH = 9
"""A column that wraps keeps at least this many characters. When the columns cannot all have
their widths, a table would lose data off the edge: the rows are printed as records instead."""


def print_records(rows: Sequence[Row], view: View, console: Console) -> None:
    """Rows one after another as "header: value" lines, for a terminal too narrow for a table."""
    from rich.text import Text

    console.print(Text(view.title, style="bold"), soft_wrap=True)
    for row in rows:
        console.print()
        for column in view.columns:
            value = neutralise(column.cell(row))
            if value:  # soft_wrap: the terminal wraps the line, Rich does not cut it up
                console.print(Text.assemble((f"{column.header}: ", "bold"), value), soft_wrap=True)


def print_table(rows: Sequence[Row], view: View, stream: IO[str]) -> None:
    """Draw a Rich table; cells are Text, never markup, and control characters are escaped."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False, emoji=False)
    cells = [[neutralise(column.cell(row)) for column in view.columns] for row in rows]
    widths = []
    for number, column in enumerate(view.columns):
        longest = max([len(column.header)] + [len(row_cells[number]) for row_cells in cells])
        widths.append(min(longest, MIN_COLUMN_WIDTH if column.wrap else MAX_KEPT_WIDTH))
    if sum(widths) + 3 * len(widths) + 1 > console.width:  # cell padding and borders
        print_records(rows, view, console)
        return
    table = Table(title=view.title, show_lines=False, expand=False)
    for column, width in zip(view.columns, widths, strict=True):
        if column.wrap:
            table.add_column(column.header, overflow="fold", min_width=width)
        else:  # short values (dates, amounts): kept whole, the long text columns give way
            table.add_column(
                column.header, no_wrap=True, min_width=width, max_width=width, overflow="ellipsis"
            )
    for row_cells in cells:
        table.add_row(*(Text(cell) for cell in row_cells))
    console.print(table)


def write(rows: Sequence[Row], view: View, fmt: str, stream: IO[str] | None = None) -> None:
    """Write rows to stream (stdout by default) in the chosen format."""
    out = stream if stream is not None else sys.stdout
    if fmt == Format.table:
        print_table(rows, view, out)
        return
    writers: dict[str, Callable[[], str]] = {
        Format.json: lambda: to_json(rows),
        Format.jsonl: lambda: to_jsonl(rows),
        Format.csv: lambda: to_csv(rows),
        Format.tsv: lambda: to_tsv(rows, view),
    }
    out.write(writers[fmt]())
    out.flush()


def choose_format(fmt: str | None, as_json: bool, stream: IO[str] | None = None) -> str:
    """--format or --json; otherwise a table on a terminal and TSV in a pipe.

    --json with a --format other than json contradicts itself: a usage error.
    """
    if as_json:
        if fmt not in (None, Format.json):
            from kzkg_cli.errors import UsageError

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
