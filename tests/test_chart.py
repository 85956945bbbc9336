"""`kzkg trade --chart`: every dollar figure as a labelled bar, in proportion, marks kept."""

from __future__ import annotations

import re

from .conftest import Invoke

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


def test_approximate_and_conflicting_figures_are_marked(invoke: Invoke) -> None:
    result = invoke("trade", "--chart", "--year", "2024")
    shown = bars(result.stdout)
    assert {b["value"] for b in shown} == {"$1.7 bn", "~$2 bn"}
    assert all(b["mark"] == "!" for b in shown)
    assert "! turnover-2024-conflict: " in result.stdout


def test_chart_is_for_people_and_says_when_there_is_nothing_to_draw(invoke: Invoke) -> None:
    assert invoke("trade", "--chart", "--json").code == 2
    assert invoke("trade", "--chart", "--format", "csv").code == 2
    empty = invoke("trade", "--chart", "--indicator", "agro_share")
    assert empty.code == 1 and "no dollar figures to chart" in empty.stderr
    assert bars(invoke("trade", "--chart", "--indicator", "investment").stdout)
