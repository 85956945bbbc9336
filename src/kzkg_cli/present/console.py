"""Whether output goes to a terminal, and whether it gets colour; the Rich console every drawn
output uses (tables, records, the chart).

Decided here, in one place, from the stream and the environment:

- A stream is treated as a terminal when it is one, or when KZKG_FORCE_TTY is set (to
  anything but empty or 0), as gh's GH_FORCE_TTY does: output is then formatted as on a
  terminal (a table by default, JSON and CSV escaped for the screen) even when piped, to a
  pager say. A terminal's width is its own (or COLUMNS); a forced one's is COLUMNS, else 80.
- Colour (Rich's colour and bold codes), first rule that applies: `--color always` or
  `--color never` (the command's, else the global one); NO_COLOR set and not empty: none;
  FORCE_COLOR set, not empty and not 0: colour; TERM=dumb: none; otherwise colour when the
  stream is treated as a terminal (really, or forced). As with ripgrep, colour never changes
  the format: `--color always` in a pipe still writes TSV unless a table is asked for or
  KZKG_FORCE_TTY is set; and TSV, CSV and JSON never carry colour.

Rich is imported only when something is drawn.
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rich.console import Console

FORCE_TTY_ENV = "KZKG_FORCE_TTY"
COLOURS = ("auto", "always", "never")
"""The values of --color."""
DEFAULT_WIDTH = 80
"""The width of a forced terminal (or any output that is not one) when COLUMNS says none."""

_chosen = ["auto"]
"""The run's --color, set by the command line before the command runs (choose_colour)."""


def choose_colour(choice: str | None) -> None:
    """Take the run's --color (None: auto)."""
    _chosen[0] = choice or "auto"


class Terminal(NamedTuple):
    """How output to one stream is drawn."""

    is_terminal: bool
    """Formatted as on a terminal: really one, or forced (KZKG_FORCE_TTY)."""
    colour: bool
    width: int | None
    """The width to draw at; None on a real terminal, whose own width Rich reads."""


def forced_tty() -> bool:
    """Whether KZKG_FORCE_TTY asks for terminal output whatever stdout is."""
    return os.environ.get(FORCE_TTY_ENV, "").strip() not in ("", "0")


def is_real_terminal(stream: IO[str]) -> bool:
    """Whether stream is an interactive terminal (isatty)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def is_terminal(stream: IO[str]) -> bool:
    """Whether output to stream is formatted as on a terminal: it is one, or one is forced."""
    return forced_tty() or is_real_terminal(stream)


def wants_colour(stream: IO[str], choice: str | None = None) -> bool:
    """Whether drawn output to stream gets colour codes (the precedence is the module's)."""
    chosen = choice or _chosen[0]
    if chosen != "auto":
        return chosen == "always"
    if os.environ.get("NO_COLOR", ""):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    if _dumb():
        return False
    return is_terminal(stream)


def terminal_settings(stream: IO[str], choice: str | None = None) -> Terminal:
    """Whether stream is a terminal, whether it gets colour, and its width."""
    real = is_real_terminal(stream)
    width = None if real else columns()
    return Terminal(real or forced_tty(), wants_colour(stream, choice), width)


def columns() -> int:
    """COLUMNS where it is a positive whole number, else 80."""
    value = os.environ.get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_WIDTH


def _dumb() -> bool:
    return os.environ.get("TERM", "").strip().lower() in ("dumb", "unknown")


def make_console(stream: IO[str]) -> Console:
    """A console writing to stream, in colour or with no escape codes at all as decided
    above; no highlighting of numbers or emoji codes in data."""
    from rich.console import Console

    settings = terminal_settings(stream)
    if not settings.colour:  # Rich then writes no escape code at all, bold included
        return Console(
            file=stream,
            highlight=False,
            emoji=False,
            force_terminal=False,
            color_system=None,
            width=settings.width,
        )
    return Console(
        file=stream,
        highlight=False,
        emoji=False,
        force_terminal=True,
        color_system="standard" if _dumb() else "auto",  # --color always beats TERM=dumb
        width=settings.width,
    )
