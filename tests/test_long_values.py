"""A value millions of characters long is cut for a table, with a marker saying how long it
was; JSON and TSV still give it whole.

Rich takes time quadratic in a cell's length to wrap it (two million characters took about
eight seconds, four million twenty-four), so a cell reaches it cut to MAX_CELL characters.
The tests check that bound (a short output with the marker), never a time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kzkg_cli.core.errors import ExitCode
from kzkg_cli.present.table import MAX_CELL

from .conftest import MINI_FACTS, Invoke

LENGTH = 2_000_000
MARKER = f"({LENGTH:,} characters)"
"""The end of core.text.shorten's cut marker (a table may wrap the line before it)."""


@pytest.fixture(scope="module")
def long_facts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fact file with a source headline and an event summary LENGTH characters long."""
    text = MINI_FACTS.read_text(encoding="utf-8")
    long = "ж" * (LENGTH - 1) + "Z"  # the last character shows whether the end was kept
    changes = {
        'lead = "Тестовая': f'headline = "{long}"\nlead = "Тестовая',
        'summary = "Встреча в Бишкеке."': f'summary = "{long}"',
    }
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    facts = tmp_path_factory.mktemp("long") / "facts.toml"
    facts.write_text(text, encoding="utf-8")
    return facts


@pytest.mark.parametrize("columns", ["80", "20"], ids=["table", "records"])
@pytest.mark.parametrize(
    "args", [["sources"], ["show", "mini"], ["show", "meeting"], ["search", "Тестовая"]]
)
def test_a_long_value_is_cut_in_a_table(
    invoke: Invoke, long_facts: Path, args: list[str], columns: str
) -> None:
    result = invoke(
        *args, "--format", "table", "--facts", str(long_facts), env={"COLUMNS": columns}
    )
    assert result.code == ExitCode.OK, result.stderr
    words = re.sub(r"[\s│┃]+", " ", result.stdout)  # the marker may wrap at its space
    assert "…" in result.stdout and MARKER in words, result.stdout[-500:]
    assert "Z" not in result.stdout
    assert len(result.stdout) < 10 * MAX_CELL  # a bounded cell, plus borders and padding


def test_a_long_value_is_whole_in_tsv_and_json(invoke: Invoke, long_facts: Path) -> None:
    tsv = invoke("sources", "--format", "tsv", "--facts", str(long_facts))
    assert tsv.stdout.split("\t")[-1].strip().endswith("ж" * 10 + "Z")
    shown = invoke("show", "meeting", "--json", "--facts", str(long_facts)).json()
    assert len(shown[0]["summary"]) == LENGTH
