"""Build the indexes of a fact base: answer rows, name keys, aliases and the word index.

Each validated row is first reduced to an Entry: the row as printed, already encoded, with the
keys it is found by. Entries are small and plain (marshal can carry them between processes,
see parts), so a large file can be turned into entries in pieces and the rows let go early.
build_index then writes the entries of a whole file, in order, into an empty database.
"""

from __future__ import annotations

import marshal
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable

from kzkg_cli import dates, names
from kzkg_cli.lang import english_key
from kzkg_cli.store import Row, write_store

# How much a word weighs by where it stands: names and titles count more than summaries.
# The word index keeps one bit of it: a posting is position * 2, plus 1 for a headline word.
HEADLINE, BODY = 2.0, 1.0

Tick = Callable[[int], None]

Entry = tuple[
    str,  # 0 id
    str,  # 1 kind
    bytes,  # 2 the answer row, marshalled (its conflicts are filled in by build_index)
    tuple[str, ...],  # 3 word keys of names and titles
    tuple[str, ...],  # 4 word keys of the rest of its own text
    tuple[str, ...],  # 5 ids of the people it names (their names find it too) or, for a
    #                     conflict, of the records it concerns
    tuple[tuple[str, str], ...],  # 6 a person's (alias, canonical form), else empty
    tuple[str, ...],  # 7 a person's name stem keys, else empty
    tuple[str, ...],  # 8 a person's word keys (for the records that name them), else empty
]
"""One record reduced to what the index needs (a plain tuple, so marshal can carry it)."""


def answer_row(row: Row) -> Row:
    """A validated row as every query prints it: date details added, conflicts left empty."""
    for key in ("date", "horizon"):
        if row.get(key):
            row[f"{key}_precision"] = dates.precision_of(row[key])
    if row["type"] == "trade" and row["period"]:
        start, end = dates.period_span(row["period"])
        row["period_start"], row["period_end"] = start.isoformat(), end.isoformat()
    row["conflicts"] = []
    return row


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
    return (
        row["id"],
        kind,
        marshal.dumps(answer_row(row)),
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


def build_index(conn: sqlite3.Connection, key: str, entries: list[Entry], tick: Tick) -> None:
    """Write the entries of a whole fact file, in order, into an empty database."""
    person_words = {e[0]: e[8] for e in entries if e[1] == "person"}
    conflicts: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if entry[1] == "conflict":
            for record_id in entry[5]:
                conflicts[record_id].append(entry[0])
    name_rows: list[tuple[str, int]] = []
    alias_rows: list[tuple[int, str, str]] = []
    words: defaultdict[str, array[int]] = defaultdict(lambda: array("i"))

    def records() -> Iterable[tuple[str, str, bytes]]:
        for pos, entry in enumerate(entries):
            record_id, kind, data, headline, body, linked, aliases, name_keys, _ = entry
            if kind == "person":
                name_rows.extend((k, pos) for k in name_keys)
                alias_rows.extend((pos, text, canonical) for text, canonical in aliases)
            elif kind != "conflict" and linked:
                extra = {w for person in linked for w in person_words.get(person, ())}
                body = tuple(extra.union(body).difference(headline))
            for word in headline:
                words[word].append(pos * 2 + 1)
            for word in body:
                words[word].append(pos * 2)
            if record_id in conflicts:
                row = marshal.loads(data)
                row["conflicts"] = conflicts[record_id]
                data = marshal.dumps(row)
            yield record_id, kind, data
            tick(pos + 1)

    write_store(conn, records(), name_rows, alias_rows, words, {"identity": key})


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


def person_aliases(person: Row) -> list[str]:
    """Every way a person is written: the name, the Latin name, then the aliases."""
    return [person["name"], person["name_latin"], *person.get("aliases", [])]


def record_texts(row: Row) -> Iterable[tuple[str, float]]:
    """The searchable text of a record, Russian and English, each piece with its weight.

    An event or initiative is also found by the names of the people it names: build_index
    adds those, at BODY weight.
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
