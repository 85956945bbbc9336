"""Draft candidates linked to the fact base: people to their ids by the name index (any case
form, Latin or Kazakh spelling), posts to offices by their wordings, each record marked new or
as matching one the base holds; what the base already holds from this same article is left
out (same kind, a quote of that article overlapping)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kzkg_cli.core import names
from kzkg_cli.core.rows import Row, office_wordings
from kzkg_cli.core.text import squash
from kzkg_cli.index.store import Store
from kzkg_cli.ingest.draft.candidate import (
    Candidate,
    Extraction,
    Person,
    PersonKey,
    Role,
    Span,
    Title,
)
from kzkg_cli.ingest.draft.latin import latin, slug
from kzkg_cli.search.match import match_people

DESCRIPTIONS = frozenset(
    names.canonical(w)
    for w in "писатель поэт композитор дирижер дирижёр артист художник ученый учёный лидер".split()
)
"""Heads of descriptions, not offices ("выдающийся писатель", "народный артист")."""
_GENERIC_HEADS = frozenset(("глава", "лидер", "руководитель", "представитель"))
"""Post words any leader may be called by, which say nothing of which post is meant."""
MATCH_AT = 0.6
"""The least score at which a candidate is taken to be a record the base holds."""


@dataclass(slots=True)
class Proposal:
    """One record draft proposes: its fields (sources last), and how it stands to the base."""

    kind: str
    fields: dict[str, Any]
    quotes: list[Span]
    status: str = "new"
    """new, or matches (the base holds a record this seems to be)."""
    match: str | None = None
    score: float = 1.0
    english: tuple[str, ...] = ()
    comments: list[str] = field(default_factory=list)
    roles: list[Proposal] = field(default_factory=list)


class Linker:
    """Links one article's candidates to one fact base."""

    def __init__(self, store: Store, found: Extraction) -> None:
        self.store = store
        self.found = found
        self.ids = set(store.ids())
        self.offices = {row["id"]: row for row in store.rows("office")}
        self.people_rows = {row["id"]: row for row in store.rows("person")}
        self.person_ids: dict[str, str] = {}
        self.person_scores: dict[str, float] = {}
        self.new_offices: dict[str, Proposal] = {}
        self.roles: dict[str, list[Proposal]] = {}
        self.article = squash(found.text)
        """The article whitespace-squashed, as quotes are found in it."""
        self._rows: dict[str, list[Row]] = {}

    def rows(self, kind: str) -> list[Row]:
        """The base's records of a kind, read from the store once for every proposal."""
        if kind not in self._rows:
            self._rows[kind] = list(self.store.rows(kind))
        return self._rows[kind]

    # ------------------------------------------------------------------------- people

    def link_people(self) -> None:
        for person in self.found.people:
            hit = self._known(person)
            if hit is not None:
                self.person_ids[person.key], self.person_scores[person.key] = hit
            else:
                self.person_ids[person.key] = self._fresh(slug(latin(person.name.split()[-1]), 2))
                self.person_scores[person.key] = 1.0

    def _known(self, person: Person) -> tuple[str, float] | None:
        scores: dict[str, float] = {}
        for surface in dict.fromkeys([person.name, *person.surfaces]):
            if " " not in surface.strip():
                continue
            for hit in match_people(self.store, surface):
                if hit.match.kind == "exact":
                    scores[hit.row["id"]] = max(scores.get(hit.row["id"], 0), hit.match.score / 100)
        if len(scores) != 1:
            best = sorted(scores.items(), key=lambda s: -s[1])
            return best[0] if best and (len(best) == 1 or best[0][1] > best[1][1]) else None
        return next(iter(scores.items()))

    def _fresh(self, base: str) -> str:
        candidate, number = base, 2
        while candidate in self.ids:
            candidate, number = f"{base}-{number}", number + 1
        self.ids.add(candidate)
        return candidate

    # ------------------------------------------------------------------------- offices

    def offices_of(
        self, parts: list[str], country: str | None, held: frozenset[str] = frozenset()
    ) -> tuple[list[str], list[str]]:
        """The office ids a post's parts name (where a wording fits several offices, the one
        the person holds), and the parts that name none the base has."""
        ids, missing = [], []
        for part in parts:
            offices = self._offices(part, country)
            if len(offices) > 1 and held & set(offices):
                offices = sorted(held & set(offices))
            if len(offices) == 1:
                ids.append(offices[0])
            elif not offices and not self._description(part):
                missing.append(part)
        return ids, missing

    def _office(self, part: str, country: str | None) -> str | None:
        offices = self._offices(part, country)
        return offices[0] if len(offices) == 1 else None

    def _offices(self, part: str, country: str | None) -> list[str]:
        keys = frozenset().union(*names.keys(part)) if names.keys(part) else frozenset()
        from kzkg_cli.ingest.draft.people import country_of

        own = country_of(part) or country
        best: list[tuple[int, str]] = []
        for office_id, office in self.offices.items():
            if own and office.get("country") not in (None, own):
                continue  # the other country's office, whatever its wordings share
            for wording in office_wordings(office):
                wording_keys = names.keys(wording)
                if wording_keys and all(stems & keys for stems in wording_keys):
                    best.append((len(wording_keys), office_id))
        if not best:
            return []
        top = max(size for size, _ in best)
        return sorted({o for size, o in best if size == top})

    def _description(self, part: str) -> bool:
        return any(names.canonical(word) in DESCRIPTIONS for word in part.lower().split()[:3])

    def new_office(self, part: str, country: str | None, quote: Span) -> str:
        key = names.canonical(part)
        if key not in self.new_offices:
            office_id = self._fresh(slug(part, 4) + (f"-{country.lower()}" if country else ""))
            fields = {
                "id": office_id,
                "label": part,
                "country": country or "KZ",
                "kind": _office_kind(part),
                "aliases": [part],
            }
            comments = [] if country else ["country: not stated in the title; KZ is a guess"]
            comments.append("kind: guessed from the title's first word")
            self.new_offices[key] = Proposal(
                "office", fields, [quote], english=("label_en", "aliases_en"), comments=comments
            )
        return str(self.new_offices[key].fields["id"])

    # ------------------------------------------------------------------------- roles

    def role(self, person_id: str, role: Role, note: str | None = None) -> None:
        held = frozenset(
            o
            for r in self.people_rows.get(person_id, {}).get("roles", ())
            for o in r.get("office") or ()
        )
        ids, missing = self.offices_of(role.parts, role.country, held)
        ids += [self.new_office(part, role.country, role.quote) for part in missing]
        fields: dict[str, Any] = {"title": role.title}
        if ids:
            fields["office"] = ids
        if role.country:
            fields["country"] = role.country
        if ids and self.found.date:
            fields["date"] = self.found.date
            if self.found.date_given:
                fields["date_inferred"] = True
                fields["date_note"] = "The article's date, given on the command line (--date)."
        if note:
            fields["note"] = note
        proposal = Proposal("role", fields, [role.quote], english=("title_en",))
        if self._held_role(person_id, role.quote):
            return
        proposed = self.roles.setdefault(person_id, [])
        text = self.found.text[role.quote.start : role.quote.end]
        if not any(  # a headline and a lead that name the post in the same words: one role
            p.fields["title"] == role.title
            and self.found.text[p.quotes[0].start : p.quotes[0].end] == text
            for p in proposed
        ):
            proposed.append(proposal)

    def _held_role(self, person_id: str, quote: Span) -> bool:
        row = self.people_rows.get(person_id)
        if row is None:
            return False
        text = self.found.text[quote.start : quote.end]
        return any(
            _overlap(ref["quote"], text)
            for role in row.get("roles", ())
            for ref in role.get("sources", ())
            if ref["doc"] == self.found.doc
        )

    def holder(
        self, title: Title, context: PersonKey | None, by_head: bool = True
    ) -> tuple[str, str] | None:
        """Whose post a title named alone is: the one person of this article the base (or
        the article) gives that office; else (by_head) the one the article gives a post of
        the same head word; else the context's person, unless their posts are of another
        kind. (id, how)"""
        offices = self._offices(title.title, title.country)
        mentioned = {self.person_ids[p.key]: p for p in self.found.people}
        holders = [
            pid for pid in mentioned if set(offices) & self._offices_held(pid, mentioned[pid])
        ]
        if offices and len(holders) == 1:
            label = ", ".join(
                sorted(set(offices) & self._offices_held(holders[0], mentioned[holders[0]]))
            )
            return holders[0], f"holds the office it names ({label}) and is named in the article"
        head = _head(title.title)
        if head in _GENERIC_HEADS or not by_head:  # "глава государства", "лидер": any head
            head = ""
        titled = [p for p in mentioned if head and head in self._heads_of(p, mentioned[p])]
        if len(titled) == 1:  # "Посол подчеркнул": the one person the article calls a посол
            return titled[0], f"is the one person the article gives a post headed '{head}'"
        if context is not None and context.key in self.person_ids:
            pid = self.person_ids[context.key]
            person = next((p for p in self.found.people if p.key == context.key), None)
            heads = self._heads_of(pid, person) if person is not None else set()
            if heads and _head(title.title) not in heads | _GENERIC_HEADS | {""}:
                return None  # the person named last holds posts of another kind
            return pid, "is the person named last before it"
        return None

    def _heads_of(self, person_id: str, person: Person) -> set[str]:
        """The head words of every post the person holds: in the base, and in the article."""
        titles = [
            str(r.get("title") or "") for r in self.people_rows.get(person_id, {}).get("roles", ())
        ]
        titles += [role.title for role in person.roles if not role.by_context]
        titles += [
            str(self.offices[o].get("label") or "") for o in self._offices_held(person_id, person)
        ]
        return {h for h in map(_head, titles) if h}

    def _offices_held(self, person_id: str, person: Person) -> set[str]:
        held = {
            o
            for role in self.people_rows.get(person_id, {}).get("roles", ())
            for o in role.get("office") or ()
        }
        for role in person.roles:
            held.update(self.offices_of(role.parts, role.country)[0])
        return held


def link(store: Store, found: Extraction) -> list[Proposal]:
    """The proposals for one article: its source, new offices, people with their roles, and
    every other record, each new or matching; what the base holds from it left out."""
    linker = Linker(store, found)
    linker.link_people()
    for person in found.people:
        for role in person.roles:
            linker.role(linker.person_ids[person.key], role)
    for title in found.titles:
        who = linker.holder(title, None, by_head=False)
        if who is not None:
            role = Role(title.title, [title.title], title.span, title.country, by_context=True)
            linker.role(who[0], role, f"The title names no one; read as this person, who {who[1]}.")
    proposals = [_source(store, found)]
    proposals += list(linker.new_offices.values())
    proposals += [_person(linker, person) for person in found.people]
    records = [_record(linker, candidate) for candidate in found.records]
    proposals += _ided(linker, records)
    return [p for p in proposals if p is not None and p.status != "held"]


def _source(store: Store, found: Extraction) -> Proposal:
    held = store.get(found.doc)
    proposal = Proposal(
        "source", dict(found.source.fields), found.source.quotes, english=found.source.english
    )
    if held is not None:
        proposal.status, proposal.match = "held", found.doc
    return proposal


def _person(linker: Linker, person: Person) -> Proposal:
    person_id = linker.person_ids[person.key]
    row = linker.people_rows.get(person_id)
    fields: dict[str, Any] = {
        "id": person_id,
        "name": row["name"] if row else person.name,
        "name_latin": row["name_latin"] if row else person.name_latin,
    }
    surname = person.name.split()[-1]
    if row is None and " " in person.name:
        fields["aliases"] = [surname]
    if person.country and row is None:
        fields["country"] = person.country
    quotes = [person.mentions[0]]
    proposal = Proposal("person", fields, quotes, roles=linker.roles.get(person_id, []))
    if row is not None:
        proposal.status, proposal.match = "matches", person_id
        proposal.score = linker.person_scores.get(person.key, 1.0)
        cited = {ref["doc"] for ref in row.get("sources", ())}
        cited.update(r["doc"] for role in row.get("roles", ()) for r in role.get("sources", ()))
        if not proposal.roles and linker.found.doc in cited:
            proposal.status = "held"  # the base has them from this article, and no new post
    return proposal


def _record(linker: Linker, candidate: Candidate) -> Proposal:
    fields = dict(candidate.fields)
    comments = list(candidate.comments)
    for name in ("participants", "speakers"):
        if name in fields:
            fields[name], note = _people(linker, fields[name], fields.pop("speakers_context", None))
            if note:
                fields[f"{name}_inferred"] = True
                fields[f"{name}_note"] = note
    fields.pop("speakers_context", None)
    proposal = Proposal(
        candidate.kind, fields, list(candidate.quotes), english=candidate.english, comments=comments
    )
    _compare(linker, proposal)
    return proposal


def _people(
    linker: Linker, values: Iterable[Any], context: PersonKey | None
) -> tuple[list[str], str | None]:
    ids, notes = [], []
    for value in values:
        if isinstance(value, PersonKey):
            ids.append(linker.person_ids[value.key])
        elif isinstance(value, Title):
            who = linker.holder(value, context)
            if who is not None:
                ids.append(who[0])
                notes.append(
                    f"The text names the speaker as '{value.title}'; "
                    f"read as {who[0]}, who {who[1]}."
                )
    return list(dict.fromkeys(ids)), " ".join(notes) or None


def _compare(linker: Linker, proposal: Proposal) -> None:
    """Mark a proposal held (the base has it from this article), or matching a record."""
    text = " ".join(linker.found.text[q.start : q.end] for q in proposal.quotes)
    article = linker.article
    mine = [_stretch(article, linker.found.text[q.start : q.end]) for q in proposal.quotes]
    best: tuple[float, str] | None = None
    for row in linker.rows(proposal.kind):
        for ref in row.get("sources", ()):
            if ref["doc"] != linker.found.doc:
                continue
            theirs = _stretch(article, ref["quote"])
            overlaps = _overlap(ref["quote"], text) or any(_meet(theirs, one) for one in mine)
            if overlaps and _same_thing(proposal.fields, row):
                proposal.status, proposal.match = "held", row["id"]
                return
        score = _same_values(proposal.fields, row)
        if score >= MATCH_AT and (best is None or score > best[0]):
            best = (score, row["id"])
    if best is not None:
        proposal.status, proposal.match, proposal.score = "matches", best[1], round(best[0], 2)


def _stretch(article: str, quote: str) -> tuple[int, int] | None:
    """Where a quote stands in the whitespace-squashed article (its first occurrence)."""
    wanted = squash(quote)
    at = article.find(wanted) if wanted else -1
    return None if at < 0 else (at, at + len(wanted))


def _meet(one: tuple[int, int] | None, other: tuple[int, int] | None) -> bool:
    return one is not None and other is not None and one[0] < other[1] and other[0] < one[1]


def _same_thing(fields: dict[str, Any], row: Row) -> bool:
    """Whether a record resting on the same sentences of the same article says what the
    proposal says: the same figures, a speaker or participant in common, or (for documents,
    checkpoints and the rest, of which one sentence may name several) most of the
    proposal's title words in the record's title or aliases."""
    if any(fields.get(k) is not None for k in ("value_usd", "growth_pct", "share_pct", "count")):
        return _same_values(fields, row) >= MATCH_AT
    for people in ("speakers", "participants"):
        if fields.get(people) and row.get(people):
            return bool(set(fields[people]) & set(row[people]))
    mine = str(fields.get("title") or fields.get("name") or "")
    theirs = " ".join(
        str(x) for x in (row.get("title"), row.get("name"), *(row.get("aliases") or ())) if x
    )
    return bool(mine) and _word_share(mine, theirs) >= 0.5


def _same_values(fields: dict[str, Any], row: Row) -> float:
    """How far a proposal's values are the row's: figures equal, or title words shared."""
    figures = [
        k for k in ("value_usd", "growth_pct", "share_pct", "count") if fields.get(k) is not None
    ]
    if figures:  # a figure of another period or horizon is another record
        if (
            fields.get("kind")
            and row.get("kind")
            and (fields["kind"] == "actual") != (row["kind"] == "actual")
        ):
            return 0.0  # a figure reached is not the target or potential of the same amount
        figures += [k for k in ("period", "horizon") if fields.get(k) and row.get(k)]
        same = sum(1 for k in figures if row.get(k) is not None and _same(row[k], fields[k]))
        return same / len(figures)
    if fields.get("speakers"):
        if not set(fields["speakers"]) & set(row.get("speakers", ())):
            return 0.0
        return _word_share(
            str(fields.get("summary", "")), " ".join(r["quote"] for r in row.get("sources", ()))
        )
    for name in ("title", "name"):
        if fields.get(name) and row.get(name):
            return _word_share(str(fields[name]), str(row[name]), both=True)
    return 0.0


def _same(value: Any, other: Any) -> bool:
    if isinstance(value, str) or isinstance(other, str):
        return str(value) == str(other)
    return abs(float(value) - float(other)) < 1e-6


def _word_share(text: str, other: str, both: bool = False) -> float:
    mine = [frozenset(k) for k in names.keys(text)]
    theirs = frozenset().union(*names.keys(other)) if other else frozenset()
    if not mine:
        return 0.0
    share = sum(1 for k in mine if k & theirs) / len(mine)
    if both:
        back = _word_share(other, text)
        return min(share, back)
    return share


def _overlap(quote: str, text: str) -> bool:
    a, b = squash(quote), squash(text)
    return bool(a) and bool(b) and (a in b or b in a)


def _ided(linker: Linker, records: list[Proposal]) -> list[Proposal]:
    for proposal in records:
        if proposal.fields.get("id"):
            continue
        proposal.fields["id"] = linker._fresh(_id_base(proposal))
    return records


def _id_base(proposal: Proposal) -> str:
    fields = proposal.fields
    if proposal.kind == "statement":
        who = (fields.get("speakers") or ["someone"])[0]
        return f"{who}-{slug(str(fields.get('summary', '')), 3)}"
    if proposal.kind == "border":
        return "cp-" + slug(str(fields["name"]), 3)
    if proposal.kind == "trade":
        return f"{fields['indicator'].replace('_', '-')}-{slug(str(fields['title']), 3)}"
    return slug(str(fields.get("title", proposal.kind)), 4)


def _head(title: str) -> str:
    """The word that heads a post, as a search key ("Чрезвычайный и Полномочный Посол
    Кыргызстана": "посол"): its first noun of the draft's post words."""
    from kzkg_cli.ingest.draft.article import parses
    from kzkg_cli.ingest.draft.people import POST_WORDS

    for word in title.split():
        for parse in parses(word.lower())[:1]:
            if str(parse.normal_form) in POST_WORDS:
                return str(parse.normal_form)
    return ""


def _office_kind(part: str) -> str:
    first = names.canonical(_head(part) or part.split()[0])
    kinds = {
        "ministr": "minister",
        "prezident": "head_of_state",
        "posol": "ambassador",
        "premer-ministr": "head_of_government",
        "zamestitel": "deputy_head_of_government",
    }
    return kinds.get(first, "agency_head")
