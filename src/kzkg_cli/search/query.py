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
from kzkg_cli.search.match import find_words, match_people, match_words, suggest_person
from kzkg_cli.search.refs import LEARNT, Resolver

if TYPE_CHECKING:
    from datetime import date

    from kzkg_cli.core.dates import Asked
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
    wanted = None
    if role:
        people = [p for p, _ in found]
        wanted = RoleQuery(role, offices, people, _synonyms_of(store, role))
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
    hint = _person_hint(store, name) if name and not found else None
    return Answer([resolver.resolve(row) for row in rows], hint)


def _synonyms_of(store: Store, text: str) -> tuple[str, ...]:
    """The other ways of writing a query that is one synonym-table entry (search.synonyms)."""
    from kzkg_cli.search.match import parse

    terms = parse(store, text)
    if len(terms) != 1:
        return ()
    return tuple(option.text for option in terms[0].options if option.alias)


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

    A query that is a date ("2025-08-22", "22 августа", "ноябрь 2025") lists the events on
    or in it; one that names people lists the events all of them took part in; any other
    query (or names with no events) matches the events' words, places and participants.
    Each event found by a query says why (``match``).
    """
    from kzkg_cli.core.dates import asked_date

    asked = asked_date(text) if text else None
    matches: dict[str, dict[str, Any]] = {}
    if asked is not None:
        events = [e for e in store.rows("event") if e.get("date") and _on(e["date"], asked)]
        matches = {e["id"]: _date_match(text or "") for e in events}
    else:
        events, matches = _events_found(store, text)
    if within is not None:
        events = [e for e in events if e.get("date") and _within(e["date"], within)]
    events.sort(key=lambda e: (_start(e.get("date")), e["title"]))
    hint = None
    if text and not events:
        others = len(match_words(store, text))
        hint = f"no events, but 'kzkg search' finds {others} hit(s) for it" if others else None
    resolve = Resolver(store).resolve
    return Answer([_with_match(resolve(e), matches.get(e["id"])) for e in events], hint)


def _events_found(store: Store, text: str | None) -> tuple[list[Row], dict[str, dict[str, Any]]]:
    """Events a text query finds, and why each: by the people it names, else by words."""
    if not text:
        return list(store.rows("event")), {}
    named = _people_groups(store, text)
    if named:
        events = _events_of_all(store, named)
        if events:
            from kzkg_cli.search.why import people_match

            typed = [typed for typed, _ in named]
            return events, {e["id"]: people_match(typed, "participants") for e in events}
    return _matching_why(store, "event", text)


def _date_match(typed: str) -> dict[str, Any]:
    """Why a record matched a query that is a date: its date (weighed as a title is)."""
    return {"score": 2.0, "fields": ["date"], "words": [typed], "via": []}


def _with_match(row: Row, match: dict[str, Any] | None) -> Row:
    return {**row, "match": match} if match is not None else row


def _on(when: str, asked: Asked) -> bool:
    """Whether an event dated `when` took place on or in the date a query names (in any year
    its date touches, when the query names no year)."""
    from kzkg_cli.core.dates import period_span

    first, last = period_span(when)
    years = [asked.year] if asked.year else range(first.year, last.year + 1)
    spans = (asked.span(year) for year in years)
    return any(span is not None and _within(when, span) for span in spans)


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


def _statements_of(store: Store, people: set[str]) -> list[Row]:
    """The statements any of the people made."""
    return [row for row in store.rows("statement") if people & set(row["speakers"])]


def _events_of_all(store: Store, named: list[tuple[str, set[str]]]) -> list[Row]:
    """The events in which each name a query gives has one of its people taking part."""
    return [
        row
        for row in store.rows("event")
        if all(people & set(row["participants"]) for _, people in named)
    ]


def _people_named(store: Store, text: str) -> set[str]:
    """The people a query names exactly (any case form, script or spelling)."""
    return {hit.row["id"] for hit in match_people(store, text) if hit.match.kind == "exact"}


def _people_groups(store: Store, text: str) -> list[tuple[str, set[str]]]:
    """The names a query gives, one after another ("Токаев Жапаров", "Садыр Жапаров и
    Бектенов"), each with the people it may be: a run of words is one name while some
    person's name holds them all. Empty unless every meaningful word is part of a name."""
    from kzkg_cli.core import names

    groups: list[tuple[str, set[int]]] = []
    typed: list[str] = []
    current: set[int] = set()
    for raw, folded in names.typed_tokens(text):
        if folded in names.STOPWORDS:
            continue
        people: set[int] = set()
        for key in names.name_stems(folded):
            people |= store.people_with(key)
        if not people:
            return []
        if typed and current & people:
            typed.append(raw)
            current &= people
            continue
        if typed:
            groups.append((" ".join(typed), current))
        typed, current = [raw], people
    if typed:
        groups.append((" ".join(typed), current))
    rows = store.at({pos for _, people in groups for pos in people})
    return [(name, {rows[p]["id"] for p in people}) for name, people in groups]


def _matching_why(
    store: Store, kind: str, text: str | None
) -> tuple[list[Row], dict[str, dict[str, Any]]]:
    """Records of one kind, all of them or those whose text matches, in file order, and
    why each matched (by id)."""
    if not text:
        return list(store.rows(kind)), {}
    from kzkg_cli.search.why import explain

    words = find_words(store, text)
    rows = [(pos, row) for pos, row in sorted(store.at(words.scores).items())]
    found = [(pos, row) for pos, row in rows if row["type"] == kind]
    if found:  # what only quotes hold counts only where no record holds it in its own text
        best = max(words.scores[pos] for pos, _ in found)
        floor = min(best, float(len(words.terms)))
        found = [(pos, row) for pos, row in found if words.scores[pos] >= floor]
    return [row for _, row in found], {row["id"]: explain(row, words, pos) for pos, row in found}


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
    found, why = _matching_why(store, "border", text)
    return Answer([_with_match(row, why.get(row["id"])) for row in found])


def agreements(
    store: Store,
    text: str | None = None,
    year: int | None = None,
    status: str | None = None,
    event: str | None = None,
) -> Answer:
    """Documents in date order, by words, year (of date or horizon), status, and the event
    that signed or adopted them (or any of its parts)."""
    found, why = _matching_why(store, "agreement", text)
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
    return Answer([_with_match(resolve(a), why.get(a["id"])) for a in found])


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
    found = _statements_of(store, people) if name else list(store.rows("statement"))
    why: dict[str, dict[str, Any]] = {}
    if about:
        why = _matching_why(store, "statement", about)[1]
        found = [row for row in found if row["id"] in why]
    if year is not None:
        from kzkg_cli.core.dates import period_span

        span = year_span(year)
        found = [s for s in found if s.get("date") and _overlaps(period_span(s["date"]), span)]
    found.sort(key=lambda s: _start(s.get("date")))
    hint = _person_hint(store, name) if name and not people else None
    resolve = Resolver(store).resolve
    return Answer([_with_match(resolve(row), why.get(row["id"])) for row in found], hint)


# ----------------------------------------------------------------------------- search, show


def search(store: Store, text: str) -> Answer:
    """Everything whose text matches, best first: the records, then the passages (sentences
    of the articles) that none of those records quotes, so a reader always lands on the
    article's own words. A query that is a date also finds the records dated on or in it.
    Each hit says why it matched (``match``)."""
    from kzkg_cli.search.why import explain

    words = find_words(store, text)
    hits = store.at(words.scores)
    records = [p for p in hits if hits[p]["type"] != "passage"]
    records.sort(key=lambda pos: (-words.scores[pos], pos))
    resolve = Resolver(store).resolve
    rows = [_hit(resolve(hits[p]), explain(hits[p], words, p)) for p in records]
    dated = _dated(store, text, {row["id"] for row in rows}, resolve)
    rows = dated + rows  # a query that is a date asks first for what happened then
    returned = {row["id"] for row in rows}
    passages = [p for p in hits if hits[p]["type"] == "passage"]
    passages.sort(key=lambda pos: (-words.scores[pos], pos))
    rows += [
        _hit(hits[p], explain(hits[p], words, p))
        for p in passages
        if returned.isdisjoint(hits[p]["quoted_by"])
    ]
    return Answer(rows, _person_hint(store, text) if not rows else None)


def _hit(row: Row, match: dict[str, Any]) -> Row:
    return {**row, "score": match["score"], "match": match}


def _dated(store: Store, text: str, seen: set[str], resolve: Any) -> list[Row]:
    """The records (of any kind but source) dated on or in the date a query is, if it is
    one, that the words did not already find."""
    from kzkg_cli.core.dates import asked_date

    asked = asked_date(text)
    if asked is None:
        return []
    found = []
    for row in store.rows():
        if row["type"] == "source" or row["id"] in seen:
            continue
        for key in ("date", "period"):
            if row.get(key) and _on(row[key], asked):
                found.append(_hit(resolve(row), {**_date_match(text), "fields": [key]}))
                break
    return found


def _person_hint(store: Store, text: str) -> str | None:
    """What to try when a name (or a search) finds nothing: the nearest person's name."""
    close = suggest_person(store, text)
    return f"did you mean: {shorten(close)}?" if close else None


def show(store: Store, record_id: str) -> Answer:
    """One record in full, by id; or a passage ("003:12", its article's number and its
    sentence's) with the sentences around it. An id that is none says which command or id
    would answer it."""
    wanted = record_id.strip()
    row = store.get(wanted)
    if row is not None and row["type"] == "passage":
        return Answer([_in_context(store, row)])
    if row is not None:
        return Answer([Resolver(store).resolve(row)])
    passage = _passage(store, wanted)
    if passage is not None:
        return Answer([_in_context(store, passage)])
    return Answer([], _show_hint(store, wanted))


CONTEXT = 2
"""Sentences shown before and after a passage."""


def _passage(store: Store, wanted: str) -> Row | None:
    """The passage a short id names: the article's number (the id up to its "_") and the
    sentence's, as in "003:12"."""
    prefix, colon, number = wanted.rpartition(":")
    if not colon or not number.isdigit() or not prefix:
        return None
    sources = [s for s in store.ids() if s.split("_")[0] == prefix and ":" not in s]
    if len(sources) != 1:
        return None
    row = store.get(f"{sources[0]}:{int(number)}")
    return row if row is not None and row["type"] == "passage" else None


def _in_context(store: Store, passage: Row) -> Row:
    """A passage with the sentences before and after it (up to CONTEXT each)."""
    source, n = passage["source"], passage["n"]
    around = [store.get(f"{source}:{k}") for k in range(n - CONTEXT, n + CONTEXT + 1) if k != n]
    before = [r for r in around if r is not None and r["n"] < n]
    after = [r for r in around if r is not None and r["n"] > n]
    return {**passage, "before": before, "after": after}


def _show_hint(store: Store, wanted: str) -> str | None:
    """What answers a show that names no id: the person a name is (kzkg who), the words
    (kzkg search), or the id nearest a mistyped one."""
    people = match_people(store, wanted) if not _looks_like_id(wanted) else []
    exact = [hit.row for hit in people if hit.match.kind == "exact"]
    none = f"no record has the id {shorten(wanted)!r}"
    if exact:
        ids = ", ".join(repr(p["id"]) for p in exact[:3])
        return f"{none}; try: kzkg who {shorten(wanted)} (person {ids})"
    close = _closest(wanted, [i for i in store.ids() if ":" not in i])
    if close:
        return f"{none}; did you mean: {shorten(close)}?"
    if match_words(store, wanted):
        return f"{none}; try: kzkg search {shorten(wanted)}"
    return None


def _looks_like_id(text: str) -> bool:
    """Ids are lower-case Latin letters, digits, "-", "_" and ":"."""
    return (
        bool(text)
        and all(c.isascii() and (c.isalnum() or c in "-_:") for c in text)
        and text == text.lower()
    )
