"""Rich tables for people on a terminal; `header: value` records when no readable table fits.

present.layout decides every width and line break (columns sized by their content, words never
split while they fit); Rich only draws the borders. Cells are Text, never markup, and unsafe
characters are escaped (core.text.neutralise), so nothing stored or typed can drive the terminal;
and they are cut to MAX_CELL characters. A column empty in every row is left out; a long list
in a cell shows its first items and how many more (`show` gives them all). Rich is imported
here only, when a table is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from kzkg_cli.core.rows import Row
from kzkg_cli.core.text import neutralise, shorten
from kzkg_cli.present.columns import CellValue, Column, View
from kzkg_cli.present.console import make_console

if TYPE_CHECKING:
    from rich.console import Console

    from kzkg_cli.present.layout import Block

MAX_KEPT_WIDTH = 30
"""A column that does not wrap keeps up to this many characters however narrow the terminal."""
LIST_LIMIT = 6
"""A list longer than this shows its first LIST_LIMIT - 1 items and how many more there are."""
MORE = {"ru": "и ещё {}", "en": "and {} more"}
"""How the rest of a long list is counted, in the view's language."""

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


def block(value: CellValue, column: Column, lang: str) -> Block:
    """What a cell shows: text by its lines; a list one item a line (bulleted where there are
    several), or in a line with commas for an inline column; a long list cut short."""
    from kzkg_cli.present.layout import Block

    if not isinstance(value, list):
        return Block(cell_text(value).split("\n"))
    items = [cell_text(item) for item in value if item]
    if len(items) > LIST_LIMIT and not column.full:
        rest = len(items) - (LIST_LIMIT - 1)
        items = [*items[: LIST_LIMIT - 1], MORE.get(lang, MORE["en"]).format(rest)]
    if column.inline:
        return Block([", ".join(items)] if items else [])
    return Block(items, bullets=len(items) > 1)


def print_table(rows: Sequence[Row], view: View, stream: IO[str]) -> None:
    """Draw a Rich table laid out by present.layout, or records where no table fits."""
    from rich.table import Table
    from rich.text import Text

    from kzkg_cli.present import layout

    console = make_console(stream)
    columns = shown_columns(view)
    cells = [[block(column.cell(row), column, view.lang) for column in columns] for row in rows]
    keep = [i for i in range(len(columns)) if any(_shows(row[i]) for row in cells)]
    columns = [columns[i] for i in keep]
    cells = [[row[i] for i in keep] for row in cells]
    room = console.width - 3 * len(columns) - 1  # a space each side of a cell, and the borders
    widths = _widths(columns, cells, room)
    if widths is None:
        print_records(rows, view, console)
        return
    table = Table(title=Text(neutralise(view.title)), show_lines=False, expand=False)
    for column, width in zip(columns, widths, strict=True):
        header = "\n".join(layout.wrap(column.header, width))
        table.add_column(header, width=width, no_wrap=True, overflow="crop")
    for row_cells in cells:
        table.add_row(
            *(
                Text("\n".join(layout.lines_of(cell, width)))
                for cell, width in zip(row_cells, widths, strict=True)
            )
        )
    console.print(table)


def _shows(cell: Block) -> bool:
    """Whether a cell shows anything (a column where none does is left out)."""
    return any(text.strip() for text in cell.paragraphs)


def _widths(columns: Sequence[Column], cells: list[list[Block]], room: int) -> list[int] | None:
    """Each column's width: its longest words kept whole, as long as the words a table must
    keep whole are, up to MAX_KEPT_WIDTH and down to layout.WORD_FLOOR (layout.KEPT_FLOOR for
    a column that should not wrap); None where not even the shortest fit."""
    from kzkg_cli.present import layout

    for cap in range(MAX_KEPT_WIDTH, layout.WORD_FLOOR - 1, -1):
        kept = max(cap, layout.KEPT_FLOOR)
        needs = [
            layout.need(
                column.header,
                [row[i] for row in cells],
                cap if column.wrap else kept,
                column.wrap,
            )
            for i, column in enumerate(columns)
        ]
        widths = layout.share(needs, room)
        if widths is not None:
            return widths
    return None


def print_records(rows: Sequence[Row], view: View, console: Console) -> None:
    """Rows one after another as `header: value` lines, for a terminal too narrow for a table:
    values wrapped at words to the terminal's width, under their first line."""
    from rich.cells import cell_len
    from rich.text import Text

    from kzkg_cli.present import layout

    width = max(console.width, 20)
    console.print(Text(neutralise(view.title), style="bold"), soft_wrap=True)
    for row in rows:
        console.print()
        for column in shown_columns(view):
            cell = block(column.cell(row), column, view.lang)
            if not _shows(cell):
                continue
            label = f"{column.header}: "
            indent = cell_len(label) if cell_len(label) <= width // 3 else 2
            lines = layout.lines_of(cell, width - indent)
            if indent == 2:
                lines = ["", *lines]
            text = Text.assemble((label, "bold"), lines[0])
            for line in lines[1:]:
                text.append("\n" + " " * indent + line)
            console.print(text, soft_wrap=True)  # wrapped above: Rich neither wraps nor crops
