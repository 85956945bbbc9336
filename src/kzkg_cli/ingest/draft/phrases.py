"""Noun phrases around a head word: the adjectives before it and the words that hang on it
("исторический Договор об углублении и расширении союзнических отношений")."""

from __future__ import annotations

import re

from kzkg_cli.ingest.draft.article import Article, Word, parses
from kzkg_cli.ingest.draft.candidate import Span

_STOP_WORDS = frozenset("а что который которая которые где когда чтобы но также".split())
_LINKS = frozenset("и об о по до на в во между для с со к от из".split())
_FIGURE = re.compile(r"^\d+(?:[.,]\d+)?$")
MAX_WORDS = 14


def phrase_at(article: Article, words: list[Word], index: int, size: int = 1) -> Span:
    """The noun phrase of the head words[index : index + size]: the adjectives (and ordinal
    figures) right before it, and the complements after it up to a verb, a clause's comma or
    full stop, or "и другие"."""
    start = index
    while (
        start > 0
        and _joined(article, words[start - 1], words[start])
        and _modifier(words[start - 1].text)
    ):
        start -= 1
    begin = words[start].start
    ordinal = _ORDINAL.search(article.text[max(0, begin - 8) : begin])
    if ordinal is not None:
        begin -= len(ordinal.group())
    end = index + size - 1
    while end + 1 < len(words) and end - start < MAX_WORDS:
        after = words[end + 1]
        gap = article.text[words[end].end : after.start]
        if gap.strip() not in ("", "%", "$") and not _figure_gap(gap):
            break
        if not _complement(after.text, words[end + 2].text if end + 2 < len(words) else ""):
            break
        end += 1
    while end > index + size - 1 and words[end].text.lower() in _LINKS:
        end -= 1
    return Span(begin, words[end].end)


def _joined(article: Article, before: Word, word: Word) -> bool:
    return article.text[before.end : word.start] == " "


def _figure_gap(gap: str) -> bool:
    return bool(re.fullmatch(r"\s*(?:\d+(?:[.,]\d+)?-?(?:го|й|е|я)?|\$)\s*", gap))


_ORDINAL = re.compile(r"(?<![\w.,-])\d{1,3}-(?:е|й|я|го|му|м|ое|ой|ый|ая|ого|ом) $", re.I)
"""An ordinal in figures right before a phrase ("13-е заседание", "7-го совета")."""


def _modifier(word: str) -> bool:
    best = parses(word.lower())[0]
    return best.tag.POS in ("ADJF", "PRTF", "NUMR") and "Apro" not in best.tag


def _complement(word: str, following: str) -> bool:
    lower = word.lower()
    if lower in _STOP_WORDS:
        return False
    if lower == "и":
        return following.lower() not in ("другие", "другой", "другими", "прочие")
    if lower in _LINKS or word.isupper() or _FIGURE.match(word):
        return True
    best = parses(lower)[0]
    if best.tag.POS in ("VERB", "INFN", "GRND", "PRTS", "ADVB", "CONJ", "PRCL", "NPRO", "PRED"):
        return False
    return (
        best.tag.POS in ("NOUN", "ADJF", "PRTF", "NUMR", None)
        and best.tag.case != "nomn"
        or (best.tag.POS == "NOUN" and word[:1].isupper())
    )
