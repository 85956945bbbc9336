"""Numbers as people write them, as search keys: "1,7 млрд", "$1,4 млрд", "1.4 billion",
"260 млн", "21%" and "195" in a text, and 1700000000 or 21.0 in a record's field, meet.

Every key starts with "#" (no word key does). A figure gives the key of its mantissa as
written ("#1.7") and, with a scale word, of its value ("#1700000000"); a percentage also gives
"#21%". A query's figure asks for its most specific key only: "1,7 млрд" for the value, "21%"
for the percentage, "1,7" for the mantissa, which "1,7 млрд" in a text and 1.7 billion in a
field both give.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

_SCALES = {
    "тыс": 10**3, "тысяч": 10**3, "тысячи": 10**3, "тысяча": 10**3, "thousand": 10**3,
    "млн": 10**6, "миллион": 10**6, "миллиона": 10**6, "миллионов": 10**6, "million": 10**6,
    "mn": 10**6, "mln": 10**6,
    "млрд": 10**9, "миллиард": 10**9, "миллиарда": 10**9, "миллиардов": 10**9, "billion": 10**9,
    "bn": 10**9, "bln": 10**9,
    "трлн": 10**12, "триллион": 10**12, "триллиона": 10**12, "триллионов": 10**12,
    "trillion": 10**12,
}  # fmt: skip
_DIGIT = re.compile(r"\d")
_PERCENT = ("%", "процент", "процента", "процентов", "percent", "per cent")


@functools.cache
def _pattern() -> re.Pattern[str]:
    """A figure: digits (thousands grouped by spaces, a decimal comma or point), then perhaps
    a scale word or a percent sign; compiled when first needed."""
    scales = "|".join(sorted(map(re.escape, (*_SCALES, *_PERCENT)), key=len, reverse=True))
    return re.compile(
        r"(?<![\w.,])(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
        r"(?:[.,](?P<frac>\d+))?(?![\w])"
        rf"(?:\s?(?P<unit>{scales})(?![^\W\d_]))?",
        re.IGNORECASE,
    )


class Figure(NamedTuple):
    """One figure found in a text: where it stands, and its keys."""

    start: int
    end: int
    keys: frozenset[str]
    """Every key the figure gives (a text's)."""
    asked: frozenset[str]
    """The keys a query's figure asks for, any one of which will do."""


def figures(text: str) -> list[Figure]:
    """Every figure in a text, in order."""
    if _DIGIT.search(text) is None:
        return []
    return [_figure(match) for match in _pattern().finditer(text)]


def _figure(match: re.Match[str]) -> Figure:
    keys, asked = _figure_keys(match["int"], match["frac"], (match["unit"] or "").lower())
    return Figure(match.start(), match.end(), keys, asked)


@functools.lru_cache(maxsize=16384)
def _figure_keys(whole: str, frac: str | None, unit: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys, asked) of a figure by its parts as written (texts repeat their figures)."""
    whole = re.sub(r"\D", "", whole)
    readings = [f"{whole}.{frac}" if frac else whole]
    if frac and len(frac) == 3 and not unit:
        readings.append(whole + frac)  # "1,400" may be English for 1400
    mantissas = {_key(float(r)) for r in readings}
    keys = set(mantissas)
    asked = set(mantissas)
    if unit in _SCALES:
        asked = {_key(float(r) * _SCALES[unit]) for r in readings}
        keys |= asked
    elif unit:
        asked = {f"{m}%" for m in mantissas}
        keys |= asked
    return frozenset(keys), frozenset(asked)


def _key(value: float) -> str:
    """The key of a number: "#" and its shortest decimal form (12 significant digits)."""
    text = f"{value:.12g}"
    if "e" in text:  # only for values too large to matter: keep them whole
        text = f"{value:.0f}"
    return f"#{text}"


def text_keys(text: str) -> frozenset[str]:
    """The keys of every figure in a text."""
    return frozenset().union(*(f.keys for f in figures(text)))


def value_keys(value: float, percent: bool = False) -> frozenset[str]:
    """The keys of a figure a record's field holds: its value; its mantissa at the largest
    scale it reaches (1.7 for 1.7 billion, 260 for 260 million); with percent, the
    percentage."""
    keys = {_key(value)}
    if percent:
        keys.add(f"{_key(value)}%")
        return frozenset(keys)
    for scale in (10**12, 10**9, 10**6, 10**3):
        if abs(value) >= scale:
            keys.add(_key(round(value / scale, 6)))
            break
    return frozenset(keys)
