"""Completion of values from the data, by prefix, in any case and script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kzkg_cli.cli import complete
from kzkg_cli.cli.settings import shipped_facts
from kzkg_cli.ingest.validate import load_rows


def test_names_complete_from_any_word_in_any_script() -> None:
    assert complete.people(None, "Бек") == ["Бектенов"]
    assert "tokayev" in complete.people(None, "tok")
    assert "Sadyr Japarov" in complete.people(None, "Sadyr")
    assert complete.people(None, "Жжжж") == []


def test_checkpoints_ids_and_indicators_complete() -> None:
    assert complete.checkpoints(None, "кар") == ["карасу"]  # Қарасу, as typed so far
    bekt = complete.record_ids(None, "bekt")
    assert "bektenov" in bekt and all(i.startswith("bekt") for i in bekt) and bekt == sorted(bekt)
    assert complete.offices(None, "president-") == ["president-kg", "president-kz"]
    assert complete.indicators(None, "tu") == ["turnover"]
    rows = load_rows(Path(shipped_facts()))
    indicators = {row["indicator"] for row in rows if row["type"] == "trade"}
    assert sorted(complete.indicators(None, "")) == sorted(indicators)


def test_a_bad_fact_file_completes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KZKG_FACTS", str(tmp_path / "missing.toml"))
    assert complete.people(None, "Бек") == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [("kzkg show bekt", "bektenov"), ("kzkg who Бек", "Бектенов"), ("kzkg borders Бес", "Бесагаш")],
)
def test_the_shell_gets_the_values(tmp_path: Path, words: str, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    env |= {"KZKG_CACHE_DIR": str(tmp_path), "_KZKG_COMPLETE": "complete_bash"}
    env |= {"COMP_WORDS": words, "COMP_CWORD": "2"}
    result = subprocess.run(
        [sys.executable, "-m", "kzkg_cli"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout.split() and "Most useful" not in result.stdout
