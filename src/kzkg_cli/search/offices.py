"""Offices and tenure: which office a role stands for, who held it on a date, and which offices
a `--role` query names.

A person holds an office on a date when the date lies between the first and the last day the
sources attest them in it (or within a start and end a source states): two attestations, in
2024 and on 13 November 2025, mean in office throughout. Descriptions (a writer, a poet) are
never offices, so a person described only is never in office.

`--role` words are matched against each office's wordings in both languages (and against the
titles of descriptions). A wording whose first word the query names ("президент", "prime
minister", "глава правительства") matches strongly; one that merely contains the words
("Руководитель Администрации Президента") matches weakly, and weak matches count only where
nothing matches strongly. A deputy's office ("заместитель", "deputy") matches only a query that
says deputy: a deputy is never returned for the office itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from kzkg_cli.core import names
from kzkg_cli.core.rows import Row, office_wordings
from kzkg_cli.index.store import Store

if TYPE_CHECKING:
    Span = tuple[str, str]
    """First and last day, as ISO text (see iso_span)."""

_DEPUTY = frozenset().union(*names.keys("заместитель заместителя deputy вице vice"))
STRONG, WEAK = 2, 1


class Tenure(NamedTuple):
    """One office a person held, as the sources attest it."""

    office: str
    attestations: list[Row]
    """Each date a role attests it on (or a start or end a source states), oldest first:
    {"date", "date_inferred", "title"}."""
    first: Row | None
    """The earliest attestation."""
    last: Row | None
    """The latest attestation."""
    span: Span | None
    """From the first day of the first to the last day of the last; None if undated."""


def iso_span(text: str) -> Span:
    """First and last day a partial ISO date covers, as ISO text that sorts as the days do
    ("2024" is "2024-01-01" to "2024-12-31"; a month ends on its "31st", which sorts after
    every day it has), worked out without the datetime module, which a plain name lookup does
    not otherwise load."""
    start = text + "-01-01"[len(text) - 4 :] if len(text) < 10 else text
    end = text + "-12-31"[len(text) - 4 :] if len(text) < 10 else text
    return start, end


def tenures(person: Row) -> dict[str, Tenure]:
    """Each office a person's roles name, with the span the sources attest it over."""
    found: dict[str, list[Row]] = {}
    for role in person["roles"]:
        for office in role.get("office") or ():
            attested = found.setdefault(office, [])
            for key in ("date", "start", "end"):
                if role.get(key):
                    inferred = bool(role.get("date_inferred")) and key == "date"
                    attested.append(
                        {"date": role[key], "date_inferred": inferred, "title": role["title"]}
                    )
    held = {}
    for office, attested in found.items():
        attested.sort(key=lambda a: (iso_span(a["date"]), a["date_inferred"]))
        if not attested:
            held[office] = Tenure(office, [], None, None, None)
            continue
        first = min(attested, key=lambda a: iso_span(a["date"])[0])
        last = max(attested, key=lambda a: iso_span(a["date"])[1])
        span = (iso_span(first["date"])[0], iso_span(last["date"])[1])
        held[office] = Tenure(office, attested, first, last, span)
    return held


def offices_by_id(store: Store) -> dict[str, Row]:
    """The fact base's offices by id (read once per question that needs them)."""
    return {row["id"]: row for row in store.rows("office")}


class RoleQuery:
    """`--role` words, matched against offices' wordings and descriptions' titles."""

    def __init__(
        self,
        text: str,
        offices: dict[str, Row],
        people: list[Row],
        synonyms: tuple[str, ...] = (),
    ) -> None:
        self.keys = names.keys(text)
        self.deputy = any(stems & _DEPUTY for stems in self.keys)
        self.ways = [self.keys, *(names.keys(other) for other in synonyms)]
        """The query's words, and those of each synonym of the whole query (search.match)."""
        self.office_strength = {
            office_id: self._strength(office_wordings(office))
            for office_id, office in offices.items()
        }
        titles = [
            self._strength([role["title"], role.get("title_en") or ""])
            for person in people
            for role in person["roles"]
            if not role.get("office")
        ]
        best = max([*self.office_strength.values(), *titles, 0])
        self.needed = STRONG if best == STRONG else WEAK
        self.named = {o for o, strength in self.office_strength.items() if strength >= self.needed}
        """The offices the query names."""

    def _strength(self, wordings: list[str]) -> int:
        """How well the query (or a synonym of it) names one of the wordings: STRONG where a
        wording's first word is among its words, WEAK where the wording only holds them."""
        best = 0
        for wording in wordings:
            keys = names.keys(wording)
            if not keys:
                continue
            if not self.deputy and any(stems & _DEPUTY for stems in keys):
                continue  # a deputy's wording, and the query does not ask for a deputy
            union = frozenset().union(*keys)
            for way in self.ways:
                if way and all(stems & union for stems in way):
                    strong = any(keys[0] & stems for stems in way)
                    best = max(best, STRONG if strong else WEAK)
        return best

    def matches(self, role: Row) -> bool:
        """Whether a role is one the query names: through its offices, or, for a
        description, its title."""
        if role.get("office"):
            return any(office in self.named for office in role["office"])
        return self._strength([role["title"], role.get("title_en") or ""]) >= self.needed
