"""Escapes in data, file names and command lines never reach a person's terminal raw.

Every value a person reads (tables, TSV, the chart, CSV and JSON on a terminal, messages,
verify's report) shows terminal controls, bidi controls and invisible characters as visible
escapes; CSV and JSON in a pipe stay the exact data.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kzkg_cli.cli import complete
from kzkg_cli.core.errors import ExitCode
from kzkg_cli.core.text import neutralise, one_line
from kzkg_cli.present import formats

from .conftest import MINI_FACTS, Invoke, Result

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\u202e\u200b\u2066\ufeff\x9b"
"""Retitles the window, clears the screen, reverses the line, hides text; C1's CSI last."""
RAW = ["\x1b", "\x07", "\u202e", "\u200b", "\u2066", "\ufeff", "\x9b"]
ESCAPED = ["\\x1b]0;PWNED\\x07", "\\u202e", "\\u200b", "\\u2066", "\\ufeff", "\\x9b"]
TOML_HOSTILE = json.dumps(HOSTILE)  # a TOML basic string takes JSON's \\u escapes


def assert_safe(result: Result) -> None:
    """No traceback, and not one raw unsafe character on stdout or stderr."""
    assert "Traceback" not in result.stderr, result.stderr
    for char in RAW:
        assert char not in result.stdout, (char, result.stdout)
        assert char not in result.stderr, (char, result.stderr)


def assert_escaped(text: str, tsv: bool = False) -> None:
    """Every escape of HOSTILE is in text (in TSV, its ";" escaped too: formats.tsv_item)."""
    for escape in ESCAPED:
        shown = escape.replace(";", "\\x3b") if tsv else escape
        assert shown in text, (shown, text)


def hostile_facts(folder: Path, extra: str = "") -> Path:
    """The mini fact file (and its seeds) with HOSTILE in a name, a headline, an event id, a
    summary and a trade title; extra is added to the person's record."""
    text = MINI_FACTS.read_text(encoding="utf-8")
    changes = {
        'name = "Иван Петров"': f'name = "Иван Петров {TOML_HOSTILE[1:-1]}"{extra}',
        'lead = "Тестовая': f'headline = {TOML_HOSTILE}\nlead = "Тестовая',
        'id = "meeting"': f'id = "meeting{TOML_HOSTILE[1:-1]}"',
        'summary = "Встреча в Бишкеке."': f"summary = {TOML_HOSTILE}",
        'title = "Товарооборот"': f"title = {TOML_HOSTILE}",
    }
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    facts = folder / "facts.toml"
    facts.write_text(text, encoding="utf-8")
    (folder / "seeds").mkdir()
    (folder / "seeds" / "mini.txt").write_bytes((MINI_FACTS.parent / "seeds/mini.txt").read_bytes())
    return facts


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return hostile_facts(tmp_path)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stdout is a terminal, as a person sees it."""
    monkeypatch.setattr(formats, "is_terminal", lambda stream: True)


def test_neutralise_escapes_controls_bidi_and_invisible_characters() -> None:
    cases = {
        "\x1b": "\\x1b",
        "\x07": "\\x07",
        "\r": "\\x0d",
        "\x7f": "\\x7f",
        "\x9b": "\\x9b",
        "\u061c": "\\u061c",
        "\u200e": "\\u200e",
        "\u200f": "\\u200f",
        "\u202a": "\\u202a",
        "\u202e": "\\u202e",
        "\u2066": "\\u2066",
        "\u2069": "\\u2069",
        "\u200b": "\\u200b",
        "\u200d": "\\u200d",
        "\u2060": "\\u2060",
        "\u2064": "\\u2064",
        "\ufeff": "\\ufeff",
        "\U000e0041": "\\U000e0041",
        "\udcff": "\\udcff",
    }
    for char, escape in cases.items():
        assert neutralise(f"a{char}b") == f"a{escape}b"
    plain = "Иван Петров\tТоқаев\n😀🇰🇿 naïve\u00adword — «цитата» ‘x’"
    assert neutralise(plain) is plain  # nothing to escape: the very same string
    assert one_line("a\tb\nc\x1b") == "a\\x09b\\x0ac\\x1b"


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "jsonl"])
@pytest.mark.parametrize(
    "args",
    [
        ["who", "Иван"],
        ["search", "Петров"],
        ["show", "petrov"],
        ["when"],
        ["trade"],
        ["sources"],
        ["export"],
    ],
)
def test_hostile_values_are_escaped_on_a_terminal_in_every_format(
    invoke: Invoke, facts: Path, terminal: None, fmt: str, args: list[str]
) -> None:
    result = invoke(*args, "--format", fmt, "--facts", str(facts))
    assert result.code == ExitCode.OK, result
    assert_safe(result)
    assert "\\u202e" in result.stdout or "\\u202E" in result.stdout, result.stdout


@pytest.mark.parametrize("fmt", ["table", "tsv"])
def test_a_table_and_tsv_show_every_escape(
    invoke: Invoke, facts: Path, terminal: None, fmt: str
) -> None:
    result = invoke("search", "Встреча", "--format", fmt, "--facts", str(facts), "--lang", "ru")
    assert_safe(result)
    semicolon = ";" if fmt == "table" else "\\x3b"  # TSV escapes it: ";" parts a list's items
    assert f"meeting\\x1b]0{semicolon}PWNED" in result.stdout  # the id column, which does not wrap
    result = invoke("show", "petrov", "--format", fmt, "--facts", str(facts))
    assert_safe(result)
    assert_escaped(result.stdout, tsv=fmt == "tsv")


def test_json_on_a_terminal_escapes_them_and_keeps_every_value(
    invoke: Invoke, facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = invoke("show", "petrov", "--json", "--facts", str(facts))
    assert "\u202e" in piped.stdout  # in a pipe, the data as it is (JSON escapes C0 itself)
    monkeypatch.setattr(formats, "is_terminal", lambda stream: True)
    shown = invoke("show", "petrov", "--json", "--facts", str(facts))
    assert_safe(shown)
    assert shown.json() == piped.json()
    assert shown.json()[0]["name"] == f"Иван Петров {HOSTILE}"
    lines = invoke("search", "Петров", "--format", "jsonl", "--facts", str(facts))
    assert_safe(lines)
    rows = [json.loads(line) for line in lines.stdout.splitlines()]
    assert any(row.get("name") == f"Иван Петров {HOSTILE}" for row in rows)
    batch = invoke("who", "--stdin", "--facts", str(facts), input="Иван\n")
    assert_safe(batch)
    assert json.loads(batch.stdout)["results"][0]["name"] == f"Иван Петров {HOSTILE}"


def test_csv_is_exact_data_in_a_pipe_and_escaped_on_a_terminal(
    invoke: Invoke, facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = invoke("export", "--format", "csv", "--type", "person", "--facts", str(facts))
    names = [row["name"] for row in csv.DictReader(io.StringIO(piped.stdout))]
    assert f"Иван Петров {HOSTILE}" in names
    monkeypatch.setattr(formats, "is_terminal", lambda stream: True)
    shown = invoke("export", "--format", "csv", "--type", "person", "--facts", str(facts))
    assert_safe(shown)
    assert_escaped(shown.stdout)


def test_verify_escapes_keys_ids_and_file_names(invoke: Invoke, tmp_path: Path) -> None:
    facts = hostile_facts(tmp_path, extra=f"\n{TOML_HOSTILE} = 1")
    result = invoke("verify", "--facts", str(facts))
    assert result.code == ExitCode.FACT_FILE
    assert_safe(result)
    assert "unknown field" in result.stdout
    assert_escaped(result.stdout)
    query = invoke("who", "Иван", "--facts", str(facts))
    assert query.code == ExitCode.FACT_FILE
    assert_safe(query)
    assert len(query.stderr.splitlines()) == 1 and "\\u202e" in query.stderr
    listed = invoke("verify", "--json", "--facts", str(facts))
    assert any(HOSTILE in problem for problem in listed.json()["problems"])  # JSON: exact


def test_verify_escapes_seed_file_names(invoke: Invoke, tmp_path: Path) -> None:
    shutil.copytree(MINI_FACTS.parent, tmp_path / "mini")
    (tmp_path / "mini" / "seeds" / f"uncited{HOSTILE}.txt").write_text("x", encoding="utf-8")
    result = invoke("verify", "--facts", str(tmp_path / "mini" / "facts.toml"))
    assert result.code == ExitCode.FACT_FILE
    assert_safe(result)
    uncited = [line for line in result.stdout.splitlines() if "not cited" in line]
    assert len(uncited) == 1, result.stdout
    assert_escaped(uncited[0])


def test_a_key_with_a_newline_stays_on_its_line(invoke: Invoke, tmp_path: Path) -> None:
    facts = hostile_facts(tmp_path, extra='\n"x\\nok: 0 problems" = 1')
    result = invoke("verify", "--facts", str(facts))
    assert not any(line.startswith("ok:") for line in result.stdout.splitlines())
    assert "x\\x0aok: 0 problems" in result.stdout


def test_the_chart_escapes_its_title_and_message(
    invoke: Invoke, tmp_path: Path, terminal: None
) -> None:
    indicator = HOSTILE.lower()  # as --indicator finds it
    text = MINI_FACTS.read_text(encoding="utf-8")
    facts = tmp_path / "facts.toml"
    facts.write_text(text.replace('"turnover"', json.dumps(indicator)), encoding="utf-8")
    drawn = invoke("trade", "--chart", "--indicator", indicator, "--facts", str(facts))
    assert drawn.code == ExitCode.OK, drawn
    assert_safe(drawn)
    assert "\\x1b]0;pwned\\x07" in drawn.stdout and "\\u202e" in drawn.stdout
    empty = invoke("trade", "--chart", "-i", indicator, "--year", "1990", "--facts", str(facts))
    assert empty.code == ExitCode.NO_RESULTS
    assert_safe(empty)
    assert "\\u202e" in empty.stderr


def test_export_names_the_file_it_wrote_escaped(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / f"out{HOSTILE}.db"
    result = invoke("export", "--format", "sqlite", str(target), "--facts", str(MINI_FACTS))
    assert result.code == ExitCode.OK
    assert_safe(result)
    assert_escaped(result.stderr)
    with sqlite3.connect(target) as conn:  # the file itself has the name asked for
        assert conn.execute("select count(*) from person").fetchone()[0] > 0


def test_a_did_you_mean_hint_is_escaped(invoke: Invoke, facts: Path) -> None:
    result = invoke("who", "Петрович", "--facts", str(facts))
    assert result.code == ExitCode.NO_RESULTS
    assert_safe(result)
    assert "did you mean" in result.stderr and "\\u202e" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["who", "--country", HOSTILE],
        [HOSTILE],
        ["who", f"--bogus{HOSTILE}"],
        ["who", HOSTILE],
        ["when", "--from", HOSTILE],
        ["who", "--lang", HOSTILE],
        ["who", "--fields", HOSTILE, "--json"],
    ],
)
def test_command_line_values_are_escaped_in_errors(invoke: Invoke, args: list[str]) -> None:
    result = invoke(*args, "--facts", str(MINI_FACTS))
    assert result.code in (ExitCode.USAGE, ExitCode.NO_RESULTS), result
    assert_safe(result)
    assert result.stderr.startswith("kzkg: ") and "\\u202e" in result.stderr


def test_environment_values_are_escaped_in_errors(invoke: Invoke) -> None:
    result = invoke("who", "x", env={"KZKG_LANG": HOSTILE})
    assert result.code == ExitCode.USAGE
    assert_safe(result)
    missing = invoke("who", "x", env={"KZKG_FACTS": f"/nonexistent/{HOSTILE}.toml"})
    assert missing.code == ExitCode.FACT_FILE
    assert_safe(missing)
    assert "\\u202e" in missing.stderr


def test_completion_leaves_out_values_with_escapes(
    facts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KZKG_FACTS", str(facts))
    assert complete.record_ids(None, "meet") == []
    assert complete.record_ids(None, "petr") == ["petrov"]
    assert complete.people(None, "Пет") == ["Петров"]
