"""The indexed fact base as SQLite: cached per fact file, rebuilt when the file or kzkg changes.

A query reads only what it needs: an exact name lookup touches one index and a handful of rows,
so it stays fast however large the fact base grows. Rows are stored as the JSON-shaped dicts the
commands print (marshal-encoded), so answering needs neither the TOML parser nor the model.

The cache is an optimisation, never a requirement: when it is missing, corrupt, written by
another version, or cannot be written, the same database is built in memory and kzkg answers.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import sqlite3
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kzkg_cli import __version__

Row = dict[str, Any]
CACHE_FORMAT = "7"
CACHE_ENV = "KZKG_CACHE_DIR"
NO_CACHE_ENV = "KZKG_NO_CACHE"

_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB);
CREATE TABLE records (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL,
                      data BLOB NOT NULL);
CREATE TABLE names (key TEXT NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE aliases (pos INTEGER NOT NULL, text TEXT NOT NULL, canonical TEXT NOT NULL);
CREATE TABLE words (key TEXT PRIMARY KEY, postings BLOB NOT NULL) WITHOUT ROWID;
"""
_INDEXES = """
CREATE UNIQUE INDEX records_id ON records (id);
CREATE INDEX records_kind ON records (kind, pos);
CREATE INDEX names_key ON names (key);
"""


def cache_dir() -> Path:
    """The user cache directory by the platform's convention, with a kzkg folder in it."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "kzkg" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "kzkg"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kzkg"


def identity(facts_path: Path) -> str:
    """What the cache is keyed by: the fact file's path, size and mtime, and kzkg's version."""
    info = facts_path.stat()
    parts = (str(facts_path.resolve()), info.st_size, info.st_mtime_ns, info.st_ino)
    runtime = (__version__, CACHE_FORMAT, sys.version_info[:2])
    return repr((parts, runtime))


def cache_file(facts_path: Path) -> Path:
    """One cache file per fact file path (a name clash only costs a rebuild: see identity)."""
    digest = zlib.crc32(str(facts_path.resolve()).encode("utf-8", "surrogatepass"))
    return cache_dir() / f"index-{digest:08x}.sqlite"


class Store:
    """Read access to an indexed fact base held in SQLite."""

    def __init__(self, conn: sqlite3.Connection, origin: str) -> None:
        self.conn = conn
        self.origin = origin
        """How this store came to be: "cache", "built" (and cached) or "memory"."""
        self._word_vocabulary: list[str] | None = None
        self._vocabulary: list[str] | None = None
        self._rows: dict[int, Row] = {}

    # --------------------------------------------------------------------- records

    def rows(self, kind: str | None = None) -> list[tuple[int, Row]]:
        """(position, row) of every record, or of one kind, in file order."""
        if kind is None:
            cursor = self.conn.execute("SELECT pos, data FROM records ORDER BY pos")
        else:
            sql = "SELECT pos, data FROM records WHERE kind = ? ORDER BY pos"
            cursor = self.conn.execute(sql, (kind,))
        return [(pos, self._decode(pos, data)) for pos, data in cursor]

    def get(self, record_id: str) -> Row | None:
        """One record by id."""
        found = self.conn.execute(
            "SELECT pos, data FROM records WHERE id = ?", (record_id,)
        ).fetchone()
        return self._decode(*found) if found else None

    def at(self, positions: Iterable[int]) -> dict[int, Row]:
        """Records by position."""
        wanted = [p for p in set(positions) if p not in self._rows]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT pos, data FROM records WHERE pos IN ({marks})"
            for pos, data in self.conn.execute(sql, chunk):
                self._decode(pos, data)
        return {p: self._rows[p] for p in positions if p in self._rows}

    def ids(self) -> list[str]:
        """Every record id."""
        return [rid for (rid,) in self.conn.execute("SELECT id FROM records ORDER BY pos")]

    def _decode(self, pos: int, data: bytes) -> Row:
        row = self._rows.get(pos)
        if row is None:
            row = self._rows[pos] = marshal.loads(data)
        return row

    # --------------------------------------------------------------------- names and words

    def people_with(self, key: str) -> set[int]:
        """Positions of the people one of whose name tokens has this stem key."""
        cursor = self.conn.execute("SELECT pos FROM names WHERE key = ?", (key,))
        return {pos for (pos,) in cursor}

    def name_vocabulary(self) -> list[str]:
        """Every name stem key, for fuzzy matching."""
        if self._vocabulary is None:
            cursor = self.conn.execute("SELECT DISTINCT key FROM names")
            self._vocabulary = [key for (key,) in cursor]
        return self._vocabulary

    def aliases(self) -> list[tuple[int, str, str]]:
        """(position, alias, canonical form) of every way every person is written."""
        return list(self.conn.execute("SELECT pos, text, canonical FROM aliases"))

    def postings(self, key: str) -> dict[int, float]:
        """The word index for one stem key: {position: weight} of the records that hold it."""
        found = self.conn.execute("SELECT postings FROM words WHERE key = ?", (key,)).fetchone()
        if found is None:
            return {}
        return {code >> 1: 2.0 if code & 1 else 1.0 for code in array("i", found[0])}

    def word_vocabulary(self) -> list[str]:
        """Every stem key of the word index, for fuzzy matching."""
        if self._word_vocabulary is None:
            cursor = self.conn.execute("SELECT key FROM words")
            self._word_vocabulary = [key for (key,) in cursor]
        return self._word_vocabulary

    def meta(self, key: str) -> Any:
        found = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return found[0] if found else None


# ------------------------------------------------------------------------- writing


Progress = Callable[[str, int, int], None]


def write_store(
    conn: sqlite3.Connection,
    records: Iterable[tuple[str, str, bytes]],
    names: Iterable[tuple[str, int]],
    aliases: Iterable[tuple[int, str, str]],
    words: dict[str, array[int]],
    meta: dict[str, str],
) -> None:
    """Fill an empty database: records as (id, kind, marshalled row), in file order.

    records is consumed first and may be a generator that fills names, aliases and words as
    it goes. words maps a stem key to its postings: position * 2, plus 1 where the word
    stands in a name or title (weight 2, else 1).
    """
    conn.executescript(_SCHEMA)
    counter = itertools.count()
    conn.executemany(
        "INSERT INTO records (pos, id, kind, data) VALUES (?, ?, ?, ?)",
        ((next(counter), rid, kind, data) for rid, kind, data in records),
    )
    conn.executemany("INSERT INTO names (key, pos) VALUES (?, ?)", names)
    conn.executemany("INSERT INTO aliases (pos, text, canonical) VALUES (?, ?, ?)", aliases)
    conn.executemany(
        "INSERT INTO words (key, postings) VALUES (?, ?)",
        ((key, postings.tobytes()) for key, postings in words.items()),
    )
    meta_rows = [*meta.items(), ("records", str(next(counter)))]
    conn.executemany("INSERT INTO meta (k, v) VALUES (?, ?)", meta_rows)
    conn.executescript(_INDEXES)
    conn.commit()


def open_cached(facts_path: Path, build: Callable[[sqlite3.Connection, str], None]) -> Store:
    """The store for a fact file: from the cache when it is current, else built (and cached).

    ``build(conn, identity)`` fills an empty database from the fact file; it raises the
    loader's errors, which pass through. Any trouble with the cache itself is not an error.
    """
    key = identity(facts_path)
    if not os.environ.get(NO_CACHE_ENV):
        target = cache_file(facts_path)
        cached = _open_current(target, key)
        if cached is not None:
            return cached
        with contextlib.suppress(OSError, sqlite3.Error):
            return _build_cached(target, key, build)
    conn = sqlite3.connect(":memory:")
    build(conn, key)
    return Store(conn, "memory")


def _open_current(target: Path, key: str) -> Store | None:
    """The cache at target if it is readable, complete and keyed to this fact file and kzkg."""
    if not target.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        store = Store(conn, "cache")
        if store.meta("identity") == key:
            return store
        conn.close()
    except sqlite3.Error:
        return None
    return None


def _build_cached(
    target: Path, key: str, build: Callable[[sqlite3.Connection, str], None]
) -> Store:
    """Build the cache beside its place and rename it in: never half-written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # No journal and no syncing while building: an unfinished file is never renamed into
    # place, and a damaged cache is rebuilt, so neither protection buys anything here.
    write_database(target, lambda conn: build(conn, key), durable=False)
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    return Store(conn, "built")


def write_database(
    target: Path, fill: Callable[[sqlite3.Connection], None], durable: bool = True
) -> None:
    """Write a SQLite file by filling a temporary one beside target, then renaming it over
    target: a reader sees the old file or the whole new one, and a failure (Ctrl-C among
    them) leaves no temporary file. OSError when the folder cannot be written."""
    import tempfile

    handle, temp_name = tempfile.mkstemp(prefix=".kzkg-", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        conn = sqlite3.connect(temp_name)
        try:
            if not durable:
                conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            fill(conn)
        finally:
            conn.close()
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building.

    A build makes millions of small dicts and lists and no reference cycles; left on, the
    collector walks them all again and again, which costs about a third of a large build.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def open_store(facts_path: Path) -> Store:
    """The indexed fact base for a fact file, from the cache or freshly built."""
    try:
        size = facts_path.stat().st_size
    except OSError:
        size = -1
    if size < 0 or not facts_path.is_file():
        from kzkg_cli.loader import read_fact_text

        read_fact_text(facts_path)  # raises the loader's precise error

    def build(conn: sqlite3.Connection, key: str) -> None:
        from kzkg_cli import parts
        from kzkg_cli.index import build_index
        from kzkg_cli.progress import build_progress

        with build_progress(size) as (stage, advance), _collector_paused():
            entries = parts.load(facts_path)
            stage("indexing")
            total = len(entries)
            build_index(conn, key, entries, lambda done: advance(done, total))
            stage("writing the cache")

    return open_cached(facts_path, build)
