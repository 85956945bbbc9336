"""How rows look to a person: a View is a title and Columns, each a header and a cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from kzkg_cli.core.rows import Row

CellValue = str | list[str]
"""What a cell holds: text, or a list of items (a person's offices, an event's participants)
that a table shows one to a line and TSV joins with "; " (present.formats)."""


class Column(NamedTuple):
    """One column of a table or TSV line: a header and how to get its text from a row."""

    header: str
    cell: Callable[[Row], CellValue]
    wrap: bool = True
    in_table: bool = True
    """False for data a script reads from TSV that a table leaves out (a match as JSON)."""
    inline: bool = False
    """A list shown in a table in one line, its items parted by commas (an event's
    participants), not one item a line."""
    full: bool = False
    """A list shown whole however long (`show`), not cut to its first items."""


class View(NamedTuple):
    """How a command's rows look to a person: a title and columns."""

    title: str
    columns: Sequence[Column]
    lang: str = "ru"
    """The language of the view's text (core.lang), for the words a table adds itself."""


def as_text(value: CellValue, separator: str = "\n") -> str:
    """A cell's value as one text: a list's items joined by separator."""
    return separator.join(value) if isinstance(value, list) else value
