"""The index cache: built once, reused, rebuilt on change, and never required."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kzkg_cli.index import cache as cache_module
from kzkg_cli.index.cache import cache_dir, code_digest, open_store
from kzkg_cli.index.cache import cache_file as cache_path

from .conftest import MINI_FACTS, ROOT, Invoke


@pytest.fixture
def facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the mini fact file and a private cache folder."""
    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(MINI_FACTS.parent, tmp_path / "mini")
    return tmp_path / "mini" / "facts.toml"


def cache_file(facts: Path) -> Path:
    return Path(cache_path(facts))


def names_in(facts: Path) -> list[str]:
    with open_store(facts) as store:
        return [row["name"] for row in store.rows("person")]


def origin(facts: Path) -> str:
    """How the store for facts came to be: "built", "cache" or "memory"."""
    with open_store(facts) as store:
        return store.origin


def test_first_run_builds_the_cache_and_the_second_reads_it(facts: Path) -> None:
    assert origin(facts) == "built"
    assert cache_file(facts).is_file()
    assert origin(facts) == "cache"


def test_cache_lives_in_the_platform_cache_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KZKG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    if sys.platform.startswith("linux"):
        assert cache_dir() == "/somewhere/cache/kzkg"


def test_editing_the_fact_file_rebuilds(facts: Path) -> None:
    assert names_in(facts) == ["Иван Петров", "Асан Алиев"]
    text = facts.read_text(encoding="utf-8").replace('name = "Асан Алиев"', 'name = "Асан Алиевич"')
    facts.write_text(text, encoding="utf-8")
    os.utime(facts, ns=(1, 1))  # a different mtime even on coarse clocks
    assert origin(facts) == "built"
    assert names_in(facts) == ["Иван Петров", "Асан Алиевич"]


def test_a_new_kzkg_version_rebuilds(facts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert origin(facts) == "built"
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    assert origin(facts) == "built"


def test_a_change_to_the_code_that_builds_rows_rebuilds_the_cache(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No format number to bump: the key holds a digest of the row-building source."""
    package = Path(cache_module.__file__).resolve().parent.parent
    copy = tmp_path / "package"
    for folder in cache_module.BUILDERS:
        shutil.copytree(package / folder, copy / folder)
    monkeypatch.setattr(cache_module, "PACKAGE_DIR", copy)  # the cache key reads the copy
    assert code_digest() == code_digest(package)
    assert origin(facts) == "built"
    assert origin(facts) == "cache"
    entries = copy / "index" / "entries.py"
    entries.write_text(entries.read_text() + "\n# a new key for answer rows\n")
    assert code_digest() != code_digest(package)
    assert origin(facts) == "built"
    assert origin(facts) == "cache"


@pytest.mark.parametrize("odd", ["a#b", "a?b", "100%", "%41", "sp ace"])
def test_a_cache_folder_with_uri_characters_caches(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: str
) -> None:
    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path / odd / "cache"))
    assert origin(facts) == "built"
    assert origin(facts) == "cache"
    assert [p.parent.name for p in (tmp_path / odd).glob("*/*.sqlite")] == ["cache"]


def test_a_corrupt_cache_is_rebuilt(facts: Path) -> None:
    assert origin(facts) == "built"
    cache_file(facts).write_bytes(b"this is not a database" * 100)
    assert origin(facts) == "built"
    assert names_in(facts) == ["Иван Петров", "Асан Алиев"]


def test_a_foreign_cache_is_replaced(facts: Path) -> None:
    target = cache_file(facts)
    target.parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.executescript("CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB);")
        conn.execute("INSERT INTO meta VALUES ('identity', 'someone else')")
        conn.commit()
    assert origin(facts) == "built"


def test_an_unwritable_cache_dir_falls_back_to_memory(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("KZKG_CACHE_DIR", str(blocker / "kzkg"))
    with open_store(facts) as store:
        assert store.origin == "memory"
        assert [row["name"] for row in store.rows("person")] == ["Иван Петров", "Асан Алиев"]


def test_no_cache_when_asked(facts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZKG_NO_CACHE", "1")
    assert origin(facts) == "memory"
    assert not cache_file(facts).exists()


def test_an_interrupted_build_leaves_no_cache_behind(
    facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kzkg_cli.index.build as build_module

    real = build_module.contents

    def interrupted(*args: Any) -> Any:
        made = real(*args)

        def records() -> Iterator[tuple[str, str, bytes]]:
            for number, record in enumerate(made.records):
                if number == 2:  # halfway through writing the records
                    raise KeyboardInterrupt
                yield record

        return made._replace(records=records())

    monkeypatch.setattr(build_module, "contents", interrupted)
    with pytest.raises(KeyboardInterrupt):
        open_store(facts)
    folder = cache_file(facts).parent
    left = [p.name for p in folder.iterdir()] if folder.exists() else []
    assert all(name.endswith(".lock") for name in left), left  # the build lock stays, empty


def test_a_bad_fact_file_is_reported_not_cached(facts: Path) -> None:
    from kzkg_cli.core.errors import FactFileError

    facts.write_text("[[person]]\nid = 1\n", encoding="utf-8")
    with pytest.raises(FactFileError):
        open_store(facts)
    assert not cache_file(facts).exists()


def test_cli_answers_with_every_kind_of_cache(
    invoke: Invoke, facts: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = invoke("who", "Петров", "--json", "--facts", str(facts)).json()
    assert invoke("who", "Петров", "--json", "--facts", str(facts)).json() == expected  # cached
    cache_file(facts).write_bytes(b"garbage")
    assert invoke("who", "Петров", "--json", "--facts", str(facts)).json() == expected
    monkeypatch.setenv("KZKG_CACHE_DIR", str(facts))  # a file: the cache cannot be written
    assert invoke("who", "Петров", "--json", "--facts", str(facts)).json() == expected


# ----------------------------------------------------------------------------- batch mode


def test_who_stdin_answers_each_line_as_json(invoke: Invoke) -> None:
    result = invoke("who", "--stdin", input="Бектенов\n\nПутин\n   \nTokayev\n")
    assert result.code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["Бектенов", "Путин", "Tokayev"]
    assert [[r["id"] for r in line["results"]] for line in lines] == [["bektenov"], [], ["tokayev"]]


def test_stdin_reports_a_query_with_nothing_to_match_in_its_line(invoke: Invoke) -> None:
    [line] = invoke("search", "--stdin", input="!!!\n").stdout.splitlines()
    assert json.loads(line)["error"].startswith("the query '!!!' has no words")


@pytest.mark.parametrize("command", ["who", "when", "borders", "agreements", "search", "show"])
def test_stdin_works_for_each_lookup_command(invoke: Invoke, command: str) -> None:
    query = {"show": "igc-13"}.get(command, "Бишкек")
    result = invoke(command, "--stdin", input=f"{query}\n")
    assert result.code == 0
    assert json.loads(result.stdout)["query"] == query


def test_stdin_and_an_argument_conflict(invoke: Invoke) -> None:
    result = invoke("who", "Бектенов", "--stdin", input="x\n")
    assert result.code == 2 and "not both" in result.stderr


# ----------------------------------------------------------------------------- generator


def test_generated_fact_files_verify(invoke: Invoke, tmp_path: Path) -> None:
    import runpy

    from kzkg_cli.core.model import KIND_BY_NAME

    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"))["generate"]
    generate(400, tmp_path / "gen")
    result = invoke("verify", "--strict", "--facts", str(tmp_path / "gen" / "facts.toml"))
    assert result.code == 0, result.stdout
    kinds = {
        r["type"] for r in invoke("export", "--facts", str(tmp_path / "gen" / "facts.toml")).json()
    }
    assert kinds == set(KIND_BY_NAME)


def test_progress_draws_only_for_a_large_file_on_a_terminal() -> None:
    import io

    from kzkg_cli.index.progress import LARGE_FILE, build_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet = Terminal()
    with build_progress(LARGE_FILE - 1, quiet) as (stage, advance):
        stage("indexing")
        advance(1000, 2000)
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    with build_progress(LARGE_FILE, piped) as (stage, advance):
        advance(1000, 2000)
    assert piped.getvalue() == ""
    shown = Terminal()
    with build_progress(LARGE_FILE, shown) as (stage, advance):
        stage("indexing")
        advance(1000, 2000)
    assert "kzkg: indexing" in shown.getvalue()


def test_text_derived_from_the_code_is_kept_under_its_digest_and_never_believed_broken(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path / "cache"))
    first = invoke("schema", "--compact")
    [kept] = (tmp_path / "cache").glob("schema-compact-*.txt")
    assert kept.name == f"schema-compact-{code_digest()}.txt"
    assert kept.read_text(encoding="utf-8") == first.stdout
    kept.write_text('{"planted": true', encoding="utf-8")  # damaged: made afresh
    assert invoke("schema", "--compact").stdout == first.stdout
    assert invoke("schema", "--compact").stdout == first.stdout  # and kept again
    assert json.loads(first.stdout)["title"] == "kzkg fact file"
