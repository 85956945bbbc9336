"""What every command does after asking: write the answer, or say why there is none.

Functions return exit codes; they never exit. Shared by the fast path and the Typer app, which
both run the same command bodies (cli.commands).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from kzkg_cli.core import names
from kzkg_cli.core.errors import ExitCode, KzkgError, UsageError
from kzkg_cli.core.rows import Row, Stream
from kzkg_cli.core.runtime import collector_paused
from kzkg_cli.core.text import is_broken, one_line, shorten, shown, unbroken
from kzkg_cli.present.columns import Column, View
from kzkg_cli.present.formats import Format, choose_format, json_encoder, plain_cell
from kzkg_cli.present.formats import write as write_rows
from kzkg_cli.search.query import Answer


def report(exc: KzkgError) -> int:
    """One line on stderr (and a hint line), and the error's exit code."""
    sys.stderr.write(f"kzkg: error: {one_line(exc.message)}\n")
    if exc.hint:
        sys.stderr.write(f"kzkg: {one_line(exc.hint)}\n")
    return int(exc.code)


class Fields(NamedTuple):
    """What --fields asked for, and the keys the command's rows can have."""

    asked: str
    valid: Sequence[str]


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

    fields, where given, cuts the rows to those keys, in that order, for JSON, JSON Lines,
    CSV and TSV.
    """
    chosen = choose_format(fmt, as_json)
    source, hint = (answer, None) if isinstance(answer, Stream) else answer
    rows: Iterable[Row] = source
    if fields is not None:
        if chosen == Format.table:
            raise UsageError("--fields shapes json, jsonl, csv and tsv; add --json or --format")
        keys = field_list(fields)
        rows = Stream(lambda: ({key: row.get(key) for key in keys} for row in source))
        view = View(view.title, [Column(key, _field_cell(key)) for key in keys])
    if chosen == Format.table:
        rows = list(rows)
        if not rows:
            return no_results(what, hint)
    if chosen == Format.json:  # its indenting encoder leaves cycles only the collector frees
        written = write_rows(rows, view, chosen)
    else:
        with collector_paused():  # a Stream may be every row of a large fact base
            written = write_rows(rows, view, chosen)
    return int(ExitCode.OK) if written else no_results(what, hint)


def no_results(what: str, hint: str | None) -> int:
    """Say on stderr that nothing matched (and what might), and return exit code 1."""
    sys.stderr.write(f"kzkg: no results for {one_line(what)}\n")
    if hint:
        sys.stderr.write(f"kzkg: {one_line(hint)}\n")
    return int(ExitCode.NO_RESULTS)


def field_list(fields: Fields) -> list[str]:
    """The names --fields asked for, in order; a usage error for an unknown one."""
    keys = list(dict.fromkeys(name.strip() for name in fields.asked.split(",") if name.strip()))
    if not keys:
        raise UsageError("--fields needs field names, as in --fields id,name")
    for key in keys:
        if key not in fields.valid:
            raise UsageError(
                f"unknown field {shown(key)} for --fields; valid: {', '.join(fields.valid)}"
            )
    return keys


def _field_cell(name: str) -> Callable[[Row], str]:
    return lambda row: plain_cell(row.get(name))


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


def batch(answer_for: Callable[[str], Answer]) -> int:
    """Answer every stdin line as one JSON line: {"query", "results"} (and "hint" or
    "error")."""
    out = sys.stdout
    encode = json_encoder(out)
    memo: dict[str, str] = {}
    for line in _stdin_lines():
        text = line.strip()
        if not text:
            continue
        answered = memo.get(text)
        if answered is None:
            answered = encode(_batch_record(text, answer_for)) + "\n"
            if len(memo) >= MEMO:
                memo.clear()
            memo[text] = answered
        out.write(answered)
    out.flush()
    return int(ExitCode.OK)


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
