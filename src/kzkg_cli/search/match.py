"""Finding people by name and records by words: exact stem lookups first, then fuzzy ones.

rapidfuzz is imported only when an exact lookup misses, so the common case stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from kzkg_cli.core import names
from kzkg_cli.core.rows import Row, person_aliases
from kzkg_cli.index.store import Store

if TYPE_CHECKING:
    from kzkg_cli.search.synonyms import Synonyms

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


class Option(NamedTuple):
    """One way a term of a query may be matched: its words as typed, or a synonym's."""

    text: str
    keys: tuple[frozenset[str], ...]
    alias: bool


class Term(NamedTuple):
    """One thing a query asks for: a word, a figure, or words that spell a synonym."""

    typed: str
    options: tuple[Option, ...]


class Words(NamedTuple):
    """Records (and passages) whose text holds every term of a query."""

    terms: list[Term]
    scores: dict[int, float]
    """Position -> score: per term, the weight of the best option matched (2 in a name or
    title, 1 elsewhere; half for a word one typo away)."""
    via: dict[int, list[tuple[str, str]]]
    """Position -> (typed, synonym) for each term matched only by a synonym."""
    fuzzy: dict[int, list[str]]
    """Position -> terms matched only one typo away."""


def parse(store: Store, query: str) -> list[Term]:
    """The terms of a query: each figure ("1,7 млрд", "21%") one term, and each meaningful
    word, or each run of words that spells a synonym (search.synonyms), one term."""
    from kzkg_cli.core import numbers
    from kzkg_cli.search.synonyms import synonyms

    table = synonyms(store)
    terms: list[Term] = []
    position = 0
    for figure in numbers.figures(query):
        terms += _word_terms(table, query[position : figure.start])
        typed = query[figure.start : figure.end]
        terms.append(Term(typed, (Option(typed, (figure.asked,), False),)))
        position = figure.end
    return terms + _word_terms(table, query[position:])


def _word_terms(table: Synonyms, text: str) -> list[Term]:
    typed = [t for t in names.typed_tokens(text) if t[1] not in names.STOPWORDS]
    if not typed:
        return []
    words = tuple(names.stems(folded) for _, folded in typed)
    terms, start = [], 0
    while start < len(words):
        size, entries = table.spelt_at(words, start)
        size = size or 1
        run = words[start : start + size]
        shown = " ".join(raw for raw, _ in typed[start : start + size])
        options = [Option(shown, run, False)]
        # an entry the typed words already hold (itself, or a shorter, broader wording: the
        # office's "Министр энергетики" for "министр энергетики РК") is no other way to say it
        options += [
            Option(e.text, e.keys, True)
            for e in entries
            if not all(any(a & b for b in run) for a in e.keys)
        ]
        terms.append(Term(shown, tuple(options)))
        start += size
    return terms


def match_words(store: Store, query: str) -> dict[int, float]:
    """Position -> score, for records (and passages) whose text holds every term of the query
    (see find_words)."""
    return find_words(store, query).scores


def find_words(store: Store, query: str) -> Words:
    """Records (and passages) whose text holds every term of the query: each term by its
    words (any case form), a synonym of them, or, for a long word with no exact match, a word
    one typo away."""
    terms = parse(store, query)
    found = Words(terms, {}, {}, {})
    scores: dict[int, float] | None = None
    for term in terms:
        hits, chosen = _term_hits(store, term)
        fuzzy = not hits
        if fuzzy and len(term.options[0].keys) == 1:
            hits = _fuzzy_word_hits(store, term.options[0].keys[0])
        if scores is None:
            scores = hits
        else:
            scores = {pos: scores[pos] + w for pos, w in hits.items() if pos in scores}
        if not scores:
            return found
        for pos in scores:
            option = chosen.get(pos)
            if option is not None and option.alias:
                found.via.setdefault(pos, []).append((term.typed, option.text))
            elif fuzzy:
                found.fuzzy.setdefault(pos, []).append(term.typed)
    scores = _spelt_phrases(store, terms, scores or {})
    for extra in (found.via, found.fuzzy):
        for pos in set(extra).difference(scores):
            del extra[pos]
    found.scores.update(scores)
    return found


def _spelt_phrases(store: Store, terms: list[Term], scores: dict[int, float]) -> dict[int, float]:
    """The hits that hold each term with a way of writing of several words (Высший
    межгосударственный совет) as those words in a row, in one text: the index knows only
    that a record holds each word somewhere."""
    phrases = [t for t in terms if any(len(o.keys) > 1 for o in t.options)]
    if not phrases or not scores:
        return scores
    rows = store.at(scores)
    return {
        pos: score
        for pos, score in scores.items()
        if all(any(_spells(rows[pos], o.keys) for o in t.options) for t in phrases)
    }


def _spells(row: Row, keys: tuple[frozenset[str], ...]) -> bool:
    """Whether a text of a row holds words meeting keys, one after another."""
    size = len(keys)
    for text in _texts(row):
        words = ordered_keys(text)
        for start in range(len(words) - size + 1):
            if all(a & b for a, b in zip(keys, words[start : start + size], strict=True)):
                return True
    return False


def _texts(value: object) -> Iterator[str]:
    """Every string in a row, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@lru_cache(maxsize=65536)
def ordered_keys(text: str) -> list[frozenset[str]]:
    """names.keys of a text, remembered: the texts of the hits of a query are read again to
    check its phrases and to say why each matched (search.why)."""
    return names.keys(text)


def _term_hits(store: Store, term: Term) -> tuple[dict[int, float], dict[int, Option]]:
    """Position -> the best weight any option of a term has there, and that option (the
    words as typed win a tie)."""
    best: dict[int, float] = {}
    chosen: dict[int, Option] = {}
    for option in term.options:
        for pos, weight in _option_hits(store, option).items():
            if weight > best.get(pos, 0.0):
                best[pos], chosen[pos] = weight, option
    return best, chosen


def _option_hits(store: Store, option: Option) -> dict[int, float]:
    """Position -> mean weight of an option's words, where every one of them stands."""
    hits: dict[int, float] | None = None
    for stem_set in option.keys:
        found = _word_hits(store, stem_set)
        hits = found if hits is None else {p: hits[p] + w for p, w in found.items() if p in hits}
        if not hits:
            return {}
    size = len(option.keys)
    return {pos: weight / size for pos, weight in (hits or {}).items()}


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
        if len(key) < 5 or key.startswith("#"):  # a figure is exact or not at all
            continue
        near = vocabulary.near(key, 1)
        for word, _, _ in process.extract(
            key, near, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=None
        ):
            for pos, weight in store.postings(word).items():
                hits[pos] = max(hits.get(pos, 0.0), weight / 2)
    return hits
