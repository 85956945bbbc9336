"""`kzkg trade --chart`: trade figures as labelled bars, actual figures and targets apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from kzkg_cli.core.lang import pick
from kzkg_cli.core.rows import Row
from kzkg_cli.index.store import Store
from kzkg_cli.present.console import make_console
from kzkg_cli.present.table import cell_text
from kzkg_cli.present.views import money

ACTUAL, TARGET = "█", "░"
LABEL_WIDTH = 18
VALUE_WIDTH = 12


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
    """Draw the chart on stream: colour on a terminal, plain text in a pipe; the conflicts'
    summaries in lang."""
    from rich.text import Text

    console = make_console(stream)
    shown = chart_rows(rows)
    top = max(row["value_usd"] for row in shown)
    room = max(10, console.width - LABEL_WIDTH - VALUE_WIDTH - 6)
    console.print(Text(cell_text(title), style="bold"), soft_wrap=True)
    console.print(
        f"{ACTUAL} actual  {TARGET} target   ~ approximate   ! the sources disagree (or may)",
        style="dim",
        soft_wrap=True,
    )
    conflicts: dict[str, None] = {}
    for row in shown:
        length = max(1, round(room * row["value_usd"] / top))
        target = row["kind"] == "target"
        value = ("~" if row.get("approximate") else "") + money(row["value_usd"])
        mark = "!" if row.get("conflicts") else ""
        conflicts.update(dict.fromkeys(row.get("conflicts", [])))
        line = Text(cell_text(label(row)[:LABEL_WIDTH]).ljust(LABEL_WIDTH)[:LABEL_WIDTH] + " ")
        line.append((TARGET if target else ACTUAL) * length, style="cyan" if target else "green")
        line.append(f" {value}")
        if mark:
            line.append(f" {mark}", style="bold red")
        console.print(line, soft_wrap=True)
    for conflict_id in conflicts:
        conflict = store.get(conflict_id)
        summary = pick(conflict, "summary", lang) if conflict else ""
        sure = conflict.get("certainty") if conflict else None
        how = f" ({sure})" if sure and sure != "certain" else ""
        console.print(Text(cell_text(f"! {conflict_id}{how}: {summary}")), soft_wrap=True)
