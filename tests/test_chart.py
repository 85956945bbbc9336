"""`kzkg trade --chart`: every dollar figure as a labelled bar, in proportion, its value as the
source says it in the chosen language, and each conflict's footnote wrapped at words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from kzkg_cli.present.chart import chart_rows

from .conftest import Invoke, grown_copy
from .test_figures import LANGS, exact, parse

BAR = re.compile(r"^(?P<label>.{18}) (?P<bar>[█░]+) (?P<value>.+?)(?P<mark> !)?$")


def bars(text: str) -> list[dict[str, str]]:
    return [m.groupdict() for line in text.splitlines() if (m := BAR.match(line))]


def chart(invoke: Invoke, lang: str, *args: str, columns: int = 200) -> str:
    result = invoke("trade", "--chart", "--lang", lang, *args, env={"COLUMNS": str(columns)})
    assert result.code == 0 and "\x1b" not in result.stdout, result.stderr
    return result.stdout


@pytest.mark.parametrize("lang", LANGS)
def test_the_chart_shows_every_turnover_figure_in_proportion(invoke: Invoke, lang: str) -> None:
    shown = bars(chart(invoke, lang))
    figures = [
        r for r in invoke("trade", "--indicator", "turnover", "--json").json() if r["value_usd"]
    ]
    assert shown and len(shown) == len(figures)
    values = [parse(b["value"], lang).value for b in shown]
    assert sorted(values) == sorted(exact(f["value_usd"]) for f in figures)
    longest = max(zip(shown, values, strict=True), key=lambda pair: len(pair[0]["bar"]))
    for bar, value in zip(shown, values, strict=True):  # in proportion, to within a character
        expected = len(longest[0]["bar"]) * value / longest[1]
        assert abs(len(bar["bar"]) - expected) <= 1, bar


def test_targets_come_last_and_look_different(invoke: Invoke) -> None:
    shown = bars(chart(invoke, "ru"))
    kinds = ["target" if "░" in b["bar"] else "actual" for b in shown]
    assert kinds == sorted(kinds)  # "actual" < "target": the trajectory, then the goal
    assert shown[kinds.index("target")]["label"].strip() == "target 2030"


@pytest.mark.parametrize("lang", LANGS)
def test_each_value_carries_its_approximation_or_bound(invoke: Invoke, lang: str) -> None:
    asked = ("--year", "2025", "--indicator", "turnover")
    rows = chart_rows(invoke("trade", *asked, "--json").json())
    shown = bars(chart(invoke, lang, *asked))
    assert any(r["approximate"] for r in rows), "the shipped 'около 2 млрд'"
    for bar, row in zip(shown, rows, strict=True):
        read = parse(bar["value"], lang)
        assert read.value == exact(row["value_usd"]), bar
        assert read.approximate == (row["approximate"] and not row["bound"]), bar
        assert read.bound == row["bound"], bar
        assert bool(bar["mark"]) == bool(row["conflicts"]), bar


def test_conflicting_figures_are_marked_with_their_readings(invoke: Invoke, tmp_path: Path) -> None:
    facts = str(grown_copy(tmp_path))  # its generated conflicts are about dollar figures
    disputed = [r for r in invoke("trade", "--facts", facts, "--json").json() if r["conflicts"]]
    indicator = disputed[0]["indicator"]
    text = chart(invoke, "en", "--indicator", indicator, "--facts", facts)
    assert any(b["mark"] for b in bars(text))
    conflict_id = disputed[0]["conflicts"][0]
    [conflict] = invoke("show", conflict_id, "--facts", facts, "--json").json()
    [line] = [line for line in text.splitlines() if line.startswith(f"! {conflict_id}")]
    readings = line.split(": ", 1)[1].split(" — ")[0].split(" / ")
    assert [parse(r, "en").value for r in readings] == [
        exact(r["value"]) for r in conflict["readings"]
    ]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("columns", [80, 50])
def test_footnotes_wrap_at_words_to_the_width(invoke: Invoke, lang: str, columns: int) -> None:
    wide = chart(invoke, lang, columns=2000).splitlines()  # a footnote a line
    narrow = chart(invoke, lang, columns=columns).splitlines()
    assert all(cell_len(line) <= columns for line in narrow), narrow
    assert all(line == line.rstrip() for line in narrow)
    footnotes = [line for line in wide if line.startswith("! ")]
    assert footnotes, "the shipped 2024 turnover against 'около 2 млрд'"
    last_bar = max(i for i, line in enumerate(narrow) if BAR.match(line))
    # the same words in the same order: none cut in two, none run together
    assert " ".join(narrow[last_bar + 1 :]).split() == " ".join(footnotes).split()
    assert len(narrow) - last_bar - 1 > len(footnotes)  # they did need wrapping


def test_chart_is_for_people_and_says_when_there_is_nothing_to_draw(invoke: Invoke) -> None:
    assert invoke("trade", "--chart", "--json").code == 2
    assert invoke("trade", "--chart", "--format", "csv").code == 2
    empty = invoke("trade", "--chart", "--indicator", "agro_share")
    assert empty.code == 1 and "no dollar figures to chart" in empty.stderr
    assert bars(invoke("trade", "--chart", "--indicator", "investment").stdout)
