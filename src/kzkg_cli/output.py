"""What every query command does after asking: write the answer, or say why there is none.

Free of Typer, so the fast path (fast.py) and the Typer commands (cli.py) share it exactly.
Functions return exit codes; they never exit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from kzkg_cli import names
from kzkg_cli.errors import ExitCode, KzkgError, UsageError
from kzkg_cli.query import Answer
from kzkg_cli.render import Column, Format, Row, View, ascii_only, choose_format, plain_cell, write


def report(exc: KzkgError) -> int:
    """One line on stderr (and a hint line), and the error's exit code."""
    sys.stderr.write(f"kzkg: error: {exc.message}\n")
    if exc.hint:
        sys.stderr.write(f"kzkg: {exc.hint}\n")
    return int(exc.code)


def emit(
    answer: Answer,
    view: View,
    fmt: str | None,
    as_json: bool,
    what: str,
    fields: Fields | None = None,
) -> int:
    """Write the answer; with no rows, `[]` for JSON, a message on stderr, and exit code 1.

    fields, where given, is (the --fields text, the valid names): the rows are cut to those
    keys, in that order, for JSON, JSON Lines, CSV and TSV.
    """
    chosen = choose_format(fmt, as_json)
    rows = answer.rows
    if fields is not None:
        if chosen == Format.table:
            raise UsageError("--fields shapes json, jsonl, csv and tsv; add --json or --format")
        names = field_list(*fields)
        rows = [{name: row.get(name) for name in names} for row in rows]
        view = View(view.title, [Column(name, _field_cell(name)) for name in names])
    if rows or chosen != Format.table:
        write(rows, view, chosen)
    if answer.rows:
        return int(ExitCode.OK)
    sys.stderr.write(f"kzkg: no results for {what}\n")
    if answer.hint:
        sys.stderr.write(f"kzkg: {answer.hint}\n")
    return int(ExitCode.NO_RESULTS)


Fields = tuple[str, Sequence[str]]
"""What --fields asked for, and the field names the command's records have."""


def field_list(asked: str, valid: Sequence[str]) -> list[str]:
    """The names --fields asked for, in order; a usage error for an unknown one."""
    names = list(dict.fromkeys(name.strip() for name in asked.split(",") if name.strip()))
    if not names:
        raise UsageError("--fields needs field names, as in --fields id,name")
    for name in names:
        if name not in valid:
            raise UsageError(
                f"unknown field {shorten(name)!r} for --fields; valid: {', '.join(valid)}"
            )
    return names


def _field_cell(name: str) -> Callable[[Row], str]:
    return lambda row: plain_cell(row.get(name))


def check_query(value: str | None, what: str = "query") -> str | None:
    """A query with something to match, or a usage error saying it has nothing."""
    if value is not None and not names.keys(value):
        raise UsageError(f"the {what} {value.strip()[:40]!r} has no words to match")
    return value


def describe(*parts: tuple[str, object]) -> str:
    """The query in words for "no results for ...": 'Путин' --year 2024."""
    shown = [
        f"{name} {value!s}" if name else repr(shorten(value)) for name, value in parts if value
    ]
    return " ".join(shown) or "this query"


def shorten(value: object, limit: int = 60) -> object:
    """A long query cut for a message: its start and how long it was."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}… ({len(value):,} characters)"
    return value


def batch(answer_for: Callable[[str], Answer]) -> int:
    """Answer every stdin line as one JSON line: {"query", "results"} (and "error")."""
    out = sys.stdout
    ascii = ascii_only()
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        record: dict[str, Any] = {"query": text}
        try:
            check_query(text)
            record["results"] = answer_for(text).rows
        except UsageError as exc:
            record["results"], record["error"] = [], exc.message
        out.write(json.dumps(record, ensure_ascii=ascii) + "\n")
    out.flush()
    return int(ExitCode.OK)
