"""Reduce each validated row to an Entry: the row as every query prints it, already encoded,
with the keys it is found by (name stems, word stems, the people it names).

Entries are small, so a large file is turned into entries a chunk at a time and its rows are
let go early. The answer row's derived keys (date precision, a period's first and last day) are
declared once here, for the rows (answer_row) and for the keys `--fields` offers
(answer_keys).
"""

from __future__ import annotations

import functools
import marshal
from collections.abc import Iterable
from typing import NamedTuple

from kzkg_cli.core import dates, names
from kzkg_cli.core.fields import record_spec
from kzkg_cli.core.lang import english_key
from kzkg_cli.core.rows import Row, person_aliases

# How much a word weighs by where it stands: names and titles count more than summaries.
# The word index keeps one bit of it: a posting is position * 2, plus 1 for a headline word.
HEADLINE, BODY = 2.0, 1.0


class Entry(NamedTuple):
    """One record reduced to what the index needs."""

    id: str
    kind: str
    data: bytes
    """The answer row, marshalled (its conflicts are filled in by the build)."""
    headline: tuple[str, ...]
    """Word keys of names and titles."""
    body: tuple[str, ...]
    """Word keys of the rest of its own text."""
    linked: tuple[str, ...]
    """Ids of the people it names (their names find it too) or, for a conflict, of the
    records it concerns."""
    aliases: tuple[tuple[str, str], ...]
    """A person's (alias, canonical form), else empty."""
    name_keys: tuple[str, ...]
    """A person's name stem keys, else empty."""
    alias_words: tuple[str, ...]
    """A person's word keys (for the records that name them), else empty."""


@functools.cache
def _derived(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields of a kind whose answer rows gain a precision (dates) or a first and last
    day (periods)."""
    fields = record_spec(kind).fields
    precise = tuple(f.name for f in fields if f.spec.date == "date")
    periods = tuple(f.name for f in fields if f.spec.date == "period")
    return precise, periods


def answer_row(row: Row) -> Row:
    """A validated row as every query prints it: derived keys added, conflicts left empty."""
    precise, periods = _derived(row["type"])
    for key in precise:
        if row[key]:
            row[f"{key}_precision"] = dates.precision_of(row[key])
    for key in periods:
        if row[key]:
            start, end = dates.period_span(row[key])
            row[f"{key}_start"], row[f"{key}_end"] = start.isoformat(), end.isoformat()
    row["conflicts"] = []
    return row


@functools.cache
def answer_keys(kind: str) -> tuple[str, ...]:
    """Every key an answer row of a kind can have, in the order it has them."""
    precise, periods = _derived(kind)
    own = [field.name for field in record_spec(kind).in_row_order()]
    derived = [f"{key}_precision" for key in precise]
    derived += [f"{key}_{end}" for key in periods for end in ("start", "end")]
    return ("id", "type", *own[1:], *derived, "conflicts")


def to_entry(row: Row, word_keys: WordKeys) -> Entry:
    """A validated row reduced to its Entry (the row itself gains its answer fields)."""
    headline: set[str] = set()
    body: set[str] = set()
    for text, weight in record_texts(row):
        (headline if weight == HEADLINE else body).update(word_keys(text))
    kind = row["type"]
    linked = tuple(row["records"]) if kind == "conflict" else named_people(row)
    aliases: tuple[tuple[str, str], ...] = ()
    name_keys: set[str] = set()
    alias_words: set[str] = set()
    if kind == "person":
        texts = person_aliases(row)
        aliases = tuple((text, names.canonical(text)) for text in texts)
        for text in texts:
            name_keys.update(*names.name_keys(text))
            alias_words.update(word_keys(text))
    data = marshal.dumps(answer_row(row))
    return Entry(
        row["id"],
        kind,
        data,
        tuple(headline),
        tuple(body - headline),
        linked,
        aliases,
        tuple(name_keys),
        tuple(alias_words),
    )


def named_people(row: Row) -> tuple[str, ...]:
    """Ids of the people an event or initiative names, participants first."""
    return (*row.get("participants", ()), *row.get("mentions", ()))


def to_entries(rows: list[Row], word_keys: WordKeys | None = None) -> list[Entry]:
    """Entries of rows in order; rows is emptied as it goes, so each row is let go early."""
    word_keys = word_keys or WordKeys()
    rows.reverse()
    entries: list[Entry] = []
    while rows:
        entries.append(to_entry(rows.pop(), word_keys))
    return entries


class WordKeys:
    """The stem keys of a text's meaningful words, each text and token worked out once.

    Titles, places, organisations and people's names recur across records, so a large fact
    base holds about three texts for every distinct one.
    """

    LIMIT = 20_000
    """Texts remembered at most (distinct tokens are far fewer and all kept)."""

    def __init__(self) -> None:
        self._texts: dict[str, frozenset[str]] = {}
        self._stems: dict[str, frozenset[str]] = {}

    def __call__(self, text: str) -> frozenset[str]:
        found = self._texts.get(text)
        if found is None:
            keys: set[str] = set()
            for token in names.tokens(text):
                stems = self._stems.get(token)
                if stems is None:
                    stems = frozenset() if token in names.STOPWORDS else names.stems(token)
                    self._stems[token] = stems
                keys.update(stems)
            if len(self._texts) >= self.LIMIT:
                self._texts.clear()  # memory stays bounded; the recurring texts come back
            found = self._texts[text] = frozenset(keys)
        return found


def record_texts(row: Row) -> Iterable[tuple[str, float]]:
    """The searchable text of a record, Russian and English, each piece with its weight.

    An event or initiative is also found by the names of the people it names: the build adds
    those, at BODY weight.
    """
    kind = row["type"]
    if kind == "person":
        yield from ((t, HEADLINE) for t in person_aliases(row))
        for role in row["roles"]:
            yield from _texts(role, ("title", "org"), BODY)
    elif kind in ("event", "initiative"):
        yield from _texts(row, ("title", "place"), HEADLINE)
        yield from _texts(row, ("summary",), BODY)
    elif kind == "trade":
        yield from _texts(row, ("title",), HEADLINE)
        yield row["indicator"].replace("_", " "), HEADLINE
    elif kind == "border":
        yield from ((t, HEADLINE) for t in (row["name"], row["name_latin"]))
        yield from _texts(row, ("plan",), BODY)
    elif kind == "agreement":
        yield from _texts(row, ("title",), HEADLINE)
        yield from _texts(row, ("summary",), BODY)
    elif kind == "conflict":
        yield from _texts(row, ("summary",), BODY)
    elif kind == "source":
        yield from _texts(row, ("outlet", "headline"), HEADLINE)
        yield from _texts(row, ("lead",), BODY)
    if row["note"]:
        yield row["note"], BODY


def _texts(row: Row, keys: tuple[str, ...], weight: float) -> Iterable[tuple[str, float]]:
    """The Russian and English of each key that has text (a key such as outlet has no English
    field)."""
    for key in keys:
        for text in (row.get(key), row.get(english_key(key))):
            if text:
                yield text, weight
