"""How well `kzkg draft` proposes what the curators recorded, article by article.

    python benchmarks/draft_quality.py

For each seed article, the fact base is put back as it was before the article was added: every
record whose citations are all of that article is removed; a record citing other articles too
stays, less that article's quotes (its roles citing only that article go), and references to
removed records are dropped. The draft engine then reads the article against that base, and
its proposals are scored against the curated records of the article (those citing it):

- people: a curated person counts as found when a proposed person links to the curated id
  (`matches <id>`) or proposes the same nominative name (names.canonical equal);
- posts: a curated role counts when a proposed role of the same person has the same words
  (names.keys, each way at least 70% of the words shared) or names the same offices;
- money: the set of dollar amounts (trade value_usd) curated against those proposed, equal
  values; percentages: the same for growth_pct and share_pct;
- explicit dates: the date values (date, period, horizon, a role's date) the curated records
  state in this article's own words or by its date line (not inferred), against the values
  the proposals state (not inferred);
- documents: a curated agreement counts when a proposed agreement's quote overlaps one of its
  quotes from this article (a shared stretch of 25 characters or the whole shorter quote) and
  its kind is the same or its title shares half its words;
- statements: a curated statement counts when a proposal names one of its speakers and its
  first quote overlaps one of the statement's quotes from this article.

Recall is found/expected; precision is the share of proposals of that kind that match a
curated record (for money, percentages and dates: of the distinct values proposed). Each
proposal matches at most one curated record.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("people", "posts", "money", "percentages", "explicit dates", "documents", "statements")
REF_LISTS = ("participants", "mentions", "speakers", "targets", "records")
REF_ONE = ("event", "part_of", "predecessor", "successor", "claims_more")
DATE_FIELDS = ("date", "period", "horizon", "start", "end")


@dataclass
class Score:
    """Counts for one kind: expected, found of them, proposed, proposed that match."""

    expected: int = 0
    found: int = 0
    proposed: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.proposed if self.proposed else 1.0


# ----------------------------------------------------------------------------- the base before


def cites(item: dict[str, Any], doc: str) -> list[str]:
    docs = [ref["doc"] for ref in item.get("sources", ())]
    for role in item.get("roles", ()):
        docs += [ref["doc"] for ref in role.get("sources", ())]
    for reading in item.get("readings", ()):
        docs += [ref["doc"] for ref in reading.get("sources", ())]
    return docs


def before(base: dict[str, Any], doc: str) -> dict[str, Any]:
    """The fact base as it was before the article doc was added (see the module's doc)."""
    kept: dict[str, Any] = {"schema_version": base.get("schema_version", 1)}
    for kind, records in base.items():
        if not isinstance(records, list):
            continue
        out = []
        for record in records:
            docs = cites(record, doc)
            if not docs or all(d == doc for d in docs) or kind == "conflict" and doc in docs:
                continue
            record = dict(record)
            record["sources"] = [r for r in record.get("sources", ()) if r["doc"] != doc]
            if "roles" in record:
                record["roles"] = [
                    {**role, "sources": [r for r in role["sources"] if r["doc"] != doc]}
                    for role in record["roles"]
                    if any(r["doc"] != doc for r in role["sources"])
                ]
            if record["sources"] or record.get("roles"):
                out.append(record)
        kept[kind] = out
    return _without_dangling(kept)


def _without_dangling(base: dict[str, Any]) -> dict[str, Any]:
    while True:
        ids = {r["id"] for records in base.values() if isinstance(records, list) for r in records}
        changed = False
        for kind, records in base.items():
            if not isinstance(records, list):
                continue
            for record in records:
                changed |= _clean(record, ids)
                for role in record.get("roles", ()):
                    if any(o not in ids for o in role.get("office", ())):
                        role["office"] = [o for o in role["office"] if o in ids]
                        changed = True
            empty = [r for r in records if kind == "statement" and not r.get("speakers")]
            if empty:
                base[kind] = [r for r in records if r not in empty]
                changed = True
        if not changed:
            return base


def _clean(record: dict[str, Any], ids: set[str]) -> bool:
    changed = False
    for name in REF_LISTS:
        if name in record and any(v not in ids for v in record[name]):
            record[name] = [v for v in record[name] if v in ids]
            changed = True
    for name in REF_ONE:
        if name in record and record[name] not in ids:
            for key in (name, f"{name}_inferred", f"{name}_note"):
                record.pop(key, None)
            changed = True
    return changed


def write_toml(base: dict[str, Any], path: Path) -> None:
    from kzkg_cli.present.draft import toml_value

    lines = [f"schema_version = {base['schema_version']}"]
    for kind, records in base.items():
        if not isinstance(records, list):
            continue
        for record in records:
            lines.append(f"\n[[{kind}]]")
            lines += [f"{key} = {toml_value(value)}" for key, value in record.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- scoring


def overlap(a: str, b: str) -> bool:
    from kzkg_cli.core.text import squash

    a, b = squash(a), squash(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(
        0, len(a), 0, len(b)
    )
    return match.size >= 25


def share(a: str, b: str) -> float:
    from kzkg_cli.core import names

    mine = names.keys(a)
    theirs = frozenset().union(*names.keys(b)) if names.keys(b) else frozenset()
    return sum(1 for k in mine if k & theirs) / len(mine) if mine else 0.0


def same_words(a: str, b: str) -> bool:
    return share(a, b) >= 0.7 and share(b, a) >= 0.7


def score_article(
    doc: str, text: str, curated: dict[str, Any], proposals: list[Any]
) -> dict[str, Score]:
    """Each kind's score for one article."""
    from kzkg_cli.core import names

    scores = {kind: Score() for kind in KINDS}
    mine = {
        kind: [r for r in curated.get(kind, []) if doc in cites(r, doc)]
        for kind in curated
        if isinstance(curated[kind], list)
    }
    people = [p for p in proposals if p.kind == "person"]
    ids: dict[str, str] = {}
    score = scores["people"]
    score.expected, score.proposed = len(mine.get("person", [])), len(people)
    for person in mine.get("person", []):
        hit = next(
            (
                p
                for p in people
                if p.fields["id"] == person["id"]
                or names.canonical(p.fields["name"]) == names.canonical(person["name"])
            ),
            None,
        )
        if hit is None:
            score.misses.append(person["name"])
            continue
        score.found += 1
        ids[hit.fields["id"]] = person["id"]
    score.right = len(set(ids))
    _posts(scores["posts"], mine.get("person", []), people, ids, doc)
    _values(scores["money"], mine.get("trade", []), proposals, ("value_usd",))
    _values(scores["percentages"], mine.get("trade", []), proposals, ("growth_pct", "share_pct"))
    _dates(scores["explicit dates"], doc, mine, proposals, curated)
    _documents(scores["documents"], mine.get("agreement", []), proposals, text, doc)
    _statements(scores["statements"], mine.get("statement", []), proposals, text, doc, ids)
    return scores


def _pair(
    score: Score,
    expected: list[tuple[str, Any]],
    proposed: list[Any],
    fits: Callable[[Any, Any], bool],
) -> None:
    """Count each expected item found when a proposal not yet used fits it (first come, each
    proposal used once); the misses are named by their labels."""
    score.expected, score.proposed = len(expected), len(proposed)
    used: set[int] = set()
    for label, wanted in expected:
        number = next(
            (n for n, mine in enumerate(proposed) if n not in used and fits(wanted, mine)), None
        )
        if number is None:
            score.misses.append(label)
            continue
        used.add(number)
        score.found += 1
    score.right = len(used)


def _posts(
    score: Score, curated: list[Any], people: list[Any], ids: dict[str, str], doc: str
) -> None:
    expected = [
        (f"{person['id']}: {role['title']}", (person["id"], role))
        for person in curated
        for role in person.get("roles", ())
        if any(r["doc"] == doc for r in role["sources"])
    ]

    def fits(wanted: tuple[str, Any], proposal: tuple[str | None, Any]) -> bool:
        (person_id, role), (owner, mine) = wanted, proposal
        offices = set(mine.fields.get("office", ())) == set(role.get("office", ())) != set()
        return owner == person_id and (offices or same_words(mine.fields["title"], role["title"]))

    proposed = [(ids.get(p.fields["id"]), role) for p in people for role in p.roles]
    _pair(score, expected, proposed, fits)


def _values(score: Score, curated: list[Any], proposals: list[Any], keys: tuple[str, ...]) -> None:
    expected = {float(r[k]) for r in curated for k in keys if r.get(k) is not None}
    found = {
        float(p.fields[k])
        for p in proposals
        if p.kind == "trade"
        for k in keys
        if p.fields.get(k) is not None
    }
    score.expected, score.proposed = len(expected), len(found)
    score.found = score.right = len(expected & found)
    score.misses = [f"{v:g}" for v in sorted(expected - found)]


def _dates(
    score: Score,
    doc: str,
    mine: dict[str, list[Any]],
    proposals: list[Any],
    curated: dict[str, Any],
) -> None:
    from kzkg_cli.ingest.support import Evidence

    source = next((s for s in curated.get("source", []) if s["id"] == doc), {})
    line = source.get("date") if not source.get("date_inferred") else None
    expected: set[str] = set([line] if line else [])
    for records in mine.values():
        for record in records:
            for item in (record, *record.get("roles", ())):
                quotes = [r["quote"] for r in item.get("sources", ()) if r["doc"] == doc]
                if not quotes:
                    continue
                evidence = Evidence(quotes)
                for name in DATE_FIELDS:
                    value = item.get(name)
                    if not value or item.get(f"{name}_inferred"):
                        continue
                    stated = all(evidence.has_date(end) for end in str(value).split("/"))
                    if stated or (item is not record and value == line):
                        expected.add(str(value))
    found: set[str] = set()
    for proposal in proposals:
        for item in (proposal.fields, *(r.fields for r in proposal.roles)):
            for name in DATE_FIELDS:
                if item.get(name) and not item.get(f"{name}_inferred"):
                    found.add(str(item[name]))
    score.expected, score.proposed = len(expected), len(found)
    score.found = score.right = len(expected & found)
    score.misses = sorted(expected - found)


def _quotes(proposal: Any, text: str) -> list[str]:
    return [text[q.start : q.end] for q in proposal.quotes]


def _documents(score: Score, curated: list[Any], proposals: list[Any], text: str, doc: str) -> None:
    def fits(record: Any, mine: Any) -> bool:
        quotes = [r["quote"] for r in record["sources"] if r["doc"] == doc]
        if not any(overlap(a, b) for a in _quotes(mine, text) for b in quotes):
            return False
        return bool(
            mine.fields["kind"] == record["kind"]
            or share(mine.fields["title"], record["title"]) >= 0.5
        )

    proposed = [p for p in proposals if p.kind == "agreement"]
    _pair(score, [(r["id"], r) for r in curated], proposed, fits)


def _statements(
    score: Score, curated: list[Any], proposals: list[Any], text: str, doc: str, ids: dict[str, str]
) -> None:
    def fits(record: Any, mine: Any) -> bool:
        speakers = {ids.get(s, s) for s in mine.fields.get("speakers", ())}
        if not speakers & set(record["speakers"]):
            return False
        quotes = [r["quote"] for r in record["sources"] if r["doc"] == doc]
        return any(overlap(_quotes(mine, text)[0], b) for b in quotes)

    proposed = [p for p in proposals if p.kind == "statement"]
    _pair(score, [(r["id"], r) for r in curated], proposed, fits)


def measure(root: Path = ROOT) -> tuple[dict[str, Score], dict[str, dict[str, Score]]]:
    """The scores summed over every seed article, and each article's."""
    import tomli

    from kzkg_cli.index.cache import open_store
    from kzkg_cli.ingest.draft import extract
    from kzkg_cli.search.link import link

    curated = tomli.loads((root / "facts.toml").read_text(encoding="utf-8"))
    per_article: dict[str, dict[str, Score]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copytree(root / "seeds", work / "seeds")
        for path in sorted((root / "seeds").glob("*.txt")):
            doc = path.stem
            facts = work / f"before-{doc}.toml"
            write_toml(before(curated, doc), facts)
            shutil.copy(facts, work / "facts.toml")
            text = path.read_text(encoding="utf-8")
            with open_store(work / "facts.toml") as store:
                proposals = link(store, extract(text, doc))
            per_article[doc] = score_article(doc, text, curated, proposals)
    total = {kind: Score() for kind in KINDS}
    for scores in per_article.values():
        for kind, score in scores.items():
            mine = total[kind]
            mine.expected += score.expected
            mine.found += score.found
            mine.proposed += score.proposed
            mine.right += score.right
            mine.misses += score.misses
    return total, per_article


def table(total: dict[str, Score]) -> str:
    lines = [f"{'kind':<16} {'found/expected':>15} {'recall':>7} {'precision':>10} {'proposed':>9}"]
    for kind, s in total.items():
        lines.append(
            f"{kind:<16} {f'{s.found}/{s.expected}':>15} {s.recall:>7.2f} "
            f"{s.precision:>10.2f} {s.proposed:>9}"
        )
    return "\n".join(lines)


def main() -> int:
    os.environ.setdefault("KZKG_CACHE_DIR", tempfile.mkdtemp(prefix="kzkg-draft-bench-"))
    total, _ = measure()
    print(table(total))
    if "-v" in sys.argv:
        for kind, s in total.items():
            if s.misses:
                print(f"missed {kind}: {'; '.join(s.misses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
