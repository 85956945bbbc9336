"""One grammar: every command and option shape of the command table gives the same stdout,
stderr and exit code through the fast path as through the Typer app, and every plain shape
is read by the fast path (Typer is left help, completion and lines it must judge)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kzkg_cli.cli import fast
from kzkg_cli.cli.commands import COMMANDS, GLOBAL_OPTIONS
from kzkg_cli.cli.spec import Command, Param

from .conftest import MINI_FACTS, REAL_SEEDS, Invoke

# Values a query-like text parameter is given, by command and parameter.
TEXTS = {
    ("who", "name"): "Бектенов",
    ("who", "role"): "министр",
    ("when", "text"): "Токаев",
    ("borders", "text"): "Карасу",
    ("agreements", "text"): "дорожной карты",
    ("search", "text"): "Бишкек",
    ("show", "record_id"): "igc-13",
    ("trade", "indicator"): "turnover",
    ("export", "kind"): "person",
}
PATHS = {
    "facts": str(MINI_FACTS),
    "seeds": str(REAL_SEEDS),
    "output": "kzkg.db",
    "article": str(min(REAL_SEEDS.glob("*.txt"))),
}


def good_values(command: Command, param: Param) -> list[str]:
    """Values the fast path must read (every choice, in any case where case does not count)."""
    kind = param.value
    if kind.name == "choice":
        cased = [] if kind.case_sensitive else [kind.choices[0].swapcase()]
        return [*kind.choices, *cased]
    if param.dest == "fields":
        return ["id,type"]
    samples = {"int": ["2025", "2030"], "date": ["2025", "2025-08-22"]}
    if kind.name == "path":
        return [PATHS[param.dest]]
    return samples.get(kind.name, [TEXTS.get((command.name, param.dest), "Бишкек")])


def bad_values(param: Param) -> list[str]:
    """Values Typer must judge: the fast path leaves them to it."""
    return {
        "choice": ["xml"],
        "int": ["0", "abc", "+5"],
        "date": ["2025-02-30", "2025-13"],
    }.get(param.value.name, [])


def shapes() -> Iterator[tuple[list[str], bool]]:
    """(argv, whether the fast path must read it) for every command and option shape."""
    for command in COMMANDS.values():
        yield [command.name], True
        yield [command.name, "--json"] if command.option("--json") else [command.name], True
        for param in command.params:
            yield from param_shapes(command, param)
    for param in GLOBAL_OPTIONS:
        for value in good_values(COMMANDS["sources"], param):
            yield [param.flags[0], value, "sources", "--format", "tsv"], True
    yield ["--version"], True
    yield ["--facts", str(MINI_FACTS), "--version"], True
    for line in (["who", "-h"], ["who", "--help"], ["--help"], ["export", "a.db", "b.db"]):
        yield line, False
    yield ["who", "--json", "--json"], False  # repeated: Click decides
    yield ["who", "-fcsv"], False  # attached short value


def param_shapes(command: Command, param: Param) -> Iterator[tuple[list[str], bool]]:
    name = command.name
    values = good_values(command, param)
    if param.positional:
        for value in values:
            yield [name, value], True
            yield [name, "--", value], True
            yield (
                [name, value, "--format", "jsonl"]
                if command.option("--format")
                else [
                    name,
                    value,
                ],
                True,
            )
        if param.multiple:  # several words: one query (or, for show, a usage error)
            yield [name, values[0], "Жапаров"], True
            yield [name, values[0], "--json", "Жапаров"], True
            yield [name, "--", f"-{values[0]}", values[0]], True
        return
    if param.value.name == "flag":
        yield [name, param.flags[0]], True
        return
    for value in values:
        yield [name, param.flags[0], value], True
    first = values[0]
    yield [name, f"{param.flags[0]}={first}"], True
    for short in param.flags[1:]:
        yield [name, short, first], True
    if param.multiple:
        yield [name, param.flags[0], first, param.flags[-1], "trade"], True
    for value in bad_values(param):
        yield [name, param.flags[0], value], False
    yield [name, param.flags[0]], False  # the value is missing


SHAPES = list(shapes())


@pytest.mark.parametrize(("argv", "plain"), SHAPES, ids=[" ".join(a) for a, _ in SHAPES])
def test_both_paths_answer_alike(
    invoke: Invoke,
    invoke_typer: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    plain: bool,
) -> None:
    assert (fast.parse(argv) is not None) == plain, "fast path coverage"
    if not plain:  # both paths are the Typer app: nothing to compare
        return
    results = []
    for run, folder in ((invoke, "fast"), (invoke_typer, "typer")):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)  # export --format sqlite writes kzkg.db here
        results.append(run(*argv, input="Бектенов\nигс\n"))
    assert results[0] == results[1]
    assert "Traceback" not in results[0].stderr


def test_the_tables_choices_are_the_models() -> None:
    """--status and --country offer exactly the values the fact file may hold."""
    from kzkg_cli.core.fields import record_spec
    from kzkg_cli.core.lang import LANGS

    def choices(kind: str, name: str) -> set[str]:
        [field] = [f for f in record_spec(kind).fields if f.name == name]
        return set(field.spec.choices)

    status = COMMANDS["agreements"].option("--status")
    country = COMMANDS["who"].option("--country")
    lang = COMMANDS["who"].option("--lang")
    assert status is not None and set(status.value.choices) == choices("agreement", "status")
    assert country is not None and set(country.value.choices) == choices("person", "country")
    assert lang is not None and lang.value.choices == LANGS
