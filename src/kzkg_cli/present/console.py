"""The Rich console every drawn output uses (tables, records, the chart).

Rich is imported here only when something is drawn. Whether the output is treated as a
terminal, and whether it gets colour, is decided in one place (see terminal_settings)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def make_console(stream: IO[str]) -> Console:
    """A console writing to stream: no highlighting of numbers or emoji codes in data."""
    from rich.console import Console

    return Console(file=stream, highlight=False, emoji=False)
