"""Provenance: every quote must be verbatim text of its article, and every article cited.

Also the English layer: every Russian text should have its curated English beside it. A gap is
a warning, not a problem, so a new record can be checked before it is translated; `kzkg verify
--strict` (what CI runs) counts them as problems. Rows are checked as they stream past, so a
large fact base is never held whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kzkg_cli.core.errors import Problem
from kzkg_cli.core.rows import Row, citations
from kzkg_cli.core.text import shown, squash

if TYPE_CHECKING:  # neither the model nor pathlib is loaded to verify a cached index
    from kzkg_cli.core.fields import English, QuotedFields
    from kzkg_cli.ingest.read import FilePath

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class VerifyReport:
    """What `kzkg verify` found: counts, every problem and every English warning.

    (A plain class: dataclasses would cost `kzkg verify` a fifth of its start-up.)"""

    def __init__(self) -> None:
        self.records = 0
        self.quotes = 0
        self.seeds = 0
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        """Records lacking English text."""
        self.unsupported: list[Problem] = []
        """Values not found in their record's quotes (the support check)."""
        self.wordings: list[Problem] = []
        """Role titles none of their offices' wordings match."""


def read_seeds(seeds_dir: FilePath) -> dict[str, str]:
    """Article texts by file stem, whitespace squashed; unreadable files are skipped here."""
    texts: dict[str, str] = {}
    for name in sorted(n for n in os.listdir(seeds_dir) if n.endswith(".txt")):
        try:
            with open(os.path.join(seeds_dir, name), encoding="utf-8") as article:
                texts[name.removesuffix(".txt")] = squash(article.read())
        except (OSError, UnicodeDecodeError):
            continue
    return texts


def verify(
    rows: Iterable[Row],
    seeds_dir: FilePath,
    facts_path: FilePath,
    model: tuple[English, QuotedFields],
    content: str | None = None,
    offices: Iterable[Row] | None = None,
) -> VerifyReport:
    """Check every quote (and each source's headline and lead) against seeds_dir, every value
    against its record's quotes (the support check), and every record's English text (model:
    the English field pairs and the quoted fields, see core.fields); rows are the fact file's,
    validated, in file order, and content the digest of the text they were read from (the
    file is read again for line numbers: FactFileChanged if it is no longer that text).
    Role titles are checked against the offices' wordings: the offices are read first (from
    offices, or from rows when they are a list), as the people come before them."""
    report = VerifyReport()
    lines = _Lines(facts_path, content)
    if not os.path.isdir(seeds_dir):
        report.records = sum(1 for _ in rows)
        report.problems.append(Problem(os.fspath(seeds_dir), "seeds directory not found"))
        return report
    from kzkg_cli.ingest import support

    english, quoted = model
    texts = read_seeds(seeds_dir)
    cited: set[str] = set()
    context = support.Context()
    if offices is None and isinstance(rows, list):
        offices = [row for row in rows if row["type"] == "office"]
    for office in offices or ():
        context.learn(office)
    for row in rows:
        report.records += 1
        where = f"{row['type']} {row['id']!r}"
        context.learn(row)
        for found, lacks in (
            (report.unsupported, support.gaps(row, context, *quoted[row["type"]])),
            (report.wordings, support.title_outside_offices(row, context)),
        ):
            for lack in lacks:
                line = lines.of_field(row["id"], lack.field)
                at = f"{where} {lack.field}"
                found.append(Problem(os.fspath(facts_path), lack.message, line, at))
        for doc, quote in _quotes(row):
            report.quotes += 1
            cited.add(doc)
            wrong = _check_quote(doc, quote, texts)
            if wrong:
                line = lines.of_quote(quote)
                report.problems.append(Problem(os.fspath(facts_path), wrong, line, where))
        gap = _english_gap(row, *english[row["type"]])
        if gap:
            line = lines.of_id(row["id"])
            report.warnings.append(Problem(os.fspath(facts_path), gap, line, where))
    report.seeds = len(texts)
    for stem in sorted(set(texts) - cited):
        article = os.path.join(seeds_dir, f"{stem}.txt")
        uncited = Problem(article, "article is not cited by any fact")
        report.problems.append(uncited)
    return report


def _quotes(row: Row) -> list[tuple[str, str]]:
    """(article, text) of every quote a row makes; a source's headline and lead are quotes
    of its own article."""
    found = [(citation.doc, citation.quote) for citation in citations(row)]
    if row["type"] == "source":
        found += [(row["id"], row[key]) for key in ("headline", "lead") if row.get(key)]
    return found


def _check_quote(doc: str, quote: str, texts: dict[str, str]) -> str | None:
    text = texts.get(doc)
    if text is None:
        return f"article {doc}.txt not found in the seeds directory"
    if squash(quote) in text:
        return None
    return f"quote not found verbatim in {doc}.txt: {shown(quote, 80)}"


def _english_gap(row: Row, own: dict[str, str], nested: dict[str, dict[str, str]]) -> str | None:
    """What a record lacks in English, or holds in Cyrillic where English belongs, named as the
    fact file names the fields (title_en, roles[1].title_en); None when it is complete."""
    parts: list[tuple[str, dict[str, str], Row]] = [("", own, row)]
    for key, pairs in nested.items():
        parts += [(f"{key}[{i}].", pairs, item) for i, item in enumerate(row.get(key) or ())]
    missing: list[str] = []
    cyrillic: list[str] = []
    for prefix, pairs, values in parts:
        for russian, english in pairs.items():
            text = values.get(english)
            if isinstance(text, list):  # a list of wordings (an office's aliases_en)
                text = "\n".join(text)
            if values.get(russian) and not text:
                missing.append(prefix + english)
            elif text and _CYRILLIC.search(text):
                cyrillic.append(prefix + english)
    found = [f"no English text for {', '.join(missing)}"] if missing else []
    found += [f"Cyrillic letters in {', '.join(cyrillic)}"] if cyrillic else []
    return "; ".join(found) or None


def _is_id_line(line: str, record_id: str) -> bool:
    """Whether the line gives a record its id (`id = "..."`)."""
    key, equals, value = line.partition("=")
    return bool(equals) and key.strip() == "id" and value.strip() == f'"{record_id}"'


class _Lines:
    """The fact file's lines, read only once a message needs one, from the same content the
    rows were read from (a pipe, read once already, has none to give)."""

    def __init__(self, path: FilePath, content: str | None) -> None:
        self.path = path
        self.content = content
        self._lines: list[str] | None = None

    def of_quote(self, quote: str) -> int | None:
        """The first line holding the start of a quote."""
        head = quote[:40]
        return self._find(lambda line: bool(head) and head in line)

    def of_id(self, record_id: str) -> int | None:
        """The line that gives a record its id."""
        return self._find(lambda line: _is_id_line(line, record_id))

    def of_field(self, record_id: str, field: str) -> int | None:
        """The line that sets a field of a record (the record's own key, or the line of the
        part it is in: `roles[1].date` is looked for as the record's second role line), else
        the record's id line."""
        start = self.of_id(record_id)
        if start is None or self._lines is None:
            return start
        key, _, rest = field.partition("[")
        number = int(rest.split("]")[0]) if rest else None
        seen = -1
        for at in range(start, len(self._lines)):
            text = self._lines[at].strip()
            if text.startswith("[["):
                break
            if number is None and text.startswith(f"{key} ="):
                return at + 1
            if number is not None and text.startswith("{") and "title" in text:
                seen += 1
                if seen == number:
                    return at + 1
        return start

    def _find(self, wanted: Callable[[str], bool]) -> int | None:
        """The number of the first line for which wanted is true, or None."""
        if self._lines is None:
            self._lines = self._read()
        return next((n for n, line in enumerate(self._lines, start=1) if wanted(line)), None)

    def _read(self) -> list[str]:
        from kzkg_cli.ingest.read import FactFile, FactFileChanged

        if not os.path.isfile(self.path):
            return []
        with FactFile(self.path) as facts:
            data = facts.read()
            if self.content and facts.finish() != self.content:
                raise FactFileChanged([Problem(facts.name, "changed while kzkg was verifying it")])
        return data.decode("utf-8", "replace").splitlines()
