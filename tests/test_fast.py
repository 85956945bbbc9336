"""The fast path answers exactly as the Typer app does, and leaves everything else to it."""

from __future__ import annotations

import contextlib
import io

import pytest

from kzkg_cli import fast

from .conftest import Invoke

SAME = [
    ["who", "Бектенов", "--json"],
    ["who", "Бектенов", "--format", "table"],
    ["who", "Жапаров"],
    ["who", "--json"],
    ["who", "Путин", "--json"],
    ["who", "Бектурганов"],
    ["who", "   "],
    ["when", "Токаев", "--format=jsonl"],
    ["when", "пропускной способности"],
    ["borders", "Qarasu", "-f", "csv"],
    ["agreements", "--json"],
    ["search", "Хан-Тенгри", "--json"],
    ["trade", "--json"],
    ["trade", "--format", "tsv"],
    ["who", "Tokayev", "--lang", "en", "--format", "tsv"],
    ["borders", "--lang=en"],
    ["when", "Бишкек", "--lang", "en"],
    ["trade", "--lang", "ru", "-f", "tsv"],
]


def run_fast(argv: list[str]) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = fast.run(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", SAME, ids=" ".join)
def test_fast_path_matches_the_typer_app(invoke: Invoke, argv: list[str]) -> None:
    code, out, err = run_fast(argv)
    assert code is not None, "the fast path should take this call"
    typer_result = invoke(*argv)
    assert (code, out, err) == (typer_result.code, typer_result.stdout, typer_result.stderr)


@pytest.mark.parametrize("lang", ["en", "ru", "de", ""])
def test_fast_path_reads_kzkg_lang_as_the_typer_app_does(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    argv = ["agreements", "--format", "tsv"]
    monkeypatch.setenv("KZKG_LANG", lang)
    code, out, err = run_fast(argv)
    typer_result = invoke(*argv)
    assert (code, out, err) == (typer_result.code, typer_result.stdout, typer_result.stderr)
    assert code == (2 if lang == "de" else 0)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["who", "--help"],
        ["who", "--role", "министр"],
        ["who", "a", "b"],
        ["who", "x", "--format", "xml"],
        ["who", "x", "--facts", "f.toml"],
        ["search"],
        ["trade", "2024"],
        ["trade", "--year", "2024"],
        ["show", "igc-13"],
        ["verify"],
        ["who", "--", "-x"],
        ["who", "x", "--lang", "de"],
        ["who", "x", "--lang"],
        ["who", "x", "--lang", "EN"],
    ],
    ids=" ".join,
)
def test_everything_else_is_left_to_typer(argv: list[str]) -> None:
    assert fast.parse(argv) is None
