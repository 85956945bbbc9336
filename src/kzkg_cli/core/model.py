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


@dataclass(frozen=True, slots=True)
class Quoted:
    """Marks a value that must be found in the record's own quotes (`kzkg verify`'s support
    check), unless the record marks the field ``<field>_inferred`` with a note saying from what.

    ``what`` says how the value is looked for: ``amount`` (US dollars: "$1,4 млрд"),
    ``percent`` ("21%"), ``count`` (digits or a numeral word: "восьми"), ``date`` and
    ``period`` (ISO dates: "22 августа 2025 года"), ``place`` and ``wording`` (every word, in
    any case form), ``people`` (each person by a name or alias, in any case form) and
    ``numbers`` (every number written in a free text, such as a summary) and ``figure`` (a
    conflict's reading: looked for as the field the conflict is about is, an amount for
    value_usd, a count for count).
    """

    what: Literal[
        "amount",
        "percent",
        "count",
        "date",
        "period",
        "place",
        "wording",
        "people",
        "numbers",
        "figure",
    ]


IsoDate = Annotated[str, DateText()]
Period = Annotated[str, PeriodText()]
PersonRefs = Annotated[tuple[str, ...], Ref(("person",)), Quoted("people")]
English = Annotated[str | None, EnglishText()]
"""Optional in the file, so a new record loads before it is translated; verify reports it.
Only a text with Cyrillic letters needs its English: a Latin one (the outlet "BAQ.KZ", the
relayed "primeminister.kz") reads the same in English, and English views show it as it is."""
QuotedDate = Annotated[IsoDate | None, Quoted("date")]
QuotedPeriod = Annotated[Period | None, Quoted("period")]
Place = Annotated[str | None, Quoted("place")]
Summary = Annotated[str, Quoted("numbers")]
EventRef = Annotated[str | None, Ref(("event",))]


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

    date: QuotedDate = None
    """When, as precise as the source allows."""
    date_inferred: bool = False
    """True when the record's own quotes do not state the date and it was inferred."""
    date_note: str | None = None
    """How the date was inferred, or why there is none."""


@dataclass(frozen=True, kw_only=True)
class Role(Dated):
    """One office or standing a source attests for a person at a date."""

    title: Annotated[str, Quoted("wording")]
    """The title as the source words it, in the nominative."""
    title_en: English = None
    sources: tuple[SourceRef, ...]
    office: Annotated[tuple[str, ...], Ref(("office",))] = ()
    """The offices the title names (two for a joint post such as "Председатель Кабинета
    Министров — Руководитель Администрации Президента"); none for a description ("писатель",
    "народный артист"), which is never an office held."""
    org: str | None = None
    """The organisation, where the title names one."""
    org_en: English = None
    country: Country | None = None
    start: QuotedDate = None
    """The start of the tenure, where a source states it."""
    end: QuotedDate = None
    """The end of the tenure, where a source states it."""
    note: str | None = None
    """The curator's note (why the text's words name this person, say)."""


Bound = Literal["more_than", "less_than"]
"""A figure the source gives as a bound ("свыше 80%"): more_than or less_than."""


@dataclass(frozen=True, kw_only=True)
class Reading:
    """One side of a disagreement between sources: a number with its flags, or a text.

    What its sources say the conflict's field holds: a figure is a number and its flags
    (``value = 2000000000``, ``approximate = true`` for "около 2 млрд долларов"); a field of
    words takes ``text`` ("agreed")."""

    value: Annotated[float | None, Quoted("figure")] = None
    """The figure, for a field that holds a number, as that field holds it: US dollars for
    value_usd (2000000000 for "2 млрд долларов"), a percentage for share_pct, a count."""
    value_inferred: bool = False
    """True where the quotes do not state the number (seven names listed, not counted)."""
    value_note: str | None = None
    """How the number was arrived at."""
    text: str | None = None
    """The reading in words, for a field that holds words: a status ("agreed"), a date."""
    approximate: bool = False
    """True where the source says "около" (about) of the value."""
    bound: Bound | None = None
    """Set where the source gives the value as a bound ("свыше 80%")."""
    unit: Annotated[str | None, Quoted("wording")] = None
    """What a count counts, as the source words it ("пунктов пропуска"), where the records
    do not say (a trade's count_unit)."""
    unit_en: English = None
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, kw_only=True)
class Record:
    """Fields every record has: a unique id, its sources and an optional curator's note."""

    kind_name: ClassVar[str] = ""
    id: str
    sources: tuple[SourceRef, ...]
    note: str | None = None
    identity_inferred: bool = False
    """True where the record joins what different articles (or sentences) say, and the texts
    do not themselves say it is the same thing."""
    identity_note: str | None = None
    """Why the mentions are taken to be one thing."""


@dataclass(frozen=True, kw_only=True)
class Source(Record, Dated):
    """An article of seeds/; its id is the file stem."""

    kind_name: ClassVar[str] = "source"
    lead: str
    """The article's first sentence, verbatim."""
    lead_en: English = None
    outlet: Annotated[str | None, Quoted("wording")] = None
    """The outlet that published the article, where the text names it; None where it names none."""
    outlet_en: English = None
    """The outlet in English, where its name has Cyrillic letters (see English)."""
    outlet_inferred: bool = False
    outlet_note: str | None = None
    relays: str | None = None
    """A source the text says it reports ("сообщает primeminister.kz", "рассказали в
    пресс-службе"), where that is not the outlet itself."""
    relays_en: English = None
    """What it relays in English ("the press service of the President of Kazakhstan"), where
    the Russian has Cyrillic letters (see English)."""
    headline: str | None = None
    """The headline, where the text has one."""
    headline_en: English = None


@dataclass(frozen=True, kw_only=True)
class Person(Record):
    """A person the articles name, with every role they attest."""

    kind_name: ClassVar[str] = "person"
    name: Annotated[str, Quoted("people")]
    """Full name in Russian, nominative case."""
    name_latin: str
    """The name in Latin letters, as English-language media spell it."""
    roles: tuple[Role, ...]
    aliases: tuple[str, ...] = ()
    """Other forms the articles use: surname alone, name and patronymic, initials."""
    country: Country | None = None


@dataclass(frozen=True, kw_only=True)
class Office(Record):
    """A post that people hold one after another (after Wikidata's "position held"); a
    person's role names the offices its title stands for."""

    kind_name: ClassVar[str] = "office"
    label: str
    """The office's name in Russian, as a reference work gives it."""
    label_en: English = None
    country: Country
    kind: Literal[
        "head_of_state",
        "head_of_government",
        "deputy_head_of_government",
        "head_of_administration",
        "minister",
        "agency_head",
        "ambassador",
    ]
    organisation: str | None = None
    organisation_en: English = None
    aliases: tuple[str, ...] = ()
    """Every Russian wording the articles use for it, and the usual ones ("глава
    правительства"), in the nominative; `who --role` matches them."""
    aliases_en: Annotated[tuple[str, ...], EnglishText()] = ()
    """The English wordings ("prime minister", "head of government")."""
    predecessor: Annotated[str | None, Ref(("office",))] = None
    """The office this one continues under a new name."""
    successor: Annotated[str | None, Ref(("office",))] = None


@dataclass(frozen=True, kw_only=True)
class Event(Record, Dated):
    """A visit, meeting, council session, signing, opening or cultural event."""

    kind_name: ClassVar[str] = "event"
    kind: Literal[
        "visit",
        "talks",
        "council",
        "briefing",
        "signing",
        "opening",
        "ceremony",
        "cultural",
        "reception",
    ]
    date: QuotedPeriod = None
    """When: a partial date, or the interval START/END of an event that lasted days."""
    title: Summary
    title_en: English = None
    summary: Summary
    summary_en: English = None
    participants: PersonRefs = ()
    participants_inferred: bool = False
    participants_note: str | None = None
    mentions: PersonRefs = ()
    """People the event concerns without taking part (a writer honoured, a namesake)."""
    place: Place = None
    place_en: English = None
    place_inferred: bool = False
    place_note: str | None = None
    status: Literal["held", "announced", "planned"] = "held"
    """held; announced (the text reports it announced, not held); planned (still to come)."""
    part_of: EventRef = None
    """The larger event this one was part of (a council session of a visit)."""
    part_of_inferred: bool = False
    part_of_note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Statement(Record, Dated):
    """What a named person said, directly or as reported: the first quote is the words."""

    kind_name: ClassVar[str] = "statement"
    speakers: PersonRefs
    """Who said it (two for a joint announcement)."""
    speakers_inferred: bool = False
    speakers_note: str | None = None
    mode: Literal["direct", "reported"]
    """direct: the article quotes the words; reported: it retells them."""
    summary: Summary
    summary_en: English = None
    topics: tuple[str, ...] = ()
    """Topic words in English (trade, water, alliance, ...), for `kzkg said --about`; a curated
    vocabulary, checked as a trade's indicator is."""
    event: EventRef = None
    """Where it was said."""
    event_inferred: bool = False
    event_note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Trade(Record):
    """A trade or investment figure: an actual value, a target or a potential."""

    kind_name: ClassVar[str] = "trade"
    indicator: str
    """What the figure measures, from a curated vocabulary ("turnover", "investment"):
    `kzkg trade --indicator` selects by it, and verify warns of a value seen nowhere else in
    the file that is close to one seen elsewhere (a typo: "turnvoer")."""
    kind: Literal["actual", "target", "potential"]
    title: Summary
    title_en: English = None
    period: QuotedPeriod = None
    """What the figure covers: "2024", "2025-01/2025-08", or the date it was stated."""
    period_inferred: bool = False
    period_note: str | None = None
    horizon: QuotedDate = None
    """For targets: the year by which it is to be reached."""
    horizon_inferred: bool = False
    horizon_note: str | None = None
    value_usd: Annotated[float | None, Quoted("amount")] = None
    growth_pct: Annotated[float | None, Quoted("percent")] = None
    share_pct: Annotated[float | None, Quoted("percent")] = None
    count: Annotated[int | None, Quoted("count")] = None
    count_unit: str | None = None
    """What is counted; a curated vocabulary, checked as indicator is."""
    count_unit_en: English = None
    approximate: bool = False
    """True where the source says "около" (about)."""
    bound: Bound | None = None
    """Set where the source gives a bound ("свыше 80%") rather than a value."""


@dataclass(frozen=True, kw_only=True)
class Border(Record):
    """A crossing point, a piece of border infrastructure, or a border programme."""

    kind_name: ClassVar[str] = "border"
    kind: Literal["checkpoint", "complex", "programme"]
    name: Annotated[str, Quoted("place")]
    name_latin: str
    """The name in Latin letters (a place) or in English (infrastructure, a programme)."""
    status: Literal["planned", "ongoing", "operating"]
    plan: Annotated[str | None, Quoted("numbers")] = None
    plan_en: English = None
    horizon: QuotedDate = None
    """The year by which the work is to be done, where a source gives one."""
    horizon_inferred: bool = False
    horizon_note: str | None = None
    count: Annotated[int | None, Quoted("count")] = None


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
    title: Summary
    title_en: English = None
    parties: tuple[Country, ...]
    status: Literal[
        "signed", "adopted", "agreed", "discussed", "planned", "instructed", "in_force", "provided"
    ]
    """provided: a document the text says provides for something, without saying whether it
    is in force."""
    summary: Annotated[str | None, Quoted("numbers")] = None
    summary_en: English = None
    event: EventRef = None
    """The event that signed or adopted it."""
    event_inferred: bool = False
    event_note: str | None = None
    targets: Annotated[tuple[str, ...], Ref(("trade",))] = ()
    horizon: QuotedDate = None
    horizon_inferred: bool = False
    horizon_note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Initiative(Record):
    """Cooperation that is neither an event nor a document: routes, monuments, programmes."""

    kind_name: ClassVar[str] = "initiative"
    area: Literal["tourism", "culture", "agriculture", "water_energy", "industry", "education"]
    title: Summary
    title_en: English = None
    summary: Summary
    summary_en: English = None
    place: Place = None
    place_en: English = None
    place_inferred: bool = False
    place_note: str | None = None
    status: Literal["agreed", "planned", "ongoing", "discussed"] | None = None
    mentions: PersonRefs = ()


@dataclass(frozen=True, kw_only=True)
class Conflict(Record):
    """Sources that disagree; every reading is kept with its own quotes."""

    kind_name: ClassVar[str] = "conflict"
    field: str
    """The field the readings disagree on; a curated vocabulary, checked as a trade's
    indicator is."""
    summary: str
    """What the readings are and where each comes from."""
    summary_en: English = None
    records: Annotated[tuple[str, ...], Ref()]
    readings: tuple[Reading, ...]
    certainty: Literal["certain", "likely", "possible"]
    """How sure it is that the readings disagree: certain (they cannot both be true), likely,
    or possible (both may be true, one saying more than the other)."""
    certainty_note: str | None = None
    """Why, where it is not certain."""
    claims_more: Annotated[str | None, Ref(("source",))] = None
    """The article whose reading claims more (a decision where the other has a discussion)."""
    sources: tuple[SourceRef, ...] = ()


RECORD_TYPES: tuple[type[Record], ...] = (
    Source,
    Person,
    Office,
    Event,
    Statement,
    Trade,
    Border,
    Agreement,
    Initiative,
    Conflict,
)
KIND_BY_NAME: dict[str, type[Record]] = {cls.kind_name: cls for cls in RECORD_TYPES}
if tuple(KIND_BY_NAME) != KINDS:  # the light list the command line uses must match
    raise ImportError(f"core.rows.KINDS {KINDS} differs from the model's {tuple(KIND_BY_NAME)}")
