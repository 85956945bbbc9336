"""Rich tables for people on a terminal; `header: value` records when a table cannot fit.

Cells are Text, never markup, and unsafe characters are escaped (core.text.neutralise), so
nothing stored or typed can drive the terminal; and they are cut to MAX_CELL characters. Rich is
imported here only, when a table is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from kzkg_cli.core.rows import Row
from kzkg_cli.core.text import neutralise, shorten
from kzkg_cli.present.columns import Column, View, as_text
from kzkg_cli.present.console import make_console

if TYPE_CHECKING:
    from rich.console import Console

MAX_KEPT_WIDTH = 30
"""A column that does not wrap keeps up to this many characters however narrow the terminal."""
MIN_COLUMN_WIDTH = 9
"""A column that wraps keeps at least this many characters. When the columns cannot all have
their widths, a table would lose data off the edge: the rows are printed as records instead."""


MAX_CELL = 2_000
"""A cell longer than this is cut, with a marker saying how long it was. Rich takes time
quadratic in a cell's length to wrap it (2 million characters took 8 s, 4 million 24 s, so 50
million about an hour), and no one reads a value that long on a terminal; --format json or tsv
give it whole. The chart's text is cut the same way."""


def cell_text(text: str) -> str:
    """A value as a table cell shows it: cut to MAX_CELL characters, then neutralised."""
    return neutralise(str(shorten(text, MAX_CELL)))


def shown_columns(view: View) -> list[Column]:
    """The columns a person sees on a terminal (not those kept for scripts reading TSV)."""
    return [column for column in view.columns if column.in_table]


def print_records(rows: Sequence[Row], view: View, console: Console) -> None:
    """Rows one after another as "header: value" lines, for a terminal too narrow for a table."""
    from rich.text import Text

    console.print(Text(neutralise(view.title), style="bold"), soft_wrap=True)
    for row in rows:
        console.print()
        for column in shown_columns(view):
            value = cell_text(as_text(column.cell(row)))
            if value:  # soft_wrap: the terminal wraps the line, Rich does not cut it up
                console.print(Text.assemble((f"{column.header}: ", "bold"), value), soft_wrap=True)


def print_table(rows: Sequence[Row], view: View, stream: IO[str]) -> None:
    """Draw a Rich table; cells are Text, never markup, cut short and neutralised."""
    from rich.table import Table
    from rich.text import Text

    console = make_console(stream)
    columns = shown_columns(view)
    cells = [[cell_text(as_text(column.cell(row))) for column in columns] for row in rows]
    widths = []
    for number, column in enumerate(columns):
        longest = max([len(column.header)] + [len(row_cells[number]) for row_cells in cells])
        widths.append(min(longest, MIN_COLUMN_WIDTH if column.wrap else MAX_KEPT_WIDTH))
    if sum(widths) + 3 * len(widths) + 1 > console.width:  # cell padding and borders
        print_records(rows, view, console)
        return
    table = Table(title=Text(neutralise(view.title)), show_lines=False, expand=False)
    for column, width in zip(columns, widths, strict=True):
        if column.wrap:
            table.add_column(column.header, overflow="fold", min_width=width)
        else:  # short values (dates, amounts): kept whole, the long text columns give way
            table.add_column(
                column.header, no_wrap=True, min_width=width, max_width=width, overflow="ellipsis"
            )
    for row_cells in cells:
        table.add_row(*(Text(cell) for cell in row_cells))
    console.print(table)
