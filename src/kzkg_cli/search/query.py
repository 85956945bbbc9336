"""Questions asked of the indexed fact base, as pure functions returning JSON-shaped rows.

Nothing here prints or exits: an empty answer is an empty list, and a "did you mean" is data.
Rows come from the store exactly as the commands print them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from kzkg_cli.core.rows import Row, cited_docs
from kzkg_cli.core.text import shorten
from kzkg_cli.index.store import Store
from kzkg_cli.search.match import match_people, match_words, suggest_person
from kzkg_cli.search.refs import LEARNT, Resolver

if TYPE_CHECKING:
    from datetime import date

    from kzkg_cli.search.offices import RoleQuery, Tenure

    Span = tuple[date, date]
    """First and last day of a window."""

# Dates (and datetime) are imported where a question asks about dates: most lookups do not.


class Answer(NamedTuple):
    """Rows to show, and a suggestion for when there are none."""

    rows: list[Row]
    hint: str | None = None


def year_span(year: int) -> Span:
    from datetime import date

    return date(year, 1, 1), date(year, 12, 31)


def window(year: int | None, start: str | None, end: str | None) -> Span | None:
    """The window --year, --from and --to describe together (None if none is given); a
    UsageError when the window they leave is empty."""
    if year is None and start is None and end is None:
        return None
    from datetime import date

    from kzkg_cli.core.dates import date_span
    from kzkg_cli.core.errors import UsageError

    first, last = date.min, date.max
    if year is not None:
        first, last = year_span(year)
    if start:
        first = max(first, date_span(start)[0])
    if end:
        last = min(last, date_span(end)[1])
    if first > last:
        raise UsageError("the date options exclude each other: the window they leave is empty")
    return first, last


def _overlaps(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool:
    """Whether two spans (of dates, or of ISO date texts) share a day."""
    return bool(a[0] <= b[1] and b[0] <= a[1])


def _inside(inner: Span, outer: Span) -> bool:
    """Certainly within: an event known only as "2025" is not inside August 2025."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _start(text: str | None) -> date:
    from datetime import date

    from kzkg_cli.core.dates import period_span

    return period_span(text)[0] if text else date.max


# ----------------------------------------------------------------------------- data commands


def export_rows(store: Store, kinds: frozenset[str] = frozenset()) -> Iterator[Row]:
    """Every record (or those of the given kinds) with its sources, in file order, streamed,
    its references resolved."""
    resolver = Resolver(store)
    learn, resolve = resolver.learn, resolver.resolve
    for row in store.rows(*kinds):
        if row["type"] in LEARNT:
            learn(row)
        yield resolve(row)


def source_rows(store: Store) -> Iterator[Row]:
    """The articles with outlet, date, headline and how many facts cite each, streamed."""
    counts: Counter[str] = Counter()
    for row in store.rows():
        if row["type"] != "source":
            counts.update(cited_docs(row))
    for row in store.rows("source"):
        yield {**row, "facts": counts[row["id"]]}


# ----------------------------------------------------------------------------- who


def who(
    store: Store,
    name: str | None = None,
    role: str | None = None,
    country: str | None = None,
    at: str | None = None,
    office: str | None = None,
    attested: bool = False,
) -> Answer:
    """People by name (any case, script or spelling), role, office and country; with `at`,
    those in office on that partial date (held between their first and last attestation), or,
    with `attested`, those the sources attest in office on that date itself.

    Each person's roles are narrowed to those the question is about, and the person gains
    ``offices``: each office those roles name, with its first and last attestation.
    """
    from kzkg_cli.search.offices import RoleQuery, offices_by_id, tenures

    at_span = None
    if at:
        from kzkg_cli.core.dates import date_span

        first, last = date_span(at)  # checks the date too
        at_span = (first.isoformat(), last.isoformat())
    found = (
        [(h.row, h.match._asdict()) for h in match_people(store, name)]
        if name
        else [(row, None) for row in store.rows("person")]
    )
    if office is not None or role:  # only these read every office
        offices = offices_by_id(store)
        if office is not None and office not in offices:
            from kzkg_cli.core.errors import UsageError

            close = _closest(office, list(offices))
            suggestion = f"; did you mean {close!r}?" if close else ""
            raise UsageError(f"no office {office!r}{suggestion}")
    wanted = RoleQuery(role, offices, [p for p, _ in found]) if role else None
    resolver = Resolver(store)
    rows = []
    for person, match in found:
        if country and person.get("country") != country:
            continue
        held = tenures(person)
        roles = [
            r
            for r in person["roles"]
            if (wanted is None or wanted.matches(r))
            and (office is None or office in (r.get("office") or ()))
            and (at_span is None or _in_office(r, at_span, held, attested, wanted, office))
        ]
        if (role or at or office) and not roles:
            continue
        named = dict.fromkeys(o for r in roles for o in r.get("office") or ())
        if wanted is not None:
            named = dict.fromkeys(o for o in named if o in wanted.named)
        if office is not None:
            named = dict.fromkeys(o for o in named if o == office)
        row = {**person, "roles": roles, "offices": [_held(resolver, held[o]) for o in named]}
        rows.append({**row, **({"match": match} if match else {})})
    hint = None
    if name and not found:
        close = suggest_person(store, name)
        hint = f"did you mean: {shorten(close)}?" if close else None
    return Answer([resolver.resolve(row) for row in rows], hint)


def _closest(word: str, choices: list[str]) -> str | None:
    """The choice nearest a mistyped word, if any is near enough."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _in_office(
    role: Row,
    at: tuple[str, str],
    held: dict[str, Tenure],
    attested: bool,
    wanted: RoleQuery | None,
    office: str | None,
) -> bool:
    """Whether a role shows its holder in office at a date: attested on it (strict), or an
    office it names held across it (a description never is)."""
    offices = [
        o
        for o in role.get("office") or ()
        if (wanted is None or o in wanted.named) and (office is None or o == office)
    ]
    if not offices:
        return False
    if attested:
        from kzkg_cli.search.offices import iso_span

        return bool(role.get("date")) and _overlaps(iso_span(role["date"]), at)
    spans = [held[o].span for o in offices]
    return any(span is not None and _overlaps(span, at) for span in spans)


def _held(resolver: Resolver, tenure: Tenure) -> Row:
    """An office a person held, as `who` shows it: the office, and its attestations."""
    first, last = tenure.first, tenure.last
    return {
        **resolver.brief(tenure.office),
        "attested_first": first and first["date"],
        "attested_first_inferred": bool(first and first["date_inferred"]),
        "attested_last": last and last["date"],
        "attested_last_inferred": bool(last and last["date_inferred"]),
        "attestations": tenure.attestations,
    }


# ----------------------------------------------------------------------------- when


def when(store: Store, text: str | None = None, within: Span | None = None) -> Answer:
    """The timeline, oldest first; with a span, the events whose whole date lies within it.

    A query that names people lists the events they took part in; any other query (or a name
    with no events) matches the events' words, places and participants.
    """
    events = _events_of_people(store, _people_named(store, text)) if text else []
    if not events:
        events = _matching(store, "event", text)
    if within is not None:
        events = [e for e in events if e.get("date") and _within(e["date"], within)]
    events.sort(key=lambda e: (_start(e.get("date")), e["title"]))
    hint = None
    if text and not events:
        others = len(match_words(store, text))
        hint = f"no events, but 'kzkg search' finds {others} record(s) for it" if others else None
    resolve = Resolver(store).resolve
    return Answer([resolve(e) for e in events], hint)


def _within(when: str, window: Span) -> bool:
    """Whether an event dated `when` certainly took place within the window: its whole date
    lies inside it ("2025" is not inside August 2025), or it lasted days ("2025-08-21/
    2025-08-22"), each of which it covers, and one of them is in the window."""
    from kzkg_cli.core.dates import period_span, precision_of

    span = period_span(when)
    if _inside(span, window):
        return True
    start, _, end = when.partition("/")
    by_day = bool(end) and precision_of(start) == "day" and precision_of(end) == "day"
    return by_day and _overlaps(span, window)


def _events_of_people(store: Store, people: set[str], kind: str = "event") -> list[Row]:
    """The events the people took part in, or the statements they made."""
    if not people:
        return []
    key = "speakers" if kind == "statement" else "participants"
    return [row for row in store.rows(kind) if people & set(row[key])]


def _people_named(store: Store, text: str) -> set[str]:
    """The people a query names exactly (any case form, script or spelling)."""
    return {hit.row["id"] for hit in match_people(store, text) if hit.match.kind == "exact"}


def _matching(store: Store, kind: str, text: str | None) -> list[Row]:
    """Records of one kind, all of them or those whose text matches, in file order."""
    if not text:
        return list(store.rows(kind))
    scores = match_words(store, text)
    return [row for pos, row in sorted(store.at(scores).items()) if row["type"] == kind]


# ----------------------------------------------------------------------------- trade


def indicators(store: Store) -> list[str]:
    """The trade indicators the fact base has, in file order."""
    return list(dict.fromkeys(row["indicator"] for row in store.rows("trade")))


def indicator(store: Store, typed: str | None) -> str | None:
    """The indicator --indicator names, in any case; a UsageError listing the known ones if
    the fact base has no such indicator."""
    if typed is None:
        return None
    known = indicators(store)
    chosen = typed.strip().lower()
    if chosen not in known:
        from kzkg_cli.core.errors import UsageError

        raise UsageError(f"unknown indicator {typed!r}; expected one of: {', '.join(known)}")
    return chosen


def trade(store: Store, year: int | None = None, indicator: str | None = None) -> Answer:
    """Trade figures in time order; with a year, those whose period or horizon touches it."""
    figures = list(store.rows("trade"))
    if indicator:
        figures = [f for f in figures if f["indicator"] == indicator]
    if year is not None:
        figures = [f for f in figures if _trade_touches(f, year_span(year))]
    figures.sort(key=lambda f: (_start(f.get("period") or f.get("horizon")), f["indicator"]))
    return Answer(figures)


def _trade_touches(figure: Row, span: Span) -> bool:
    from kzkg_cli.core import dates

    if figure["kind"] == "target":
        horizon = figure.get("horizon")
        return horizon is not None and _overlaps(dates.date_span(horizon), span)
    period = figure.get("period")
    return period is not None and _overlaps(dates.period_span(period), span)


# ----------------------------------------------------------------------------- borders, agreements


def borders(store: Store, text: str | None = None) -> Answer:
    """Crossing points, infrastructure and programmes, optionally matching words."""
    return Answer(_matching(store, "border", text))


def agreements(
    store: Store,
    text: str | None = None,
    year: int | None = None,
    status: str | None = None,
    event: str | None = None,
) -> Answer:
    """Documents in date order, by words, year (of date or horizon), status, and the event
    that signed or adopted them (or any of its parts)."""
    found = _matching(store, "agreement", text)
    if status:
        found = [a for a in found if a["status"] == status]
    if event is not None:
        events = _event_and_parts(store, event)
        found = [a for a in found if a.get("event") in events]
    if year is not None:
        from kzkg_cli.core import dates

        span = year_span(year)
        found = [
            a
            for a in found
            if any(_overlaps(dates.date_span(a[k]), span) for k in ("date", "horizon") if a.get(k))
        ]
    found.sort(key=lambda a: _start(a.get("date")))
    resolve = Resolver(store).resolve
    return Answer([resolve(a) for a in found])


def _event_and_parts(store: Store, event_id: str) -> set[str]:
    """An event's id and those of its parts, and of their parts; a UsageError if there is no
    such event."""
    row = store.get(event_id)
    if row is None or row["type"] != "event":
        from kzkg_cli.core.errors import UsageError

        close = _closest(event_id, [r["id"] for r in store.rows("event")])
        hint = f"; did you mean {close!r}?" if close else ""
        raise UsageError(f"no event {event_id!r}{hint}")
    found, todo = set(), [row]
    while todo:
        current = todo.pop()
        if current["id"] in found:
            continue
        found.add(current["id"])
        todo += [part for part in map(store.get, current.get("parts", ())) if part is not None]
    return found


# ----------------------------------------------------------------------------- said


def said(
    store: Store, name: str | None = None, about: str | None = None, year: int | None = None
) -> Answer:
    """Statements, oldest first: by the people a name matches (as `who` matches them), about
    words (in the words said, the summary or the topics), and in a year."""
    people = _people_named(store, name) if name else set()
    found = _events_of_people(store, people, "statement") if name else list(store.rows("statement"))
    if about:
        scores = match_words(store, about)
        ids = {row["id"] for row in store.at(scores).values() if row["type"] == "statement"}
        found = [row for row in found if row["id"] in ids]
    if year is not None:
        from kzkg_cli.core.dates import period_span

        span = year_span(year)
        found = [s for s in found if s.get("date") and _overlaps(period_span(s["date"]), span)]
    found.sort(key=lambda s: _start(s.get("date")))
    hint = None
    if name and not people:
        close = suggest_person(store, name)
        hint = f"did you mean: {shorten(close)}?" if close else None
    resolve = Resolver(store).resolve
    return Answer([resolve(row) for row in found], hint)


# ----------------------------------------------------------------------------- search, show


def search(store: Store, text: str) -> Answer:
    """Everything whose text matches, best first."""
    scores = match_words(store, text)
    rows = store.at(scores)
    ranked = sorted(rows, key=lambda pos: (-scores[pos], pos))
    resolve = Resolver(store).resolve
    return Answer([{**resolve(rows[pos]), "score": scores[pos]} for pos in ranked])


def show(store: Store, record_id: str) -> Answer:
    """One record in full, by id."""
    row = store.get(record_id.strip())
    if row is not None:
        return Answer([Resolver(store).resolve(row)])
    close = _closest(record_id, store.ids())
    return Answer([], f"did you mean: {shorten(close)}?" if close else None)
