"""Load a large fact file on two cores: a helper process reads one piece of it.

Parsing TOML, validating it and finding each record's words are pure Python and take most of
a large build, so a file of several megabytes is cut at a record header near its middle. A
helper process (the same Python running ``python -m kzkg_cli.parts``) turns the second piece
into index entries while this process does the first; the helper sends its entries back with
marshal, which reads far faster than TOML parses. Then ids and references are checked across
both pieces.

Anything unusual sends the whole file down the ordinary one-process path, which reports
problems exactly: a problem in either piece or across them, a cut that does not fall between
records (inside a multi-line string, say: the first piece then fails to parse), a table that
spans the cut (the second piece then has a top level that is not records), or a helper that
cannot start or fails.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

from kzkg_cli.index import Entry, WordKeys, to_entries
from kzkg_cli.loader import (
    RefSeen,
    parse_toml,
    read_fact_text,
    validate,
    validate_part,
)
from kzkg_cli.model import KIND_BY_NAME
from kzkg_cli.render import row_sources

PARALLEL_MIN = 8_000_000
"""Fact files of at least this many bytes are loaded on two cores (where there are two)."""
CHUNK = 4_000_000
"""Each process reads its half in chunks of about this many bytes, so that only one chunk's
parsed TOML (several times the size of its text) is held at a time."""

_HEADER = re.compile(
    rb"^\[\[[ \t]*(?:" + "|".join(KIND_BY_NAME).encode() + rb")[ \t]*\]\][ \t]*\r?$",
    re.MULTILINE,
)

Piece = tuple[dict[str, list[Entry]], list[RefSeen], list[str]]
"""A piece's entries by kind (in file order), the references it makes, the docs it cites."""


def load(path: Path) -> list[Entry]:
    """The index entries of a fact file, in order; raises the loader's errors."""
    if (os.cpu_count() or 1) > 1:
        with contextlib.suppress(OSError):
            size = path.stat().st_size
            if size >= PARALLEL_MIN:
                entries = load_parallel(path, size)
                if entries is not None:
                    return entries
    text = read_fact_text(path)
    return to_entries(validate(parse_toml(text, str(path)), text, str(path)))


def cut(data: bytes | memoryview, at: int) -> int | None:
    """Offset of the first record header at or after ``at``, or None if there is none."""
    found = _HEADER.search(data, at)
    return found.start() if found else None


def read_half(data: bytes | memoryview) -> Piece:
    """A run of whole records as one Piece, read a chunk at a time."""
    entries: dict[str, list[Entry]] = {}
    refs: list[RefSeen] = []
    docs: set[str] = set()
    word_keys = WordKeys()
    start = 0
    while start < len(data):
        end = cut(data, start + CHUNK) or len(data)
        chunk_entries, chunk_refs, chunk_docs = piece(bytes(data[start:end]), word_keys)
        for kind, more in chunk_entries.items():
            entries.setdefault(kind, []).extend(more)
        refs.extend(chunk_refs)
        docs.update(chunk_docs)
        start = end
    return entries, refs, sorted(docs)


def piece(data: bytes, word_keys: WordKeys) -> Piece:
    """One chunk of a fact file as entries; FactFileError (or any error) on any problem."""
    text = data.decode("utf-8")
    part = validate_part(parse_toml(text, "<piece>"), text, "<piece>")
    cited = (row_sources(row) for rows in part.rows.values() for row in rows)
    docs = sorted({ref["doc"] for refs in cited for ref in refs})
    entries = {kind: to_entries(rows, word_keys) for kind, rows in part.rows.items()}
    return entries, part.refs, docs


def load_parallel(path: Path, size: int) -> list[Entry] | None:
    """Entries of a whole file, read in two processes; None to read it the usual way.

    The helper reads the second half of the file itself, so neither process holds all of it.
    The cyclic garbage collector should be paused around this call (see store.open_store).
    """
    with path.open("rb") as handle:
        handle.seek(size // 2)
        found = _HEADER.search(handle.read(1 << 20), 1)  # 1: a header starts after a newline
        if found is None:
            return None
        middle = size // 2 + found.start()
        handle.seek(0)
        head = handle.read(middle)
    try:
        helper = subprocess.Popen(
            [sys.executable, "-m", "kzkg_cli.parts", os.fspath(path), str(middle)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, ValueError):
        return None
    try:
        assert helper.stdout is not None
        try:
            mine = read_half(head)
        except Exception:  # the one-process path reports it exactly
            return None
        del head
        answer = helper.stdout.read()
        if helper.wait() != 0:
            return None
        theirs: Piece = marshal.loads(answer)
        del answer
    finally:
        with contextlib.suppress(OSError):
            helper.kill()
        helper.wait()
        if helper.stdout is not None:
            helper.stdout.close()
    entries = [e for kind in KIND_BY_NAME for p in (mine, theirs) for e in p[0].get(kind, ())]
    refs = mine[1] + theirs[1]
    docs = {*mine[2], *theirs[2]}
    return entries if _links_hold(entries, refs, docs) else None


def _links_hold(entries: list[Entry], refs: list[RefSeen], docs: set[str]) -> bool:
    """Whether ids are unique and every reference and cited doc resolves (see loader)."""
    kinds: dict[str, str] = {}
    for entry in entries:
        if entry[0] in kinds:
            return False
        kinds[entry[0]] = entry[1]
    if not entries or not docs <= {i for i, kind in kinds.items() if kind == "source"}:
        return False
    for *_, ids, allowed in refs:
        for ref_id in ids:
            kind = kinds.get(ref_id)
            if kind is None or (allowed and kind not in allowed):
                return False
    return True


def main() -> None:
    """The helper: ``python -m kzkg_cli.parts FILE OFFSET`` writes the marshalled Piece of
    FILE from OFFSET (a record header) to its end on stdout; exit 3 on any problem."""
    import gc

    gc.disable()  # see store._collector_paused
    try:
        with open(sys.argv[1], "rb") as handle:
            handle.seek(int(sys.argv[2]))
            result = read_half(handle.read())
    except Exception:
        os._exit(3)
    sys.stdout.buffer.write(marshal.dumps(result))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
