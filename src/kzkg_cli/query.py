"""Questions asked of a fact base, as pure functions returning JSON-shaped rows.

Nothing here prints or exits: an empty answer is an empty list, and a "did you mean" is data.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from kzkg_cli import dates, names
from kzkg_cli.index import Index
from kzkg_cli.loader import iter_source_refs
from kzkg_cli.match import Match, match_people, match_words, suggest_person
from kzkg_cli.model import (
    Agreement,
    Border,
    Event,
    FactBase,
    Person,
    Record,
    Role,
    Source,
    Trade,
)
from kzkg_cli.render import Row, record_to_row

Span = tuple[date, date]
R = TypeVar("R", bound=Record)


@dataclass(frozen=True, slots=True)
class Answer:
    """Rows to show, and a suggestion for when there are none."""

    rows: list[Row]
    hint: str | None = None


# ----------------------------------------------------------------------------- data commands


def export_rows(facts: FactBase, kinds: frozenset[str] = frozenset()) -> list[Row]:
    """Every record (or those of the given kinds) with its sources, in file order."""
    return [record_to_row(r) for r in facts.records if not kinds or r.kind_name in kinds]


def citation_counts(facts: FactBase) -> Counter[str]:
    """How many records cite each article, a record counted once per article."""
    counts: Counter[str] = Counter()
    for record in facts.records:
        if not isinstance(record, Source):
            counts.update({ref.doc for ref in iter_source_refs(record)})
    return counts


def source_rows(facts: FactBase) -> list[Row]:
    """The articles with outlet, date, headline and how many facts cite each."""
    counts = citation_counts(facts)
    return [
        {**record_to_row(r), "facts": counts[r.id]} for r in facts.records if isinstance(r, Source)
    ]


# ----------------------------------------------------------------------------- rows


def row_of(index: Index, record: Record) -> Row:
    """A record as a query answer: its fields, derived date details and any conflicts."""
    row = record_to_row(record)
    for key in ("date", "horizon"):
        if row.get(key):
            row[f"{key}_precision"] = dates.precision_of(row[key])
    if isinstance(record, Trade) and record.period:
        start, end = dates.period_span(record.period)
        row["period_start"], row["period_end"] = start.isoformat(), end.isoformat()
    row["conflicts"] = list(index.conflicts.get(record.id, ()))
    return row


def _person_row(index: Index, person: Person, roles: Iterable[Role], match: Match | None) -> Row:
    row = row_of(index, person)
    row["roles"] = [dataclasses.asdict(role) for role in roles]
    if match is not None:
        row["match"] = dataclasses.asdict(match)
    return row


# ----------------------------------------------------------------------------- who


def who(
    index: Index,
    name: str | None = None,
    role: str | None = None,
    country: str | None = None,
    at: Span | None = None,
) -> Answer:
    """People by name (any case, script or spelling), role title, country and date."""
    found: list[tuple[Person, Match | None]]
    found = list(match_people(index, name)) if name else [(p, None) for p in index.people()]
    role_keys = names.keys(role) if role else []
    rows = []
    for person, match in found:
        if country and person.country != country:
            continue
        roles = [r for r in person.roles if _role_matches(r, role_keys, at)]
        if (role or at) and not roles:
            continue
        rows.append(_person_row(index, person, roles, match))
    hint = None
    if name and not found:
        close = suggest_person(index, name)
        hint = f"did you mean: {close}?" if close else None
    return Answer(rows, hint)


def _role_matches(role: Role, role_keys: list[frozenset[str]], at: Span | None) -> bool:
    if role_keys:
        title_keys = frozenset().union(*names.keys(f"{role.title} {role.org or ''}"))
        if not all(stem_set & title_keys for stem_set in role_keys):
            return False
    if at is not None:
        return role.date is not None and _overlaps(dates.date_span(role.date), at)
    return True


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _inside(inner: Span, outer: Span) -> bool:
    """Certainly within: an event known only to "2025" is not inside August 2025."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


# ----------------------------------------------------------------------------- when


def when(
    index: Index,
    text: str | None = None,
    within: Span | None = None,
) -> Answer:
    """The timeline, oldest first; with a span, the events whose whole date lies within it.

    A query that names people lists the events they took part in; any other query (or a name
    with no events) matches the events' words, places and participants.
    """
    events = _events_of_people(index, text) if text else []
    if not events:
        events = _matching(index, Event, text)
    if within is not None:
        events = [e for e in events if e.date and _inside(dates.date_span(e.date), within)]
    events.sort(key=lambda e: (dates.date_span(e.date)[0] if e.date else date.max, e.title))
    hint = None
    if text and not events:
        others = len(match_words(index, text))
        hint = f"no events, but 'kzkg search' finds {others} record(s) for it" if others else None
    return Answer([row_of(index, e) for e in events], hint)


def _events_of_people(index: Index, text: str) -> list[Event]:
    people = {p.id for p, m in match_people(index, text) if m.kind == "exact"}
    if not people:
        return []
    events = [r for r in index.facts.records if isinstance(r, Event)]
    return [e for e in events if people & set(e.participants)]


def _matching(index: Index, cls: type[R], text: str | None) -> list[R]:
    """Records of one kind, all of them or those whose text matches, in file order."""
    records = [r for r in index.facts.records if isinstance(r, cls)]
    if not text:
        return records
    scores = match_words(index, text)
    return [r for r in records if r.id in scores]


# ----------------------------------------------------------------------------- trade


def indicators(facts: FactBase) -> list[str]:
    """The trade indicators the fact base has, in file order."""
    return list(dict.fromkeys(r.indicator for r in facts.records if isinstance(r, Trade)))


def trade(index: Index, year: int | None = None, indicator: str | None = None) -> Answer:
    """Trade figures in time order; with a year, those whose period or horizon touches it."""
    figures = [r for r in index.facts.records if isinstance(r, Trade)]
    if indicator:
        figures = [f for f in figures if f.indicator == indicator]
    if year is not None:
        span = (date(year, 1, 1), date(year, 12, 31))
        figures = [f for f in figures if _trade_touches(f, span)]
    figures.sort(key=_trade_order)
    return Answer([row_of(index, f) for f in figures])


def _trade_touches(figure: Trade, span: Span) -> bool:
    if figure.kind == "target":
        return figure.horizon is not None and _overlaps(dates.date_span(figure.horizon), span)
    return figure.period is not None and _overlaps(dates.period_span(figure.period), span)


def _trade_order(figure: Trade) -> tuple[date, str, str]:
    when_text = figure.period or figure.horizon
    start = dates.period_span(when_text)[0] if when_text else date.max
    return start, figure.indicator, figure.id


# ----------------------------------------------------------------------------- borders, agreements


def borders(index: Index, text: str | None = None) -> Answer:
    """Crossing points, infrastructure and programmes, optionally matching words."""
    return Answer([row_of(index, b) for b in _matching(index, Border, text)])


def agreements(
    index: Index, text: str | None = None, year: int | None = None, status: str | None = None
) -> Answer:
    """Documents in date order, by words, year (of date or horizon) and status."""
    found = _matching(index, Agreement, text)
    if status:
        found = [a for a in found if a.status == status]
    if year is not None:
        span = (date(year, 1, 1), date(year, 12, 31))
        found = [a for a in found if _agreement_touches(a, span)]
    found.sort(key=lambda a: dates.date_span(a.date)[0] if a.date else date.max)
    return Answer([row_of(index, a) for a in found])


def _agreement_touches(agreement: Agreement, span: Span) -> bool:
    return any(
        _overlaps(dates.date_span(text), span)
        for text in (agreement.date, agreement.horizon)
        if text
    )


# ----------------------------------------------------------------------------- search, show


def search(index: Index, text: str) -> Answer:
    """Everything whose text matches, best first."""
    scores = match_words(index, text)
    order = {r.id: i for i, r in enumerate(index.facts.records)}
    ranked = sorted(scores, key=lambda rid: (-scores[rid], order[rid]))
    rows = [{**row_of(index, index.facts.by_id[rid]), "score": scores[rid]} for rid in ranked]
    return Answer(rows)


def show(index: Index, record_id: str) -> Answer:
    """One record in full, by id."""
    record = index.facts.by_id.get(record_id.strip())
    if record is not None:
        return Answer([row_of(index, record)])
    close = difflib.get_close_matches(record_id, list(index.facts.by_id), n=1, cutoff=0.6)
    return Answer([], f"did you mean: {close[0]}?" if close else None)
