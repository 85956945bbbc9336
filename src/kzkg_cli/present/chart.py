"""`kzkg trade --chart`: trade figures as labelled bars, actual figures and targets apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from kzkg_cli.core.lang import pick
from kzkg_cli.core.rows import Row
from kzkg_cli.index.store import Store
from kzkg_cli.present import figures
from kzkg_cli.present.console import make_console
from kzkg_cli.present.table import cell_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

ACTUAL, TARGET = "█", "░"
LABEL_WIDTH = 18
LEGEND = f"{ACTUAL} actual  {TARGET} target   ~ approximate   ! the sources disagree (or may)"


def chart_rows(rows: Sequence[Row]) -> list[Row]:
    """The figures a bar can show (those in US dollars): actual ones in time order, then
    targets by horizon (a target with no year last)."""
    money_rows = [row for row in rows if row.get("value_usd") is not None]
    actual = [row for row in money_rows if row["kind"] != "target"]
    targets = [row for row in money_rows if row["kind"] == "target"]
    targets.sort(key=lambda row: row.get("horizon") or "9999")
    return actual + targets


def label(row: Row) -> str:
    """What the bar is for: the period, or the horizon of a target."""
    if row["kind"] == "target":
        return f"target {row['horizon']}" if row.get("horizon") else "target, no year"
    if row["kind"] == "potential":
        return "potential"
    period = str(row.get("period") or "—")
    return ("~" if row.get("period_inferred") else "") + period


def draw(rows: Sequence[Row], store: Store, title: str, stream: IO[str], lang: str = "ru") -> None:
    """Draw the chart on stream: colour on a terminal, plain text in a pipe; values as the
    sources say them ("~$2 bn", "свыше $2 млрд") and the conflicts' readings and summaries
    in lang, each footnote wrapped at words to the width."""
    from rich.text import Text

    console = make_console(stream)
    shown = chart_rows(rows)
    top = max(row["value_usd"] for row in shown)
    values = [figures.of_row(row, "value_usd", lang) for row in shown]
    room = max(10, console.width - LABEL_WIDTH - max(map(len, values)) - 4)
    _print_wrapped(console, Text(cell_text(title), style="bold"))
    _print_wrapped(console, Text(LEGEND, style="dim"))
    conflicts: dict[str, None] = {}
    for row, value in zip(shown, values, strict=True):
        length = max(1, round(room * row["value_usd"] / top))
        target = row["kind"] == "target"
        conflicts.update(dict.fromkeys(row.get("conflicts", [])))
        line = Text(cell_text(label(row)[:LABEL_WIDTH]).ljust(LABEL_WIDTH)[:LABEL_WIDTH] + " ")
        line.append((TARGET if target else ACTUAL) * length, style="cyan" if target else "green")
        line.append(f" {value}")
        if row.get("conflicts"):
            line.append(" !", style="bold red")
        console.print(line, soft_wrap=True)  # sized to fit: never wrapped
    for conflict_id in conflicts:
        note = footnote(conflict_id, store.get(conflict_id), lang)
        _print_wrapped(console, Text(cell_text(note)))


def _print_wrapped(console: Console, text: Text) -> None:
    """Print text wrapped by Rich at words to the console's width (a word longer than a line
    is folded), with no space left at a line's end."""
    for line in text.wrap(console, console.width):
        line.rstrip()
        console.print(line)


def footnote(conflict_id: str, conflict: Row | None, lang: str) -> str:
    """A conflict under the chart: "! id (possible): $1.7 bn / ~$2 bn — its summary"."""
    summary = pick(conflict, "summary", lang) if conflict else ""
    line = f"! {figures.conflict_line(conflict_id, conflict, lang)}"
    return f"{line} — {summary}" if summary else line
