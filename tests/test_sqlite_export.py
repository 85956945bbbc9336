"""`kzkg export --format sqlite`: linked tables (foreign keys that hold), a role table, one row
per quote as verify counts them, full-text search tables Datasette finds, Datasette's metadata
describing every table and column, and files that get the umask's permissions."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import Invoke, Result, grown_copy

Connect = Callable[[Path], sqlite3.Connection]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """Open exported databases, each closed when the test ends."""
    opened: list[sqlite3.Connection] = []

    def open_one(path: Path) -> sqlite3.Connection:
        opened.append(sqlite3.connect(path))
        return opened[-1]

    yield open_one
    for conn in opened:
        conn.close()


@pytest.fixture
def exported(invoke: Invoke, tmp_path: Path, connect: Connect) -> sqlite3.Connection:
    """The shipped fact base exported (with its metadata) to tmp_path/kzkg.db."""
    target = tmp_path / "kzkg.db"
    result = invoke("export", "--format", "sqlite", str(target), "--metadata")
    assert result.code == 0 and result.stdout == "", result
    return connect(target)


def records_of(invoke: Invoke, *args: str) -> list[dict[str, Any]]:
    result = invoke("export", "--json", *args)
    assert result.code == 0, result
    rows: list[dict[str, Any]] = result.json()
    return rows


def verified_quotes(invoke: Invoke, *args: str) -> int:
    """How many quotes `kzkg verify --json` counts."""
    result = invoke("verify", "--json", *args)
    report = result.json()
    if isinstance(report, list):  # the array of older versions
        report = report[0]
    count: int = report["quotes"]
    return count


def tables(conn: sqlite3.Connection) -> list[str]:
    """The export's own tables: not the full-text search tables, nor their shadow tables."""
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    searched = [n for n in names if n.endswith("_fts")]
    return [n for n in names if not any(n == s or n.startswith(s + "_") for s in searched)]


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def ref_id(value: Any) -> Any:
    return value["id"] if isinstance(value, dict) else value


# ----------------------------------------------------------------------------- tables


def test_one_table_per_kind_a_column_per_key_and_every_record_once(
    invoke: Invoke, exported: sqlite3.Connection
) -> None:
    records = records_of(invoke)
    nested = {"type", "sources", "roles", "readings"}  # rows of tables of their own
    for kind in {row["type"] for row in records}:
        ids = {rid for (rid,) in exported.execute(f'SELECT id FROM "{kind}"')}
        assert ids == {row["id"] for row in records if row["type"] == kind}
        keys = {key for row in records if row["type"] == kind for key in row} - nested
        assert keys <= set(columns(exported, kind)), kind  # nothing of a row is left out
    hub = dict(exported.execute("SELECT id, type FROM records").fetchall())
    assert hub == {row["id"]: row["type"] for row in records}


def test_columns_keep_their_types_lists_are_json_and_references_are_ids(
    invoke: Invoke, exported: sqlite3.Connection
) -> None:
    trade = records_of(invoke, "--type", "trade")[0]
    value, approximate = exported.execute(
        "SELECT value_usd, approximate FROM trade WHERE id = ?", (trade["id"],)
    ).fetchone()
    assert value == trade["value_usd"] and approximate == int(trade["approximate"])
    for agreement in records_of(invoke, "--type", "agreement"):
        event, targets = exported.execute(
            "SELECT event, targets FROM agreement WHERE id = ?", (agreement["id"],)
        ).fetchone()
        assert event == ref_id(agreement["event"])
        assert json.loads(targets) == [ref_id(t) for t in agreement["targets"]]
        linked = exported.execute(
            "SELECT trade_id FROM agreement_targets WHERE agreement_id = ? ORDER BY position",
            (agreement["id"],),
        ).fetchall()
        assert [t for (t,) in linked] == [ref_id(t) for t in agreement["targets"]]


def test_roles_are_rows_linked_to_their_person_and_offices(
    invoke: Invoke, exported: sqlite3.Connection
) -> None:
    people = records_of(invoke, "--type", "person")
    assert "roles" not in columns(exported, "person")
    for person in people:
        stored = rows(
            exported, "SELECT * FROM role WHERE person_id = ? ORDER BY position", person["id"]
        )
        assert [r["title"] for r in stored] == [role["title"] for role in person["roles"]]
        for row, role in zip(stored, person["roles"], strict=True):
            offices = [ref_id(o) for o in role["office"]]
            assert row["office_id"] == (offices[0] if offices else None)
            linked = exported.execute(
                "SELECT office_id FROM role_office WHERE role_id = ? ORDER BY position",
                (row["id"],),
            ).fetchall()
            assert [o for (o,) in linked] == offices
    assert any(len(role["office"]) > 1 for p in people for role in p["roles"]), "no joint post"


def test_references_between_records_are_links(invoke: Invoke, exported: sqlite3.Connection) -> None:
    events = records_of(invoke, "--type", "event")
    for event in events:
        linked = exported.execute(
            "SELECT person_id FROM event_participants WHERE event_id = ? ORDER BY position",
            (event["id"],),
        ).fetchall()
        assert [p for (p,) in linked] == [ref_id(p) for p in event["participants"]]
    outgoing = {
        (table, fk[3], fk[2])
        for table in tables(exported)
        for fk in exported.execute(f'PRAGMA foreign_key_list("{table}")')
    }
    for link in [
        ("role", "person_id", "person"),
        ("role", "office_id", "office"),
        ("agreement", "event", "event"),
        ("statement", "event", "event"),
        ("event", "part_of", "event"),
        ("sources", "record_id", "records"),
        ("sources", "person_id", "person"),
        ("sources", "role_id", "role"),
        ("sources", "doc", "source"),
        ("passages", "source", "source"),
        ("statement_speakers", "person_id", "person"),
    ]:
        assert link in outgoing


@pytest.mark.parametrize(
    "kinds", [(), ("agreement",), ("person",), ("conflict", "trade"), ("source",)], ids=str
)
def test_every_foreign_key_holds(
    invoke: Invoke, tmp_path: Path, connect: Connect, kinds: tuple[str, ...]
) -> None:
    """Also where --type leaves out what a reference names: that column then keeps the id
    without being declared a foreign key."""
    target = tmp_path / "kzkg.db"
    types = [arg for kind in kinds for arg in ("--type", kind)]
    assert invoke("export", "-f", "sqlite", str(target), *types).code == 0
    conn = connect(target)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    if kinds == ("agreement",):
        events = [r["event"] for r in records_of(invoke, "--type", "agreement") if r["event"]]
        stored = [e for (e,) in conn.execute("SELECT event FROM agreement WHERE event IS NOT NULL")]
        assert stored == [ref_id(e) for e in events] and stored


def test_foreign_keys_hold_on_a_grown_fact_base(
    invoke: Invoke, tmp_path: Path, connect: Connect
) -> None:
    facts = grown_copy(tmp_path)
    target = tmp_path / "grown.db"
    assert invoke("export", "-f", "sqlite", str(target), "--facts", str(facts)).code == 0
    conn = connect(target)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    (quotes,) = conn.execute("SELECT count(*) FROM sources").fetchone()
    assert quotes == verified_quotes(invoke, "--facts", str(facts))


# ----------------------------------------------------------------------------- quotes


def test_one_row_per_quote_as_verify_counts_them(
    invoke: Invoke, exported: sqlite3.Connection
) -> None:
    (count,) = exported.execute("SELECT count(*) FROM sources").fetchone()
    assert count == verified_quotes(invoke) > 0


def test_every_quote_of_every_record_and_its_part(
    invoke: Invoke, exported: sqlite3.Connection
) -> None:
    expected: Counter[tuple[str, str, str, str]] = Counter()
    for row in records_of(invoke):
        rid = row["id"]
        if row["type"] == "conflict":  # its sources are its readings'
            for n, reading in enumerate(row["readings"]):
                expected.update(
                    (rid, f"readings[{n}]", s["doc"], s["quote"]) for s in reading["sources"]
                )
            continue
        expected.update((rid, "", s["doc"], s["quote"]) for s in row["sources"])
        for n, role in enumerate(row.get("roles", [])):
            expected.update((rid, f"roles[{n}]", s["doc"], s["quote"]) for s in role["sources"])
        for key in ("headline", "lead"):  # an article's own words quote it
            if row["type"] == "source" and row.get(key):
                expected[rid, key, rid, row[key]] += 1
    stored = Counter(exported.execute("SELECT record_id, part, doc, quote FROM sources"))
    assert stored == expected


def test_a_quote_links_to_its_record_its_role_and_the_column_of_its_kind(
    exported: sqlite3.Connection,
) -> None:
    kinds = [kind for (kind,) in exported.execute("SELECT DISTINCT record_type FROM sources")]
    for kind in kinds:
        (wrong,) = exported.execute(
            f"SELECT count(*) FROM sources WHERE record_type = ? AND {kind}_id IS NOT record_id",
            (kind,),
        ).fetchone()
        assert wrong == 0, kind
    role_quotes = rows(exported, "SELECT * FROM sources WHERE part LIKE 'roles[%'")
    assert role_quotes
    for quote in role_quotes:
        (position,) = exported.execute(
            "SELECT position FROM role WHERE id = ? AND person_id = ?",
            (quote["role_id"], quote["record_id"]),
        ).fetchone()
        assert quote["part"] == f"roles[{position}]"


# ----------------------------------------------------------------------------- search


def test_full_text_search_tables_are_where_datasette_looks(
    invoke: Invoke, exported: sqlite3.Connection
) -> None:
    """Datasette takes <table>_fts, a virtual table declared with content="<table>", as the
    table's search (datasette.utils.detect_fts)."""
    declared = dict(
        exported.execute(
            "SELECT name, sql FROM sqlite_master WHERE name LIKE '%\\_fts' ESCAPE '\\'"
        )
    )
    for table in ("records", "person", "event", "trade", "role", "sources", "passages"):
        sql = declared[f"{table}_fts"]
        assert "VIRTUAL TABLE" in sql and "USING fts5" in sql and f'content="{table}"' in sql
    person = records_of(invoke, "--type", "person")[0]
    surname = person["name"].split()[-1]
    found = exported.execute(
        "SELECT id FROM person WHERE rowid IN "
        "(SELECT rowid FROM person_fts WHERE person_fts MATCH ?)",
        (f'"{surname}"',),
    ).fetchall()
    assert (person["id"],) in found


def test_search_finds_a_word_in_any_case_form(invoke: Invoke, exported: sqlite3.Connection) -> None:
    """Trigram tokens: the nominative finds the genitive ("Бектенов" in "Бектенова")."""
    person = records_of(invoke, "--type", "person")[0]
    stem = person["name"].split()[-1]
    texts = [t for (t,) in exported.execute("SELECT text FROM passages")]
    inflected = {t for t in texts if stem.casefold() in t.casefold()}
    found = exported.execute(
        "SELECT text FROM passages WHERE rowid IN "
        "(SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?)",
        (f'"{stem}"',),
    ).fetchall()
    assert {t for (t,) in found} == inflected and inflected


def test_passages_are_the_sentences_show_prints(
    invoke: Invoke, exported: sqlite3.Connection
) -> None:
    passage = rows(exported, "SELECT * FROM passages ORDER BY rowid LIMIT 1 OFFSET 3")[0]
    shown = invoke("show", passage["id"], "--json").json()
    shown = shown[0] if isinstance(shown, list) else shown
    assert shown["text"] == passage["text"] and shown["source"] == passage["source"]


# ----------------------------------------------------------------------------- metadata


def test_metadata_describes_every_table_and_column(
    tmp_path: Path, exported: sqlite3.Connection
) -> None:
    metadata = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] and metadata["description"] and metadata["license"]
    described = metadata["databases"]["kzkg"]["tables"]
    for table in tables(exported):
        assert described[table]["description"], table
        for column in columns(exported, table):
            assert described[table]["columns"][column], f"{table}.{column}"
        label = described[table].get("label_column")
        assert label is None or label in columns(exported, table)
    assert "year, month or day" in described["trade"]["columns"]["horizon_precision"]


def test_metadata_describes_the_columns_of_a_grown_base_and_of_one_kind(
    invoke: Invoke, tmp_path: Path, connect: Connect
) -> None:
    facts = grown_copy(tmp_path)
    for name, types in (("grown", []), ("people", ["--type", "person"])):
        folder = tmp_path / name
        folder.mkdir()
        target = folder / f"{name}.db"
        args = ["export", "-f", "sqlite", str(target), "--metadata", "--facts", str(facts)]
        assert invoke(*args, *types).code == 0
        described = json.loads((folder / "metadata.json").read_text())["databases"][name]
        conn = connect(target)
        for table in tables(conn):
            assert set(described["tables"][table]["columns"]) == set(columns(conn, table))


def test_metadata_is_named_on_stderr_and_kept_unless_forced(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "kzkg.db"
    first = invoke("export", "--format", "sqlite", str(target), "--metadata")
    assert first.code == 0 and first.stderr.count("\n") == 1, first
    assert str(tmp_path / "metadata.json") in first.stderr
    metadata = tmp_path / "metadata.json"
    metadata.write_text("mine")
    target.unlink()
    refused = invoke("export", "--format", "sqlite", str(target), "--metadata")
    assert refused.code == 2 and "--force" in refused.stderr and "metadata.json" in refused.stderr
    assert metadata.read_text() == "mine" and not target.exists()  # refused before writing
    forced = invoke("export", "--format", "sqlite", str(target), "--metadata", "--force")
    assert forced.code == 0, forced
    assert json.loads(metadata.read_text())["databases"]["kzkg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kzkg.db", "metadata.json"]


def test_metadata_needs_a_database_and_is_not_the_database(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("export", "--format", "json", "--metadata").code == 2
    same = invoke("export", "-f", "sqlite", str(tmp_path / "metadata.json"), "--metadata")
    assert same.code == 2 and "metadata" in same.stderr, same
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- files


def test_an_existing_file_is_kept_unless_forced(
    invoke: Invoke, tmp_path: Path, connect: Connect
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "kzkg.db"
    target.write_text("mine")
    refused = invoke("export", "--format", "sqlite", str(target))
    assert refused.code == 2 and "--force" in refused.stderr
    assert target.read_text() == "mine"
    assert invoke("export", "--format", "sqlite", str(target), "--force").code == 0
    assert connect(target).execute("SELECT count(*) FROM person").fetchone()[0] > 0
    assert [p.name for p in target.parent.iterdir()] == ["kzkg.db"]  # no temporary file left


def test_sqlite_needs_a_file_and_a_file_needs_sqlite(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("export", "--format", "sqlite").code == 2
    assert invoke("export", "--format", "csv", str(tmp_path / "x.db")).code == 2
    assert invoke("export", "--format", "sqlite", str(tmp_path)).code == 2  # a directory
    assert not (tmp_path / "x.db").exists()


def kzkg_script() -> str:
    """The console script pip installed beside this Python: the real entry point."""
    script = Path(sys.executable).parent / "kzkg"
    assert script.exists(), f"no kzkg script beside {sys.executable}"
    return str(script)


@pytest.mark.parametrize("umask", ["022", "077"])
def test_the_database_and_its_metadata_get_the_umask_s_permissions(
    tmp_path: Path, umask: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    env["KZKG_CACHE_DIR"] = str(tmp_path / "cache")
    command = f'umask {umask} && exec "$0" export --format sqlite kzkg.db --metadata'
    done = subprocess.run(
        ["sh", "-c", command, kzkg_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("kzkg: wrote ") and "metadata.json" in done.stderr
    expected = 0o666 & ~int(umask, 8)  # 0644 under 022, 0600 under 077
    for name in ("kzkg.db", "metadata.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name


def test_the_line_on_stderr_counts_what_verify_counts(invoke: Invoke, tmp_path: Path) -> None:
    result: Result = invoke("export", "-f", "sqlite", str(tmp_path / "kzkg.db"))
    records = len(records_of(invoke))
    quotes = verified_quotes(invoke)
    assert f"wrote {records} records and {quotes} quotes to " in result.stderr
