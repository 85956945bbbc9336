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

from kzkg_cli.core import dates, names, numbers
from kzkg_cli.core.fields import record_spec
from kzkg_cli.core.lang import english_key
from kzkg_cli.core.rows import Row, citations, person_aliases


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
    quoted: tuple[str, ...]
    """Word keys found only in its quotes (the articles' words, which may be about other
    records too: a list of checkpoints in one sentence)."""
    linked: tuple[str, ...]
    """Ids of the people it names (their names find it too) or, for a conflict, of the
    records it concerns."""
    aliases: tuple[tuple[str, str], ...]
    """A person's (alias, canonical form), else empty."""
    name_keys: tuple[str, ...]
    """A person's name stem keys, else empty."""
    alias_words: tuple[str, ...]
    """A person's word keys (for the records that name them), else empty."""
    points: tuple[tuple[str, str], ...]
    """(key, id) for each record that lists this one under key: an event lists its parts,
    documents and statements, a record the conflicts about it (see BACK_KEYS)."""
    quotes: tuple[tuple[str, str], ...]
    """(article, quote) of each quote the record makes: the build marks the passages they
    come from as quoted by it (index.passages.mark_quoted)."""


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
            row[f"{key}_precision"] = _coarser(row[key])
            row[f"{key}_start"], row[f"{key}_end"] = start.isoformat(), end.isoformat()
    kind = row["type"]
    if kind == "person":
        row["kind"] = person_kind(row)
    for key in _DERIVED_KEYS.get(kind, ()):
        row.setdefault(key, [])
    row["conflicts"] = []
    return row


def _coarser(period: str) -> str:
    """The precision of a period: of its date, or the coarser of an interval's two ends."""
    levels = ("year", "month", "day")
    return min((dates.precision_of(end) for end in period.split("/")), key=levels.index)


def person_kind(person: Row) -> str:
    """ "official" for a person with an office among their roles, else "figure" (a writer, a
    poet, a namesake: described, never an office-holder)."""
    return "official" if any(role.get("office") for role in person["roles"]) else "figure"


_DERIVED_KEYS = {
    "person": ("kind",),
    "office": ("holders",),
    "event": ("parts", "documents", "statements"),
}
"""Keys an answer row of a kind gains beyond its fields and their date keys (all but a
person's kind are lists the build fills from the records that point back: BACK_KEYS)."""

BACK_KEYS = {"event": "parts", "agreement": "documents", "statement": "statements"}
"""The key under which the event a record names (by ``part_of`` or ``event``) lists it."""


def pointers(row: Row) -> tuple[tuple[str, str], ...]:
    """(key, id) of each record that lists this row under key (see Entry.points)."""
    kind = row["type"]
    if kind == "conflict":
        return tuple(("conflicts", record_id) for record_id in row["records"])
    if kind == "person":  # an office lists its holders
        held = dict.fromkeys(o for role in row["roles"] for o in role.get("office") or ())
        return tuple(("holders", office) for office in held)
    parent = row.get("part_of") if kind == "event" else row.get("event")
    back = BACK_KEYS.get(kind)
    return ((back, parent),) if back and parent else ()


@functools.cache
def answer_keys(kind: str) -> tuple[str, ...]:
    """Every key an answer row of a kind can have, in the order it has them."""
    precise, periods = _derived(kind)
    own = [field.name for field in record_spec(kind).in_row_order()]
    derived = [f"{key}_precision" for key in precise]
    derived += [f"{key}_{end}" for key in periods for end in ("precision", "start", "end")]
    derived += _DERIVED_KEYS.get(kind, ())
    return ("id", "type", *own[1:], *derived, "conflicts")


def to_entry(row: Row, word_keys: WordKeys) -> Entry:
    """A validated row reduced to its Entry (the row itself gains its answer fields)."""
    kind = row["type"]
    head_texts, body_texts = record_texts(row)
    aliases: list[tuple[str, str]] = []
    name_keys: set[str] = set()
    alias_words: frozenset[str] = frozenset()
    if kind == "person":  # its headline text is its names: each is split once, here
        tokens: list[str] = []
        for text in person_aliases(row):
            folded = names.tokens(text)
            tokens += folded
            aliases.append((text, names.canonical_of(folded)))
            name_keys.update(*map(names.name_stems, folded))
        headline = alias_words = word_keys.of_tokens(tokens)
    else:
        headline = word_keys(head_texts)
    body = word_keys(body_texts) | figure_keys(row)
    quoted = word_keys.of_quotes([citation.quote for citation in citations(row)])
    linked = tuple(row["records"]) if kind == "conflict" else named_people(row)
    data = marshal.dumps(answer_row(row))
    return Entry(
        row["id"],
        kind,
        data,
        tuple(headline),
        tuple(body - headline),
        tuple(quoted - body - headline),
        linked,
        tuple(aliases),
        tuple(name_keys),
        tuple(alias_words),
        pointers(row),
        tuple((citation.doc, citation.quote) for citation in citations(row)),
    )


@functools.cache
def _figure_fields(kind: str) -> tuple[tuple[str, bool], ...]:
    """(field, is a percentage) of each figure a kind's records hold (amounts, percentages
    and counts, as the model marks them)."""
    spec = record_spec(kind)
    wanted = ("amount", "percent", "count")
    return tuple(
        (f.name, f.spec.quoted == "percent") for f in spec.fields if f.spec.quoted in wanted
    )


def figure_keys(row: Row) -> frozenset[str]:
    """The number keys of the figures a record's fields hold (core.numbers), so that
    "1,7 млрд" finds the figure of 1.7 billion whatever its quote says."""
    found: frozenset[str] = frozenset()
    for name, percent in _figure_fields(row["type"]):
        value = row.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            found |= numbers.value_keys(value, percent)
    return found


def passage_entry(row: Row, word_keys: WordKeys) -> Entry:
    """A passage (index.passages) reduced to its Entry: found by the words of its sentence."""
    body = word_keys.of_passage(row["text"])
    data = marshal.dumps(row)
    return Entry(row["id"], "passage", data, (), tuple(body), (), (), (), (), (), (), ())


def named_people(row: Row) -> tuple[str, ...]:
    """Ids of the people an event, statement or initiative names, participants (or
    speakers) first."""
    return (*row.get("participants", ()), *row.get("speakers", ()), *row.get("mentions", ()))


def to_entries(rows: list[Row], word_keys: WordKeys | None = None) -> list[Entry]:
    """Entries of rows in order; rows is emptied as it goes, so each row is let go early."""
    word_keys = word_keys or WordKeys()
    rows.reverse()
    entries: list[Entry] = []
    while rows:
        entries.append(to_entry(rows.pop(), word_keys))
    return entries


class WordKeys:
    """The stem keys of the meaningful words of texts, each distinct token worked out once,
    and each distinct run of texts (summaries, places and titles recur across records)."""

    LIMIT = 20_000
    """Runs of texts remembered at most (distinct tokens are far fewer and all kept)."""
    QUOTES = 250_000
    """Quotes remembered at most, for the passages (see of_quotes)."""

    def __init__(self) -> None:
        self._stems: dict[str, frozenset[str]] = {}
        self._texts: dict[str, frozenset[str]] = {}
        self._quotes: dict[str, frozenset[str]] = {}

    def __call__(self, texts: list[str]) -> frozenset[str]:
        """The keys of every word of the texts (split apart by a newline, which no word
        spans, so that they are folded and split in one go)."""
        joined = "\n".join(texts)
        found = self._texts.get(joined)
        if found is None:
            if len(self._texts) >= self.LIMIT:
                self._texts.clear()  # memory stays bounded; the recurring texts come back
            found = self._texts[joined] = self.of_text(joined)
        return found

    def of_quotes(self, quotes: list[str]) -> frozenset[str]:
        """The keys of a record's quotes, each kept (up to QUOTES of them) for the passage
        that holds it word for word: a sentence is keyed once."""
        found: frozenset[str] = frozenset()
        for quote in quotes:
            keys = self._quotes.get(quote)
            if keys is None:
                keys = self.of_text(quote)
                if len(self._quotes) < self.QUOTES:
                    self._quotes[quote] = keys
            found |= keys
        return found

    def of_passage(self, text: str) -> frozenset[str]:
        """The keys of a sentence of an article: those of the quote that is that sentence,
        if a record made one, else worked out."""
        keys = self._quotes.pop(text, None)
        return keys if keys is not None else self.of_text(text)

    def of_text(self, text: str) -> frozenset[str]:
        """The keys of the words and figures of one text."""
        return self.of_tokens(names.tokens(text)) | numbers.text_keys(text)

    def of_tokens(self, folded: Iterable[str]) -> frozenset[str]:
        """The keys of folded tokens (stop words have none)."""
        known = self._stems
        tokens = set(folded)
        for token in tokens.difference(known):
            known[token] = frozenset() if token in names.STOPWORDS else names.stems(token)
        return frozenset().union(*map(known.__getitem__, tokens))


# Where each kind's searchable text stands: (headline fields, body fields), the Russian and
# its English. Names and titles count more than summaries; a note counts as body text. A
# person's are their names (headline) and their roles' titles and organisations (body).
_SEARCHED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "person": (("name", "name_latin"), ()),
    "office": (("label",), ("organisation",)),
    "event": (("title", "place"), ("summary",)),
    "statement": ((), ("summary",)),
    "initiative": (("title", "place"), ("summary",)),
    "trade": (("title",), ()),
    "border": (("name",), ("plan",)),
    "agreement": (("title",), ("summary",)),
    "conflict": ((), ("summary",)),
    "source": (("outlet", "headline"), ("lead",)),
}


def _with_english(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(field for key in keys for field in dict.fromkeys((key, english_key(key))))


SEARCHED = {
    kind: (_with_english(head), (*_with_english(body), "note"))
    for kind, (head, body) in _SEARCHED.items()
}
"""Each kind's searchable fields: (headline, body), English beside Russian, the note last."""
_ROLE_TEXT = _with_english(("title", "org"))


def record_texts(row: Row) -> tuple[list[str], list[str]]:
    """The searchable text of a record, Russian and English: (headline texts, body texts).
    (Its quotes are searchable too, at a lower weight: see to_entry.)

    An event or initiative is also found by the names of the people it names: the build adds
    those, as body text.
    """
    kind = row["type"]
    head_fields, body_fields = SEARCHED[kind]
    headline = [row[f] for f in head_fields if row.get(f)]
    body = [row[f] for f in body_fields if row.get(f)]
    if kind == "person":
        headline += row["aliases"]
        body += [role[f] for role in row["roles"] for f in _ROLE_TEXT if role.get(f)]
    elif kind == "trade":
        headline.append(row["indicator"].replace("_", " "))
    elif kind == "office":
        headline += row["aliases"] + row["aliases_en"]
    elif kind == "statement":  # found by its topics, and its words (the first quote)
        body += row["topics"] + [ref["quote"] for ref in row["sources"][:1]]
    return headline, body
