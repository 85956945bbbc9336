"""The recall oracle: the articles' content words, one other case form of each, and a judge of
whether a hit holds a form of a word, all decided by pymorphy3, never by kzkg's own stemmer.

Shared by tests/test_recall.py (which asserts) and benchmarks/recall.py (which reports).

- Words: runs of letters (Cyrillic or Latin), lower-cased, read from seeds/*.txt at run time
  (each file's `date YYYY-MM-DD` header skipped). A hyphenated run is one word as printed
  ("торгово-экономическим", "Хан-Тенгри") and each part is a word too ("экономическим",
  "Тенгри"): readers type either. A capital straight after a small letter starts a new word
  (one article glues a headline to its next sentence: "долларовПо").
- Kept: four letters or more, and not a function word by pymorphy3's best parse: prepositions,
  conjunctions, particles, interjections and pronouns, both NPRO and the pronominal adjectives
  it tags Apro (этот, который, наш, свой, весь, каждый).
- The other form, for a noun, adjective, participle or numeral: the nominative of a word in any
  other case, else the genitive; same number and gender. The parse is the one whose lexeme
  shares most forms with the articles (Жомарта is Жомарт's genitive, not a woman's name); a
  noun printed capitalised mid-sentence is a name and takes only singular parses ("Токаев" is
  not the genitive plural of "токай"). A compound inflects its last part (Касым-Жомарта).
  Abbreviations (ГКНБ), Latin, Kazakh letters (Қарасу) and other parts of speech: the word only.
- The judge: a hit holds a form of a word if one of its tokens (compounds and their parts) is
  the word or its other form, or shares a normal form with either under any pymorphy3 parse
  (ё read as е). A hit's text is a passage's sentence, or every string of a record's row but
  the `match` and `score` it carries about the query.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pymorphy3  # type: ignore[import-untyped]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

TOKEN = re.compile(r"[^\W\d_]+(?:[-‐‑][^\W\d_]+)*")
"""A run of letters, hyphenated runs as one token (the three hyphens the articles may print)."""
HYPHENS = re.compile(r"[-‐‑]")
DATE_HEADER = re.compile(r"\A\s*date \d{4}-\d{2}-\d{2}")
MIN_LETTERS = 4
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ"})
CASED_POS = frozenset({"NOUN", "ADJF", "PRTF", "NUMR"})
RARE = frozenset("V-be V-bi V-ej V-en V-ey V-ie V-oy V-sh Arch Erro Dist Infr Slng".split())
"""Variant and rare spellings pymorphy3 lists beside a case form (вниманье for внимание)."""
SENTENCE_ENDS = frozenset(".!?…:\n")
"""After one of these (and any opening quote) a capital starts a sentence, not a name."""
GLUED = re.compile(r"(?<=[^\W\d_])(?=[А-ЯЁA-Z][а-яёa-z])")
"""A capital straight after a small letter starts a new word: the articles glue a headline to
its first sentence ("260 млн долларовПо поручению")."""
RUSSIAN = re.compile(r"[а-яё]+")
"""What pymorphy3 can inflect: Russian letters only (not Latin, not Kazakh "Қарасу")."""
ROW_NOISE = frozenset({"match", "score"})
"""Row keys that echo the query or rank it: text found there would prove nothing."""

PRECISION = (
    "Путин Лукашенко Байден Merkel Эрдоган Макрон Голливуд Антарктида Аргентина футбол "
    "криптовалюта bitcoin космонавтика пингвин penguin шахматы динозавр шоколад балет "
    "телескоп saxophone"
).split()
"""Queries that must find nothing: names and words that no article mentions in any form (the
test checks that against the articles and the fact file, so the list cannot drift into them)."""


@dataclass(frozen=True)
class Word:
    """One word to search for."""

    word: str
    """As the articles print it, lower-cased."""
    form: str | None
    """Another case form of it, or None for words that do not inflect for case."""
    lemmas: frozenset[str]
    """The word, its form and every normal form pymorphy3 gives either: what a hit must hold."""


class Miss(NamedTuple):
    """A query that found no hit holding a form of its word."""

    word: str
    query: str


@dataclass(frozen=True)
class Tally:
    """How many words and forms were tried and found, and which were not."""

    words: int
    words_found: int
    forms: int
    forms_found: int
    misses: list[Miss]
    """In the order tried: each word, then its form."""


@cache
def _morph() -> Any:
    return pymorphy3.MorphAnalyzer()


def _fold(text: str) -> str:
    return text.replace("ё", "е")


@cache
def lemmas(token: str) -> frozenset[str]:
    """The token and every normal form pymorphy3 gives it, ё read as е."""
    return frozenset({_fold(token)} | {_fold(p.normal_form) for p in _morph().parse(token)})


def _article_text(path: Path) -> str:
    return DATE_HEADER.sub("", path.read_text(encoding="utf-8"), count=1)


def _tokens(text: str) -> Iterator[str]:
    """Every token of a text, lower-cased: each compound, then its parts."""
    for found in TOKEN.finditer(GLUED.sub(" ", text)):
        token = HYPHENS.sub("-", found.group().lower())
        yield token
        if "-" in token:
            yield from token.split("-")


class Printing(NamedTuple):
    """How the articles print their words: which are names, which abbreviations."""

    names: frozenset[str]
    """Lower-cased tokens (and parts) printed with a capital where no sentence starts."""
    abbreviations: frozenset[str]
    """Lower-cased tokens printed in capitals (ГКНБ)."""
    words: frozenset[str]
    """Every lower-cased token and part: the forms a parse's lexeme is weighed against."""


def _printing(texts: list[str]) -> Printing:
    names: set[str] = set()
    abbreviations: set[str] = set()
    for text in texts:
        text = GLUED.sub(" ", text)
        for found in TOKEN.finditer(text):
            printed = found.group()
            first, *rest = HYPHENS.split(printed)
            before = text[: found.start()].rstrip(' \t"«„“')
            if first[:1].isupper() and before and before[-1] not in SENTENCE_ENDS:
                names |= {first.lower(), printed.lower()}
            if any(part[:1].isupper() for part in rest):
                names |= {part.lower() for part in rest} | {printed.lower()}
            if len(printed) > 1 and printed.isupper():
                abbreviations.add(printed.lower())
    words = {token for text in texts for token in _tokens(text)}
    return Printing(frozenset(names), frozenset(abbreviations), frozenset(words))


def _is_content(word: str) -> bool:
    if sum(c.isalpha() for c in word) < MIN_LETTERS:
        return False
    tag = _morph().parse(word)[0].tag
    return tag.POS not in FUNCTION_POS and "Apro" not in tag


def _other_form(word: str, printing: Printing) -> str | None:
    """Another case form of the word (see the module docstring), or None."""
    head, _, last = word.rpartition("-")
    if head:
        form = _other_form(last, printing)
        return f"{head}-{form}" if form else None
    if word in printing.abbreviations or not RUSSIAN.fullmatch(word):
        return None
    parse = _best_parse(word, printing)
    if parse is None:
        return None
    for case in ("nomn", "gent") if parse.tag.case != "nomn" else ("gent",):
        form = _inflected(word, parse, case)
        if form is not None:
            return form
    return None


def _best_parse(word: str, printing: Printing) -> Any:
    """The parse whose lexeme shares most forms of its number and gender with the articles
    (ties: pymorphy3's order); for a name, singular ones only. None for words without case."""
    parses = _morph().parse(word)
    if parses[0].tag.POS not in CASED_POS:
        return None
    parses = [p for p in parses if p.tag.POS in CASED_POS and p.tag.case is not None]
    if word in printing.names and parses[0].tag.POS == "NOUN":
        parses = [p for p in parses if "sing" in p.tag]

    def shared(parse: Any) -> int:
        kept = _kept(parse)
        return len(
            {_fold(f.word) for f in parse.lexeme if kept <= f.tag.grammemes} & printing.words
        )

    return max(parses, key=shared, default=None)


def _inflected(word: str, parse: Any, case: str) -> str | None:
    """The form of the parse's lexeme in a case, same number and gender, nearest the word in
    spelling (высшего -> высшее, not высочайшее); None if the word is that case already."""
    kept = _kept(parse)
    forms = [
        _fold(f.word) if "ё" not in word else f.word
        for f in parse.lexeme
        if f.tag.case == case and kept <= f.tag.grammemes and not RARE & f.tag.grammemes
    ]
    # For words outside its dictionary pymorphy3 guesses a paradigm, some absurd ("жапаров" ->
    # "жапарва"): a guessed form must keep all of the normal form but its last letter.
    stem = "" if _morph().word_is_known(word) else _fold(parse.normal_form)[:-1]
    forms = [f for f in forms if f.startswith(stem)]
    if not forms or word in forms:
        return None
    return max(forms, key=lambda f: len(os.path.commonprefix([f, word])))


def _kept(parse: Any) -> set[str]:
    """What the other form keeps of a parse: part of speech, number and gender."""
    return {parse.tag.POS, parse.tag.number, parse.tag.gender} - {None}


def article_words(seeds: Path = SEEDS) -> list[Word]:
    """Every distinct content word of the articles, sorted, each with its other form."""
    texts = [_article_text(path) for path in sorted(seeds.glob("*.txt"))]
    printing = _printing(texts)
    words = []
    for word in sorted(w for w in printing.words if _is_content(w)):
        form = _other_form(word, printing)
        found = lemmas(word) | (lemmas(form) if form else frozenset())
        words.append(Word(word, form, found))
    return words


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, walked recursively (keys aside)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def hit_texts(row: dict[str, Any]) -> Iterator[str]:
    """A hit's own text: a passage's sentence; every string of a record but its match data."""
    if row.get("type") == "passage":
        yield str(row["text"])
        return
    for key, value in row.items():
        if key not in ROW_NOISE:
            yield from strings(value)


@cache
def _text_lemmas(text: str) -> frozenset[str]:
    return frozenset().union(*(lemmas(t) for t in _tokens(text)))


def holds(row: dict[str, Any], word: Word) -> bool:
    """Whether a hit's text holds a form of the word."""
    return any(word.lemmas & _text_lemmas(text) for text in hit_texts(row))


def mentions(text: str, query: str) -> bool:
    """Whether a text holds a form of any token of a query, or the query itself in any case."""
    if query.lower() in text.lower():
        return True
    return any(lemmas(t) & _text_lemmas(text) for t in _tokens(query))


def tally(words: Iterable[Word], find: Callable[[str], Iterable[dict[str, Any]]]) -> Tally:
    """Search each word and its form with `find(query) -> hits`; count those a hit answers."""
    tried: Counter[str] = Counter()
    found: Counter[str] = Counter()
    misses = []
    for word in words:
        for kind, query in (("words", word.word), ("forms", word.form)):
            if query is None:
                continue
            tried[kind] += 1
            if any(holds(row, word) for row in find(query)):
                found[kind] += 1
            else:
                misses.append(Miss(word.word, query))
    return Tally(tried["words"], found["words"], tried["forms"], found["forms"], misses)
