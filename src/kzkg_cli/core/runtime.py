"""How kzkg runs: the cyclic garbage collector paused around work that makes no cycles, and
the debug lines $KZKG_DEBUG asks for."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block.

    Building an index, or streaming every row of a large fact base, makes millions of small
    dicts and lists and no reference cycles; left on, the collector walks them all again and
    again, which costs about a third of the work. Reference counting still frees every row.

    What the block leaves alive is frozen before the collector resumes: else its first pass
    would walk every object made during the pause at once (a third of a second at 100,000
    records), for cycles there are none of.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


DEBUG_ENV = "KZKG_DEBUG"


def debug(message: str) -> None:
    """One line on stderr when $KZKG_DEBUG is set: why a cache was not used, say."""
    import os
    import sys

    if os.environ.get(DEBUG_ENV):
        from kzkg_cli.core.text import one_line

        sys.stderr.write(f"kzkg: debug: {one_line(message)}\n")
