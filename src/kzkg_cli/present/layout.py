"""Where lines break in a table: column widths from their content, text wrapped at words.

A table is laid out before Rich draws it, so that what a reader sees follows three rules:

- each column gets a width from what it holds: the longest word it must show whole and the
  longest line it would like, the space beyond the shortest readable widths shared out in
  proportion to what each column still wants (as a browser lays out an automatic table);
- a word is never split while it fits its column; only a word longer than its column is cut,
  at one of its own hyphens where it has one, else with a hyphen added;
- when not even the shortest readable widths fit, there is no table (the caller prints
  `header: value` records instead, wrapped the same way to the terminal's width).

Widths are counted in terminal cells (rich.cells.cell_len: a CJK character takes two).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len

WORD_FLOOR = 10
"""When the columns cannot all keep their longest words whole, each still gets this many
characters (its words longer than that are hyphenated); below it, records are printed."""
KEPT_FLOOR = 12
"""A column of short values that should not wrap (dates, ids) keeps words this long whole
however narrow the terminal."""
BREAKS = re.compile(r"[^-/_]*(?:[-/_]+|$)")
"""A word's parts that a line may end after, when the word is longer than a line."""
MIN_TAIL = 3
"""A word cut with an added hyphen leaves at least this many characters for the next line."""
BULLET = "• "
"""Marks each item of a list shown one to a line."""


class Block(NamedTuple):
    """What one cell shows, before wrapping: its paragraphs, and whether each is a list item."""

    paragraphs: Sequence[str]
    bullets: bool = False

    @property
    def indent(self) -> int:
        return cell_len(BULLET) if self.bullets else 0


def longest_word(block: Block, cap: int) -> int:
    """The width the cell's words need (with the bullet before a list item's first): a word
    whole up to cap cells; a longer one as its longest part between breaks (-, /, _), up to
    cap, since it is cut there first."""
    words = [
        _least(cell_len(word), word, cap) for text in block.paragraphs for word in text.split()
    ]
    return max(words, default=0) + block.indent


def _least(width: int, word: str, cap: int) -> int:
    if width <= cap:
        return width
    return min(max(cell_len(part) for part in BREAKS.findall(word)), cap)


def longest_line(block: Block) -> int:
    """The width the cell would take with no wrapping at all."""
    lines = [cell_len(" ".join(text.split())) for text in block.paragraphs]
    return max(lines, default=0) + block.indent


def wrap(text: str, width: int) -> list[str]:
    """text's words in lines of at most width cells (width ≥ 2): a word is cut only when it is
    longer than a whole line, at its own hyphens first, then with an added hyphen."""
    indent = text[: len(text) - len(text.lstrip(" "))]  # kept, as `show` indents nested fields
    if indent and len(indent) < width // 2:
        return [indent + line for line in wrap(text.lstrip(" "), width - len(indent))]
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _pieces(word, width):
            if not line:
                line = piece
            elif cell_len(line) + 1 + cell_len(piece) <= width:
                line += " " + piece
            else:
                lines.append(line)
                line = piece
    lines.append(line)
    return lines


def _pieces(word: str, width: int) -> list[str]:
    """A word as it can stand in lines of width: whole if it fits; else cut after its own
    breaks (-, / and _: "Касым-Жомарта", "2025-08-21/2025-08-22", "agri_export_share"), then
    any part still too long cut with a hyphen added."""
    if cell_len(word) <= width:
        return [word]
    pieces: list[str] = []
    for part in BREAKS.findall(word):
        if pieces and cell_len(pieces[-1]) + cell_len(part) <= width:
            pieces[-1] += part  # whole parts of a word share a line where they fit
            continue
        while cell_len(part) > width:
            cut = _fitting(part, width - 1)
            if len(part) - cut < MIN_TAIL:  # "Кыргызста-н": leave the next line more than that
                cut = max(1, len(part) - MIN_TAIL)
            pieces.append(part[:cut] + "-")
            part = part[cut:]
        pieces.append(part)
    return pieces


def _fitting(text: str, width: int) -> int:
    """How many of text's leading characters fit in width cells (at least one)."""
    used = 0
    for count, char in enumerate(text):
        used += cell_len(char)
        if used > width:
            return max(count, 1)
    return len(text)


def lines_of(block: Block, width: int) -> list[str]:
    """The cell's lines at width: each paragraph wrapped; a list item's lines after its first
    indented under its text."""
    out: list[str] = []
    for text in block.paragraphs:
        wrapped = wrap(text, width - block.indent)
        if block.bullets:
            wrapped = [BULLET + wrapped[0], *(" " * block.indent + rest for rest in wrapped[1:])]
        out.extend(wrapped)
    return out


class Need(NamedTuple):
    """What a column needs: the least it can take, and what it would like."""

    least: int
    most: int


def need(header: str, blocks: Sequence[Block], cap: int, wraps: bool = True) -> Need:
    """A column's need: its header's and cells' words whole, those longer than cap cells
    aside (they may be cut); and its longest line. A column that should not wrap (dates,
    ids, field names) needs its lines whole, up to cap."""
    head_word = max((cell_len(word) for word in header.split()), default=1)
    most = max([cell_len(header), *(longest_line(b) for b in blocks)])
    if wraps:
        least = max([head_word, *(longest_word(b, cap) for b in blocks)])
    else:
        least = max([head_word, *(min(longest_line(b), cap) for b in blocks)])
    return Need(min(least, most), max(most, least))


def share(needs: Sequence[Need], room: int) -> list[int] | None:
    """Widths for columns with these needs in room cells: what each wants where all fit; else
    each its least and the rest in proportion to what it still wants; None where the least
    widths do not fit."""
    least = [n.least for n in needs]
    if sum(n.most for n in needs) <= room:
        return [n.most for n in needs]
    spare = room - sum(least)
    if spare < 0:
        return None
    wants = [n.most - n.least for n in needs]
    total = sum(wants)
    widths = [low + spare * want // total for low, want in zip(least, wants, strict=True)]
    left = room - sum(widths)
    by_gap = sorted(range(len(needs)), key=lambda i: widths[i] - needs[i].most)
    for index in by_gap[:left]:  # what rounding down left over, to those furthest short
        widths[index] += 1
    return widths
