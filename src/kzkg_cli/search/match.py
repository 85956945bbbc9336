"""Finding people by name and records by words: exact stem lookups first, then fuzzy ones.

rapidfuzz is imported only when an exact lookup misses, so the common case stays fast.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from kzkg_cli.core import names
from kzkg_cli.core.rows import Row, person_aliases
from kzkg_cli.index.store import Store

SUGGEST_CUTOFF = 72.0
"""Below this similarity (0-100) a name is not close enough to offer as "did you mean"."""


class Match(NamedTuple):
    """How a person was found: the score (100 is exact), the alias and the way."""

    score: float
    alias: str
    kind: Literal["exact", "fuzzy"]


class Hit(NamedTuple):
    """A person found by name: position in the fact base, answer row, and how."""

    pos: int
    row: Row
    match: Match


def max_edits(key: str) -> int:
    """Typos tolerated in a token: none in short ones, one in middling, two in long ones."""
    return 0 if len(key) < 4 else 1 if len(key) < 7 else 2


def match_people(store: Store, query: str) -> list[Hit]:
    """People whose names hold every token of the query, exact hits before fuzzy ones."""
    token_sets = names.name_keys(query)
    if not token_sets:
        return []
    exact = _intersect([_exact_people(store, s) for s in token_sets])
    if exact:
        return _ranked(store, query, token_sets, dict.fromkeys(exact, 0), "exact")
    fuzzy = [_fuzzy_people(store, s) for s in token_sets]
    common = _intersect([set(f) for f in fuzzy])
    distances = {pos: sum(f[pos] for f in fuzzy) for pos in common}
    return _ranked(store, query, token_sets, distances, "fuzzy")


def _exact_people(store: Store, stem_set: frozenset[str]) -> set[int]:
    found: set[int] = set()
    for key in stem_set:
        found |= store.people_with(key)
    return found


def _fuzzy_people(store: Store, stem_set: frozenset[str]) -> dict[int, int]:
    """Position -> fewest edits between one of the token's stems and one of their name keys."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    best: dict[int, int] = {}
    vocabulary = store.name_vocabulary()
    for key in stem_set:
        limit = max_edits(key)
        if limit == 0:
            continue
        near = vocabulary.near(key, limit)
        hits = process.extract(
            key, near, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=None
        )
        for name_key, distance, _ in hits:
            if _extends(key, name_key):
                continue
            for pos in store.people_with(name_key):
                best[pos] = min(best.get(pos, 99), int(distance))
    return best


def _extends(a: str, b: str) -> bool:
    """One key is the other plus letters: Касымов is another surname, not Касым mistyped."""
    return a != b and (a.startswith(b) or b.startswith(a))


def _intersect(sets: list[set[int]]) -> set[int]:
    return set.intersection(*sets) if sets else set()


def _ranked(
    store: Store,
    query: str,
    token_sets: list[frozenset[str]],
    distances: dict[int, int],
    kind: Literal["exact", "fuzzy"],
) -> list[Hit]:
    length = sum(max(len(k) for k in s) for s in token_sets)
    latin = query.isascii()
    hits = []
    for pos, row in sorted(store.at(distances).items()):
        score = round(100.0 * (1 - distances[pos] / max(length, 1)), 1)
        hits.append(Hit(pos, row, Match(score, _alias(row, token_sets, latin), kind)))
    hits.sort(key=lambda hit: -hit.match.score)
    return hits


def _alias(row: Row, token_sets: list[frozenset[str]], latin_query: bool) -> str:
    """The first way of writing the person that holds every token, in the query's script."""
    texts = person_aliases(row)
    covering = []
    for text in texts:
        keys = frozenset().union(*names.name_keys(text))
        if all(keys & s for s in token_sets):
            covering.append(text)
    same_script = [t for t in covering if t.isascii() == latin_query]
    return str((same_script or covering or texts)[0])


def suggest_person(store: Store, query: str) -> str | None:
    """The person's name closest to the query, when it is genuinely close; else None."""
    from rapidfuzz import fuzz, process

    wanted = names.canonical(query)
    if not wanted:
        return None
    aliases = store.aliases()
    best = process.extractOne(
        wanted, aliases.canonical, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF
    )
    if best is None:
        return None
    pos = aliases.positions[best[2]]
    return str(store.at([pos])[pos]["name"])


def match_words(store: Store, query: str) -> dict[int, float]:
    """Position -> score, for records whose text holds every meaningful word of the query."""
    scores: dict[int, float] | None = None
    for stem_set in names.keys(query):
        hits = _word_hits(store, stem_set) or _fuzzy_word_hits(store, stem_set)
        if scores is None:
            scores = hits
        else:
            scores = {pos: scores[pos] + w for pos, w in hits.items() if pos in scores}
        if not scores:
            return {}
    return scores or {}


def _word_hits(store: Store, stem_set: frozenset[str]) -> dict[int, float]:
    hits: dict[int, float] = {}
    for key in stem_set:
        for pos, weight in store.postings(key).items():
            hits[pos] = max(hits.get(pos, 0.0), weight)
    return hits


def _fuzzy_word_hits(store: Store, stem_set: frozenset[str]) -> dict[int, float]:
    """Words one typo away, at half weight; only for words long enough to tell apart."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    vocabulary = store.word_vocabulary()
    hits: dict[int, float] = {}
    for key in stem_set:
        if len(key) < 5:
            continue
        near = vocabulary.near(key, 1)
        for word, _, _ in process.extract(
            key, near, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=None
        ):
            for pos, weight in store.postings(word).items():
                hits[pos] = max(hits.get(pos, 0.0), weight / 2)
    return hits
