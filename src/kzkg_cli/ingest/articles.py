"""The articles as verify reads them: each text with its date line, the likely encoding of one
that is not UTF-8, the files named nearly as a missing article is, and, for a quote that is not
verbatim, the nearest passage with the characters that differ marked and the usual culprit."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from kzkg_cli.core.text import squash

if TYPE_CHECKING:
    from kzkg_cli.ingest.read import FilePath

NAMING = "articles are UTF-8 files named <source id>.txt"
"""How an article file is named and encoded, said once in each message about one."""

_DATE_LINE = re.compile(r"\A\s*date (\d{4}-\d{2}-\d{2})(?!\d)")


class Unreadable(NamedTuple):
    """An article file that is not UTF-8 text."""

    path: str
    message: str


class Articles:
    """The articles of a seeds folder: their texts (whitespace squashed) by file stem, their
    date lines, and the files that could not be read as UTF-8."""

    def __init__(self, folder: FilePath) -> None:
        self.folder = os.fspath(folder)
        self.names = sorted(os.listdir(folder))
        self.texts: dict[str, str] = {}
        self.dates: dict[str, str] = {}
        """The date an article's own first line gives (" date 2025-08-22"), by stem."""
        self.unreadable: dict[str, Unreadable] = {}
        for name in self.names:
            if name.endswith(".txt"):
                self._read(name)

    def _read(self, name: str) -> None:
        path = os.path.join(self.folder, name)
        try:
            with open(path, "rb") as article:
                data = article.read()
        except OSError:
            return
        stem = name.removesuffix(".txt")
        try:
            text = squash(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            self.unreadable[stem] = Unreadable(path, not_utf8(data, exc))
            return
        self.texts[stem] = text
        dated = _DATE_LINE.match(text)
        if dated:
            self.dates[stem] = dated.group(1)

    def near_names(self, stem: str) -> list[str]:
        """The files named nearly as the article stem.txt is (005_x.TXT, 005_x.md,
        005_x.txt.txt, 005_x), which verify does not read."""
        wanted = stem.casefold()
        return [
            name
            for name in self.names
            if name != f"{stem}.txt"
            and (name.casefold().startswith(wanted + ".") or name.casefold() == wanted)
        ]


# ----------------------------------------------------------------------------- encodings

_CODECS = {
    "cp1251": "cp1251 (Windows Cyrillic)",
    "koi8-r": "KOI8-R",
    "mac-cyrillic": "Mac Cyrillic",
    "cp866": "cp866 (DOS Cyrillic)",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}
_ICONV = {"cp1251": "CP1251", "koi8-r": "KOI8-R", "mac-cyrillic": "MACCYRILLIC", "cp866": "CP866"}
# How often each lower-case letter occurs in Russian text (per thousand letters): a decoding
# that reads as Russian scores high, one that reads as mojibake (upper case, box drawing,
# rare letters) low.
_FREQUENCY = dict(
    zip(
        "оеаинтсрвлкмдпуяызьбгчйхжюшцщэфёъ",
        (110, 85, 80, 74, 67, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19, 16, 17, 16, 17,
         14, 12, 10, 9, 6, 7, 5, 4, 3, 2, 1, 1),
        strict=True,
    )
)  # fmt: skip


def not_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    """What to say of an article that is not UTF-8: where, its likely encoding and the fix."""
    where = f"not UTF-8 text (byte {error.start})"
    codec = likely_encoding(data)
    if codec is None:
        return f"{where}; save it as UTF-8"
    convert = f" (iconv -f {_ICONV[codec]} -t UTF-8)" if codec in _ICONV else ""
    return f"{where}; it looks like {_CODECS[codec]}: save it as UTF-8{convert}"


def likely_encoding(data: bytes) -> str | None:
    """The Cyrillic encoding whose decoding of data reads most like Russian, or None."""
    sample = data[:20_000]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16-le" if sample.startswith(b"\xff\xfe") else "utf-16-be"
    scores = {codec: _russian_score(sample, codec) for codec in _CODECS}
    best = max(scores, key=lambda codec: scores[codec])
    return best if scores[best] > 20 else None


def _russian_score(data: bytes, codec: str) -> float:
    """How much the text reads as Russian: the mean letter frequency of its non-ASCII
    characters (upper case counting half), 0 if it does not decode."""
    if codec.startswith("utf-16"):
        data = data[: len(data) // 2 * 2]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return 0.0
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return 0.0
    total = sum(_FREQUENCY.get(c, 0) or _FREQUENCY.get(c.lower(), 0) / 2 for c in wide)
    return total / len(wide)


# ----------------------------------------------------------------------------- misquotes

_DASHES = frozenset("-‐‑‒–—―−")
_QUOTE_MARKS = frozenset("\"'«»„“”‘’‚‹›`´")
_SPACES = frozenset(" \u00a0\u2007\u2009\u200a\u202f\u200b\u2060\ufeff\u00ad")
_CONTEXT = 30


class Misquote(NamedTuple):
    """What a quote that is not verbatim differs in from the nearest passage of its article."""

    summary: str
    """The culprits in words, and what to do."""
    article: str
    """The passage, the characters that differ in [brackets]."""
    quote: str
    """The quote, marked the same way."""


def misquote(quote: str, text: str) -> Misquote | None:
    """The nearest passage of a (squashed) article text to a quote, and how they differ; None
    when nothing in the article is close to it."""
    from rapidfuzz import fuzz

    quote = squash(quote)
    if not quote:
        return None
    found = fuzz.partial_ratio_alignment(quote, text)
    if found is None or found.score < 60:
        return None
    passage = _passage(quote, text, found.dest_start, found.dest_end)
    codes = difflib.SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes()
    differences = [code for code in codes if code[0] != "equal"]
    if not differences:
        return None
    culprits = list(dict.fromkeys(_culprit(code, quote, passage) for code in differences))
    article_marked, quote_marked = _marked(codes, quote, passage)
    summary = (
        f"the nearest passage differs in {'; '.join(culprits)}: copy the quote from the article"
    )
    return Misquote(summary, article_marked, quote_marked)


def _passage(quote: str, text: str, start: int, end: int) -> str:
    """The article's passage the quote was meant to be: the aligned span, widened or narrowed
    to where the quote's first and last matching characters fall."""
    low, high = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    window = text[low:high]
    blocks = [
        b
        for b in difflib.SequenceMatcher(None, quote, window, autojunk=False).get_matching_blocks()
        if b.size
    ]
    if not blocks:
        return text[start:end]
    first, last = blocks[0], blocks[-1]
    begin = max(0, first.b - first.a)
    finish = min(len(window), last.b + last.size + (len(quote) - last.a - last.size))
    return window[begin:finish]


def _culprit(code: tuple[str, int, int, int, int], quote: str, passage: str) -> str:
    """The usual reason for one difference (a difflib opcode from quote to passage), in words."""
    _, i1, i2, j1, j2 = code
    mine, theirs = quote[i1:i2], passage[j1:j2]
    both = mine + theirs
    pair = f"the article has {theirs!r} where the quote has {mine!r}"
    if not mine or not theirs:
        pair = f"the article has {theirs!r} the quote lacks" if theirs else ""
        pair = pair or f"the quote has {mine!r} the article lacks"
    if mine and theirs and set(both) <= _DASHES:
        return f"a dash ({pair}; - – — ‑ are different characters)"
    if mine and theirs and set(both) <= _QUOTE_MARKS:
        return f"a quote mark ({pair}; \" « » „ “ ” ' ’ are different characters)"
    if mine and theirs and set(both) <= {"е", "ё", "Е", "Ё"}:
        return f"ё/е ({pair})"
    if set(both) <= _SPACES:
        return f"a space or an invisible character ({pair})"
    theirs, mine = _words_at(passage, j1, j2), _words_at(quote, i1, i2)
    return f"a retyped word (the article has {theirs!r}, the quote {mine!r})"


def _words_at(text: str, start: int, end: int) -> str:
    """The words of text that the span start:end touches (an empty span: the word it is
    in or beside)."""
    while start > 0 and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and _in_word(text, end):
        end += 1
    return text[start:end]


def _in_word(text: str, at: int) -> bool:
    """Whether text[at] belongs to a word or a number ("1,7" is one)."""
    char = text[at]
    if char.isalnum():
        return True
    return (
        char in ",."
        and 0 < at < len(text) - 1
        and text[at - 1].isdigit()
        and text[at + 1].isdigit()
    )


def _marked(
    codes: Sequence[tuple[str, int, int, int, int]], quote: str, passage: str
) -> tuple[str, str]:
    """The passage and the quote with each difference in [brackets], cut to the stretch from a
    little before the first difference to a little after the last."""
    article_parts: list[str] = []
    quote_parts: list[str] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            article_parts.append(passage[j1:j2])
            quote_parts.append(quote[i1:i2])
        else:
            article_parts.append(f"[{passage[j1:j2]}]")
            quote_parts.append(f"[{quote[i1:i2]}]")
    first = next(n for n, (tag, *_) in enumerate(codes) if tag != "equal")
    last = max(n for n, (tag, *_) in enumerate(codes) if tag != "equal")
    return _cut(article_parts, first, last), _cut(quote_parts, first, last)


def _cut(parts: list[str], first: int, last: int) -> str:
    head = "".join(parts[:first])
    tail = "".join(parts[last + 1 :])
    middle = "".join(parts[first : last + 1])
    if len(head) > _CONTEXT:
        head = "…" + head[-_CONTEXT:]
    if len(tail) > _CONTEXT:
        tail = tail[:_CONTEXT] + "…"
    return head + middle + tail
