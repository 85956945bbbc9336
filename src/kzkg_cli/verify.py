"""Provenance: every quote must be verbatim text of its article, and every article cited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kzkg_cli.errors import Problem
from kzkg_cli.loader import iter_source_refs
from kzkg_cli.model import FactBase, Source

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace-insensitive form used to compare quotes with articles."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What `kzkg verify` found: counts and every problem."""

    records: int
    quotes: int
    seeds: int
    problems: tuple[Problem, ...]


def read_seeds(seeds_dir: Path) -> dict[str, str]:
    """Article texts by file stem, whitespace squashed; unreadable files are skipped here."""
    texts: dict[str, str] = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        try:
            texts[path.stem] = squash(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return texts


def verify_quotes(facts: FactBase, seeds_dir: Path, raw_text: str = "") -> VerifyReport:
    """Check every quote (and each source's headline and lead) against seeds_dir."""
    problems: list[Problem] = []
    if not seeds_dir.is_dir():
        problems.append(Problem(str(seeds_dir), "seeds directory not found"))
        return VerifyReport(len(facts.records), 0, 0, tuple(problems))
    texts = read_seeds(seeds_dir)
    lines = raw_text.splitlines()
    quotes = 0
    cited: set[str] = set()
    for record in facts.records:
        checks = [(ref.doc, ref.quote) for ref in iter_source_refs(record)]
        if isinstance(record, Source):
            checks += [(record.id, text) for text in (record.headline, record.lead) if text]
        for doc, quote in checks:
            quotes += 1
            cited.add(doc)
            problem = _check_quote(doc, quote, texts)
            if problem:
                where = f"{record.kind_name} {record.id!r}"
                problems.append(Problem(facts.path, problem, _line_of(lines, quote), where))
    for stem in sorted(set(texts) - cited):
        problems.append(Problem(str(seeds_dir / f"{stem}.txt"), "article is not cited by any fact"))
    return VerifyReport(len(facts.records), quotes, len(texts), tuple(problems))


def _check_quote(doc: str, quote: str, texts: dict[str, str]) -> str | None:
    text = texts.get(doc)
    if text is None:
        return f"article {doc}.txt not found in the seeds directory"
    if squash(quote) in text:
        return None
    return f"quote not found verbatim in {doc}.txt: {_shorten(quote)!r}"


def _line_of(lines: list[str], quote: str) -> int | None:
    head = quote[:40]
    for number, line in enumerate(lines, start=1):
        if head and head in line:
            return number
    return None


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
