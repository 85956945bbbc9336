"""Hostile queries, options and fact files: an answer or one clear line and its exit code.

These run the real entry point in-process, so they see exactly what a shell would: results on
stdout, one line on stderr, the documented exit code. The hostile queries run through both
paths, the fast path and the Typer app, and must give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kzkg_cli.cli import fast
from kzkg_cli.core.errors import ExitCode
from kzkg_cli.present import formats as render

from .conftest import MINI_FACTS, Invoke, Result

ESC = "\x1b"


def assert_clean(result: Result, *codes: int) -> None:
    """An allowed exit code, no traceback, at most an error line and a hint on stderr, and no
    escape character anywhere: nothing from the query reaches the terminal raw."""
    assert result.code in codes, result
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 2, result.stderr
    assert ESC not in result.stdout and ESC not in result.stderr


HOSTILE_QUERIES = [
    "",
    "   \t ",
    "а" * 30_000,
    "Бектенов " * 3_000,
    "\x1b[31mred\x1b[0m Бектенов",
    "\x1b]0;pwned\x07",
    "\x00\x01\x7f",
    "😀🇰🇿🇰🇬",
    "Жапаров😀",
    "Tokayev Токаев Тоқаев",
    "[/]",
    "[bold red]x",
    "[link=file:///etc/passwd]click[/link]",
    "%s%s%n",
    "{0}",
    "../../../etc/passwd",
    "C:\\Windows\\system32",
    "--",
    "-",
]


# Each query after "--", and plain where it cannot be read as an option.
SHAPES = [(query, True) for query in HOSTILE_QUERIES] + [
    (query, False) for query in HOSTILE_QUERIES if query == "-" or not query.startswith("-")
]


@pytest.mark.parametrize(("query", "dashes"), SHAPES, ids=range(len(SHAPES)))
@pytest.mark.parametrize("command", ["who", "when", "search", "show", "borders", "agreements"])
@pytest.mark.parametrize("fmt", ["json", "tsv", "table"])
def test_hostile_queries_get_the_same_answer_or_one_line_on_both_paths(
    invoke: Invoke,
    invoke_typer: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    query: str,
    fmt: str,
    dashes: bool,
) -> None:
    monkeypatch.setattr(render, "is_terminal", lambda stream: True)
    argv = [command, "--format", fmt, *(["--"] if dashes else []), query]
    assert fast.parse(argv) is not None, "the fast path should read this line"
    result = invoke(*argv)
    assert_clean(result, ExitCode.OK, ExitCode.NO_RESULTS, ExitCode.USAGE)
    if result.code != ExitCode.OK:
        assert result.stderr.startswith("kzkg: ")
    assert invoke_typer(*argv) == result


def test_a_long_query_is_cut_in_the_message(invoke: Invoke) -> None:
    result = invoke("who", "ж" * 30_000)
    assert result.code == ExitCode.NO_RESULTS
    assert "(30,000 characters)" in result.stderr and len(result.stderr) < 300


def test_markup_in_a_fact_is_printed_as_text(invoke: Invoke, tmp_path: Path) -> None:
    text = MINI_FACTS.read_text(encoding="utf-8").replace(
        'name = "Иван Петров"', 'name = "Иван [bold red]Петров[/] \\u001b[31m"'
    )
    assert text != MINI_FACTS.read_text(encoding="utf-8")
    facts = tmp_path / "facts.toml"
    facts.write_text(text, encoding="utf-8")
    result = invoke("who", "Иван", "--format", "table", "--facts", str(facts))
    assert_clean(result, ExitCode.OK)
    assert "[bold red]Петров[/]" in result.stdout and "\\x1b[31m" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trade", "--year", "abc"], "'abc' is not a valid int"),
        (["trade", "--year", "-5"], "--year"),
        (["trade", "--year", "99999"], "--year"),
        (["who", "--at", "2025-02-30", "Бектенов"], "'2025-02-30' is not a real date"),
        (["when", "--from", "2025-13"], "not a real date"),
        (["when", "--from", "2026", "--to", "2024"], "exclude each other"),
        (["trade", "--from", "2026"], "No such option: --from"),
        (["who", "--bogus"], "No such option: --bogus"),
        (["--bogus"], "No such option: --bogus"),
        (["nosuch"], "No such command 'nosuch'"),
        (["who", "Бектенов", "--json", "--format", "csv"], "two formats"),
        (["who", "--json", "--format", "csv"], "two formats"),
        (["who", "--format", "xml", "Бектенов"], "'xml'"),
        (["who", "--stdin", "Бектенов"], ""),
        (["show"], ""),
        (["export", "a.db", "b.db"], "unexpected extra argument"),
    ],
)
def test_bad_options_are_usage_errors(invoke: Invoke, args: list[str], message: str) -> None:
    result = invoke(*args)
    assert_clean(result, ExitCode.USAGE)
    assert result.stdout == ""
    assert result.stderr.startswith("kzkg: error: ")
    assert message in result.stderr


def repeated(times: int) -> str:
    """The mini file with its records written out `times` times: every id a duplicate."""
    text = MINI_FACTS.read_text(encoding="utf-8")
    first = text.index("[[")
    return text[:first] + text[first:] * times


def deep(levels: int) -> str:
    return "x = " + "[" * levels + "]" * levels + "\n"


# (name, file content as bytes or a callable making the path, text the error must contain)
BAD_FILES: list[tuple[str, Callable[[Path], object], str]] = [
    ("missing", lambda p: None, "fact file not found"),
    ("directory", lambda p: p.mkdir(), "is a directory"),
    ("empty", lambda p: p.write_text(""), "fact file is empty"),
    ("not utf-8", lambda p: p.write_bytes(b'[[person]]\nid = "\xff"\n'), "not UTF-8"),
    ("invalid toml", lambda p: p.write_text("[[person]\n"), "invalid TOML"),
    ("wrong shape", lambda p: p.write_text('person = "Бектенов"\n'), "expected an array"),
    ("deep nesting", lambda p: p.write_text(deep(100_000)), "nested too deeply"),
    ("deep tables", lambda p: p.write_text("[" + ".".join(["a"] * 5_000) + "]\n"), "too deeply"),
    ("deep but legal", lambda p: p.write_text("[" + ".".join(["a"] * 50) + "]\n"), "unknown"),
    (
        "huge string",
        lambda p: p.write_text(f'[[source]]\nid = "{"я" * 5_000_000}"\n'),
        "missing required field",
    ),
    (
        "thousands of duplicate ids",
        lambda p: p.write_text(repeated(3_000), encoding="utf-8"),
        "duplicate id",
    ),
]


@pytest.mark.parametrize("via", ["--facts", "KZKG_FACTS"])
@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_fact_files_are_one_line_and_exit_3(
    invoke: Invoke,
    tmp_path: Path,
    via: str,
    name: str,
    make: Callable[[Path], object],
    message: str,
) -> None:
    path = tmp_path / "facts.toml"
    make(path)
    if via == "--facts":
        result = invoke("who", "Петров", "--facts", str(path))
    else:
        result = invoke("who", "Петров", env={"KZKG_FACTS": str(path)})
    assert_clean(result, ExitCode.FACT_FILE)
    assert result.stderr.startswith(f"kzkg: error: {path}")
    assert message in result.stderr
    assert len(result.stderr.splitlines()[0]) < 400


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_fact_file(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "facts.toml"
    path.write_text(MINI_FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0)
    result = invoke("who", "Петров", "--facts", str(path))
    assert_clean(result, ExitCode.FACT_FILE)
    assert "permission denied" in result.stderr


def test_verify_lists_every_duplicate_but_the_query_says_one_line(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "facts.toml"
    path.write_text(repeated(50), encoding="utf-8")
    query = invoke("who", "Петров", "--facts", str(path))
    assert "more; run 'kzkg verify'" in query.stderr
    listing = invoke("verify", "--facts", str(path))
    assert listing.code == ExitCode.FACT_FILE
    assert (listing.stdout + listing.stderr).count("duplicate id") == 49 * 5
