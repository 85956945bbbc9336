"""An article as draft reads it: its date line, its sentences (razdel) with their offsets, and
one morphological analyser (pymorphy3), loaded once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from kzkg_cli.ingest.draft.candidate import Span

_DATE_LINE = re.compile(r"\A\s*date (\d{4}-\d{2}-\d{2})(?=\s)")
_PARAGRAPH = re.compile(r"[^\n]+")
WORD = re.compile(r"[А-ЯЁA-Zа-яёa-zӘҒҚҢӨҰҮҺІәғқңөұүһі]+(?:-[А-ЯЁA-Zа-яёa-zӘҒҚҢӨҰҮҺІәғқңөұүһі]+)*")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence, and where it stands."""

    span: Span
    text: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a sentence, and where it stands in the article."""

    text: str
    start: int
    end: int


class Article:
    """The text, its date line and its sentences; quotes are cut from ``text`` by offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        line = _DATE_LINE.match(text)
        self.date_line: Span | None = Span(line.start(1) - 5, line.end(1)) if line else None
        self.date = line.group(1) if line else None
        self.body_start = line.end() if line else 0
        self.sentences = list(self._sentences())

    def _sentences(self) -> list[Sentence]:
        from razdel import sentenize  # type: ignore[import-untyped]

        found = []
        for number, paragraph in enumerate(_PARAGRAPH.finditer(self.text)):
            start = max(paragraph.start(), self.body_start)
            chunk = self.text[start : paragraph.end()]
            for piece in sentenize(chunk):
                for begin, end in _unglued(piece.text):
                    text = piece.text[begin:end]
                    if text.strip():
                        span = Span(start + piece.start + begin, start + piece.start + end)
                        found.append(Sentence(span, text, number))
        return found

    def cut(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def words(self, span: Span) -> list[Word]:
        """The words of a stretch of the text (hyphenated words whole)."""
        chunk = self.text[span.start : span.end]
        return [
            Word(m.group(), span.start + m.start(), span.start + m.end())
            for m in WORD.finditer(chunk)
        ]

    def sentence_of(self, offset: int) -> Sentence | None:
        return next((s for s in self.sentences if s.span.start <= offset < s.span.end), None)


_GLUED = re.compile(r"(?<=[а-яё)»\"])(?=[А-ЯЁ][а-яё]+\s)")


def _unglued(text: str) -> list[tuple[int, int]]:
    """A sentence split where two run together with no space ("долларовПо поручению")."""
    cuts = [0, *(m.start() for m in _GLUED.finditer(text)), len(text)]
    return list(zip(cuts, cuts[1:], strict=False))


@functools.cache
def morph() -> Any:
    """The pymorphy3 analyser (its dictionaries load in about a tenth of a second)."""
    import pymorphy3  # type: ignore[import-untyped]

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=65536)
def parses(word: str) -> tuple[Any, ...]:
    """pymorphy3's readings of a word, most likely first."""
    return tuple(morph().parse(word))


def lemma(word: str) -> str:
    return str(parses(word)[0].normal_form)


def tags(word: str) -> set[str]:
    """Every grammeme any reading of the word has."""
    found: set[str] = set()
    for parse in parses(word):
        found.update(str(parse.tag).replace(" ", ",").split(","))
    return found


def pos(word: str) -> str | None:
    """The part of speech of the most likely reading."""
    value = parses(word)[0].tag.POS
    return str(value) if value else None


def nominative(phrase: str, heads: frozenset[str] = frozenset()) -> str:
    """A title or noun phrase in the nominative singular: its head word (the first noun, or
    the first of heads) and the adjectives before it put in the nominative, agreeing with the
    head; the rest kept as written, as it hangs on the head ("председателем Кабинета
    министров" -> "председатель Кабинета министров")."""
    matches = list(WORD.finditer(phrase))
    head = _head(matches, heads)
    if head is None:
        return phrase
    number, parse = head
    gender = str(parse.tag.gender) if parse.tag.gender else "masc"
    pieces = []
    last = 0
    for index, match in enumerate(matches[: number + 1]):
        pieces.append(phrase[last : match.start()])
        last = match.end()
        word = match.group()
        if index == number:
            pieces.append(_inflected(word, parse, {"nomn", "sing"}))
        elif not word.isupper():
            adjective = next(
                (p for p in parses(word.lower()) if p.tag.POS in ("ADJF", "PRTF")), None
            )
            grammemes = {"nomn", "sing", gender}
            pieces.append(_inflected(word, adjective, grammemes) if adjective else word)
        else:
            pieces.append(word)
    pieces.append(phrase[last:])
    return "".join(pieces)


def _head(matches: list[re.Match[str]], heads: frozenset[str]) -> tuple[int, Any] | None:
    """The head noun of a phrase, and its reading."""
    for index, match in enumerate(matches):
        word = match.group()
        if word.isupper():
            continue
        readings = parses(word.lower())
        if heads:
            chosen = next((p for p in readings if str(p.normal_form) in heads), None)
            if chosen is not None and chosen.tag.POS == "NOUN":
                return index, chosen
        if readings[0].tag.POS == "NOUN":
            return index, readings[0]
    return None


def _inflected(word: str, parse: Any, grammemes: set[str]) -> str:
    done = parse.inflect(grammemes) or parse.inflect(grammemes - {"sing"})
    return _same_case(word, str(done.word)) if done is not None else word


def _same_case(model: str, word: str) -> str:
    """word written with model's capitals (first letter, or every part of a hyphenated word)."""
    parts = word.split("-")
    models = model.split("-")
    if len(parts) != len(models):
        return word[:1].upper() + word[1:] if model[:1].isupper() else word
    return "-".join(
        p[:1].upper() + p[1:] if m[:1].isupper() else p for p, m in zip(parts, models, strict=True)
    )
