"""Build the indexes of a fact base once per load: answer rows, name keys, aliases, words."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable

from kzkg_cli import dates, names
from kzkg_cli.model import (
    Agreement,
    Border,
    Conflict,
    Event,
    FactBase,
    Initiative,
    Person,
    Record,
    Source,
    Trade,
)
from kzkg_cli.render import Row, record_to_row
from kzkg_cli.store import write_store

# How much a word weighs by where it stands: names and titles count more than summaries.
HEADLINE, BODY = 2.0, 1.0

Tick = Callable[[int], None]


def answer_row(record: Record, conflicts: dict[str, list[str]]) -> Row:
    """A record as every query prints it: its fields, date details and any conflicts."""
    row = record_to_row(record)
    for key in ("date", "horizon"):
        if row.get(key):
            row[f"{key}_precision"] = dates.precision_of(row[key])
    if isinstance(record, Trade) and record.period:
        start, end = dates.period_span(record.period)
        row["period_start"], row["period_end"] = start.isoformat(), end.isoformat()
    row["conflicts"] = list(conflicts.get(record.id, ()))
    return row


def build_index(conn: sqlite3.Connection, key: str, facts: FactBase, tick: Tick) -> None:
    """Index every record of facts into an empty database; tick(n) after each record."""
    people = {r.id: r for r in facts.records if isinstance(r, Person)}
    conflicts: dict[str, list[str]] = defaultdict(list)
    for record in facts.records:
        if isinstance(record, Conflict):
            for ref in record.records:
                conflicts[ref].append(record.id)
    records: list[tuple[str, str, Row]] = []
    name_rows: set[tuple[str, int]] = set()
    alias_rows: list[tuple[int, str, str]] = []
    words: dict[str, dict[int, float]] = defaultdict(dict)
    for pos, record in enumerate(facts.records):
        records.append((record.id, record.kind_name, answer_row(record, conflicts)))
        if isinstance(record, Person):
            for text in person_aliases(record):
                name_rows.update((k, pos) for k in frozenset().union(*names.name_keys(text)))
                alias_rows.append((pos, text, names.canonical(text)))
        for text, weight in record_texts(record, people):
            _add_words(words, pos, text, weight)
        tick(pos + 1)
    meta = {"identity": key, "records": str(len(records))}
    write_store(conn, records, sorted(name_rows), alias_rows, dict(words), meta)


def person_aliases(person: Person | Row) -> list[str]:
    """Every way a person is written: the name, the Latin name, then the aliases."""
    if isinstance(person, Person):
        return [person.name, person.name_latin, *person.aliases]
    return [person["name"], person["name_latin"], *person.get("aliases", [])]


def _add_words(words: dict[str, dict[int, float]], pos: int, text: str, weight: float) -> None:
    for stem_set in names.keys(text):
        for key in stem_set:
            postings = words[key]
            if postings.get(pos, 0.0) < weight:
                postings[pos] = weight


def record_texts(record: Record, people: dict[str, Person]) -> Iterable[tuple[str, float]]:
    """The searchable text of a record, each piece with its weight."""
    if isinstance(record, Person):
        yield from ((t, HEADLINE) for t in person_aliases(record))
        for role in record.roles:
            yield role.title, BODY
            if role.org:
                yield role.org, BODY
    elif isinstance(record, Event | Initiative):
        yield record.title, HEADLINE
        yield record.summary, BODY
        if record.place:
            yield record.place, HEADLINE
        for person_id in (*getattr(record, "participants", ()), *record.mentions):
            person = people.get(person_id)
            if person:
                yield from ((t, BODY) for t in person_aliases(person))
    elif isinstance(record, Trade):
        yield record.title, HEADLINE
        yield record.indicator.replace("_", " "), HEADLINE
    elif isinstance(record, Border):
        yield from ((t, HEADLINE) for t in (record.name, record.name_latin))
        if record.plan:
            yield record.plan, BODY
    elif isinstance(record, Agreement):
        yield record.title, HEADLINE
        if record.summary:
            yield record.summary, BODY
    elif isinstance(record, Conflict):
        yield record.summary, BODY
    elif isinstance(record, Source):
        yield from ((t, HEADLINE) for t in (record.outlet, record.headline) if t)
        yield record.lead, BODY
    if record.note:
        yield record.note, BODY
