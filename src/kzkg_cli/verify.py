"""Provenance: every quote must be verbatim text of its article, and every article cited.

Also the English layer: every Russian text should have its curated English beside it. A gap is
a warning, not a problem, so a new record can be checked before it is translated; `kzkg verify
--strict` (what CI runs) counts them as problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kzkg_cli.errors import Problem
from kzkg_cli.loader import iter_source_refs
from kzkg_cli.model import FactBase, Record, Source, english_pairs

_SPACE = re.compile(r"\s+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


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


def english_gaps(facts: FactBase, raw_text: str = "") -> list[Problem]:
    """One warning for each record with Russian text that has no English beside it, or
    English that holds Cyrillic letters (Russian pasted into the wrong field)."""
    lines = raw_text.splitlines()
    warnings: list[Problem] = []
    for record in facts.records:
        missing, cyrillic = _english_of(record)
        found = [f"no English text for {', '.join(missing)}"] if missing else []
        found += [f"Cyrillic letters in {', '.join(cyrillic)}"] if cyrillic else []
        if found:
            line = _id_line(lines, record.id)
            where = f"{record.kind_name} {record.id!r}"
            warnings.append(Problem(facts.path, "; ".join(found), line, where))
    return warnings


def _english_of(record: Record) -> tuple[list[str], list[str]]:
    """The English fields of a record (and of its roles) that are missing, and those that
    hold Cyrillic, named as the fact file names them: title_en, roles[1].title_en."""
    parts: list[tuple[str, object]] = [("", record)]
    parts += [(f"roles[{i}].", role) for i, role in enumerate(getattr(record, "roles", ()))]
    missing: list[str] = []
    cyrillic: list[str] = []
    for prefix, part in parts:
        for russian, english in english_pairs(type(part)).items():
            text = getattr(part, english)
            if getattr(part, russian) and not text:
                missing.append(prefix + english)
            elif text and _CYRILLIC.search(text):
                cyrillic.append(prefix + english)
    return missing, cyrillic


def _id_line(lines: list[str], record_id: str) -> int | None:
    """The line that gives a record its id (`id = "..."`), or None if it is written otherwise."""
    wanted = f'"{record_id}"'
    for number, line in enumerate(lines, start=1):
        key, equals, value = line.partition("=")
        if equals and key.strip() == "id" and value.strip() == wanted:
            return number
    return None
