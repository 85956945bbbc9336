"""What scripts read: TSV's list cells and escapes, --stdin in every format, a CSV header
with no rows, the same numbers in every format, verify's JSON object, commands that read no
query, and when output is a terminal and has colour (KZKG_FORCE_TTY, --color, NO_COLOR).

Every expectation is taken from the same query's JSON (or the model), never written down, so
a new article never breaks these.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzkg_cli.cli.commands import COMMANDS
from kzkg_cli.core.errors import ExitCode
from kzkg_cli.core.rows import KINDS, Row, cited_docs
from kzkg_cli.index.entries import answer_keys
from kzkg_cli.index.store import Store
from kzkg_cli.present import views
from kzkg_cli.present.columns import View
from kzkg_cli.present.formats import split_tsv_cell, tsv_cell, unescape_tsv

from .conftest import MINI_FACTS, Invoke
from .terminal import SGR, in_terminal, kzkg_command

QUERIES: dict[str, list[str]] = {
    "who": ["who"],
    "said": ["said"],
    "when": ["when"],
    "trade": ["trade"],
    "borders": ["borders"],
    "agreements": ["agreements"],
    "search": ["search", "Бишкек"],
    "sources": ["sources"],
}
"""A call of each command whose rows are the whole of a kind (or many of them)."""
VIEWS: dict[str, Callable[[Store], View]] = {
    "who": lambda store: views.matched(views.people(store, "ru"), False),
    "said": lambda store: views.matched(views.statements(store, "ru"), False),
    "when": lambda store: views.matched(views.events(store, "ru"), False),
    "trade": lambda store: views.trade(store, "ru"),
    "borders": lambda store: views.matched(views.borders(store, "ru"), False),
    "agreements": lambda store: views.matched(views.agreements(store, "ru"), False),
    "search": lambda store: views.matched(views.search(store, "ru"), False),
    "sources": lambda store: views.sources("ru"),
}
"""The view each command draws its TSV with (cli.commands)."""
NOTHING = "Щщзъхъ"
"""A word no record holds."""


def tsv_rows(text: str) -> list[list[str]]:
    """TSV lines as their cells (a cell holds no tab or newline, so this is exact)."""
    return [line.split("\t") for line in text.splitlines()]


# ----------------------------------------------------------------------------- TSV


@pytest.mark.parametrize("command", sorted(QUERIES))
def test_every_tsv_cell_splits_back_into_the_items_of_its_view(
    invoke: Invoke, real_store: Store, command: str
) -> None:
    """Split on "; " and unescaped, each TSV cell gives back the view's items for the row of
    the same query's JSON; a text cell gives back its text."""
    args = [*QUERIES[command], "--lang", "ru"]
    rows = invoke(*args, "--json").json()
    lines = tsv_rows(invoke(*args, "--format", "tsv").stdout)
    view = VIEWS[command](real_store)
    assert len(lines) == len(rows) > 0
    for row, cells in zip(rows, lines, strict=True):
        assert len(cells) == len(view.columns)
        for column, cell in zip(view.columns, cells, strict=True):
            value = column.cell(row)
            if isinstance(value, list):
                assert split_tsv_cell(cell) == [item.strip() for item in value], column.header
            else:
                assert unescape_tsv(cell) == value.strip(), column.header


def test_list_columns_give_back_the_json_lists(invoke: Invoke, real_store: Store) -> None:
    """The participants, speakers, parties and sources of the JSON, an item each."""

    def cells(command: str, header: str) -> list[tuple[Row, list[str]]]:
        rows = invoke(command, "--json").json()
        index = [c.header for c in VIEWS[command](real_store).columns].index(header)
        lines = tsv_rows(invoke(command, "--format", "tsv").stdout)
        return [(row, split_tsv_cell(line[index])) for row, line in zip(rows, lines, strict=True)]

    named = 0
    for row, items in cells("when", "participants"):
        assert len(items) == len(row["participants"])
        people = [p for p in row["participants"] if "name" in p]
        assert {p["name"] for p in people} <= set(items)
        named += len(people)
    assert named  # some event names people
    for row, items in cells("said", "speaker"):
        assert len(items) == len(row["speakers"])
    for row, items in cells("agreements", "parties"):
        assert items == row["parties"]
    for row, items in cells("when", "source"):
        assert len(items) == len(cited_docs(row))


def test_fields_tsv_splits_a_list_into_its_items_and_writes_objects_as_json(
    invoke: Invoke,
) -> None:
    args = ["--fields", "id,aliases,roles", "--lang", "ru"]
    rows = invoke("who", *args, "--json").json()
    lines = tsv_rows(invoke("who", *args, "--format", "tsv").stdout)
    assert any(row["aliases"] for row in rows)
    for row, (ident, aliases, roles) in zip(rows, lines, strict=True):
        assert ident == row["id"]
        assert split_tsv_cell(aliases) == [alias.strip() for alias in row["aliases"]]
        assert [json.loads(item) for item in split_tsv_cell(roles)] == row["roles"]
    as_csv = list(csv.reader(io.StringIO(invoke("who", *args, "--format", "csv").stdout)))
    assert [json.loads(cell) for cell in as_csv[1][1:]] == [rows[0]["aliases"], rows[0]["roles"]]


def awkward_facts(folder: Path) -> Path:
    """The mini fact file with the separator, a tab, a newline and backslashes inside an
    alias, a name and a title."""
    text = MINI_FACTS.read_text(encoding="utf-8")
    changes = {
        'aliases = ["Петров"]': r'aliases = ["Петров; Иванов", "a\tb", "c\nd", "C:\\x\\x3b;"]',
        'name = "Асан Алиев"': r'name = "Асан; Алиев \\t"',
        'title = "Встреча"': r'title = "Встреча;\tитоги\\; вторая"',
    }
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    (folder / "seeds").mkdir()
    (folder / "seeds" / "mini.txt").write_bytes((MINI_FACTS.parent / "seeds/mini.txt").read_bytes())
    facts = folder / "facts.toml"
    facts.write_text(text, encoding="utf-8")
    return facts


def test_separators_tabs_newlines_and_backslashes_inside_values_come_back_exact(
    invoke: Invoke, tmp_path: Path
) -> None:
    facts = str(awkward_facts(tmp_path))
    [person] = invoke("who", "Петров", "--json", "--facts", facts).json()
    shown = invoke("who", "Петров", "--fields", "aliases,name", "--format", "tsv", "--facts", facts)
    [[aliases, name]] = tsv_rows(shown.stdout)
    assert split_tsv_cell(aliases) == person["aliases"]
    assert "\t" not in aliases and aliases.count(";") == len(person["aliases"]) - 1
    [event] = invoke("when", "--json", "--facts", facts).json()
    [cells] = tsv_rows(invoke("when", "--format", "tsv", "--facts", facts).stdout)
    assert unescape_tsv(cells[1]) == event["title"]
    assert split_tsv_cell(cells[3]) == [p["name"] for p in event["participants"]]


@given(st.lists(st.text()))
def test_any_list_of_texts_comes_back_from_a_tsv_cell(items: list[str]) -> None:
    cell = tsv_cell(items)
    expected = [item.strip() for item in items]
    assert "\t" not in cell and "\n" not in cell and "\r" not in cell
    assert split_tsv_cell(cell) == ([] if expected == [""] else expected)
    assert cell.count(";") == max(len(items) - 1, 0)  # only the separators


# ----------------------------------------------------------------------------- --stdin


LINES = "Бектенов\nПутин\n!!!\n\nТокаев\nБектенов\n"
"""Two people, one nobody, a line with nothing to match, a blank line and a repeat."""


def stdin_records(invoke: Invoke, *args: str) -> list[dict[str, Any]]:
    result = invoke("who", "--stdin", *args, input=LINES)
    assert result.code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_stdin_json_is_an_array_of_the_json_lines(invoke: Invoke) -> None:
    lines = stdin_records(invoke)
    assert [r["query"] for r in lines] == [q for q in LINES.splitlines() if q]
    assert invoke("who", "--stdin", "--json", input=LINES).json() == lines
    assert invoke("who", "--stdin", "--format", "json", input=LINES).json() == lines
    assert invoke("who", "--stdin", "--json", input="").json() == []


def test_stdin_fields_cut_every_result(invoke: Invoke) -> None:
    full = stdin_records(invoke)
    cut = stdin_records(invoke, "--fields", "id,name")
    assert [r["query"] for r in cut] == [r["query"] for r in full]
    for whole, part in zip(full, cut, strict=True):
        assert part["results"] == [{"id": r["id"], "name": r["name"]} for r in whole["results"]]
    assert any(r["results"] for r in cut)


def test_stdin_csv_is_a_row_a_result_under_one_header(invoke: Invoke) -> None:
    records = stdin_records(invoke, "--fields", "id,name,aliases")
    result = invoke("who", "--stdin", "--fields", "id,name,aliases", "-f", "csv", input=LINES)
    assert result.code == 0
    assert result.stderr.count("kzkg: error: ") == 1  # the line '!!!', said once, on stderr
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert header == ["query", "id", "name", "aliases"]
    expected = [
        [r["query"], hit["id"], hit["name"], json.dumps(hit["aliases"], ensure_ascii=False)]
        for r in records
        for hit in r["results"]
    ]
    assert rows == expected and rows


def test_stdin_csv_without_fields_has_every_key_and_a_header_with_no_answer(
    invoke: Invoke,
) -> None:
    records = stdin_records(invoke)
    result = invoke("who", "--stdin", "--format", "csv", input=LINES)
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[0] == "query"
    assert {key for r in records for hit in r["results"] for key in hit} <= set(header[1:])
    nobody = invoke("who", "--stdin", "--format", "csv", input=f"{NOTHING}\n")
    assert nobody.code == 0 and list(csv.reader(io.StringIO(nobody.stdout))) == [header]


def test_stdin_tsv_is_a_line_a_result_its_query_first(invoke: Invoke) -> None:
    records = stdin_records(invoke, "--fields", "id,aliases")
    result = invoke("who", "--stdin", "--fields", "id,aliases", "-f", "tsv", input=LINES)
    expected = [[r["query"], hit["id"], hit["aliases"]] for r in records for hit in r["results"]]
    got = [[q, i, split_tsv_cell(a)] for q, i, a in tsv_rows(result.stdout)]
    assert got == expected and got
    plain = tsv_rows(invoke("who", "--stdin", "-f", "tsv", input=LINES).stdout)
    queries = [r["query"] for r in records for _ in r["results"]]
    assert [cells[0] for cells in plain] == queries
    single = tsv_rows(invoke("who", "Бектенов", "-f", "tsv").stdout)
    assert [cells[1:] for cells in plain if cells[0] == "Бектенов"][0] == single[0]


@pytest.mark.parametrize("command", ["who", "said", "when", "borders", "agreements", "search"])
def test_every_query_command_answers_stdin_in_each_format(invoke: Invoke, command: str) -> None:
    for fmt in ("jsonl", "json", "csv", "tsv"):
        result = invoke(command, "--stdin", "--format", fmt, input="Бишкек\n")
        assert result.code == 0 and "Traceback" not in result.stderr, (fmt, result.stderr)
    refused = invoke(command, "--stdin", "--format", "table", input="Бишкек\n")
    assert refused.code == 2 and refused.stdout == ""
    assert refused.stderr == (
        "kzkg: error: --stdin answers as jsonl, json, csv or tsv, not --format table\n"
    )


def test_show_stdin_takes_formats_and_fields(invoke: Invoke) -> None:
    lines = "bektenov\nigc-13\n"
    whole = [
        json.loads(line)
        for line in invoke("show", "--stdin", input=lines).stdout.split("\n")
        if line
    ]
    ids = invoke("show", "--stdin", "--fields", "id,type", "-f", "csv", input=lines).stdout
    header, *rows = list(csv.reader(io.StringIO(ids)))
    assert header == ["query", "id", "type"]
    assert rows == [[r["query"], hit["id"], hit["type"]] for r in whole for hit in r["results"]]


# ----------------------------------------------------------------------------- no query


def test_every_command_takes_stdin_or_says_it_reads_no_query(invoke: Invoke) -> None:
    listed = invoke("--help").stdout
    for name, command in COMMANDS.items():
        assert re.search(rf"\b{name}\b", listed), name
        result = invoke(name, "--stdin", input="")
        if command.option("--stdin") is not None:
            assert result.code == 0, (name, result.stderr)
            continue
        first, *rest = result.stderr.splitlines()
        assert result.code == 2 and result.stdout == ""
        assert (
            first
            == f"kzkg: error: {name} takes no --stdin: it reads no query (see 'kzkg {name} -h')"
        )
        assert "Possible options" not in result.stderr and "Did you mean" not in result.stderr
        assert len(rest) <= 1


def test_trade_takes_no_words_and_says_what_to_use(invoke: Invoke) -> None:
    result = invoke("trade", "turnover")
    assert result.code == 2 and result.stdout == ""
    error, hint = result.stderr.splitlines()
    assert error == "kzkg: error: trade takes no words: it reads no query (see 'kzkg trade -h')"
    assert "--indicator" in hint and "--year" in hint and "kzkg search turnover" in hint
    for option in re.findall(r"--[a-z]+", hint):
        assert COMMANDS["trade"].option(option) is not None, option  # no option trade lacks
    assert invoke("schema", "x").stderr.startswith("kzkg: error: schema takes no words: ")


# ----------------------------------------------------------------------------- verify, help


def test_verify_json_is_the_object_the_readme_documents(invoke: Invoke, tmp_path: Path) -> None:
    ok = invoke("verify", "--json", "--facts", str(MINI_FACTS))
    report = ok.json()
    assert ok.code == 0 and isinstance(report, dict)
    assert {"ok", "facts", "problems", "warnings", "records", "quotes", "seeds"} <= set(report)
    assert report["ok"] is True and report["facts"] == str(MINI_FACTS)
    broken = invoke("verify", "--json", "--facts", str(MINI_FACTS), "--seeds", str(tmp_path))
    failed = broken.json()
    assert broken.code == 3 and failed["ok"] is False and failed["problems"]
    assert set(failed) == {"ok", "facts", "problems", "warnings"}


def test_the_overall_help_gives_every_exit_code_and_the_terminal_settings(invoke: Invoke) -> None:
    shown = " ".join(invoke("--help").stdout.split())
    codes = shown[shown.index("Exit codes:") :]
    for code in ExitCode:
        assert re.search(rf"\b{int(code)}\b", codes), code
    for name in ("KZKG_FORCE_TTY", "NO_COLOR", "FORCE_COLOR", "--color"):
        assert name in shown


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_names_only_options_the_command_has(invoke: Invoke, name: str) -> None:
    shown = invoke(name, "-h").stdout
    tail = shown.index("Examples:")
    for option in set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", shown[:tail])):
        assert COMMANDS[name].option(option) is not None or option == "--help", option


# ----------------------------------------------------------------------------- CSV header


@pytest.mark.parametrize(
    "args",
    [
        ["who", NOTHING],
        ["said", NOTHING],
        ["when", NOTHING],
        ["borders", NOTHING],
        ["agreements", NOTHING],
        ["search", NOTHING],
        ["trade", "--year", "1901"],
    ],
)
def test_a_csv_with_no_rows_has_the_header_its_rows_would_have(
    invoke: Invoke, args: list[str]
) -> None:
    empty = invoke(*args, "--format", "csv")
    assert empty.code == 1 and empty.stderr.startswith("kzkg: no results for ")
    [header] = list(csv.reader(io.StringIO(empty.stdout)))
    found = QUERIES[args[0]]
    rows = invoke(*found, "--json").json()
    assert rows and {key for row in rows for key in row} <= set(header)
    full = list(csv.reader(io.StringIO(invoke(*found, "--format", "csv").stdout)))
    assert set(full[0]) <= set(header)
    cut = invoke(*args, "--format", "csv", "--fields", "id,type")
    assert cut.code == 1 and cut.stdout == "id,type\n"


def test_an_export_of_a_kind_with_no_records_has_its_header(invoke: Invoke) -> None:
    held = {row["type"] for row in invoke("export", "--facts", str(MINI_FACTS)).json()}
    absent = sorted(set(KINDS) - held)[0]
    result = invoke("export", "--type", absent, "--format", "csv", "--facts", str(MINI_FACTS))
    assert result.code == 1
    assert list(csv.reader(io.StringIO(result.stdout))) == [list(answer_keys(absent))]


# ----------------------------------------------------------------------------- numbers


NUMBERED = [*QUERIES.values(), ["export"], ["show", "turnover-2024"]]
"""Every command's rows: where they hold numbers, these are checked."""


def numeric_keys(rows: list[Row]) -> list[str]:
    """The keys whose value is a number in some row (a bool is not one)."""
    found = {k for row in rows for k, v in row.items() if type(v) in (int, float)}
    return sorted(found)


def number_text(value: object) -> str:
    """A number as the JSON text of it; null as an empty cell."""
    return "" if value is None else json.dumps(value)


def test_numbers_are_written_alike_in_every_format(invoke: Invoke) -> None:
    """Every number of every command's rows is the same text in JSON, JSON Lines, CSV and
    TSV: the JSON text of it."""
    checked: set[str] = set()
    for args in NUMBERED:
        rows = invoke(*args, "--json").json()
        keys = numeric_keys(rows)
        if not keys:
            continue
        fields = ["--fields", ",".join(["id", *keys])]
        cut = [{key: row.get(key) for key in ["id", *keys]} for row in rows]
        lines = invoke(*args, *fields, "--format", "jsonl").stdout.splitlines()
        assert lines == [json.dumps(row, ensure_ascii=False) for row in cut], args
        expected = [[row["id"], *(number_text(row.get(k)) for k in keys)] for row in rows]
        as_csv = list(csv.reader(io.StringIO(invoke(*args, *fields, "--format", "csv").stdout)))
        assert as_csv == [["id", *keys], *expected], args
        assert tsv_rows(invoke(*args, *fields, "--format", "tsv").stdout) == expected, args
        checked.update(f"{args[0]}.{key}" for key in keys)
    assert checked  # the shipped base has figures, scores and counts


def test_the_search_score_is_the_same_text_in_json_csv_and_tsv(invoke: Invoke) -> None:
    rows = invoke("search", "Бишкек", "--json").json()
    scores = [json.dumps(row["score"]) for row in rows]
    assert scores and all(isinstance(row["score"], float) for row in rows)
    fields = ["--fields", "score"]
    assert invoke("search", "Бишкек", *fields, "-f", "tsv").stdout.splitlines() == scores
    assert invoke("search", "Бишкек", *fields, "-f", "csv").stdout.splitlines()[1:] == scores


# ----------------------------------------------------------------------------- terminals


def piped(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """kzkg ARGS with stdout a pipe, as a script runs it."""
    child_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    for name, value in list(child_env.items()):
        if value == "" and name in (env or {}):
            del child_env[name]
    return subprocess.run(
        [*kzkg_command(), *args],
        env=child_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def drawn(text: str) -> bool:
    """Whether text is a drawn table (box lines), not TSV."""
    return any(char in text for char in "┃│┏━─")


def test_a_terminal_gets_a_table_in_colour_unless_told_otherwise() -> None:
    screen = in_terminal(["who", "Бектенов"], 100)
    assert screen.code == 0 and drawn(screen.text) and SGR.search(screen.raw)
    for args, env in (
        (["who", "Бектенов"], {"NO_COLOR": "1"}),
        (["who", "Бектенов", "--color", "never"], {}),
        (["--color", "never", "who", "Бектенов"], {}),
        (["who", "Бектенов"], {"TERM": "dumb"}),
    ):
        plain = in_terminal(args, 100, env)
        assert plain.code == 0 and drawn(plain.raw) and "\x1b" not in plain.raw, (args, env)
    forced = in_terminal(["who", "Бектенов", "--color", "always"], 100, {"NO_COLOR": "1"})
    assert SGR.search(forced.raw)  # the option beats the environment
    global_only = in_terminal(["--color", "always", "who", "Бектенов", "--color", "never"], 100)
    assert "\x1b" not in global_only.raw  # the command's own beats the global one


def test_a_pipe_gets_tsv_with_no_escape_codes() -> None:
    for args, env in (
        (["who", "Бектенов"], {}),
        (["who", "Бектенов", "--color", "always"], {}),  # colour never changes the format
        (["who", "Бектенов"], {"FORCE_COLOR": "1"}),
        (["who", "Бектенов"], {"KZKG_FORCE_TTY": "0"}),
    ):
        result = piped(args, env)
        assert result.returncode == 0 and "\x1b" not in result.stdout, (args, env)
        assert not drawn(result.stdout) and "\t" in result.stdout
    table = piped(["who", "Бектенов", "--format", "table"])
    assert drawn(table.stdout) and "\x1b" not in table.stdout
    coloured = piped(["who", "Бектенов", "--format", "table", "--color", "always"])
    assert drawn(coloured.stdout) and SGR.search(coloured.stdout)
    forced_colour = piped(["who", "Бектенов", "--format", "table"], {"FORCE_COLOR": "1"})
    assert SGR.search(forced_colour.stdout)


def test_kzkg_force_tty_draws_a_table_into_a_pipe_at_columns_or_80() -> None:
    wide = piped(["who"], {"KZKG_FORCE_TTY": "1", "COLUMNS": "120", "NO_COLOR": "1"})
    assert wide.returncode == 0 and drawn(wide.stdout) and "\x1b" not in wide.stdout
    assert max(map(len, wide.stdout.splitlines())) == 120
    default = piped(["who"], {"KZKG_FORCE_TTY": "1", "COLUMNS": ""})
    assert drawn(default.stdout) and SGR.search(default.stdout)  # colour, as on a terminal
    assert max(len(SGR.sub("", line)) for line in default.stdout.splitlines()) == 80
    data = piped(["who", "Бектенов", "--json"], {"KZKG_FORCE_TTY": "1"})
    assert json.loads(data.stdout)[0]["id"] == "bektenov"  # a format asked for is kept
