"""Text shown to people: escapes neutralised, long values cut, whitespace squashed."""

from __future__ import annotations

import functools
import re

# What must not reach a terminal raw. C0 and C1 controls (ESC, BEL, CSI among them) drive it.
# Bidi controls (ALM, LRM, RLM, the embeddings, overrides and isolates) reorder what is shown,
# so a line reads other than it is. Zero-width and invisible characters (ZWSP, ZWNJ, ZWJ, word
# joiner, the invisible operators, BOM, the tag characters of "ASCII smuggling") hide text
# between what is shown. Lone surrogates (argv bytes or file names that are not UTF-8, as
# Python keeps them) cannot be written as UTF-8 at all. The soft hyphen stays: articles use it
# for hyphenation, and it can neither drive the terminal nor hide more than a hyphen. Also
# escaped: the line and paragraph separators (U+2028, U+2029), and the characters that show
# as nothing (the combining grapheme joiner U+034F, the Mongolian vowel separator U+180E, the
# Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the interlinear annotation marks U+FFF9-B).
UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u034f\u061c\u115f\u1160\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000e0000-\U000e007f\ud800-\udfff"
)
"""A regular-expression character class body (no brackets) of the characters neutralise
escapes; tab and newline are not among them."""
_SPACE = re.compile(r"\s+")


@functools.cache
def unsafe(extra: str = "") -> re.Pattern[str]:
    """The compiled class of UNSAFE characters (and extra ones), compiled when first needed:
    compiling it costs a plain JSON answer, which never needs it, more than half a
    millisecond."""
    return re.compile(f"[{UNSAFE}{extra}]")


@functools.cache
def _surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def neutralise(text: str) -> str:
    """Text safe to show: unsafe characters become visible escapes like \\x1b or \\u202e."""
    pattern = unsafe()
    if pattern.search(text) is None:  # nearly every table cell: no copy made
        return text
    return pattern.sub(_escape, text)


def one_line(text: str) -> str:
    """A message safe to show as one line: neutralised, its tabs and newlines escaped too, so
    a key or a path cannot start a line that looks like another message."""
    return neutralise(text).replace("\t", "\\x09").replace("\n", "\\x0a")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def is_broken(text: str) -> bool:
    """Whether text holds a lone surrogate: a byte that was not UTF-8 (in argv, stdin or a
    file name), as Python keeps it. Nothing can match it, and it cannot be written as UTF-8."""
    return _surrogate().search(text) is not None


def unbroken(text: str) -> str:
    """Text that can be written as UTF-8: each lone surrogate becomes U+FFFD, as a decoder
    shows a byte that is not UTF-8."""
    return _surrogate().sub("\ufffd", text)


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
