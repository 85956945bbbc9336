"""The floors of `kzkg draft`'s quality on the seed articles (benchmarks/draft_quality.py says
how each kind is matched); precision is reported there, not held to a floor."""

from __future__ import annotations

import runpy
from typing import Any

import pytest

from .conftest import ROOT

FLOORS = {
    "people": 0.9,
    "posts": 0.7,
    "money": 1.0,
    "percentages": 1.0,
    "explicit dates": 1.0,
    "documents": 0.8,
}


@pytest.fixture(scope="module")
def total() -> dict[str, Any]:
    bench = runpy.run_path(str(ROOT / "benchmarks" / "draft_quality.py"))
    scores, _ = bench["measure"](ROOT)
    return dict(scores)


@pytest.mark.parametrize("kind", list(FLOORS))
def test_recall_is_at_least_its_floor(total: dict[str, Any], kind: str) -> None:
    score = total[kind]
    assert score.expected > 0
    assert score.recall >= FLOORS[kind], (kind, score.found, score.expected, score.misses)


def test_statements_are_found_with_their_speakers(total: dict[str, Any]) -> None:
    assert total["statements"].expected > 0
    assert total["statements"].found > 0
