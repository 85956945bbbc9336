"""A progress display on stderr for building the index of a large fact file."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import IO, NamedTuple


class Progress(NamedTuple):
    """What a build reports its progress to."""

    stage: Callable[[str], None]
    """Name the stage begun."""
    advance: Callable[[int, int], None]
    """Say how many of how many are done."""


LARGE_FILE = 1_000_000
"""Fact files of at least this many bytes take long enough to index to show progress."""


@contextlib.contextmanager
def build_progress(size: int, stream: IO[str] | None = None) -> Iterator[Progress]:
    """(stage, advance) callbacks; they draw a bar only for a large file on a terminal."""
    out = stream if stream is not None else sys.stderr
    if size < LARGE_FILE or not (hasattr(out, "isatty") and out.isatty()):
        yield Progress(lambda name: None, lambda done, total: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("kzkg: {task.description}"), BarColumn(), MofNCompleteColumn())
    with Bar(*columns, console=Console(file=out), transient=True) as bar:
        task = bar.add_task("reading the fact file", total=None)

        def stage(name: str) -> None:
            bar.update(task, description=name, total=None, completed=0)

        def advance(done: int, total: int) -> None:
            if done % 1000 == 0 or done == total:
                bar.update(task, total=total, completed=done)

        yield Progress(stage, advance)
