"""Write an index database: the tables the store reads, filled in one pass, and SQLite files
written whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from zlib import crc32

from kzkg_cli.index.store import INDEXES, SCHEMA, blob_check, head_check, name_check


class Contents(NamedTuple):
    """What a build writes, records first (a generator that fills the rest as it goes)."""

    records: Iterable[tuple[str, str, bytes]]
    """(id, kind, marshalled row) in file order."""
    names: list[tuple[str, int]]
    """(name stem key, position) of every person."""
    aliases: list[tuple[int, str]]
    """(position, canonical form) of every way every person is written."""
    words: dict[str, array[int]]
    """Stem key -> postings: position * store.TIERS plus where the word stands (store.HEAD,
    BODY or QUOTE)."""


def write_store(conn: sqlite3.Connection, contents: Contents, meta: dict[str, str]) -> None:
    """Fill an empty database, every row with its checksums; contents.records is consumed
    first."""
    conn.executescript(SCHEMA)
    counts: Counter[str] = Counter()
    conn.executemany(
        "INSERT INTO records (pos, id, kind, data, head, body) VALUES (?, ?, ?, ?, ?, ?)",
        _checked_records(contents.records, counts),
    )
    conn.executemany(
        "INSERT INTO names (key, pos, crc) VALUES (?, ?, ?)",
        ((key, pos, name_check(key, pos)) for key, pos in contents.names),
    )
    conn.executemany(
        "INSERT INTO words (key, postings, crc) VALUES (?, ?, ?)",
        ((key, data, blob_check(key, data)) for key, data in _postings(contents.words)),
    )
    first_with: dict[str, int] = {}  # each canonical form once, with the first person it names
    for pos, canonical in contents.aliases:
        first_with.setdefault(canonical, pos)
    vocabularies: dict[str, Any] = {
        "name_keys": by_length(key for key, _ in contents.names),
        "aliases": "\n".join(first_with),
        "alias_positions": array("i", first_with.values()).tobytes(),
        "word_keys": by_length(contents.words),
    }
    meta_rows = [*meta.items(), *vocabularies.items(), ("counts", json.dumps(counts))]
    conn.executemany(
        "INSERT INTO meta (k, v, crc) VALUES (?, ?, ?)",
        ((key, value, blob_check(key, value)) for key, value in meta_rows),
    )
    conn.executescript(INDEXES)
    conn.commit()


def _checked_records(
    records: Iterable[tuple[str, str, bytes]], counts: Counter[str]
) -> Iterator[tuple[int, str, str, bytes, int, int]]:
    """Each record with its position and checksums, counted by kind as it passes."""
    for pos, (rid, kind, data) in enumerate(records):
        counts[kind] += 1
        yield pos, rid, kind, data, head_check(pos, rid, kind), crc32(data)


def _postings(words: dict[str, array[int]]) -> Iterator[tuple[str, bytes]]:
    return ((key, postings.tobytes()) for key, postings in words.items())


def by_length(keys: Iterable[str]) -> str:
    """Distinct keys, shortest first, one a line: a fuzzy lookup then reads only the keys
    near its own length (see store.Vocabulary)."""
    return "\n".join(sorted(dict.fromkeys(keys), key=len))


def write_database(
    target: Path,
    fill: Callable[[sqlite3.Connection], None],
    durable: bool = True,
    mode: int | None = None,
) -> None:
    """Write a SQLite file by filling a temporary one beside target, then renaming it over
    target (see write_whole). OSError when the folder cannot be written."""

    def write(temp_name: str) -> None:
        conn = sqlite3.connect(temp_name)
        try:
            if not durable:
                conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            fill(conn)
        finally:
            conn.close()

    write_whole(target, write, mode)


def write_text(target: Path, text: str, mode: int | None = None) -> None:
    """Write a UTF-8 text file whole or not at all (see write_whole). OSError when the
    folder cannot be written."""

    def write(temp_name: str) -> None:
        with open(temp_name, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    write_whole(target, write, mode)


def write_whole(target: Path, write: Callable[[str], None], mode: int | None = None) -> None:
    """Have write fill a temporary file beside target, then rename it over target: a reader
    sees the old file or the whole new one, and a failure (Ctrl-C, SIGTERM and SIGHUP among
    them: see core.stops) leaves no temporary file (nor a SQLite journal beside it). The file
    is private (0600, as tempfile makes it) unless mode gives its permission bits."""
    import tempfile

    from kzkg_cli.core import stops

    temp_name = ""
    try:
        with stops.held():  # a signal between making the file and knowing its name would leave it
            handle, temp_name = tempfile.mkstemp(prefix=".kzkg-", suffix=".tmp", dir=target.parent)
            os.close(handle)
            stops.temporary(temp_name, f"{temp_name}-journal")
        write(temp_name)
        if mode is not None:
            os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        with stops.held():  # a first signal (later ones are ignored) waits for the cleanup
            for name in (temp_name, f"{temp_name}-journal") if temp_name else ():
                with contextlib.suppress(OSError):
                    os.unlink(name)
        raise
    finally:
        stops.forget(temp_name, f"{temp_name}-journal")
