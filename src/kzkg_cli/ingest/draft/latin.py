"""Cyrillic names in Latin letters, as English-language media in the region spell them
(Жапаров -> Japarov is a house choice the curator makes; draft offers the plain form)."""

from __future__ import annotations

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
_TABLE = str.maketrans(_LETTERS)
_VOWELS = "аеёиоуыэюяәөұүі"


def latin(text: str) -> str:
    """Text in Latin letters: each word's capital kept; е at the start of a word, or after a
    vowel, is "ye" (Ерлан: Yerlan)."""
    words = []
    for word in text.split(" "):
        parts = []
        for part in word.split("-"):
            lower = part.lower()
            head = "ye" + lower[1:].translate(_TABLE) if lower.startswith("е") else None
            body = head if head is not None else _inner(lower)
            if part[:1].isupper():  # each initial too: Л.Н. -> L.N.
                body = ".".join(piece[:1].upper() + piece[1:] for piece in body.split("."))
            parts.append(body)
        words.append("-".join(parts))
    return " ".join(words)


def _inner(word: str) -> str:
    out = []
    for number, letter in enumerate(word):
        if letter == "е" and number and word[number - 1] in _VOWELS:
            out.append("ye")
        else:
            out.append(letter.translate(_TABLE))
    return "".join(out)


def slug(text: str, words: int = 4) -> str:
    """An id-like slug of the first words of a text, in Latin letters."""
    import re

    tokens = re.findall(r"[a-z0-9]+", latin(text).lower())
    return "-".join(tokens[:words]) or "record"
