"""In-memory indexes over a fact base, built once per load: names, words, sources, conflicts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kzkg_cli import names
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

# How much a word weighs by where it stands: names and titles count more than summaries.
HEADLINE, BODY = 2.0, 1.0


@dataclass(frozen=True, slots=True)
class Alias:
    """One way a person is written, with the stem keys of each of its tokens."""

    text: str
    keys: frozenset[str]


@dataclass
class Index:
    """Lookups the query layer needs; every field derives from the fact base."""

    facts: FactBase
    name_keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Stem key of a name token -> ids of the people whose names have it."""
    aliases: dict[str, list[Alias]] = field(default_factory=dict)
    words: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    """Stem key of a word -> {record id: weight}, over every record's text."""
    conflicts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Record id -> ids of the conflict records that name it."""
    sources: dict[str, Source] = field(default_factory=dict)

    @classmethod
    def build(cls, facts: FactBase) -> Index:
        index = cls(facts)
        people = {r.id: r for r in facts.records if isinstance(r, Person)}
        for record in facts.records:
            if isinstance(record, Person):
                index._add_person(record)
            elif isinstance(record, Source):
                index.sources[record.id] = record
            elif isinstance(record, Conflict):
                for ref in record.records:
                    index.conflicts[ref].append(record.id)
            for text, weight in record_texts(record, people):
                index._add_words(record.id, text, weight)
        return index

    def _add_person(self, person: Person) -> None:
        aliases = []
        for text in (person.name, person.name_latin, *person.aliases):
            token_keys = frozenset().union(*names.name_keys(text))
            aliases.append(Alias(text, token_keys))
            for key in token_keys:
                self.name_keys[key].add(person.id)
        self.aliases[person.id] = aliases

    def _add_words(self, record_id: str, text: str, weight: float) -> None:
        for stem_set in names.keys(text):
            for key in stem_set:
                postings = self.words[key]
                if postings.get(record_id, 0.0) < weight:
                    postings[record_id] = weight

    def people(self) -> Iterator[Person]:
        """Every person, in file order."""
        return (r for r in self.facts.records if isinstance(r, Person))

    def person_name(self, person_id: str) -> str:
        record = self.facts.by_id.get(person_id)
        return record.name if isinstance(record, Person) else person_id


def record_texts(record: Record, people: dict[str, Person]) -> Iterable[tuple[str, float]]:
    """The searchable text of a record, each piece with its weight."""
    if isinstance(record, Person):
        yield from ((t, HEADLINE) for t in (record.name, record.name_latin, *record.aliases))
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
                yield from ((t, BODY) for t in (person.name, person.name_latin, *person.aliases))
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
