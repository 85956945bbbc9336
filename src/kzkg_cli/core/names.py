"""Matching keys for names and words as people type them: any case, any script, any spelling.

Every token, Cyrillic or Latin, is reduced to a Latin "skeleton" in which the usual spelling
variants meet: Жапаров, Japarov, Zhaparov and Dzhaparov all become ``japarov``; Токаев, Tokayev
and Tokaev become ``tokaev``; Қарасу, Карасу, Karasu and Qarasu become ``karasu``. Russian case
endings are handled by giving each Cyrillic token a set of candidate stems (the token, and the
token less one known ending); two tokens match when their sets meet, so Токаевым meets Токаев
and Балаевой meets Балаева. A reflexive verb or participle loses its -ся/-сь first
(выдающийся meets выдающегося), and a stem that ends in a vowel the other case forms drop
gains the form without it (рынок meets рынка). An English word gains its light stems: less
a plural -s/-es/-ies, -ing or -ed (roadmaps meets roadmap, signing and signed meet sign).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Kazakh (and Kyrgyz) letters to the Russian letters that stand in for them.
_KAZAKH = str.maketrans("әғқңөұүһі", "агкноуухи")
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch",
    "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_TRANSLIT = str.maketrans(_CYRILLIC)
# Latin spellings that mean the same sound, longest first; applied to every skeleton.
_LATIN_RULES = (
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("ts", "c"), ("q", "k"), ("w", "v"),
    ("x", "ks"), ("yu", "u"), ("ya", "a"), ("ye", "e"), ("yo", "e"), ("y", "i"),
)  # fmt: skip
_DOUBLE = re.compile(r"([a-z])\1+")
_HAS_DOUBLE = re.compile(r"([a-z])\1")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# A lower-case letter right before a capital inside a word: two words run together, as an
# article's "долларовПо" ("долларов. По") is.
_GLUED = re.compile(r"(?<=[a-zа-яё])(?=[A-ZА-ЯЁ][a-zа-яё])")
_HAS_UPPER = re.compile(r"[A-ZА-ЯЁ]")
_HAS_CYRILLIC = re.compile(r"[а-я]")
_HAS_KAZAKH = re.compile("[әғқңөұүһі]")

# Russian inflectional endings (nouns, adjectives, surnames, first names), longest first.
ENDINGS = tuple(
    sorted(
        """иями ями ами иях ях ах его ого ему ому ыми ими ых их ией ей ой ий ый ая яя ое ее ую юю ым
        им ом ем ам ям ов ев ью ия ие ии ию а я о е ы и у ю ь й""".split(),
        key=len,
        reverse=True,
    )
)
# Names only ever gain case endings (Бектенов-ым); stripping the plural -ов/-ев would turn the
# surname Касымов into the first name Касым.
NAME_ENDINGS = tuple(e for e in ENDINGS if e not in ("ов", "ев"))
MIN_STEM = 3
_ENDING_SETS = {ENDINGS: frozenset(ENDINGS), NAME_ENDINGS: frozenset(NAME_ENDINGS)}
_LONGEST = max(map(len, ENDINGS))

STOPWORDS = frozenset(
    "в во и на по с со к ко до за из от о об у а но не для при как что "
    "a an the of and in on to for by at from with as is "
    # what follows a figure's hyphen: "13-го", "7-е", "13-й", "100-летие" keeps its word
    "го й е я ю м х ми му ая ое ые ый ий ой st nd rd th".split()
)


def fold(text: str) -> str:
    """Lower case, NFKC, ё as е, Kazakh letters as their Russian stand-ins."""
    if text.isascii():  # NFKC and the letter maps leave ASCII as it is: half of all texts
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return text.translate(_KAZAKH) if _HAS_KAZAKH.search(text) else text


def tokens(text: str) -> list[str]:
    """Folded word tokens: hyphens, dots and punctuation split words, and so does a capital
    after a lower-case letter (two words run together), though not in a name's Latin
    spelling (McDonald keeps its one token only if its skeletons meet: both sides split)."""
    if _HAS_UPPER.search(text):
        text = _GLUED.sub(" ", text)
    return _TOKEN.findall(fold(text))


def typed_tokens(text: str) -> list[tuple[str, str]]:
    """(as typed, folded) of each word token of a text (tokens() keeps only the folded)."""
    if _HAS_UPPER.search(text):
        text = _GLUED.sub(" ", text)
    return [(raw, folded) for raw in _TOKEN.findall(text) for folded in _TOKEN.findall(fold(raw))]


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """The Latin skeleton of one folded token, where spelling variants meet."""
    if token.isdigit():  # numbers are their own skeleton, and a large file has many
        return token
    text = token.translate(_TRANSLIT)
    while True:  # until a pass changes nothing: "qh" gives "kh", which gives "h"
        new = text
        for old, replacement in _LATIN_RULES:
            if old in new:
                new = new.replace(old, replacement)
        if _HAS_DOUBLE.search(new):
            new = _DOUBLE.sub(r"\1", new)
        if new == text:
            return new
        text = new


@lru_cache(maxsize=65536)
def stems(token: str, endings: tuple[str, ...] = ENDINGS) -> frozenset[str]:
    """Candidate stems of one folded token (itself, and less one case ending, or its English
    light stems), as skeletons."""
    forms = {token}
    if _HAS_CYRILLIC.search(token):
        if endings is ENDINGS and len(token) > 6 and token.endswith(_REFLEXIVE):
            token = token[:-2]  # names never end so: a name keeps its letters
            forms.add(token)
        known = _ENDING_SETS.get(endings) or frozenset(endings)
        for size in range(1, min(_LONGEST, len(token) - MIN_STEM) + 1):
            if token[-size:] in known:
                forms.add(token[:-size])
        if endings is ENDINGS:
            forms.update(_fleeting(form) for form in list(forms))
    elif endings is ENDINGS and token.isalpha():
        forms.update(english_stems(token))
    return frozenset(skeleton(form) for form in forms if form)


_REFLEXIVE = ("ся", "сь")
_FLEETING = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])[оеё](?=[кцнлрм]$)")
_VOWELS = frozenset("aeiou")


def _fleeting(form: str) -> str:
    """A stem less the vowel its other case forms drop (рынок: рынка, конец: конца), or ""
    where there is none to drop."""
    if len(form) < 5:
        return ""
    dropped = _FLEETING.sub("", form)
    return dropped if dropped != form else ""


def english_stems(token: str) -> set[str]:
    """Light English stems of a Latin word: less a plural -s, -es or -ies (as -y), -ing or
    -ed (also with an -e restored: "signed" -> sign, "agreed" -> agree, "traded" -> trade).
    Stems shorter than three letters are not offered."""
    found = set()
    if len(token) > 4 and token.endswith("ies"):
        found.add(token[:-3] + "y")
    elif len(token) > 4 and token.endswith(("sses", "shes", "ches", "xes", "zes")):
        found.add(token[:-2])
    elif len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        found.add(token[:-1])
    for ending in ("ing", "ed"):
        stem = token[: -len(ending)]
        if token.endswith(ending) and len(stem) >= 3 and stem[-1] not in _VOWELS - {"e"}:
            found.update((stem, stem + "e"))
            if len(stem) > 3 and stem[-1] == stem[-2]:  # planned -> plan
                found.add(stem[:-1])
    return found


def keys(text: str) -> list[frozenset[str]]:
    """Stem sets of each meaningful token of a text, stop words left out."""
    return [stems(t) for t in tokens(text) if t not in STOPWORDS]


def name_keys(text: str) -> list[frozenset[str]]:
    """Stem sets of each token of a name, with the endings names take."""
    return [name_stems(t) for t in tokens(text)]


@lru_cache(maxsize=65536)
def name_stems(token: str) -> frozenset[str]:
    """Candidate stems of one folded token of a name (see NAME_ENDINGS)."""
    return stems(token, NAME_ENDINGS)


def canonical(text: str) -> str:
    """One comparable string for a whole name: its tokens' skeletons, space-joined."""
    return canonical_of(tokens(text))


def canonical_of(folded: list[str]) -> str:
    """canonical() of a name already split into folded tokens."""
    return " ".join(key for key in map(skeleton, folded) if key)  # "ъ" has no sound
