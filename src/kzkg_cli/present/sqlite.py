"""`kzkg export --format sqlite OUT.db`: the fact base as tables, for sqlite3 or Datasette.

One table per kind of record (person, event, trade, ...), a column per field, and the quotes in
a table of their own, ``sources``, one row per quote, joined to its record by ``record_id``.
Lists and nested tables (a person's roles, an agreement's parties) are JSON text, which
SQLite's json functions read. The file is written beside its final name and renamed into place,
so an interrupted export leaves nothing half-written, and it gets the permissions the umask
gives any new file (0644 under umask 022), so that a service reading it can. Only a regular
file is replaced (with --force): never a device, a FIFO, a socket, a folder or a symbolic link.
Rows stream past twice (a Stream): once to learn each kind's columns and their types, once to
insert them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kzkg_cli.core.errors import UsageError, WriteError
from kzkg_cli.core.rows import Row, citations
from kzkg_cli.index.write import write_database

SOURCES = "sources"


def write_sqlite(rows: Iterable[Row], target: Path, force: bool) -> int:
    """Write rows to a new SQLite file at target (an existing regular file only with force);
    the number of records written."""
    check_target(target, force)
    written: list[int] = []
    mode = _new_file_mode()
    try:
        write_database(target, lambda conn: written.append(_fill(conn, rows)), mode=mode)
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:  # "database or disk is full", say
        raise WriteError(f"cannot write {target}: {exc}") from None
    return written[0]


def check_target(target: Path, force: bool) -> None:
    """A usage error unless target is absent, or a regular file and force is given (a write
    error if it cannot even be looked at); checked before anything is written.

    A symbolic link is refused, not followed: replacing the link with a file would quietly cut
    off what it pointed to, and following it would let whoever can make a link where the
    export goes (a shared folder) choose the file a forced export replaces.
    """
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{target} is a directory; name the database file to write")
    if stat.S_ISLNK(mode):
        raise UsageError(f"{target} is a symbolic link; name the file itself, or remove the link")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{target} is {_kind(mode)}, not a regular file; name a file to write")
    if not force:
        raise UsageError(f"{target} exists; add --force to replace it")


def _kind(mode: int) -> str:
    """What a file that is not a regular file, a folder or a link is, in words."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _new_file_mode() -> int:
    """The permissions any tool's new file gets: 0o666 less the umask (reading the umask
    means setting it, so it is set straight back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


def _fill(conn: sqlite3.Connection, rows: Iterable[Row]) -> int:
    columns = _columns(rows)
    for kind, types in columns.items():
        spec = ", ".join(
            f'"{c}" {t}' + (" PRIMARY KEY" if c == "id" else "") for c, t in types.items()
        )
        conn.execute(f'CREATE TABLE "{kind}" ({spec})')
    conn.execute(
        f"CREATE TABLE {SOURCES} (record_id TEXT NOT NULL, record_type TEXT NOT NULL, "
        "part TEXT NOT NULL, doc TEXT NOT NULL, quote TEXT NOT NULL)"
    )
    count = 0
    inserts = {kind: _insert(kind, len(types)) for kind, types in columns.items()}
    for row in rows:
        names = columns[row["type"]]
        conn.execute(inserts[row["type"]], [_cell(row.get(c)) for c in names])
        conn.executemany(f"INSERT INTO {SOURCES} VALUES (?, ?, ?, ?, ?)", _citations(row))
        count += 1
    conn.execute(f"CREATE INDEX {SOURCES}_record ON {SOURCES} (record_id)")
    conn.commit()
    return count


def _insert(kind: str, width: int) -> str:
    return f'INSERT INTO "{kind}" VALUES ({", ".join("?" * width)})'


def _columns(rows: Iterable[Row]) -> dict[str, dict[str, str]]:
    """Each kind's columns (every key its rows have but sources, in order) and SQL types."""
    seen: dict[str, dict[str, set[type]]] = {}
    for row in rows:
        kinds = seen.setdefault(row["type"], {})
        for key, value in row.items():
            if key != "sources":
                kinds.setdefault(key, set()).add(type(value))
    return {kind: {c: _sql_type(t) for c, t in cols.items()} for kind, cols in seen.items()}


def _citations(row: Row) -> Iterator[tuple[str, str, str, str, str]]:
    """(record id, type, which part, doc, quote) of every quote: the record's own ("") and
    its roles' ("roles[0]", ...)."""
    for citation in citations(row):
        yield row["id"], row["type"], citation.part, citation.doc, citation.quote


def _sql_type(types: set[type]) -> str:
    present = types - {type(None)}
    if present and present <= {bool, int}:
        return "INTEGER"
    if present and present <= {int, float}:
        return "REAL"
    return "TEXT"


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
