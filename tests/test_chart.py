"""`kzkg trade --chart`: every dollar figure as a labelled bar, in proportion, marks kept."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import Invoke, grown_copy

BAR = re.compile(r"^(?P<label>.{18}) (?P<bar>[█░]+) (?P<value>~?\$[\d.]+ (?:bn|mn)) ?(?P<mark>!?)$")


def bars(text: str) -> list[dict[str, str]]:
    return [m.groupdict() for line in text.splitlines() if (m := BAR.match(line))]


def dollars(value: str) -> float:
    number, unit = value.lstrip("~$").split()
    return float(number) * (1e9 if unit == "bn" else 1e6)


def test_the_chart_shows_every_turnover_figure_in_proportion(invoke: Invoke) -> None:
    result = invoke("trade", "--chart")
    assert result.code == 0 and "\x1b" not in result.stdout
    shown = bars(result.stdout)
    figures = [
        r for r in invoke("trade", "--indicator", "turnover", "--json").json() if r["value_usd"]
    ]
    assert shown and len(shown) == len(figures)
    assert sorted(dollars(b["value"]) for b in shown) == sorted(f["value_usd"] for f in figures)
    longest = max(shown, key=lambda b: len(b["bar"]))
    for bar in shown:  # lengths in proportion to the values, to within a character
        expected = len(longest["bar"]) * dollars(bar["value"]) / dollars(longest["value"])
        assert abs(len(bar["bar"]) - expected) <= 1, bar


def test_targets_come_last_and_look_different(invoke: Invoke) -> None:
    shown = bars(invoke("trade", "--chart").stdout)
    kinds = ["target" if "░" in b["bar"] else "actual" for b in shown]
    assert kinds == sorted(kinds)  # "actual" < "target": the trajectory, then the goal
    assert shown[kinds.index("target")]["label"].strip() == "target 2030"


def test_approximate_and_conflicting_figures_are_marked(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("trade", "--chart", "--year", "2025")
    approximate = [b for b in bars(result.stdout) if b["value"].startswith("~")]
    assert [b["value"] for b in approximate] == ["~$2 bn"]  # "около 2 млрд"
    facts = str(grown_copy(tmp_path))  # its generated conflicts are about dollar figures
    disputed = [r for r in invoke("trade", "--facts", facts, "--json").json() if r["conflicts"]]
    indicator = disputed[0]["indicator"]
    chart = invoke("trade", "--chart", "--indicator", indicator, "--facts", facts).stdout
    assert any(b["mark"] == "!" for b in bars(chart))
    assert f"! {disputed[0]['conflicts'][0]}: " in chart


def test_chart_is_for_people_and_says_when_there_is_nothing_to_draw(invoke: Invoke) -> None:
    assert invoke("trade", "--chart", "--json").code == 2
    assert invoke("trade", "--chart", "--format", "csv").code == 2
    empty = invoke("trade", "--chart", "--indicator", "agro_share")
    assert empty.code == 1 and "no dollar figures to chart" in empty.stderr
    assert bars(invoke("trade", "--chart", "--indicator", "investment").stdout)
