"""The indexed fact base as SQLite: records, name keys, the word index, and vocabularies.

A query reads only what it needs: an exact name lookup touches one index and a handful of rows,
so it stays fast however large the fact base grows. Rows are stored as the JSON-shaped dicts the
commands print (marshal-encoded), so answering needs neither the TOML parser nor the model.
Bulk readers (export, verify, sources) stream rows from a cursor and keep none of them.
index.write fills a database; this module only reads one.
"""

from __future__ import annotations

import bisect
import marshal
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any, NamedTuple

from kzkg_cli.core.rows import Row


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
        """How this store came to be: "cache", "built" (and cached) or "memory"."""
        self._rows: dict[int, Row] = {}
        self._lists: dict[str, list[str]] = {}

    def close(self) -> None:
        """Let the database go (a store is also a context manager that does so)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --------------------------------------------------------------------- records

    def rows(self, *kinds: str) -> Iterator[Row]:
        """Every record, or those of the given kinds, in file order, streamed from a cursor
        and decoded in C: nothing is kept, so a bulk reader holds one row at a time."""
        wanted = sorted(kinds)
        marks = ",".join("?" * len(wanted))
        where = f"WHERE kind IN ({marks}) " if wanted else ""
        cursor = self.conn.execute(f"SELECT data FROM records {where}ORDER BY pos", wanted)
        return map(marshal.loads, map(itemgetter(0), cursor))

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

    def name_vocabulary(self) -> Vocabulary:
        """Every name stem key, for fuzzy matching (one read)."""
        return Vocabulary(self._list("name_keys"))

    def aliases(self) -> Aliases:
        """Every way every person is written, as canonical forms (one read)."""
        return Aliases(self._list("aliases"), array("i", self.meta("alias_positions") or b""))

    def postings(self, key: str) -> dict[int, float]:
        """The word index for one stem key: {position: weight} of the records that hold it."""
        found = self.conn.execute("SELECT postings FROM words WHERE key = ?", (key,)).fetchone()
        if found is None:
            return {}
        return {code >> 1: 2.0 if code & 1 else 1.0 for code in array("i", found[0])}

    def word_vocabulary(self) -> Vocabulary:
        """Every stem key of the word index, for fuzzy matching (one read)."""
        return Vocabulary(self._list("word_keys"))

    def english(self) -> Any:
        """The model's English field pairs by kind, as the build stored them."""
        import json

        return json.loads(self.meta("english") or "{}")

    def meta(self, key: str) -> Any:
        found = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return found[0] if found else None

    def _list(self, key: str) -> list[str]:
        """A list of strings the build stored as one newline-joined value."""
        found = self._lists.get(key)
        if found is None:
            text = self.meta(key) or ""
            found = self._lists[key] = text.split("\n") if text else []
        return found
