"""Queries as typed: several words after a command are one query (through the fast path and
the Typer app alike), `show` takes one id, --why says why a row matched, passages render as
an article's sentences, and a query's hint reaches stderr.

Where the answer is the search layer's business, the query function is replaced by a fake that
records what it was asked, so these tests pin the command line, not the ranking.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kzkg_cli.cli import fast
from kzkg_cli.cli.commands import COMMANDS
from kzkg_cli.core.rows import Row
from kzkg_cli.index.store import Store
from kzkg_cli.present import views
from kzkg_cli.present.formats import write
from kzkg_cli.search import query

from .conftest import Invoke

QUERY_COMMANDS = ("who", "said", "when", "borders", "agreements", "search")
"""The commands whose positional argument is words to match, and their query functions."""

VIA = {"typed": "ВМС", "alias": "Высший межгосударственный совет"}
EVENT: Row = {
    "id": "sic-fake",
    "type": "event",
    "title": "Заседание ВМС",
    "date": "2025-08-22",
    "match": {"score": 2.5, "fields": ["title"], "words": ["ВМС"], "via": [VIA]},
}


@pytest.fixture(params=["fast", "typer"])
def run(request: pytest.FixtureRequest, invoke: Invoke, invoke_typer: Invoke) -> Invoke:
    """kzkg through the fast path, then through the Typer app."""
    return invoke if request.param == "fast" else invoke_typer


Asked = list[str | None]


def fake_query(
    monkeypatch: pytest.MonkeyPatch, name: str, rows: list[Row] | None = None, hint: str = ""
) -> Asked:
    """Replace query.NAME by a fake answering rows (and hint); the texts it was asked."""
    asked: Asked = []

    def answer(store: Store, text: str | None, *rest: Any) -> query.Answer:
        asked.append(text)
        return query.Answer(list(rows or []), hint or None)

    monkeypatch.setattr(query, name, answer)
    return asked


# ----------------------------------------------------------------------------- several words


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_the_fast_path_reads_words_as_one_query(command: str) -> None:
    parsed = fast.parse([command, "Хан", "--json", "Тенгри"])
    assert parsed is not None and parsed.command is COMMANDS[command]
    positional = COMMANDS[command].positional()
    assert positional is not None
    assert parsed.values[positional.dest] == "Хан Тенгри"
    none = fast.parse([command])
    assert none is not None and none.values[positional.dest] is None


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_several_words_reach_the_query_as_one_text(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    asked = fake_query(monkeypatch, command)
    result = run(command, "дорожная", "карта", "--json")
    assert asked == ["дорожная карта"], result
    assert result.code == 1 and result.stdout == "[]\n", result
    assert "kzkg: no results for 'дорожная карта'" in result.stderr, result


def test_words_after_a_double_dash_may_start_with_a_dash(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = fake_query(monkeypatch, "search")
    result = run("search", "Хан", "--", "-Тенгри", "--json")
    assert asked == ["Хан -Тенгри --json"], result
    assert result.code == 1 and result.stdout == "", result  # --json was a word: TSV


def test_a_quoted_query_and_its_words_are_the_same_query(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = fake_query(monkeypatch, "when")
    run("when", "Токаев Жапаров")
    run("when", "Токаев", "Жапаров")
    assert asked == ["Токаев Жапаров", "Токаев Жапаров"]


def test_a_name_of_two_words_finds_the_person(run: Invoke) -> None:
    result = run("who", "Акылбеком", "Жапаровым", "--json")
    assert result.code == 0, result
    assert [row["id"] for row in result.json()] == ["akylbek-japarov"], result


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_words_and_stdin_are_still_not_both(run: Invoke, command: str) -> None:
    result = run(command, "Хан", "Тенгри", "--stdin", input="Бишкек\n")
    assert result.code == 2 and result.stdout == "", result
    assert "not both" in result.stderr, result


def test_show_takes_one_id_and_points_several_words_at_search(run: Invoke) -> None:
    result = run("show", "Хан", "Тенгри")
    assert result.code == 2 and result.stdout == "", result
    assert result.stderr.splitlines() == [
        "kzkg: error: 'show' takes one record id, not 2 words",
        "kzkg: to find words, try: kzkg search Хан Тенгри",
    ], result
    assert run("show", "igc-13", "--json").code == 0


@pytest.mark.parametrize(
    ("command", "usage"),
    [("who", "[NAME]..."), ("when", "[QUERY]..."), ("search", "[WORDS]..."), ("show", "[ID]")],
)
def test_help_shows_that_words_repeat(invoke: Invoke, command: str, usage: str) -> None:
    result = invoke(command, "-h")
    assert result.code == 0, result
    assert f"kzkg {command} [OPTIONS] {usage}" in result.stdout, result


def test_the_shell_completes_the_second_word_of_a_name(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    env |= {"KZKG_CACHE_DIR": str(tmp_path), "_KZKG_COMPLETE": "complete_bash"}
    env |= {"COMP_WORDS": "kzkg who Акылбек Жап", "COMP_CWORD": "3"}
    result = subprocess.run(
        [sys.executable, "-m", "kzkg_cli"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Жапаров" in result.stdout.split(), result.stdout


# ----------------------------------------------------------------------------- --why


def test_why_reads_each_shape_of_match() -> None:
    assert views.why(EVENT) == "title: ВМС → Высший межгосударственный совет"
    quote = {"match": {"fields": ["sources[0].quote"], "words": ["водоснабжения"], "via": []}}
    assert views.why(quote) == "sources[0].quote: водоснабжения"
    name = {"match": {"score": 100.0, "alias": "Садыр Жапаров", "kind": "exact"}}
    assert views.why(name) == "name: Садыр Жапаров (exact, 100)"
    assert views.why({"id": "x"}) == "" and views.why({"match": None}) == ""


def test_why_adds_a_column_to_tables_only_when_asked(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_query(monkeypatch, "when", [EVENT])
    asked = run("when", "ВМС", "--why", "--format", "table")
    header = next(line for line in asked.stdout.splitlines() if "event" in line)
    assert asked.code == 0 and "why" in header, asked
    assert "ВМС → Высший межгосударственный совет" in asked.stdout, asked
    plain = run("when", "ВМС", "--format", "table")
    header = next(line for line in plain.stdout.splitlines() if "event" in line)
    assert plain.code == 0 and "why" not in header and "→" not in plain.stdout, plain


def test_tsv_and_csv_carry_the_match_as_json(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_query(monkeypatch, "when", [EVENT, {**EVENT, "id": "no-match", "match": None}])
    tsv = run("when", "ВМС", "--format", "tsv").stdout.splitlines()
    assert json.loads(tsv[0].split("\t")[-1]) == EVENT["match"]
    assert tsv[1].split("\t")[-1] == ""
    why = run("when", "ВМС", "--why", "--format", "tsv").stdout.splitlines()[0].split("\t")
    assert why[-2:] == [views.why(EVENT), tsv[0].split("\t")[-1]]
    rows = list(csv.DictReader(io.StringIO(run("when", "ВМС", "--format", "csv").stdout)))
    assert json.loads(rows[0]["match"]) == EVENT["match"]
    [row] = run("when", "ВМС", "--fields", "id,match", "--json").json()[:1]
    assert row == {"id": "sic-fake", "match": EVENT["match"]}


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_every_matching_command_takes_why(invoke: Invoke, command: str) -> None:
    assert COMMANDS[command].option("--why") is not None
    assert "--why" in invoke(command, "-h").stdout


# ----------------------------------------------------------------------------- passages


def first_article(store: Store) -> Row:
    """The shipped article numbered 003 (its id and record taken from the data)."""
    return next(row for row in store.rows("source") if row["id"].startswith("003"))


def passage(doc: str, n: int, text: str) -> Row:
    """A sentence of an article, shaped as the search layer returns one."""
    start = 100 * n
    row = {"id": f"{doc}:{n}", "type": "passage", "source": doc, "n": n}
    return row | {"start": start, "end": start + len(text), "text": text}


def passage_row(doc: str) -> Row:
    """A hand-made passage as show returns it: with its neighbours, and its match."""
    row = passage(doc, 12, "Маршруты к Хан-Тенгри возобновят.")
    row["score"] = 1.5
    row["match"] = {"score": 1.5, "fields": ["text"], "words": ["Маршруты"], "via": []}
    before = [passage(doc, n, f"Предложение {n}.") for n in (10, 11)]
    return row | {"before": before, "after": [passage(doc, 13, "Конец.")]}


def drawn(rows: list[Row], view: Any, fmt: str) -> str:
    out = io.StringIO()
    write(rows, view, fmt, out)
    return out.getvalue()


def test_a_passage_in_search_shows_its_article_and_sentence(
    real_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    article = first_article(real_store)
    row = passage_row(article["id"])
    view = views.matched(views.search(real_store), why_column=True)
    cells = drawn([row], view, "tsv").rstrip("\n").split("\t")
    assert cells[:3] == ["passage", row["id"], row["text"]]
    assert cells[3] == views.dated()(article)  # the article's date
    assert cells[4].startswith("art. 003") and views.dated()(article) in cells[4]
    assert cells[5] == "text: Маршруты" and json.loads(cells[6]) == row["match"]
    table = drawn([row], view, "table")
    assert "passage" in table and "art. 003" in table and "Хан-Тенгри" in table


def test_show_draws_a_passage_among_its_neighbours(real_store: Store) -> None:
    article = first_article(real_store)
    rows, view = views.in_full(passage_row(article["id"]), real_store)
    assert view.title.startswith("art. 003") and article["headline"] in view.title
    assert drawn(rows, view, "tsv").splitlines() == [
        "10\tПредложение 10.",
        "11\tПредложение 11.",
        "› 12\tМаршруты к Хан-Тенгри возобновят.",
        "13\tКонец.",
    ]


def test_show_of_a_passage_through_the_cli(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, real_store: Store
) -> None:
    row = passage_row(first_article(real_store)["id"])
    asked = fake_query(monkeypatch, "show", [row])
    table = run("show", "003:12", "--format", "table")
    assert asked == ["003:12"] and table.code == 0, table
    assert "art. 003" in table.stdout and "› 12" in table.stdout, table
    assert run("show", "003:12", "--json").json() == [row]
    assert run("show", "003:12", "--fields", "id,n,text", "--json").json() == [
        {"id": row["id"], "n": 12, "text": row["text"]}
    ]


def test_a_row_without_match_renders_an_empty_why(real_store: Store) -> None:
    view = views.matched(views.events(real_store), why_column=True)
    line = drawn([{"id": "e", "type": "event", "title": "T"}], view, "tsv")
    assert line.rstrip("\n").split("\t")[-3:] == ["", "", ""]  # source, why, match


# ----------------------------------------------------------------------------- hints

HINT = "no record has the id 'Бектенов'; try: kzkg who Бектенов (person 'bektenov')"


@pytest.mark.parametrize("fmt", ["table", "json", "tsv"])
@pytest.mark.parametrize("command", [*QUERY_COMMANDS, "show"])
def test_every_command_prints_the_hint_on_stderr(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, command: str, fmt: str
) -> None:
    fake_query(monkeypatch, command, hint=HINT + "\nsecond line")
    result = run(command, "Бектенов", "--format", fmt)
    assert result.code == 1, result
    assert result.stderr.splitlines() == [
        "kzkg: no results for 'Бектенов'",
        f"kzkg: {HINT}\\x0asecond line",
    ], result


def test_stdin_answers_carry_the_hint(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_query(monkeypatch, "show", hint=HINT)
    result = run("show", "--stdin", input="Бектенов\n")
    assert result.code == 0, result
    assert json.loads(result.stdout) == {"query": "Бектенов", "results": [], "hint": HINT}
