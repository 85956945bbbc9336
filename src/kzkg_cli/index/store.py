"""The indexed fact base as SQLite: records, name keys, the word index, and vocabularies.

A query reads only what it needs: an exact name lookup touches one index and a handful of rows,
so it stays fast however large the fact base grows. Rows are stored as the JSON-shaped dicts the
commands print (marshal-encoded), so answering needs neither the TOML parser nor the model.
Bulk readers (export, verify, sources) stream rows from a cursor and keep none of them.
index.write fills a database; this module only reads one, and says what it must hold.

Nothing read is believed unchecked. Every stored row carries CRC-32 checksums, verified before
anything is decoded (marshal must only ever see bytes kzkg wrote); what an index leads to is
checked to be what was asked for; the layout must be exactly SCHEMA (no view, no trigger); and
each read runs under a step limit. A store opened from the cache is given a way to repair
itself: on any of these failures, or any SQLite error, it is rebuilt from the fact file and
the read goes on where it was, so a damaged cache costs a rebuild, never an error or a wrong
answer.
"""

from __future__ import annotations

import bisect
import itertools
import marshal
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, TypeVar
from zlib import crc32

from kzkg_cli.core.rows import Row
from kzkg_cli.core.runtime import debug

SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB, crc INTEGER NOT NULL);
CREATE TABLE records (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL,
                      data BLOB NOT NULL, head INTEGER NOT NULL, body INTEGER NOT NULL);
CREATE TABLE names (key TEXT NOT NULL, pos INTEGER NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE words (key TEXT PRIMARY KEY, postings BLOB NOT NULL, crc INTEGER NOT NULL)
                   WITHOUT ROWID;
"""
INDEXES = """
CREATE UNIQUE INDEX records_id ON records (id);
CREATE INDEX records_kind ON records (kind, pos);
CREATE INDEX names_key ON names (key);
"""
STEPS = 1000
"""SQLite steps between two calls of the progress handler."""
LIMIT = 50_000
"""Progress-handler calls one read may take (50 million steps, a second or more): no read
kzkg makes comes near it, a view planted to spin forever reaches it."""

TIERS = 3
"""A word's posting is position * TIERS + where it stands in the record (one of these):"""
QUOTE, BODY, HEAD = range(TIERS)
"""Only in its quotes; in its own text (summary, note; a passage's sentence); in a name or
title."""
WEIGHTS = (0.5, 1.0, 2.0)
"""What a word weighs where it stands (by tier)."""

PASSAGE = "passage"
"""The kind of a sentence of an article (index.passages): stored after the records."""

BATCH = 256
"""Rows a stream reads, verifies and decodes at a time."""

T = TypeVar("T")


def _rising(after: int, positions: tuple[int, ...]) -> bool:
    """Whether positions come after `after`, each after the one before."""
    return positions[0] > after and list(positions) == sorted(set(positions))


class Damaged(Exception):
    """The database is not what kzkg wrote: a checksum, a key or the layout does not match."""


DAMAGE = (sqlite3.Error, Damaged, UnicodeDecodeError, TypeError)
"""What reading a damaged database raises: SQLite decodes TEXT, and its own messages, as UTF-8,
and a value whose type byte flipped (TEXT for BLOB) reaches code that wants the other type."""


def head_check(pos: int, record_id: str, kind: str) -> int:
    """The checksum of a record's position, id and kind."""
    return crc32(f"{pos}\0{record_id}\0{kind}".encode())


def name_check(key: str, pos: int) -> int:
    """The checksum of a names row."""
    return crc32(f"{key}\0{pos}".encode())


def blob_check(key: str, value: str | bytes | None) -> int:
    """The checksum of a key and its value (a words row, a meta row), and of the value's type:
    TEXT and BLOB differ by one bit in SQLite's record header."""
    tag = b"\0s" if isinstance(value, str) else b"\0b"
    data = value.encode() if isinstance(value, str) else value or b""
    return crc32(data, crc32(key.encode() + tag))


def layout() -> list[str | None]:
    """What sqlite_master must hold, sorted: every statement of SCHEMA and INDEXES (SQLite
    keeps each as written), after the automatic index of meta's text primary key (no text)."""
    statements = [s.strip() for s in (SCHEMA + INDEXES).split(";") if s.strip()]
    return [None, *sorted(statements)]


class Aliases(NamedTuple):
    """Every way people are written, as distinct canonical forms, each with the position of
    the first person written so (two parallel sequences, read in one go: a large fact base
    has tens of thousands)."""

    canonical: list[str]
    positions: array[int]


class Vocabulary:
    """Keys sorted by length, for fuzzy matching: an edit distance of at most n lies only
    between keys whose lengths differ by at most n."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys

    def near(self, key: str, edits: int) -> list[str]:
        """The keys within `edits` characters of key's length."""
        start = bisect.bisect_left(self.keys, len(key) - edits, key=len)
        end = bisect.bisect_right(self.keys, len(key) + edits, key=len)
        return self.keys[start:end]


class Store:
    """Read access to an indexed fact base held in SQLite."""

    def __init__(self, conn: sqlite3.Connection, origin: str) -> None:
        self.conn = conn
        self.origin = origin
        """How this store came to be: "cache", "built" (and cached), "memory" or "repaired"."""
        self.repair: Callable[[], sqlite3.Connection] | None = None
        """Rebuilds the database from the fact file and returns a connection to it; called
        (once) when what the store reads proves damaged. None: damage is raised."""
        self._rows: dict[int, Row] = {}
        self._lists: dict[str, list[str]] = {}
        self._ticks = 0
        if origin == "cache":  # a database this run did not write: each read has its limit
            conn.set_progress_handler(self._tick, STEPS)

    def close(self) -> None:
        """Let the database go (a store is also a context manager that does so)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_layout(self, size: int) -> None:
        """Damaged unless the database is size bytes long by its own header (a truncated file
        reads as zeros) and holds exactly the tables and indexes of SCHEMA."""
        (pages,) = self.conn.execute("PRAGMA page_count").fetchone()
        (page_size,) = self.conn.execute("PRAGMA page_size").fetchone()
        if pages * page_size != size:
            raise Damaged(f"{size} bytes where the header says {pages * page_size}")
        found = sorted(
            (sql for (sql,) in self.conn.execute("SELECT sql FROM sqlite_master")),
            key=lambda sql: (sql is not None, sql or ""),
        )
        if found != layout():
            raise Damaged("not the layout kzkg writes")

    # --------------------------------------------------------------------- records

    def rows(self, *kinds: str) -> Iterator[Row]:
        """Every record (passages are not records: ask for them by kind), or those of the
        given kinds, in file order, streamed from a cursor a
        batch at a time: nothing is kept, so a bulk reader holds one batch at a time. Each
        batch is verified before any of its rows is decoded (in C, row by row, as they are
        taken); on damage the stream goes on from the repaired database, whose rows are the
        same in the same places."""
        return itertools.chain.from_iterable(self._batches(sorted(kinds)))

    def _batches(self, wanted: list[str]) -> Iterator[Iterator[Row]]:
        after = -1
        while True:
            conn = self.conn
            try:
                cursor = self._scan(wanted, after)
                while batch := cursor.fetchmany(BATCH):
                    positions, datas, bodies = zip(*batch, strict=True)
                    if list(map(crc32, datas)) != list(bodies) or not _rising(after, positions):
                        raise Damaged(f"a record after {after}")
                    self._ticks = 0
                    after = positions[-1]  # all of it is taken before the next is asked for
                    yield map(marshal.loads, datas)
                return
            except DAMAGE as exc:
                if self.conn is conn:  # else another read has repaired it already
                    self._heal(exc)

    def _scan(self, wanted: list[str], after: int) -> sqlite3.Cursor:
        """A cursor over (pos, data, body) of the records after a position; first, Damaged
        unless the index holds as many records of these kinds as the build wrote (a damaged
        index would silently leave some out)."""
        marks = ",".join("?" * len(wanted))
        where = f"kind IN ({marks}) AND " if wanted else f"kind != '{PASSAGE}' AND "
        self._ticks = 0
        if after < 0:
            (found,) = self.conn.execute(
                f"SELECT count(*) FROM records WHERE {where}1", wanted
            ).fetchone()
            written = self._counts()
            kinds = wanted or [kind for kind in written if kind != PASSAGE]
            if found != sum(written.get(kind, 0) for kind in kinds):
                raise Damaged(f"{found} records where the build wrote others")
        sql = f"SELECT pos, data, body FROM records WHERE {where}pos > ? ORDER BY pos"
        return self.conn.execute(sql, [*wanted, after])

    def _counts(self) -> dict[str, int]:
        import json

        counts = json.loads(self._value("meta", "k", "v", "counts"))
        if not isinstance(counts, dict):
            raise Damaged("counts")
        return counts

    def get(self, record_id: str) -> Row | None:
        """One record by id."""
        return self._read(lambda: self._get(record_id))

    def _get(self, record_id: str) -> Row | None:
        sql = "SELECT pos, id, kind, data, head, body FROM records WHERE id = ?"
        found = self._checked(self.conn.execute(sql, (record_id,)))
        row = next((row for rid, row in found if rid == record_id), None)
        if row is None and record_id in self._ids():
            raise Damaged(f"record {record_id!r} is missing from the id index")
        return row

    def at(self, positions: Iterable[int]) -> dict[int, Row]:
        """Records by position."""
        positions = list(positions)
        self._read(lambda: self._fetch({p for p in positions if p not in self._rows}))
        return {p: self._rows[p] for p in positions if p in self._rows}

    def _fetch(self, wanted: set[int]) -> None:
        """Read and keep the records at these positions (the index gave them: each exists)."""
        ordered = sorted(wanted)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT pos, id, kind, data, head, body FROM records WHERE pos IN ({marks})"
            found = self._checked(self.conn.execute(sql, chunk), wanted)
            if len(found) != len(chunk):
                raise Damaged("a record the index names is missing")

    def _checked(
        self,
        cursor: Iterable[tuple[int, str, str, bytes, int, int]],
        wanted: set[int] | None = None,
    ) -> list[tuple[str, Row]]:
        """Rows from a cursor over records, each verified before it is decoded (and kept)."""
        found = []
        for pos, rid, kind, data, head, body in cursor:
            if head != head_check(pos, rid, kind) or body != crc32(data):
                raise Damaged(f"record {pos}")
            if wanted is not None and pos not in wanted:
                raise Damaged(f"record {pos} where another was asked for")
            row = self._rows.get(pos)
            if row is None:
                row = self._rows[pos] = marshal.loads(data)
            found.append((rid, row))
        return found

    def ids(self) -> list[str]:
        """Every record id."""
        return self._read(self._ids)

    def _ids(self) -> list[str]:
        kept = self._lists.get("ids")
        if kept is not None:
            return kept
        found = []
        for pos, rid, kind, head in self.conn.execute(
            "SELECT pos, id, kind, head FROM records ORDER BY pos"
        ):
            if head != head_check(pos, rid, kind):
                raise Damaged(f"record {pos}")
            found.append(rid)
        self._lists["ids"] = found
        return found

    # --------------------------------------------------------------------- names and words

    def people_with(self, key: str) -> set[int]:
        """Positions of the people one of whose name tokens has this stem key."""
        return self._read(lambda: self._people_with(key))

    def _people_with(self, key: str) -> set[int]:
        found = set()
        for stored, pos, crc in self.conn.execute(
            "SELECT key, pos, crc FROM names WHERE key = ?", (key,)
        ):
            if stored != key or crc != name_check(stored, pos):
                raise Damaged(f"name key {stored!r}")
            found.add(pos)
        if not found and key in self.name_vocabulary().near(key, 0):
            raise Damaged(f"name key {key!r} is missing from its index")
        return found

    def name_vocabulary(self) -> Vocabulary:
        """Every name stem key, for fuzzy matching (one read)."""
        return Vocabulary(self._list("name_keys"))

    def aliases(self) -> Aliases:
        """Every way every person is written, as canonical forms (one read)."""
        return Aliases(self._list("aliases"), array("i", self.meta("alias_positions") or b""))

    def postings(self, key: str) -> dict[int, float]:
        """The word index for one stem key: {position: weight} of the records that hold it."""
        found = self._read(lambda: self._posting(key))
        if found is None:
            return {}
        return {code // TIERS: WEIGHTS[code % TIERS] for code in array("i", found)}

    def _posting(self, key: str) -> bytes | None:
        found = self._value("words", "key", "postings", key)
        if found is None and key in self.word_vocabulary().near(key, 0):
            raise Damaged(f"word key {key!r} is missing from its index")
        return found  # type: ignore[no-any-return]

    def word_vocabulary(self) -> Vocabulary:
        """Every stem key of the word index, for fuzzy matching (one read)."""
        return Vocabulary(self._list("word_keys"))

    def english(self) -> Any:
        """The model's English field pairs by kind, as the build stored them."""
        import json

        return json.loads(self.meta("english") or "{}")

    def office_groups(self) -> list[list[str]]:
        """Each office's wordings, as the build stored them (index.build.office_groups)."""
        return self._groups("offices")

    def synonym_groups(self) -> list[list[str]]:
        """The synonym table's groups, as the build stored them (core.synonyms)."""
        return self._groups("synonyms")

    def _groups(self, key: str) -> list[list[str]]:
        import json

        found = json.loads(self.meta(key) or "[]")
        if not isinstance(found, list):
            raise Damaged(key)
        return found

    def quoted(self) -> Any:
        """The fields verify's support check looks for in the quotes, by kind, as the build
        stored them (core.fields.quoted_fields)."""
        import json

        return json.loads(self.meta("quoted") or "{}")

    def meta(self, key: str) -> Any:
        """One value the build stored beside the records (every build stores every key this
        code reads, so a missing one is damage)."""
        return self._read(lambda: self._value("meta", "k", "v", key))

    def _value(self, table: str, key_column: str, column: str, key: str) -> Any:
        """The value stored under key in a table of (key, value, crc), verified; None if
        there is none in words, Damaged if there is none in meta."""
        sql = f"SELECT {key_column}, {column}, crc FROM {table} WHERE {key_column} = ?"
        found = self.conn.execute(sql, (key,)).fetchone()
        if found is None and table == "meta":
            raise Damaged(f"no {key!r} in meta")
        if found is None:
            return None
        stored, value, crc = found
        if stored != key or crc != blob_check(stored, value):
            raise Damaged(f"{table} {stored!r}")
        return value

    def _list(self, key: str) -> list[str]:
        """A list of strings the build stored as one newline-joined value."""
        found = self._lists.get(key)
        if found is None:
            text = self.meta(key) or ""
            found = self._lists[key] = text.split("\n") if text else []
        return found

    # --------------------------------------------------------------------- damage

    def _read(self, read: Callable[[], T]) -> T:
        """A read, repeated once on a repaired database if the first proves it damaged."""
        self._ticks = 0
        try:
            return read()
        except DAMAGE as exc:
            self._heal(exc)
        return read()

    def _heal(self, exc: Exception) -> None:
        """Swap the damaged database for a repaired one, or raise exc if there is no repair."""
        repair, self.repair = self.repair, None
        if repair is None:
            raise exc
        debug(f"the index cache is damaged ({exc}); rebuilding it")
        self.conn.close()
        self.conn = repair()
        self.origin = "repaired"

    def _tick(self) -> int:
        """The progress handler: non-zero (stop) once a read has taken LIMIT calls."""
        self._ticks += 1
        return int(self._ticks > LIMIT)
