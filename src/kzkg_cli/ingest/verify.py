"""Provenance: every quote must be verbatim text of its article, and every article cited.

Also the English layer: every Russian text should have its curated English beside it. A gap is
a warning, not a problem, so a new record can be checked before it is translated; `kzkg verify
--strict` (what CI runs) counts them as problems. Rows are checked as they stream past, so a
large fact base is never held whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from kzkg_cli.core.errors import Problem
from kzkg_cli.core.rows import Row
from kzkg_cli.core.text import shown, squash

if TYPE_CHECKING:  # neither the model nor pathlib is loaded to verify a cached index
    from kzkg_cli.core.fields import English, QuotedFields
    from kzkg_cli.ingest.articles import Articles
    from kzkg_cli.ingest.positions import Positions
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
        self.vocabulary: list[Problem] = []
        """Values of an open vocabulary seen nowhere else, close to one seen elsewhere."""
        self.late: list[Problem] = []
        """Dates later than every article their record cites."""
        self.details: dict[Problem, list[str]] = {}
        """Lines that show a problem (a misquote's passage and quote), to print under it."""


class _Cited(NamedTuple):
    """Where a quote is: its record, the value path, and the text."""

    row_id: str
    where: str
    path: str
    quote: str


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
    from kzkg_cli.ingest.articles import Articles

    english, quoted = model
    articles = Articles(seeds_dir)
    facts = os.fspath(facts_path)
    cited: set[str] = set()
    missing: dict[str, list[_Cited]] = {}
    context = support.Context(quoted)
    vocabulary = _Vocabulary()
    article_dates: dict[str, str] = {}
    if offices is None and isinstance(rows, list):
        offices = [row for row in rows if row["type"] == "office"]
    for office in offices or ():
        context.learn(office)
    for row in rows:
        report.records += 1
        where = f"{row['type']} {row['id']!r}"
        context.learn(row)
        vocabulary.learn(row, where)
        for found, lacks in (
            (report.unsupported, support.gaps(row, context, *quoted[row["type"]])),
            (report.wordings, support.title_outside_offices(row, context)),
        ):
            for lack in lacks:
                line = lines.of(row["id"], lack.field)
                at = f"{where} {lack.field}"
                found.append(Problem(facts, lack.message, line, at))
        for path, doc, quote in _quotes(row):
            report.quotes += 1
            cited.add(doc)
            if doc in articles.unreadable:
                continue
            text = articles.texts.get(doc)
            if text is None:
                missing.setdefault(doc, []).append(_Cited(row["id"], where, path, quote))
                continue
            if squash(quote) in text:
                continue
            line = lines.of(row["id"], path, quote)
            message, detail = _misquoted(doc, quote, text, articles.texts)
            problem = Problem(facts, message, line, f"{where} {path}")
            report.problems.append(problem)
            report.details[problem] = detail
        if row["type"] == "source":
            dated = articles.dates.get(row["id"]) or row.get("date")  # its own line first
            if dated:
                article_dates[row["id"]] = dated
            wrong = _source_date(row, articles.dates)
            if wrong:
                line = lines.of(row["id"], "date")
                report.problems.append(Problem(facts, wrong, line, f"{where} date"))
        for path, message in _late_dates(row, article_dates):
            line = lines.of(row["id"], path)
            report.late.append(Problem(facts, message, line, f"{where} {path}"))
        gap = _english_gap(row, *english[row["type"]])
        if gap:
            line = lines.of(row["id"], "id")
            report.warnings.append(Problem(facts, gap, line, where))
    for doc, citing in missing.items():
        first = citing[0]
        line = lines.of(first.row_id, first.path, first.quote)
        message = _missing_article(doc, len(citing), articles)
        report.problems.append(Problem(facts, message, line, f"{first.where} {first.path}"))
    report.problems += [Problem(u.path, u.message) for u in articles.unreadable.values()]
    for usual in vocabulary.unusual():
        line = lines.of(usual.row_id, usual.path)
        report.vocabulary.append(Problem(facts, usual.message, line, f"{usual.where} {usual.path}"))
    report.seeds = len(articles.texts)
    for stem in sorted(set(articles.texts) - cited):
        article = os.path.join(seeds_dir, f"{stem}.txt")
        uncited = Problem(article, "article is not cited by any fact")
        report.problems.append(uncited)
    return report


def _quotes(row: Row) -> list[tuple[str, str, str]]:
    """(path, article, text) of every quote a row makes, the path as the fact file names it
    (a conflict's are its readings'); a source's headline and lead are quotes of its own
    article."""
    found = []
    if row["type"] == "conflict":
        for number, reading in enumerate(row.get("readings") or ()):
            for count, ref in enumerate(reading.get("sources") or ()):
                path = f"readings[{number}].sources[{count}].quote"
                found.append((path, ref["doc"], ref["quote"]))
        if len(found) == len(row.get("sources") or ()):
            return found
        found = []
    for count, ref in enumerate(row.get("sources") or ()):
        found.append((f"sources[{count}].quote", ref["doc"], ref["quote"]))
    for number, role in enumerate(row.get("roles") or ()):
        for count, ref in enumerate(role.get("sources") or ()):
            found.append((f"roles[{number}].sources[{count}].quote", ref["doc"], ref["quote"]))
    if row["type"] == "source":
        found += [(key, row["id"], row[key]) for key in ("headline", "lead") if row.get(key)]
    return found


def _misquoted(doc: str, quote: str, text: str, texts: dict[str, str]) -> tuple[str, list[str]]:
    """The message for a quote not in its article, and the lines that show the nearest
    passage and the quote with their differences marked."""
    from kzkg_cli.ingest.articles import misquote

    message = f"quote not found verbatim in {doc}.txt"
    squashed = squash(quote)
    elsewhere = [stem for stem, other in texts.items() if stem != doc and squashed in other]
    if elsewhere:
        return f"{message}; it is in {elsewhere[0]}.txt: cite that article as doc", []
    near = misquote(quote, text)
    if near is None:
        return f"{message}: nothing in the article is close to {shown(quote, 80)}", []
    return f"{message}; {near.summary}", [f"article: {near.article}", f"quote:   {near.quote}"]


def _missing_article(doc: str, count: int, articles: Articles) -> str:
    """One message for an article that is not in the seeds folder, however many cite it."""
    times = "1 quote cites it" if count == 1 else f"{count} quotes cite it, the first here"
    found = articles.near_names(doc)
    named = f"; found {', '.join(found)}" if found else ""
    from kzkg_cli.ingest.articles import NAMING

    return f"article {doc}.txt not found in {articles.folder} ({times}){named}; {NAMING}"


# ----------------------------------------------------------------------------- dates


def _source_date(row: Row, headers: dict[str, str]) -> str | None:
    """What is wrong with a source's date, said against its article's own date line."""
    date, line = row.get("date"), headers.get(row["id"])
    if not date or not line or _same(date, line):
        return None
    swapped = " (day and month swapped?)" if _swapped(date, line) else ""
    message = f"date {date!r} contradicts the article's date line 'date {line}'{swapped}"
    return f"{message}; write date = {line!r}"


def _late_dates(row: Row, known: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(path, message) for a record's date, or a role's, that is later than the date of every
    article it cites (known: the sources' dates; the sources come first) and that its own
    quotes do not state (a date the text states is the article's word: the support check
    passes it). A planned or announced event may lie ahead."""
    from kzkg_cli.ingest.support import Evidence

    if row.get("status") in ("planned", "announced"):
        return
    parts = [("", row)] + [(f"roles[{n}].", role) for n, role in enumerate(row.get("roles") or ())]
    for prefix, values in parts:
        date, refs = values.get("date"), values.get("sources") or ()
        dated = [known[doc] for doc in dict.fromkeys(ref["doc"] for ref in refs) if doc in known]
        start = str(date or "").split("/")[0]
        if not start or not dated or not all(_later(start, article) for article in dated):
            continue
        if Evidence([ref["quote"] for ref in refs]).has_date(start):
            continue
        cites = "its article's date" if len(dated) == 1 else "the date of every article it cites"
        message = f"date {date!r} is later than {cites} ({max(dated)})"
        yield f"{prefix}date", f"{message}: an article cannot attest what came after it"


def _cut(a: str, b: str) -> tuple[str, str]:
    """Two partial dates at the precision both have ("2025-11-13", "2025-11" -> month)."""
    size = min(len(a), len(b))
    return a[:size], b[:size]


def _same(a: str, b: str) -> bool:
    x, y = _cut(a, b)
    return x == y


def _later(a: str, b: str) -> bool:
    x, y = _cut(a, b)
    return x > y


def _swapped(a: str, b: str) -> bool:
    """Whether a full date is b with its day and month swapped."""
    return len(a) == len(b) == 10 and a[:4] == b[:4] and a[5:7] == b[8:] and a[8:] == b[5:7]


# ----------------------------------------------------------------------------- vocabularies

OPEN_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "trade": ("indicator", "count_unit"),
    "statement": ("topics",),
    "conflict": ("field",),
}
"""The free text fields whose values are a curated vocabulary (core.model says so in each
field's docstring): a value seen nowhere else in the file that is close to one seen elsewhere
is most likely a typo of it."""
_CLOSE = 0.8
"""How alike (difflib's ratio, 0-1: twice the characters in common over both lengths) a value
must be to another to be taken for its typo. (difflib, not rapidfuzz: a plain `kzkg verify`
would otherwise load rapidfuzz for a few short words, a tenth of its run.)"""


class _Usual(NamedTuple):
    row_id: str
    where: str
    path: str
    message: str


class _Vocabulary:
    """The values of each open vocabulary, learnt as rows pass."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], dict[str, list[tuple[str, str, str]]]] = {}

    def learn(self, row: Row, where: str) -> None:
        for field in OPEN_VOCABULARIES.get(row["type"], ()):
            value = row.get(field)
            values = value if isinstance(value, list) else [value]
            for number, item in enumerate(values):
                if isinstance(item, str):
                    path = f"{field}[{number}]" if isinstance(value, list) else field
                    found = self.seen.setdefault((row["type"], field), {})
                    found.setdefault(item, []).append((row["id"], where, path))

    def unusual(self) -> Iterator[_Usual]:
        """Each value seen once, with the value seen elsewhere it most likely misspells."""
        import difflib

        for (_, field), values in self.seen.items():
            for value, places in values.items():
                if len(places) != 1:
                    continue
                others = [other for other in values if other != value]
                close = difflib.get_close_matches(value, others, n=1, cutoff=_CLOSE)
                if not close:
                    continue
                row_id, where, path = places[0]
                message = f"{field} {value!r} appears nowhere else; did you mean {close[0]!r}?"
                yield _Usual(row_id, where, path, message)


def _needs_english(russian: object) -> bool:
    """Whether a text needs its English: it has Cyrillic letters (a Latin name such as the
    outlet BAQ.KZ reads the same in English)."""
    if isinstance(russian, list):
        russian = "\n".join(map(str, russian))
    return isinstance(russian, str) and _CYRILLIC.search(russian) is not None


def _english_gap(row: Row, own: dict[str, str], nested: dict[str, dict[str, str]]) -> str | None:
    """What a record lacks in English, or holds in Cyrillic where English belongs, named as the
    fact file names the fields (title_en, roles[1].title_en); None when it is complete. Only
    a text with Cyrillic letters needs its English (see _needs_english)."""
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
            if not text and _needs_english(values.get(russian)):
                missing.append(prefix + english)
            elif text and _CYRILLIC.search(text):
                cyrillic.append(prefix + english)
    found = [f"no English text for {', '.join(missing)}"] if missing else []
    found += [f"Cyrillic letters in {', '.join(cyrillic)}"] if cyrillic else []
    return "; ".join(found) or None


class _Lines:
    """Where values sit in the fact file, worked out only once a message needs a line, from
    the same content the rows were read from (a pipe, read once already, has none to give)."""

    def __init__(self, path: FilePath, content: str | None) -> None:
        self.path = path
        self.content = content
        self._positions: Positions | None = None

    def of(self, record_id: str, path: str = "", value: object = None) -> int | None:
        """The line of a value of a record (see positions.Positions.line): the quote itself,
        the field, or the record's id line for a field the file leaves out."""
        positions = self._scanned()
        if not path or path == "id":
            return positions.line(record_id, "id")
        return positions.line(record_id, path, value)

    def _scanned(self) -> Positions:
        from kzkg_cli.ingest.positions import Positions, ScanError, scan

        if self._positions is None:
            try:
                self._positions = scan("".join(self._read()))
            except ScanError:
                self._positions = Positions()
        return self._positions

    def _read(self) -> list[str]:
        from kzkg_cli.ingest.read import FactFile, FactFileChanged

        if not os.path.isfile(self.path):
            return []
        with FactFile(self.path) as facts:
            data = facts.read()
            if self.content and facts.finish() != self.content:
                raise FactFileChanged([Problem(facts.name, "changed while kzkg was verifying it")])
        return data.decode("utf-8", "replace").splitlines(keepends=True)
