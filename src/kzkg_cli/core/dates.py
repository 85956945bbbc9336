"""Partial ISO 8601 dates ("2025", "2025-08", "2025-08-22") and intervals ("2025-01/2025-08")."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Literal, NamedTuple

Precision = Literal["year", "month", "day"]

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
EXPECTED = "an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"


def precision_of(text: str) -> Precision:
    """How much of a partial date is known, from its shape alone."""
    levels: tuple[Precision, Precision, Precision] = ("year", "month", "day")
    return levels[min(text.count("-"), 2)]


def date_span(text: str) -> tuple[date, date]:
    """First and last calendar day a partial date covers; ValueError if it is not one."""
    match = _PARTIAL.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected {EXPECTED}, got {text!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            if not 1 <= month <= 12:
                raise ValueError(f"bad month number {month}; must be 1-12")
            last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
            return date(year, month, 1), date(year, month, last)
        exact = date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None
    return exact, exact


def period_span(text: str) -> tuple[date, date]:
    """Span of a partial date or of an interval "START/END"; ValueError if malformed."""
    if "/" not in text:
        return date_span(text)
    start_text, _, end_text = text.partition("/")
    start, end = date_span(start_text)[0], date_span(end_text)[1]
    if end < start:
        raise ValueError(f"interval {text!r} ends before it starts")
    return start, end


@lru_cache(maxsize=8192)  # a large file repeats its dates
def check_date(text: str) -> str | None:
    """The problem with a partial date, or None when it is valid."""
    try:
        date_span(text)
    except ValueError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=8192)
def check_period(text: str) -> str | None:
    """The problem with a period (partial date or interval), or None when it is valid."""
    try:
        period_span(text)
    except ValueError as exc:
        return str(exc)
    return None


class Asked(NamedTuple):
    """A date a query names, as much of it as it names: "22 августа" has no year."""

    year: int | None
    month: int | None
    day: int | None

    def span(self, year: int) -> tuple[date, date] | None:
        """The days it names in a year (its own, if it names one); None if it names a day
        that year lacks (29 февраля)."""
        text = f"{self.year or year:04d}"
        if self.month:
            text += f"-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        try:
            return date_span(text)
        except ValueError:
            return None


# Months by the first letters every Russian form of their name shares (май apart: "ма" is
# the start of too many words), and by their English names.
_RUSSIAN_MONTHS = ("январ", "феврал", "март", "апрел", "", "июн", "июл", "август", "сентябр",
                   "октябр", "ноябр", "декабр")  # fmt: skip
_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december")  # fmt: skip
_MAY = frozenset(("май", "мая", "мае", "маю", "маем"))
_QUERY_WORD = re.compile(r"[^\W\d_]+|\d+")
_FILLER = frozenset(("в", "во", "на", "года", "год", "г", "году", "in", "on", "of", "the"))
_NUMERIC = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def month_of(word: str) -> int | None:
    """The month a word names, in any case form, Russian or English (ноября, Nov, August)."""
    word = word.lower().replace("ё", "е")
    if word in _MAY:
        return 5
    for number, (russian, english) in enumerate(
        zip(_RUSSIAN_MONTHS, _ENGLISH_MONTHS, strict=True), 1
    ):
        if (russian and word.startswith(russian)) or (len(word) >= 3 and english.startswith(word)):
            return number
    return None


def asked_date(text: str) -> Asked | None:
    """The date a query is, when it is one and nothing else: "2025-08-22", "2025-08", "2025",
    "22 августа", "22 августа 2025 года", "ноябрь", "в ноябре 2025", "August 2025",
    "22.08.2025"; else None."""
    text = text.strip()
    iso = _PARTIAL.fullmatch(text)
    if iso:
        asked = Asked(*(int(p) if p else None for p in iso.groups()))
        return asked if asked.span(2000) else None
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        day, month, year = map(int, numeric.groups())
        asked = Asked(year, month, day)
        return asked if asked.span(year) else None
    return _spelt(text)


def _spelt(text: str) -> Asked | None:
    year = month = day = None
    for word in _QUERY_WORD.findall(text.lower()):
        if word in _FILLER:
            continue
        if word.isdigit():
            if len(word) == 4 and year is None:
                year = int(word)
            elif len(word) <= 2 and day is None and month is None and 1 <= int(word) <= 31:
                day = int(word)
            else:
                return None
        elif month is None and (found := month_of(word)) is not None:
            month = found
        else:
            return None
    if month is None:
        return None
    asked = Asked(year, month, day)
    return asked if asked.span(year or 2000) else None
