"""`kzkg export --format sqlite OUT.db`: the fact base as tables, for sqlite3 or Datasette.

One table per kind of record (person, event, trade, ...), a column per field, and the quotes in
a table of their own, ``sources``, one row per quote, joined to its record by ``record_id``.
Lists and nested tables (a person's roles, an agreement's parties) are JSON text, which
SQLite's json functions read. The file is written beside its final name and renamed into place,
so an interrupted export leaves nothing half-written.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from kzkg_cli.errors import UsageError
from kzkg_cli.render import Row
from kzkg_cli.store import write_database

SOURCES = "sources"


def write_sqlite(rows: list[Row], target: Path, force: bool) -> None:
    """Write rows to a new SQLite file at target; an existing file only with force."""
    if target.is_dir():
        raise UsageError(f"{target} is a directory; name the database file to write")
    if target.exists() and not force:
        raise UsageError(f"{target} exists; add --force to replace it")
    try:
        write_database(target, lambda conn: _fill(conn, rows))
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


def _fill(conn: sqlite3.Connection, rows: list[Row]) -> None:
    by_kind: dict[str, list[Row]] = {}
    for row in rows:
        by_kind.setdefault(row["type"], []).append(row)
    for kind, kind_rows in by_kind.items():
        columns = list(dict.fromkeys(k for row in kind_rows for k in row if k != "sources"))
        types = {c: _sql_type([row.get(c) for row in kind_rows]) for c in columns}
        spec = ", ".join(
            f'"{c}" {types[c]}' + (" PRIMARY KEY" if c == "id" else "") for c in columns
        )
        conn.execute(f'CREATE TABLE "{kind}" ({spec})')
        marks = ", ".join("?" * len(columns))
        conn.executemany(
            f'INSERT INTO "{kind}" VALUES ({marks})',
            ([_cell(row.get(c)) for c in columns] for row in kind_rows),
        )
    conn.execute(
        f"CREATE TABLE {SOURCES} (record_id TEXT NOT NULL, record_type TEXT NOT NULL, "
        "part TEXT NOT NULL, doc TEXT NOT NULL, quote TEXT NOT NULL)"
    )
    conn.executemany(f"INSERT INTO {SOURCES} VALUES (?, ?, ?, ?, ?)", _citations(rows))
    conn.execute(f"CREATE INDEX {SOURCES}_record ON {SOURCES} (record_id)")
    conn.commit()


def _citations(rows: list[Row]) -> list[tuple[str, str, str, str, str]]:
    """(record id, type, which part, doc, quote) of every quote: the record's own ("") and
    its roles' ("roles[0]", ...)."""
    found = []
    for row in rows:
        parts: list[tuple[str, list[Row]]] = [("", row.get("sources", []))]
        parts += [(f"roles[{i}]", role["sources"]) for i, role in enumerate(row.get("roles", []))]
        for part, refs in parts:
            found += [(row["id"], row["type"], part, ref["doc"], ref["quote"]) for ref in refs]
    return found


def _sql_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool | int) for v in present):
        return "INTEGER"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "REAL"
    return "TEXT"


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
