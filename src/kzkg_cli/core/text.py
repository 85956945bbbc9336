"""Text shown to people: escapes neutralised, long values cut, whitespace squashed."""

from __future__ import annotations

import re

# C0 and C1 control characters (ESC among them) would let a string drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


def neutralise(text: str) -> str:
    """Text safe to show: control characters become visible escapes like \\x1b."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def shorten(value: object, limit: int = 60) -> object:
    """A long string cut for a message: its start and how long it was; anything else as is."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}{_length(value)}"
    return value


def shown(value: object, limit: int = 60) -> str:
    """A value quoted for a message (repr), cut short if long: a file may hold huge strings,
    and a query may be a paste of a whole article."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + _length(value)
    return repr(value)


def _length(text: str) -> str:
    return f"… ({len(text):,} characters)"


def squash(text: str) -> str:
    """Whitespace-insensitive form used to compare quotes with articles."""
    return _SPACE.sub(" ", text).strip()
