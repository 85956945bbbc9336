"""Recall and precision of search, judged by pymorphy3 rather than kzkg's own stemmer: every
content word the articles print (and one other case form of it) finds a hit that holds a form
of it; unrelated names and words find nothing. tests/recall_words.py says how words are chosen
and judged; benchmarks/recall.py prints the same figures for the README."""

from __future__ import annotations

from typing import Any

import pytest

from kzkg_cli.core.errors import ExitCode
from kzkg_cli.index.store import Store
from kzkg_cli.search.query import search

from .conftest import REAL_FACTS, Invoke
from .recall_words import (
    PRECISION,
    SEEDS,
    Word,
    article_words,
    hit_texts,
    holds,
    mentions,
    tally,
)

SHOWN = 30
"""Misses listed in a failure message."""
CLI_SAMPLE = 20
"""Words driven through the real entry point as well."""


@pytest.fixture(scope="module")
def words() -> list[Word]:
    return article_words()


def hits(store: Store, query: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = search(store, query).rows
    return rows


def test_the_articles_give_words_and_forms(words: list[Word]) -> None:
    assert words, f"no words read from {SEEDS}"
    assert any(w.form for w in words), "pymorphy3 made no other case form"


def test_the_judge_reads_forms_in_a_hit_s_own_text(words: list[Word]) -> None:
    word = next(w for w in words if w.form)
    assert word.form
    passage = {"type": "passage", "id": "a:1", "source": word.word, "text": word.form.upper()}
    assert holds(passage, word)
    assert not holds({**passage, "text": "Ничего общего."}, word), "a passage is its text"
    echo = {"id": "x", "type": "event", "title": "-", "match": {"words": [word.word]}}
    assert not holds(echo, word), "the match data echoes the query: it proves nothing"
    nested = {"id": "x", "type": "event", "sources": [{"quote": f"… {word.word} …"}]}
    assert list(hit_texts(nested)) == ["x", "event", f"… {word.word} …"]
    assert holds(nested, word)


def test_every_content_word_and_its_other_form_find_a_hit_holding_it(
    real_store: Store, words: list[Word]
) -> None:
    result = tally(words, lambda query: hits(real_store, query))
    missed = "\n".join(f"  {m.word} <- {m.query}" for m in result.misses[:SHOWN])
    assert not result.misses, (
        f"recall: {result.words_found}/{result.words} words, "
        f"{result.forms_found}/{result.forms} other forms; "
        f"first {min(SHOWN, len(result.misses))} of {len(result.misses)} misses "
        f"(word <- the query that found no hit holding it):\n{missed}"
    )


def test_the_cli_finds_what_the_query_function_finds(
    invoke: Invoke, real_store: Store, words: list[Word]
) -> None:
    sample = words[:: max(1, len(words) // CLI_SAMPLE)][:CLI_SAMPLE]
    for word in sample:
        for query in filter(None, (word.word, word.form)):
            result = invoke("search", query, "--json")
            rows = result.json()
            expected = [row["id"] for row in hits(real_store, query)]
            assert [row["id"] for row in rows] == expected, (query, result.stdout, result.stderr)
            assert result.code == ExitCode.OK, (query, result.stdout, result.stderr)
            assert any(holds(row, word) for row in rows), (query, result.stdout)


def test_the_unrelated_queries_are_foreign_to_the_articles_and_the_facts() -> None:
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
    texts[REAL_FACTS.name] = REAL_FACTS.read_text(encoding="utf-8")
    found = {q: [name for name, text in texts.items() if mentions(text, q)] for q in PRECISION}
    assert not {q: names for q, names in found.items() if names}, "pick other queries"


def test_unrelated_queries_find_nothing(real_store: Store) -> None:
    found = {q: [row["id"] for row in hits(real_store, q)] for q in PRECISION}
    assert not {q: ids for q, ids in found.items() if ids}


@pytest.mark.parametrize("query", [PRECISION[0], "bitcoin"])
def test_the_cli_says_an_unrelated_query_finds_nothing(invoke: Invoke, query: str) -> None:
    result = invoke("search", query, "--json")
    assert (result.code, result.json()) == (ExitCode.NO_RESULTS, []), result.stdout
