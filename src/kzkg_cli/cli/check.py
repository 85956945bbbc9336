"""What `kzkg verify` prints: every problem (or `ok:` and the counts), then the warnings; with
--json, one object: {"ok", "facts", "problems", "warnings"} and, when ok, the counts
("records", "quotes", "seeds")."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from kzkg_cli.core.errors import ExitCode, FactFileError, Problem
from kzkg_cli.core.runtime import collector_paused
from kzkg_cli.core.text import one_line, unbroken
from kzkg_cli.index.cache import open_store
from kzkg_cli.ingest.read import read_again
from kzkg_cli.ingest.verify import VerifyReport, verify
from kzkg_cli.present.formats import write_object

if TYPE_CHECKING:
    from kzkg_cli.ingest.read import FilePath


def verify_fact_file(path: FilePath, seeds: FilePath, strict: bool, as_json: bool) -> int:
    """Validate the fact file (through the index, which validates what it builds), check every
    quote and every English text, print the verdict and return the exit code."""
    facts = os.fspath(path)
    try:
        report = _verified(path, seeds)
    except FactFileError as exc:
        return _problems(facts, [_line(p, {}, as_json) for p in exc.problems], [], as_json)
    found = report.unsupported + report.late + report.wordings + report.vocabulary
    found += report.warnings
    gaps = [_line(p, report.details, as_json) for p in found]
    problems = [_line(p, report.details, as_json) for p in report.problems]
    problems += gaps if strict else []
    warnings = [] if strict else gaps
    if problems:
        return _problems(facts, problems, warnings, as_json)
    if as_json:
        summary = {"records": report.records, "quotes": report.quotes, "seeds": report.seeds}
        payload = {"ok": True, "facts": _shown(facts, as_json), **summary}
        payload |= {"problems": [], "warnings": warnings}
        write_object(payload, sys.stdout)
        return int(ExitCode.OK)
    sys.stdout.write("".join(f"warning: {w}\n" for w in warnings))
    sys.stdout.write(
        f"ok: {_shown(facts, as_json)}: {report.records} records, {report.quotes} quotes "
        f"verified against {report.seeds} articles; {_counted(report)}\n"
    )
    return int(ExitCode.OK)


def _counted(report: VerifyReport) -> str:
    """The warnings in words: values not found in their quotes, then English gaps."""
    unsupported, lack = len(report.unsupported), len(report.warnings)
    support = "every value found in its quotes"
    if unsupported:
        support = f"{_plural(unsupported, 'value')} not found in the quotes"
    if report.wordings:
        support += f"; {_plural(len(report.wordings), 'title')} outside its offices' wordings"
    if report.late:
        support += f"; {_plural(len(report.late), 'date')} later than its articles"
    if report.vocabulary:
        support += f"; {_plural(len(report.vocabulary), 'value')} seen nowhere else"
    english = "English text complete"
    if lack:
        english = f"{lack} record{' lacks' if lack == 1 else 's lack'} English text"
    return f"{support}; {english}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _verified(path: FilePath, seeds: FilePath) -> VerifyReport:
    """The report on the fact file as it is: if it changes while being verified, it is
    verified again (once)."""

    def attempt() -> VerifyReport:
        with open_store(path) as store, collector_paused():
            content = store.meta("content")
            model = store.english(), store.quoted()
            offices = list(store.rows("office"))
            return verify(store.rows(), seeds, path, model, content, offices)

    return read_again(attempt, 2)


def _line(problem: Problem, details: dict[Problem, list[str]], as_json: bool) -> str:
    """A problem as verify reports it, with the lines that show it (a misquote's passage and
    quote): indented under it for a person, joined to it in JSON (each problem stays one
    string). Its keys, ids, file names and paths come from the fact file and the command line:
    neutralised for a person, and for JSON only made writable as UTF-8 (JSON escapes the rest
    itself, and json_encoder escapes more on a terminal)."""
    shown = [str(problem), *details.get(problem, ())]
    if as_json:
        return unbroken(" | ".join(shown))
    return "\n    ".join(one_line(part) for part in shown)


def _shown(text: str, as_json: bool) -> str:
    """A path as a message shows it (see _line)."""
    return unbroken(text) if as_json else one_line(text)


def _problems(facts: str, problems: list[str], warnings: list[str], as_json: bool) -> int:
    if as_json:
        payload = {"ok": False, "facts": _shown(facts, True), "problems": problems}
        write_object(payload | {"warnings": warnings}, sys.stdout)
    else:
        sys.stdout.write("".join(p + "\n" for p in problems))
        sys.stdout.write("".join(f"warning: {w}\n" for w in warnings))
    count = f"{len(problems)} problem(s) found"
    sys.stderr.write(f"kzkg: error: {one_line(facts)}: {count}\n")
    return int(ExitCode.FACT_FILE)
