"""The fact base as frozen dataclasses: one class per kind of record, plus their parts.

Nothing builds instances of them: core.fields compiles their type hints once into the field
specs that validation, `kzkg schema`, verify and `--fields` read, so the classes are the schema.
``Annotated`` markers say what a plain ``str`` cannot: a date, a period, a reference, English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from kzkg_cli.core.rows import KINDS

Country = Literal["KZ", "KG"]


@dataclass(frozen=True, slots=True)
class DateText:
    """Marks a string field that holds a partial ISO 8601 date."""


@dataclass(frozen=True, slots=True)
class PeriodText:
    """Marks a string field that holds a partial date or an interval START/END."""


@dataclass(frozen=True, slots=True)
class Ref:
    """Marks a field that names other records by id; ``kinds`` empty means any kind."""

    kinds: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EnglishText:
    """Marks the curated English of the Russian field it follows (``title_en`` of ``title``)."""


IsoDate = Annotated[str, DateText()]
Period = Annotated[str, PeriodText()]
PersonRefs = Annotated[tuple[str, ...], Ref(("person",))]
English = Annotated[str | None, EnglishText()]
"""Optional in the file, so a new record loads before it is translated; verify reports it."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a fact comes from: an article and a verbatim quote from it."""

    doc: str
    """File stem of the article in seeds/."""
    quote: str
    """Exact text of the article (whitespace aside) that proves the fact."""


@dataclass(frozen=True, kw_only=True)
class Dated:
    """Shared date fields: a partial date and whether it is read off or inferred."""

    date: IsoDate | None = None
    """When, as precise as the source allows."""
    date_inferred: bool = False
    """True when the source does not state the date and it was inferred."""
    date_note: str | None = None
    """How the date was inferred, or why there is none."""


@dataclass(frozen=True, kw_only=True)
class Role(Dated):
    """One office or standing a source attests for a person at a date."""

    title: str
    """The title as the source words it, in the nominative."""
    title_en: English = None
    sources: tuple[SourceRef, ...]
    org: str | None = None
    """The organisation, where the title names one."""
    org_en: English = None
    country: Country | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """One side of a disagreement between sources."""

    value: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, kw_only=True)
class Record:
    """Fields every record has: a unique id, its sources and an optional curator's note."""

    kind_name: ClassVar[str] = ""
    id: str
    sources: tuple[SourceRef, ...]
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Source(Record, Dated):
    """An article of seeds/; its id is the file stem."""

    kind_name: ClassVar[str] = "source"
    lead: str
    """The article's first sentence, verbatim."""
    lead_en: English = None
    outlet: str | None = None
    """The outlet the text names; None where it names none."""
    headline: str | None = None
    """The headline, where the text has one."""
    headline_en: English = None


@dataclass(frozen=True, kw_only=True)
class Person(Record):
    """A person the articles name, with every role they attest."""

    kind_name: ClassVar[str] = "person"
    name: str
    """Full name in Russian, nominative case."""
    name_latin: str
    """The name in Latin letters, as English-language media spell it."""
    roles: tuple[Role, ...]
    aliases: tuple[str, ...] = ()
    """Other forms the articles use: surname alone, name and patronymic, initials."""
    country: Country | None = None


@dataclass(frozen=True, kw_only=True)
class Event(Record, Dated):
    """A visit, meeting, council session, signing, opening or cultural event."""

    kind_name: ClassVar[str] = "event"
    kind: Literal[
        "visit", "talks", "council", "briefing", "signing", "opening", "ceremony", "cultural"
    ]
    title: str
    title_en: English = None
    summary: str
    summary_en: English = None
    participants: PersonRefs = ()
    mentions: PersonRefs = ()
    """People the event concerns without taking part (a writer honoured, a namesake)."""
    place: str | None = None
    place_en: English = None
    status: Literal["held", "planned"] = "held"


@dataclass(frozen=True, kw_only=True)
class Trade(Record):
    """A trade or investment figure: an actual value, a target or a potential."""

    kind_name: ClassVar[str] = "trade"
    indicator: str
    kind: Literal["actual", "target", "potential"]
    title: str
    title_en: English = None
    period: Period | None = None
    """What the figure covers: "2024", "2025-01/2025-08", or the date it was stated."""
    period_inferred: bool = False
    period_note: str | None = None
    horizon: IsoDate | None = None
    """For targets: the year by which it is to be reached."""
    value_usd: float | None = None
    growth_pct: float | None = None
    share_pct: float | None = None
    count: int | None = None
    count_unit: str | None = None
    count_unit_en: English = None
    approximate: bool = False
    """True where the source says "около" (about)."""
    bound: Literal["more_than", "less_than"] | None = None
    """Set where the source gives a bound ("свыше 80%") rather than a value."""


@dataclass(frozen=True, kw_only=True)
class Border(Record):
    """A crossing point, a piece of border infrastructure, or a border programme."""

    kind_name: ClassVar[str] = "border"
    kind: Literal["checkpoint", "complex", "programme"]
    name: str
    name_latin: str
    """The name in Latin letters (a place) or in English (infrastructure, a programme)."""
    status: Literal["planned", "ongoing", "operating"]
    plan: str | None = None
    plan_en: English = None
    horizon: IsoDate | None = None
    horizon_inferred: bool = False
    horizon_note: str | None = None
    count: int | None = None


@dataclass(frozen=True, kw_only=True)
class Agreement(Record, Dated):
    """A treaty, plan, roadmap, protocol, statement, decision or understanding."""

    kind_name: ClassVar[str] = "agreement"
    kind: Literal[
        "treaty",
        "plan",
        "roadmap",
        "protocol",
        "joint_statement",
        "decision",
        "documents",
        "understanding",
        "concept",
        "regime",
    ]
    title: str
    title_en: English = None
    parties: tuple[Country, ...]
    status: Literal["signed", "adopted", "agreed", "planned", "instructed", "in_force"]
    summary: str | None = None
    summary_en: English = None
    event: Annotated[str | None, Ref(("event",))] = None
    """The event at which it was signed or adopted."""
    targets: Annotated[tuple[str, ...], Ref(("trade",))] = ()
    horizon: IsoDate | None = None


@dataclass(frozen=True, kw_only=True)
class Initiative(Record):
    """Cooperation that is neither an event nor a document: routes, monuments, programmes."""

    kind_name: ClassVar[str] = "initiative"
    area: Literal["tourism", "culture", "agriculture", "water_energy", "industry", "education"]
    title: str
    title_en: English = None
    summary: str
    summary_en: English = None
    place: str | None = None
    place_en: English = None
    status: Literal["agreed", "planned", "ongoing", "discussed"] | None = None
    mentions: PersonRefs = ()


@dataclass(frozen=True, kw_only=True)
class Conflict(Record):
    """Sources that disagree; every reading is kept with its own quotes."""

    kind_name: ClassVar[str] = "conflict"
    field: str
    """The field the readings disagree on."""
    summary: str
    """What the readings are and where each comes from."""
    summary_en: English = None
    records: Annotated[tuple[str, ...], Ref()]
    readings: tuple[Reading, ...]
    sources: tuple[SourceRef, ...] = ()


RECORD_TYPES: tuple[type[Record], ...] = (
    Source,
    Person,
    Event,
    Trade,
    Border,
    Agreement,
    Initiative,
    Conflict,
)
KIND_BY_NAME: dict[str, type[Record]] = {cls.kind_name: cls for cls in RECORD_TYPES}
if tuple(KIND_BY_NAME) != KINDS:  # the light list the command line uses must match
    raise ImportError(f"core.rows.KINDS {KINDS} differs from the model's {tuple(KIND_BY_NAME)}")
