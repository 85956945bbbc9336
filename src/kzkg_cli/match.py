"""Finding people by name and records by words: exact stem lookups first, then fuzzy ones.

rapidfuzz is imported only when an exact lookup misses, so the common case stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kzkg_cli import names
from kzkg_cli.index import Index
from kzkg_cli.model import Person

SUGGEST_CUTOFF = 72.0
"""Below this similarity (0-100) a name is not close enough to offer as "did you mean"."""


@dataclass(frozen=True, slots=True)
class Match:
    """How a person was found: the score (100 is exact), the alias and the way."""

    score: float
    alias: str
    kind: Literal["exact", "fuzzy"]


def max_edits(key: str) -> int:
    """Typos tolerated in a token: none in short ones, one in middling, two in long ones."""
    return 0 if len(key) < 4 else 1 if len(key) < 7 else 2


def match_people(index: Index, query: str) -> list[tuple[Person, Match]]:
    """People whose names contain every token of the query, exact hits before fuzzy ones."""
    token_sets = names.name_keys(query)
    if not token_sets:
        return []
    exact = _intersect([_exact_people(index, s) for s in token_sets])
    if exact:
        return _ranked(index, query, token_sets, dict.fromkeys(exact, 0), "exact")
    fuzzy = [_fuzzy_people(index, s) for s in token_sets]
    common = _intersect([set(f) for f in fuzzy])
    distances = {pid: sum(f[pid] for f in fuzzy) for pid in common}
    return _ranked(index, query, token_sets, distances, "fuzzy")


def _exact_people(index: Index, stem_set: frozenset[str]) -> set[str]:
    found: set[str] = set()
    for key in stem_set:
        found |= index.name_keys.get(key, set())
    return found


def _fuzzy_people(index: Index, stem_set: frozenset[str]) -> dict[str, int]:
    """Person id -> fewest edits between one of the token's stems and one of their names."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    best: dict[str, int] = {}
    vocabulary = list(index.name_keys)
    for key in stem_set:
        limit = max_edits(key)
        if limit == 0:
            continue
        hits = process.extract(
            key, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=None
        )
        for name_key, distance, _ in hits:
            if _extends(key, name_key):
                continue
            for pid in index.name_keys[name_key]:
                best[pid] = min(best.get(pid, 99), int(distance))
    return best


def _extends(a: str, b: str) -> bool:
    """One key is the other plus letters: Касымов is another surname, not Касым mistyped."""
    return a != b and (a.startswith(b) or b.startswith(a))


def _intersect(sets: list[set[str]]) -> set[str]:
    return set.intersection(*sets) if sets else set()


def _ranked(
    index: Index,
    query: str,
    token_sets: list[frozenset[str]],
    distances: dict[str, int],
    kind: Literal["exact", "fuzzy"],
) -> list[tuple[Person, Match]]:
    length = sum(max(len(k) for k in s) for s in token_sets)
    found = []
    for person in index.people():
        if person.id in distances:
            score = round(100.0 * (1 - distances[person.id] / max(length, 1)), 1)
            found.append(
                (person, Match(score, _alias(index, person.id, token_sets, _is_latin(query)), kind))
            )
    found.sort(key=lambda pair: -pair[1].score)
    return found


def _alias(
    index: Index, person_id: str, token_sets: list[frozenset[str]], latin_query: bool
) -> str:
    """The first way of writing the person that holds every token of the query."""
    aliases = index.aliases[person_id]
    covering = [a for a in aliases if all(a.keys & s for s in token_sets)]
    same_script = [a for a in covering if _is_latin(a.text) == latin_query]
    return (same_script or covering or aliases)[0].text


def _is_latin(text: str) -> bool:
    return text.isascii()


def suggest_person(index: Index, query: str) -> str | None:
    """The person's name closest to the query, when it is genuinely close; else None."""
    from rapidfuzz import fuzz, process

    wanted = names.canonical(query)
    if not wanted:
        return None
    choices = {
        (pid, alias.text): names.canonical(alias.text)
        for pid, aliases in index.aliases.items()
        for alias in aliases
    }
    best = process.extractOne(wanted, choices, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
    return index.person_name(best[2][0]) if best else None


def match_words(index: Index, query: str) -> dict[str, float]:
    """Record id -> score, for records whose text holds every meaningful word of the query."""
    token_sets = names.keys(query)
    scores: dict[str, float] | None = None
    for stem_set in token_sets:
        hits = _word_hits(index, stem_set) or _fuzzy_word_hits(index, stem_set)
        if scores is None:
            scores = hits
        else:
            scores = {rid: scores[rid] + w for rid, w in hits.items() if rid in scores}
        if not scores:
            return {}
    return scores or {}


def _word_hits(index: Index, stem_set: frozenset[str]) -> dict[str, float]:
    hits: dict[str, float] = {}
    for key in stem_set:
        for record_id, weight in index.words.get(key, {}).items():
            hits[record_id] = max(hits.get(record_id, 0.0), weight)
    return hits


def _fuzzy_word_hits(index: Index, stem_set: frozenset[str]) -> dict[str, float]:
    """Words one typo away, at half weight; only for words long enough to tell apart."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    hits: dict[str, float] = {}
    vocabulary = list(index.words)
    for key in stem_set:
        if len(key) < 5:
            continue
        for word, _, _ in process.extract(
            key, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=None
        ):
            for record_id, weight in index.words[word].items():
                hits[record_id] = max(hits.get(record_id, 0.0), weight / 2)
    return hits
