"""`kzkg export --format sqlite OUT.db`: a table per kind, the quotes in their own table."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import Invoke


@pytest.fixture
def connect() -> Iterator[Callable[[Path], sqlite3.Connection]]:
    """Open exported databases, each closed when the test ends."""
    opened: list[sqlite3.Connection] = []

    def open_one(path: Path) -> sqlite3.Connection:
        opened.append(sqlite3.connect(path))
        return opened[-1]

    yield open_one
    for conn in opened:
        conn.close()


def test_one_table_per_kind_and_every_quote_in_sources(
    invoke: Invoke, tmp_path: Path, connect: Callable[[Path], sqlite3.Connection]
) -> None:
    target = tmp_path / "kzkg.db"
    result = invoke("export", "--format", "sqlite", str(target))
    assert result.code == 0 and result.stdout == ""
    records = invoke("export", "--json").json()
    conn = connect(target)
    for kind in {row["type"] for row in records}:
        ids = {rid for (rid,) in conn.execute(f'SELECT id FROM "{kind}"')}
        assert ids == {row["id"] for row in records if row["type"] == kind}
    quotes = sorted(
        (row["id"], ref["doc"], ref["quote"])
        for row in records
        for ref in [*row["sources"], *(s for r in row.get("roles", []) for s in r["sources"])]
    )
    stored = sorted(conn.execute("SELECT record_id, doc, quote FROM sources"))
    assert stored == quotes and quotes


def test_columns_keep_their_types_and_lists_are_json(
    invoke: Invoke, tmp_path: Path, connect: Callable[[Path], sqlite3.Connection]
) -> None:
    target = tmp_path / "kzkg.db"
    invoke("export", "-f", "sqlite", str(target))
    conn = connect(target)
    value, approximate = conn.execute(
        "SELECT value_usd, approximate FROM trade WHERE id = 'turnover-2024'"
    ).fetchone()
    assert value == 1.7e9 and approximate == 0
    (roles,) = conn.execute("SELECT roles FROM person WHERE id = 'bektenov'").fetchone()
    assert json.loads(roles)[0]["title"]
    (count,) = conn.execute(
        "SELECT count(*) FROM person, json_each(person.roles) WHERE person.id = 'bektenov'"
    ).fetchone()
    exported = {row["id"]: row for row in invoke("export", "--type", "person").json()}
    assert count == len(exported["bektenov"]["roles"]) > 0


def test_an_existing_file_is_kept_unless_forced(
    invoke: Invoke, tmp_path: Path, connect: Callable[[Path], sqlite3.Connection]
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "kzkg.db"
    target.write_text("mine")
    refused = invoke("export", "--format", "sqlite", str(target))
    assert refused.code == 2 and "--force" in refused.stderr
    assert target.read_text() == "mine"
    assert invoke("export", "--format", "sqlite", str(target), "--force").code == 0
    with contextlib.closing(sqlite3.connect(target)) as conn:
        assert conn.execute("SELECT count(*) FROM person").fetchone()[0] > 0
    assert [p.name for p in target.parent.iterdir()] == ["kzkg.db"]  # no temporary file left


def test_sqlite_needs_a_file_and_a_file_needs_sqlite(
    invoke: Invoke, tmp_path: Path, connect: Callable[[Path], sqlite3.Connection]
) -> None:
    assert invoke("export", "--format", "sqlite").code == 2
    assert invoke("export", "--format", "csv", str(tmp_path / "x.db")).code == 2
    assert invoke("export", "--format", "sqlite", str(tmp_path)).code == 2  # a directory
    assert not (tmp_path / "x.db").exists()
