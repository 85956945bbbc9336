"""The fast path: plain command lines parsed from the command table without importing Typer.

Typer builds every command's parameters on each call, which costs more than the whole start-up
budget of a scripted call (README "Performance"). Here the table itself is the grammar: a
command line made only of the table's commands and options, with values this parser reads
exactly as Click would, runs the command's body directly. Anything else (help, completion, a
value Click would judge, an unknown option, a repeated one) returns None and the Typer app,
built from the same table, takes over. tests/test_grammar.py runs every command and option
shape through both paths and compares what they print.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, NamedTuple

from kzkg_cli import __version__
from kzkg_cli.cli.commands import COMMANDS, GLOBAL_OPTIONS
from kzkg_cli.cli.emit import report
from kzkg_cli.cli.spec import Command, Globals, Param, Unparsed
from kzkg_cli.core.errors import ExitCode, KzkgError


class Parsed(NamedTuple):
    """A plain command line: the global options, the command and its parameters' values."""

    top: Globals
    command: Command | None
    """None for `kzkg --version`."""
    values: dict[str, Any]


def run(argv: list[str]) -> int | None:
    """Answer a plain command line and return its exit code, or None to leave it to Typer."""
    parsed = parse(argv)
    if parsed is None:
        return None
    if parsed.command is None:
        sys.stdout.write(f"kzkg {__version__}\n")
        return int(ExitCode.OK)
    try:
        return parsed.command.call(parsed.top, dict(parsed.values))
    except KzkgError as exc:
        return report(exc)


def parse(argv: list[str]) -> Parsed | None:
    """The parts of a plain command line, or None when Typer should read it."""
    try:
        return _parse(argv)
    except Unparsed:
        return None


def _parse(argv: list[str]) -> Parsed:
    tokens = iter(argv)
    top, version, name = _read_globals(tokens)
    if version:
        return Parsed(top, None, {})
    if name not in COMMANDS:
        raise Unparsed(name)
    command = COMMANDS[name]
    return Parsed(top, command, _read_command(command, tokens))


def _read_globals(tokens: Iterator[str]) -> tuple[Globals, bool, str | None]:
    """The options before the command, whether --version is among them, and the command."""
    values: dict[str, Any] = {}
    version, name = False, None
    for token in tokens:
        if token == "--version":
            version = True
        elif token.startswith("-") and token != "-":
            _option(GLOBAL_OPTIONS, token, tokens, values)
        else:
            name = token
            break
    if name is None and not version:
        raise Unparsed("no command")
    top = Globals(values.get("facts"), values.get("lang"), values.get("colour"))
    return top, version, name


def _read_command(command: Command, tokens: Iterator[str]) -> dict[str, Any]:
    """A command's parameters, each its default unless the tokens give it."""
    values: dict[str, Any] = {}
    positional = command.positional()
    only_words = False
    for token in tokens:
        if only_words or token == "-" or not token.startswith("-"):
            _word(positional, token, values)
        elif token == "--":
            only_words = True
        else:
            _option(command.params, token, tokens, values)
    given = {param.dest: param.default for param in command.params} | values
    for param in command.params:
        if param.multiple:
            given[param.dest] = param.gather(given[param.dest])
    return given


def _word(positional: Param | None, token: str, values: dict[str, Any]) -> None:
    """Read one word of the command's positional argument into values."""
    if positional is None or (positional.dest in values and not positional.multiple):
        raise Unparsed(token)  # an extra argument: Typer says so
    value = positional.value.parse(token)
    if positional.multiple:
        values.setdefault(positional.dest, []).append(value)
    else:
        values[positional.dest] = value


def _option(
    params: tuple[Param, ...], token: str, tokens: Iterator[str], values: dict[str, Any]
) -> None:
    """Read one option (and its value) into values."""
    flag, equals, attached = token.partition("=")
    if equals and not flag.startswith("--"):
        raise Unparsed(token)  # -f=csv: Click reads "=csv" as the value
    param = next((p for p in params if flag in p.flags), None)
    if param is None or (param.dest in values and not param.multiple):
        raise Unparsed(token)
    if param.value.name == "flag":
        if equals:
            raise Unparsed(token)
        values[param.dest] = True
        return
    text = attached if equals else next(tokens, None)
    if text is None or (not equals and text.startswith("-") and text != "-"):
        raise Unparsed(token)
    value = param.value.parse(text)
    if param.multiple:
        values.setdefault(param.dest, []).append(value)
    else:
        values[param.dest] = value
