"""Every sentence of every cited article as a passage: the article, the sentence's number, its
character offsets in the article and the sentence verbatim, so search can always land on the
article's own words.

Sentences are cut by rule, for Russian (and English) news text: a line is a paragraph; within
one, a sentence ends at . ! ? or … (and any closing quote or bracket) before a space and a
capital, a digit, an opening quote or a dash, unless what ends is an initial (К.-Ж., Л.Н.) or
a known abbreviation (г., т.е., млн.). razdel does this too, but its last release is from
2020 and a build must not wait on an import of it: twenty lines of rules cover news prose.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Iterator
from typing import NamedTuple

from kzkg_cli.core.rows import Row

HEADER = re.compile(r"\s*date \d{4}-\d{2}-\d{2}\b")
"""The date line a seed article may open with (read by verify, not a sentence)."""
ABBREVIATIONS = frozenset(
    """г гг т е др им ул пр ст с см стр п пп рис тыс млн млрд трлн руб долл тенге сом
    проф акад обл р-н ок mr mrs dr st vs etc no jan feb mar apr jun jul aug sep sept oct
    nov dec""".split()
)
"""Words an abbreviating full stop follows (lower case): no sentence ends there."""


@functools.cache
def _ends() -> re.Pattern[str]:
    return re.compile(r"[.!?…]+[»\"”’)\]]*(?=\s+[«\"„“(\[–—\-]?\s*[A-ZА-ЯЁ0-9])")


class Passage(NamedTuple):
    """One sentence of an article."""

    n: int
    """Its number in the article, from 1."""
    start: int
    end: int
    """Its character offsets in the article's text (end exclusive)."""
    text: str


def sentences(text: str) -> Iterator[Passage]:
    """The sentences of an article's text, numbered from 1, with their offsets."""
    number = 0
    for start, end in _paragraphs(text):
        for first, last in _cut(text, start, end):
            number += 1
            yield Passage(number, first, last, text[first:last])


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-empty line, the date line left out."""
    header = HEADER.match(text)
    position = header.end() if header else 0
    for line in text[position:].split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped[0])
            yield start, start + len(stripped)
        position += len(line) + 1


def _cut(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of the paragraph text[start:end]."""
    first = start
    for stop in _ends().finditer(text, start, end):
        if text[stop.start()] == "." and _abbreviated(text, first, stop.start()):
            continue
        yield first, stop.end()
        first = stop.end()
        while first < end and text[first].isspace():
            first += 1
    if first < end:
        yield first, end


def _abbreviated(text: str, start: int, dot: int) -> bool:
    """Whether the full stop at dot ends an initial or an abbreviation, not a sentence."""
    word = re.search(r"([^\W\d_]+)$", text[start:dot])
    if word is None:
        return False
    letters = word.group(1)
    return (len(letters) == 1 and letters.isupper()) or letters.lower() in ABBREVIATIONS


def seeds_beside(facts_path: str | os.PathLike[str]) -> str:
    """The seeds folder beside a fact file, which holds the articles it cites."""
    return os.path.join(os.path.dirname(os.fspath(facts_path)), "seeds")


def passage_id(source: str, n: int) -> str:
    """The id of a passage: its article's id, a colon, its number."""
    return f"{source}:{n}"


def article_rows(seeds_dir: str, source: str) -> list[Row]:
    """The passages of one article as rows, or none if its file cannot be read as UTF-8
    (verify reports that)."""
    try:
        with open(os.path.join(seeds_dir, f"{source}.txt"), encoding="utf-8") as article:
            text = article.read()
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    return [
        {
            "id": passage_id(source, p.n),
            "type": "passage",
            "source": source,
            "n": p.n,
            "start": p.start,
            "end": p.end,
            "text": p.text,
            "quoted_by": [],
        }
        for p in sentences(text)
    ]


def mark_quoted(passages: list[Row], quotes: list[tuple[str, str]]) -> list[Row]:
    """The passages of an article, each with the ids of the records whose quotes (record id,
    quote) lie in it, in part or whole, whitespace aside: one search of the article's
    squashed text a quote, not a comparison with every sentence."""
    from kzkg_cli.core.text import squash

    starts, parts, at = [], [], 0
    for passage in passages:
        part = squash(passage["text"])
        starts.append(at)
        parts.append(part)
        at += len(part) + 1
    article = " ".join(parts)
    for record_id, quote in quotes:
        wanted = squash(quote)
        where = article.find(wanted) if wanted else -1
        if where < 0:
            continue  # the date line, or a quote verify reports
        first = bisect.bisect_right(starts, where) - 1
        last = bisect.bisect_right(starts, where + len(wanted) - 1) - 1
        for passage in passages[max(first, 0) : last + 1]:
            if record_id not in passage["quoted_by"]:
                passage["quoted_by"].append(record_id)
    return passages
