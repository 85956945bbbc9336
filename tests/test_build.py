"""The one-process build: a large file read a chunk at a time gives exactly the index a whole
read gives, and a problem anywhere is reported exactly as a whole read reports it."""

from __future__ import annotations

import contextlib
import marshal
import runpy
import sqlite3
from array import array
from pathlib import Path
from typing import Any

import pytest

from kzkg_cli.core.errors import FactFileError
from kzkg_cli.index.build import contents, read_entries, record_entries
from kzkg_cli.index.entries import Entry, to_entries
from kzkg_cli.index.write import write_store
from kzkg_cli.ingest import read
from kzkg_cli.ingest.read import FactFile
from kzkg_cli.ingest.validate import WholeFileNeeded, iter_rows, load_rows

from .conftest import MINI_FACTS, REAL_FACTS, ROOT


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated fact file of 1,500 records (the generator's seeds verify its quotes)."""
    folder = tmp_path_factory.mktemp("gen")
    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"))["generate"]
    generate(1_500, folder)
    return folder / "facts.toml"


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few records, so that a small file is cut many times."""
    monkeypatch.setattr(read, "CHUNK", 20_000)


def index_of(entries: list[Any]) -> dict[str, Any]:
    """Everything an index holds, decoded, in a comparable form."""
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        write_store(conn, contents(entries, lambda done: None), {"identity": "k"})
        records = conn.execute("SELECT pos, id, kind, data FROM records")
        words = conn.execute("SELECT key, postings FROM words")
        return {
            "records": [(p, i, k, marshal.loads(d)) for p, i, k, d in records],
            "names": sorted(conn.execute("SELECT key, pos FROM names")),
            "meta": sorted(conn.execute("SELECT k, v FROM meta")),
            "words": {k: sorted(array("i", v)) for k, v in words},
        }


def entries_of(path: Path) -> list[Entry]:
    with FactFile(path) as facts:
        return record_entries(facts)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("name", ["generated", "shipped"])
def test_chunks_build_the_same_index_as_one_read(generated: Path, name: str) -> None:
    path = generated if name == "generated" else REAL_FACTS
    assert len(list(iter_rows(path))) > 1, "the file should be read in several chunks"
    assert index_of(entries_of(path)) == index_of(to_entries(load_rows(path)))


@pytest.mark.parametrize("name", ["generated", "shipped"])
def test_passages_follow_the_records_and_cut_their_articles_exactly(
    generated: Path, name: str
) -> None:
    """After the records come the passages of every article a source names, in order, each
    the article's text between its offsets."""
    path = generated if name == "generated" else REAL_FACTS
    with FactFile(path) as facts:
        entries = read_entries(facts)
    kinds = [entry.kind for entry in entries]
    first = kinds.index("passage")
    assert set(kinds[first:]) == {"passage"} and "passage" not in kinds[:first]
    sources = [entry.id for entry in entries if entry.kind == "source"]
    passages = [marshal.loads(entry.data) for entry in entries[first:]]
    assert list(dict.fromkeys(p["source"] for p in passages)) == sources
    for passage in passages:
        article = (path.parent / "seeds" / f"{passage['source']}.txt").read_text("utf-8")
        assert article[passage["start"] : passage["end"]] == passage["text"]
        assert passage["id"] == f"{passage['source']}:{passage['n']}"


def test_a_passage_knows_the_records_that_quote_it() -> None:
    """Each passage lists the records whose quotes lie in it, read off the fact file: a quote
    of one sentence marks that sentence, one across two marks both."""
    with FactFile(REAL_FACTS) as facts:
        entries = read_entries(facts)
    passages = [marshal.loads(e.data) for e in entries if e.kind == "passage"]
    by_source: dict[str, list[dict[str, Any]]] = {}
    for passage in passages:
        by_source.setdefault(passage["source"], []).append(passage)
    checked = 0
    for entry in entries:
        for doc, quote in entry.quotes:
            holding = [p for p in by_source.get(doc, []) if entry.id in p["quoted_by"]]
            if quote.startswith("date "):
                continue  # the date line is no sentence
            text = " ".join(p["text"] for p in holding)
            assert " ".join(quote.split()) in " ".join(text.split()), (entry.id, quote)
            checked += 1
    assert checked > 0


def in_second_half(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of old after the middle of the file."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old, len(text) // 2)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "actual"', 'kind = "guess"', "expected one of 'actual'"),
        ('participants = ["p', 'participants = ["nobody", "p', "unknown id 'nobody'"),
        ('[[agreement]]\nid = "a', '[[agreement]]\nid = "p0"\nnote = "a', "duplicate id"),
        ('sources = [{ doc = "gen_', 'sources = [{ doc = "nodoc_', "doc 'nodoc_"),
    ],
)
def test_a_problem_in_a_later_chunk_is_reported_exactly(
    generated: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    bad = tmp_path / "facts.toml"
    bad.write_text(generated.read_text(encoding="utf-8"), encoding="utf-8")
    in_second_half(bad, old, new)
    with pytest.raises(WholeFileNeeded):  # the chunks' own messages are not exact
        list(iter_rows(bad))
    with pytest.raises(FactFileError) as built:
        entries_of(bad)  # reads the whole file instead, for exact messages
    assert message in built.value.message
    assert built.value.problems[0].line is not None


def test_a_header_inside_a_multiline_string_is_not_a_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut at a "[[person]]" line inside a string, a chunk fails to parse: the whole file is
    read at once instead, and the string stays a string."""
    trick = 'note = """\n[[person]]\nid = "ghost"\n"""\n'
    text = MINI_FACTS.read_text(encoding="utf-8")
    text = text.replace('[[event]]\nid = "meeting"\n', '[[event]]\nid = "meeting"\n' + trick)
    path = tmp_path / "facts.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(read, "CHUNK", 40)  # a cut before every header, the fake one too
    ids = [entry.id for entry in entries_of(path)]
    assert "ghost" not in ids and ids == [row["id"] for row in load_rows(path)]
