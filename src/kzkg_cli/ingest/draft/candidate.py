"""What draft proposes: candidate records cut from an article, each quote a span of its text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A stretch of the article: text[start:end] is a verbatim quote."""

    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True)
class Candidate:
    """One proposed record (or a person's role): its fields, in the order a curator reads
    them, and the spans its quotes are cut from. Fields naming people hold PersonKey values
    until search.link puts ids in their place."""

    kind: str
    """The record kind (core.rows.KINDS), or "role" for a role inside a person."""
    fields: dict[str, Any]
    quotes: list[Span]
    english: tuple[str, ...] = ()
    """English fields (title_en, summary_en, …) a curator must write: draft cannot translate."""
    comments: list[str] = field(default_factory=list)
    """What the curator should know: how a value was inferred, what could not be resolved."""


@dataclass(frozen=True, slots=True)
class PersonKey:
    """A reference to a person found in the article, by the canonical form of their name."""

    key: str


@dataclass(slots=True)
class Role:
    """A post or description the article gives a named person: the title in the nominative,
    its parts (a joint post has two), and the quote (title and name together)."""

    title: str
    parts: list[str]
    quote: Span
    country: str | None = None
    by_context: bool = False
    """The title names no one: the person is read from the context (see search.link)."""


@dataclass(slots=True)
class Person:
    """A person the article names: nominative name, Latin spelling and every mention."""

    key: str
    name: str
    name_latin: str
    mentions: list[Span]
    surfaces: list[str]
    """Each mention as the article writes it (any case form)."""
    roles: list[Role] = field(default_factory=list)
    country: str | None = None


@dataclass(slots=True)
class Title:
    """A post named without a name beside it ("Президент Казахстана поблагодарил"): whose it
    is, the context decides (search.link, by the offices its words name)."""

    title: str
    span: Span
    country: str | None


@dataclass(slots=True)
class Extraction:
    """Everything draft read off one article, before it is linked to the fact base."""

    doc: str
    text: str
    date: str | None
    """The article's date: its date line, or the one given; None when unknown."""
    date_given: bool
    """True where the date came from the command line, not the article."""
    source: Candidate
    people: list[Person]
    titles: list[Title]
    records: list[Candidate]
