"""Questions asked of the indexed fact base, as pure functions returning JSON-shaped rows.

Nothing here prints or exits: an empty answer is an empty list, and a "did you mean" is data.
Rows come from the store exactly as the commands print them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from kzkg_cli.core import names
from kzkg_cli.core.rows import Row, cited_docs
from kzkg_cli.core.text import shorten
from kzkg_cli.index.store import Store
from kzkg_cli.search.match import match_people, match_words, suggest_person

if TYPE_CHECKING:
    from datetime import date

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


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _inside(inner: Span, outer: Span) -> bool:
    """Certainly within: an event known only as "2025" is not inside August 2025."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _start(text: str | None) -> date:
    from datetime import date

    from kzkg_cli.core.dates import period_span

    return period_span(text)[0] if text else date.max


# ----------------------------------------------------------------------------- data commands


def export_rows(store: Store, kinds: frozenset[str] = frozenset()) -> Iterator[Row]:
    """Every record (or those of the given kinds) with its sources, in file order, streamed."""
    return store.rows(*kinds)


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
) -> Answer:
    """People by name (any case, script or spelling), role title, country, and the partial
    date `at` which their roles are attested at."""
    at_span = None
    if at:
        from kzkg_cli.core.dates import date_span

        at_span = date_span(at)
    found = (
        [(h.row, h.match._asdict()) for h in match_people(store, name)]
        if name
        else [(row, None) for row in store.rows("person")]
    )
    role_keys = names.keys(role) if role else []
    rows = []
    for person, match in found:
        if country and person.get("country") != country:
            continue
        roles = [r for r in person["roles"] if _role_matches(r, role_keys, at_span)]
        if (role or at) and not roles:
            continue
        rows.append({**person, "roles": roles, **({"match": match} if match else {})})
    hint = None
    if name and not found:
        close = suggest_person(store, name)
        hint = f"did you mean: {shorten(close)}?" if close else None
    return Answer(rows, hint)


def _role_matches(role: Row, role_keys: list[frozenset[str]], at: Span | None) -> bool:
    if role_keys:
        title_keys = frozenset().union(*names.keys(f"{role['title']} {role.get('org') or ''}"))
        if not all(stem_set & title_keys for stem_set in role_keys):
            return False
    if at is not None:
        from kzkg_cli.core.dates import date_span

        return bool(role.get("date")) and _overlaps(date_span(role["date"]), at)
    return True


# ----------------------------------------------------------------------------- when


def when(store: Store, text: str | None = None, within: Span | None = None) -> Answer:
    """The timeline, oldest first; with a span, the events whose whole date lies within it.

    A query that names people lists the events they took part in; any other query (or a name
    with no events) matches the events' words, places and participants.
    """
    events = _events_of_people(store, text) if text else []
    if not events:
        events = _matching(store, "event", text)
    if within is not None:
        from kzkg_cli.core.dates import date_span

        events = [e for e in events if e.get("date") and _inside(date_span(e["date"]), within)]
    events.sort(key=lambda e: (_start(e.get("date")), e["title"]))
    hint = None
    if text and not events:
        others = len(match_words(store, text))
        hint = f"no events, but 'kzkg search' finds {others} record(s) for it" if others else None
    return Answer(events, hint)


def _events_of_people(store: Store, text: str) -> list[Row]:
    people = {hit.row["id"] for hit in match_people(store, text) if hit.match.kind == "exact"}
    if not people:
        return []
    return [row for row in store.rows("event") if people & set(row["participants"])]


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
    store: Store, text: str | None = None, year: int | None = None, status: str | None = None
) -> Answer:
    """Documents in date order, by words, year (of date or horizon) and status."""
    found = _matching(store, "agreement", text)
    if status:
        found = [a for a in found if a["status"] == status]
    if year is not None:
        from kzkg_cli.core import dates

        span = year_span(year)
        found = [
            a
            for a in found
            if any(_overlaps(dates.date_span(a[k]), span) for k in ("date", "horizon") if a.get(k))
        ]
    found.sort(key=lambda a: _start(a.get("date")))
    return Answer(found)


# ----------------------------------------------------------------------------- search, show


def search(store: Store, text: str) -> Answer:
    """Everything whose text matches, best first."""
    scores = match_words(store, text)
    rows = store.at(scores)
    ranked = sorted(rows, key=lambda pos: (-scores[pos], pos))
    return Answer([{**rows[pos], "score": scores[pos]} for pos in ranked])


def show(store: Store, record_id: str) -> Answer:
    """One record in full, by id."""
    row = store.get(record_id.strip())
    if row is not None:
        return Answer([row])
    import difflib

    close = difflib.get_close_matches(record_id, store.ids(), n=1, cutoff=0.6)
    return Answer([], f"did you mean: {shorten(close[0])}?" if close else None)
