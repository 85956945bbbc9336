"""Loading a large file on two cores builds exactly the index one process builds, or steps aside."""

from __future__ import annotations

import runpy
import sqlite3
import sys
from array import array
from pathlib import Path
from typing import Any

import pytest

from kzkg_cli import parts
from kzkg_cli.errors import FactFileError
from kzkg_cli.index import build_index, to_entries
from kzkg_cli.loader import load_rows

from .conftest import MINI_FACTS, ROOT


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated fact file of 1,500 records (the generator's seeds verify its quotes)."""
    folder = tmp_path_factory.mktemp("gen")
    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"))["generate"]
    generate(1_500, folder)
    return folder / "facts.toml"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few records, so that a small file is cut many times."""
    monkeypatch.setattr(parts, "CHUNK", 20_000)


def contents(entries: list[Any]) -> dict[str, Any]:
    """Everything an index holds, decoded, in a comparable form."""
    conn = sqlite3.connect(":memory:")
    build_index(conn, "k", entries, lambda done: None)
    import marshal

    records = [(p, i, k, marshal.loads(d)) for p, i, k, d in conn.execute("SELECT * FROM records")]
    words = {k: sorted(array("i", v)) for k, v in conn.execute("SELECT key, postings FROM words")}
    return {
        "records": records,
        "names": sorted(conn.execute("SELECT key, pos FROM names")),
        "aliases": sorted(conn.execute("SELECT pos, text, canonical FROM aliases")),
        "words": words,
    }


def test_two_processes_build_the_same_index_as_one(generated: Path) -> None:
    size = generated.stat().st_size
    together = parts.load_parallel(generated, size)
    assert together is not None, "the two-process path stepped aside on a valid file"
    assert contents(together) == contents(to_entries(load_rows(generated)))


def test_the_real_fact_file_builds_the_same_both_ways(real_facts_path: Path) -> None:
    together = parts.load_parallel(real_facts_path, real_facts_path.stat().st_size)
    assert together is not None
    assert contents(together) == contents(to_entries(load_rows(real_facts_path)))


def in_second_half(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of old after the middle: the helper reads that half."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old, len(text) // 2)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "actual"', 'kind = "guess"', "expected one of 'actual'"),
        ('participants = ["p', 'participants = ["nobody", "p', "unknown id 'nobody'"),
        ('[[agreement]]\nid = "a', '[[agreement]]\nid = "p0"\nnote = "a', "duplicate id"),
    ],
)
def test_a_problem_in_the_helpers_half_is_reported_exactly(
    generated: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    bad = tmp_path / "facts.toml"
    bad.write_text(generated.read_text(encoding="utf-8"), encoding="utf-8")
    in_second_half(bad, old, new)
    assert parts.load_parallel(bad, bad.stat().st_size) is None
    with pytest.raises(FactFileError) as together:
        parts.load(bad)
    with pytest.raises(FactFileError) as alone:
        load_rows(bad)
    assert message in together.value.message
    assert together.value.message == alone.value.message


def test_a_header_inside_a_multiline_string_is_not_a_cut(tmp_path: Path) -> None:
    """Cut at a "[[person]]" line inside a string, the first half fails to parse: step aside."""
    trick = 'note = """\n[[person]]\nid = "ghost"\n"""\n'
    text = MINI_FACTS.read_text(encoding="utf-8")
    text = text.replace('[[event]]\nid = "meeting"\n', '[[event]]\nid = "meeting"\n' + trick)
    path = tmp_path / "facts.toml"
    path.write_text(text, encoding="utf-8")
    fake = path.read_bytes().index(b'[[person]]\nid = "ghost"')
    # size // 2 falls on the newline before the fake header, so the search finds it first.
    assert parts.load_parallel(path, 2 * (fake - 1)) is None
    assert "ghost" not in {entry[0] for entry in parts.load(path)}


def test_a_helper_that_cannot_start_steps_aside(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(generated.parent / "no-such-python"))
    assert parts.load_parallel(generated, generated.stat().st_size) is None
    monkeypatch.setattr(parts, "PARALLEL_MIN", 0)
    assert len(parts.load(generated)) == 1_500
