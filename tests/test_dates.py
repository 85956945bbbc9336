"""Partial ISO dates and intervals."""

from __future__ import annotations

from datetime import date

import pytest

from kzkg_cli.core import dates


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "year"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28), "month"),
        ("2025-08-22", date(2025, 8, 22), date(2025, 8, 22), "day"),
    ],
)
def test_partial_dates_cover_their_whole_span(
    text: str, start: date, end: date, precision: str
) -> None:
    assert dates.date_span(text) == (start, end)
    assert dates.precision_of(text) == precision


def test_interval_runs_from_start_of_first_to_end_of_last() -> None:
    assert dates.period_span("2025-01/2025-08") == (date(2025, 1, 1), date(2025, 8, 31))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-02-30", "not a real date"),
        ("2025-13", "not a real date"),
        ("25-01-01", "expected an ISO 8601 date"),
        ("March 2024", "expected an ISO 8601 date"),
        ("", "expected an ISO 8601 date"),
    ],
)
def test_malformed_dates_say_what_is_wrong(text: str, message: str) -> None:
    problem = dates.check_date(text)
    assert problem is not None and message in problem


def test_backwards_interval_is_rejected() -> None:
    problem = dates.check_period("2025-08/2025-01")
    assert problem is not None and "ends before it starts" in problem
