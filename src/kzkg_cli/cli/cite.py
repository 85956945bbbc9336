"""`kzkg cite`: a ready citation of each record or sentence, in plain text, Markdown or JSON.

The body of the command the table (cli.commands) declares. It imports little at the top: the
table is read on every call, and only `kzkg cite` needs the rest.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kzkg_cli.cli import settings
from kzkg_cli.cli.emit import check_text, report
from kzkg_cli.core.errors import ExitCode, UsageError
from kzkg_cli.core.text import one_line, shorten

if TYPE_CHECKING:
    from pathlib import Path

    from kzkg_cli.cli.spec import Globals
    from kzkg_cli.core.rows import Row
    from kzkg_cli.index.store import Store
    from kzkg_cli.present.citation import Citation

CITE_FORMATS = ("text", "markdown", "json", "jsonl")
"""What `kzkg cite` writes: plain text (the default, on a terminal and in a pipe), Markdown,
and CSL-like JSON (an array, or one object a line)."""


def cite(
    top: Globals,
    record_id: tuple[str, ...],
    facts: Path | None,
    fmt: str | None,
    lang: str | None,
    as_json: bool,
    stdin: bool,
) -> int:
    """A citation to paste, for each record (or sentence of an article, ID:N as in 003:12):
    the claim, each verbatim quote with its article (outlet, date, headline) and the id to
    find it again; --lang en adds the curated English beside the Russian."""
    chosen = _format(fmt, as_json)
    if stdin and record_id:
        raise UsageError("give the record ids as arguments or with --stdin, not both")
    if not stdin and not record_id:
        raise UsageError("give a record id (or --stdin)")
    for wanted in record_id:
        _check(wanted)
    english = settings.resolve_lang(lang if lang is not None else top.lang) == "en"
    from kzkg_cli.index.cache import open_store

    path = settings.resolve_facts(facts if facts is not None else top.facts)
    with open_store(path) as store:
        return write(store, _stdin_ids() if stdin else record_id, chosen, english, stdin)


def _format(fmt: str | None, as_json: bool) -> str:
    if as_json and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} ask for two formats; give one")
    return "json" if as_json else fmt or "text"


def _check(wanted: str) -> str:
    """An id as typed, or a usage error: not UTF-8, or nothing but spaces."""
    check_text(wanted, "record id")
    if not wanted.strip():
        raise UsageError("a record id cannot be empty: give one, e.g. kzkg cite igc-13")
    return wanted


def _stdin_ids() -> Iterator[str]:
    """The ids on stdin, one a line, blank lines skipped; bytes that are not UTF-8 kept as
    lone surrogates (as in argv), for _check to refuse that line."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="surrogateescape")
    return (line.strip() for line in sys.stdin if line.strip())


class Outcome:
    """The exit code of a run that carries on past an id it cannot cite: 2 if an id was not
    one (not UTF-8), else 1 if one was not found, else 0."""

    def __init__(self) -> None:
        self.code = ExitCode.OK

    def failed(self, code: ExitCode) -> None:
        self.code = max(self.code, code)


def write(store: Store, ids: Iterable[str], fmt: str, english: bool, streaming: bool) -> int:
    """Write the citation of each id, as each is read (an id that names nothing is one line
    on stderr, and the rest are still cited); the exit code."""
    from kzkg_cli.present import citation, formats

    out = sys.stdout
    outcome = Outcome()
    found = _citations(store, ids, outcome, streaming)
    if fmt == "json":
        formats.write_json((obj for one in found for obj in citation.as_json(one)), out)
    elif fmt == "jsonl":
        encode = formats.json_encoder(out)
        for one in found:
            out.write("".join(encode(obj) + "\n" for obj in citation.as_json(one)))
    else:
        width = _width() if fmt == "text" and formats.is_terminal(out) else None
        for number, one in enumerate(found):
            if fmt == "markdown":
                text = citation.as_markdown(one, english)
            else:
                text = citation.as_text(one, english, width)
            out.write(("\n" if number else "") + text)
    out.flush()
    return int(outcome.code)


def _citations(
    store: Store, ids: Iterable[str], outcome: Outcome, streaming: bool
) -> Iterator[Citation]:
    from kzkg_cli.present.citation import build

    for wanted in ids:
        try:
            row = _row(store, _check(wanted))
        except UsageError as exc:  # a line of stdin: said, and the next line read
            outcome.failed(ExitCode(report(exc)))
            continue
        if row is not None:
            yield build(row, store.get)
            if streaming:  # the citation is out before the next line is waited for
                sys.stdout.flush()
        else:
            outcome.failed(ExitCode.NO_RESULTS)


def _row(store: Store, wanted: str) -> Row | None:
    """The record (or passage) an id names; None, said on stderr in one line with what it
    might be, where there is none."""
    from kzkg_cli.search.query import show

    answer = show(store, wanted)
    if answer.rows:
        return answer.rows[0]
    said = answer.hint or f"no record has the id {shorten(wanted.strip())!r}"
    sys.stderr.write(f"kzkg: {one_line(said)}\n")
    return None


def _width() -> int:
    """The terminal's width ($COLUMNS first, as Rich reads it)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns
