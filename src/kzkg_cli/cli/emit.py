"""What every command does after asking: write the answer, or say why there is none.

Functions return exit codes; they never exit. Shared by the fast path and the Typer app, which
both run the same command bodies (cli.commands).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any, NamedTuple

from kzkg_cli.core import names
from kzkg_cli.core.errors import ExitCode, KzkgError, UsageError
from kzkg_cli.core.rows import Row, Stream
from kzkg_cli.core.runtime import collector_paused
from kzkg_cli.core.text import is_broken, neutralise, one_line, shorten, shown, unbroken
from kzkg_cli.present import formats
from kzkg_cli.present.columns import CellValue, Column, View
from kzkg_cli.present.formats import (
    Format,
    choose_format,
    field_cell,
    json_encoder,
    plain_cell,
    tsv_line,
)
from kzkg_cli.present.formats import write as write_rows
from kzkg_cli.search.query import Answer


def report(exc: KzkgError) -> int:
    """One line on stderr (and a hint line), and the error's exit code."""
    sys.stderr.write(f"kzkg: error: {one_line(exc.message)}\n")
    if exc.hint:
        sys.stderr.write(f"kzkg: {one_line(exc.hint)}\n")
    return int(exc.code)


class Fields(NamedTuple):
    """What --fields asked for (None: every key), and the keys the command's rows can have."""

    asked: str | None
    valid: Callable[[], Sequence[str]]
    """Called only when needed (it reads the model): to check --fields, and for the header
    of a CSV with no rows."""


def emit(
    answer: Answer | Stream,
    view: View,
    fmt: str | None,
    as_json: bool,
    what: str,
    fields: Fields | None = None,
) -> int:
    """Write the answer (a query's, or a Stream of every row a bulk command reads from a
    cursor); with no rows, `[]` for JSON, a message on stderr, and exit code 1.

    fields, where --fields was given, cuts the rows to those keys, in that order, for JSON,
    JSON Lines, CSV and TSV; and it names the keys a CSV with no rows has as its header.
    """
    chosen = choose_format(fmt, as_json)
    source, hint = (answer, None) if isinstance(answer, Stream) else answer
    rows: Iterable[Row] = source
    header = fields.valid if fields is not None else None
    if fields is not None and fields.asked is not None:
        if chosen == Format.table:
            raise UsageError("--fields shapes json, jsonl, csv and tsv; add --json or --format")
        keys = field_list(fields)
        rows = Stream(lambda: (cut(row, keys) for row in source))
        view = field_view(view, keys)
        header = lambda: keys  # noqa: E731
    if chosen == Format.table:
        rows = list(rows)
        if not rows:
            return no_results(what, hint)
    if chosen == Format.json:  # its indenting encoder leaves cycles only the collector frees
        written = write_rows(rows, view, chosen, header=header)
    else:
        with collector_paused():  # a Stream may be every row of a large fact base
            written = write_rows(rows, view, chosen, header=header)
    return int(ExitCode.OK) if written else no_results(what, hint)


def cut(row: Row, keys: Sequence[str]) -> Row:
    """A row with only these keys, in this order (null where the row has none)."""
    return {key: row.get(key) for key in keys}


def field_view(view: View, keys: Sequence[str]) -> View:
    """The TSV columns of --fields: each key's value, a list as a list cell."""
    return view._replace(columns=[Column(key, _field_cell(key)) for key in keys])


def no_results(what: str, hint: str | None) -> int:
    """Say on stderr that nothing matched (and what might), and return exit code 1."""
    sys.stderr.write(f"kzkg: no results for {one_line(what)}\n")
    if hint:
        sys.stderr.write(f"kzkg: {one_line(hint)}\n")
    return int(ExitCode.NO_RESULTS)


def field_list(fields: Fields) -> list[str]:
    """The names --fields asked for, in order; a usage error for an unknown one."""
    asked = fields.asked or ""
    keys = list(dict.fromkeys(name.strip() for name in asked.split(",") if name.strip()))
    if not keys:
        raise UsageError("--fields needs field names, as in --fields id,name")
    valid = fields.valid()
    for key in keys:
        if key not in valid:
            raise UsageError(f"unknown field {shown(key)} for --fields; valid: {', '.join(valid)}")
    return keys


def _field_cell(name: str) -> Callable[[Row], CellValue]:
    return lambda row: field_cell(row.get(name))


def check_text(value: str | None, what: str) -> str | None:
    """Text from the command line or stdin, or a usage error if it holds bytes that are not
    UTF-8 (Python keeps them as lone surrogates, which nothing can match or print)."""
    if value is not None and is_broken(value):
        raise UsageError(f"the {what} {shown(value.strip(), 40)} is not UTF-8 text")
    return value


def check_query(value: str | None, what: str = "query") -> str | None:
    """A query with something to match, or a usage error saying it has nothing."""
    check_text(value, what)
    if value is not None and not names.keys(value):
        raise UsageError(f"the {what} {shown(value.strip(), 40)} has no words to match")
    return value


def describe(*parts: tuple[str, object]) -> str:
    """The query in words for "no results for ...": 'Путин' --year 2024 (a flag given as
    True is its name alone: --attested)."""
    words = [
        (name if value is True else f"{name} {shorten(value)!s}") if name else shown(value)
        for name, value in parts
        if value
    ]
    return " ".join(words) or "this query"


MEMO = 10_000
"""Distinct lines whose answers --stdin keeps, so a repeated line is answered from memory."""

BATCH_FORMATS = (Format.jsonl, Format.json, Format.csv, Format.tsv)


def batch_format(fmt: str | None, as_json: bool) -> str:
    """The format --stdin answers in: JSON Lines unless --format or --json says otherwise;
    a table is a usage error (a table per line is no format for a script)."""
    if as_json:
        return choose_format(fmt, as_json)
    if fmt is not None and fmt not in BATCH_FORMATS:
        raise UsageError(f"--stdin answers as jsonl, json, csv or tsv, not --format {fmt}")
    return fmt or Format.jsonl


def batch(
    answer_for: Callable[[str], Answer],
    view: View,
    fmt: str | None,
    as_json: bool,
    fields: Fields,
) -> int:
    """Answer every stdin line, in input order, in the chosen format (batch_format):

    - jsonl: a line a query, {"query", "results"} (and "hint" or "error");
    - json: an array of those objects;
    - csv: a header row (query, then every key a result can have, or --fields), then a row a
      result, its query first;
    - tsv: a line a result, its query first, then the view's columns (or --fields).

    --fields cuts each result to those keys. In CSV and TSV a query that matches nothing has
    no row, and a line that cannot be a query is an error line on stderr; every line is
    answered, and the exit code is 0.
    """
    chosen = batch_format(fmt, as_json)
    keys = field_list(fields) if fields.asked is not None else None
    if keys is not None:
        view = field_view(view, keys)
    out = sys.stdout
    answers = _Answers(answer_for, keys, _Writer.of(chosen, out, view, keys, fields))
    for line in _stdin_lines():
        text = line.strip()
        if text:
            answers.write(text)
    answers.writer.end()
    out.flush()
    return int(ExitCode.OK)


class _Answers:
    """Each stdin line's answer as text, written; a line seen before answered from memory."""

    def __init__(
        self, answer_for: Callable[[str], Answer], keys: list[str] | None, writer: _Writer
    ) -> None:
        self.answer_for = answer_for
        self.keys = keys
        self.writer = writer
        self.memo: dict[str, tuple[str, str | None]] = {}

    def write(self, text: str) -> None:
        answered = self.memo.get(text)
        if answered is None:
            record = _batch_record(text, self.answer_for)
            if self.keys is not None:
                record["results"] = [cut(row, self.keys) for row in record["results"]]
            answered = self.writer.text(record), record.get("error")
            if len(self.memo) >= MEMO:
                self.memo.clear()
            self.memo[text] = answered
        answer, error = answered
        if error and not self.writer.carries_errors:
            sys.stderr.write(f"kzkg: error: {one_line(error)}\n")
        self.writer.write(answer)


class _Writer:
    """How one format writes a line's answer: text() makes it (kept in memory), write() puts
    it out, end() closes the output."""

    carries_errors = True
    """Whether a line's error is part of its answer (JSON) rather than a line on stderr."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    @staticmethod
    def of(fmt: str, out: IO[str], view: View, keys: list[str] | None, fields: Fields) -> _Writer:
        if fmt == Format.json:
            return _JsonWriter(out)
        if fmt == Format.csv:
            return _CsvWriter(out, ["query", *(keys or fields.valid())])
        if fmt == Format.tsv:
            return _TsvWriter(out, view)
        return _JsonLinesWriter(out)

    def text(self, record: dict[str, Any]) -> str:
        raise NotImplementedError

    def write(self, text: str) -> None:
        self.out.write(text)

    def end(self) -> None:
        """Nothing to close, but for JSON's array."""


class _JsonLinesWriter(_Writer):
    def __init__(self, out: IO[str]) -> None:
        super().__init__(out)
        self.encode = json_encoder(out)

    def text(self, record: dict[str, Any]) -> str:
        return self.encode(record) + "\n"


class _JsonWriter(_Writer):
    """An array indented by two, as write_json writes one, an object a query."""

    def __init__(self, out: IO[str]) -> None:
        super().__init__(out)
        self.encode = json_encoder(out, indent=2)
        self.count = 0

    def text(self, record: dict[str, Any]) -> str:
        return self.encode(record).replace("\n", "\n  ")

    def write(self, text: str) -> None:
        self.out.write(("[\n  " if self.count == 0 else ",\n  ") + text)
        self.count += 1

    def end(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")


class _CsvWriter(_Writer):
    """A header row at once (the columns are known before any answer), then a row a result."""

    carries_errors = False

    def __init__(self, out: IO[str], header: list[str]) -> None:
        import csv

        super().__init__(out)
        self.header = header
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")
        on_screen = formats.is_terminal(out)  # looked up here: tests fake a terminal
        self.cell: Callable[[Any], str] = _screen_cell if on_screen else plain_cell
        out.write(self.text_of([header]))

    def text(self, record: dict[str, Any]) -> str:
        query = record["query"]
        rows = [{**row, "query": query} for row in record["results"]]
        return self.text_of([[self.cell(row.get(key)) for key in self.header] for row in rows])

    def text_of(self, rows: list[list[str]]) -> str:
        self.writer.writerows(rows)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def _screen_cell(value: Any) -> str:
    """A CSV cell as a terminal shows it: neutralised (in a pipe, cells are the data)."""
    return neutralise(plain_cell(value))


class _TsvWriter(_Writer):
    """A line a result: the query, then the view's columns."""

    carries_errors = False

    def __init__(self, out: IO[str], view: View) -> None:
        super().__init__(out)
        self.columns = [column.cell for column in view.columns]

    def text(self, record: dict[str, Any]) -> str:
        query: CellValue = record["query"]
        return "".join(
            tsv_line([query, *(cell(row) for cell in self.columns)]) for row in record["results"]
        )


def _stdin_lines() -> Iterable[str]:
    """stdin's lines, bytes that are not UTF-8 kept as lone surrogates (as in argv) rather
    than ending the run with a UnicodeDecodeError; check_text then refuses such a line."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="surrogateescape")
    return sys.stdin


def _batch_record(text: str, answer_for: Callable[[str], Answer]) -> dict[str, Any]:
    record: dict[str, Any] = {"query": unbroken(text)}
    try:
        check_query(text)
        answer = answer_for(text)
        record["results"] = list(answer.rows)
        if answer.hint:  # what the one-line form says on stderr: which command would answer
            record["hint"] = answer.hint
    except UsageError as exc:
        record["results"], record["error"] = [], exc.message
    return record
