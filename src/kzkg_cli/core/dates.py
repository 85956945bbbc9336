"""Partial ISO 8601 dates ("2025", "2025-08", "2025-08-22") and intervals ("2025-01/2025-08")."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Literal

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
