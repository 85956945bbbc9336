"""A fast path for the calls scripts make most, answered without importing Typer.

Typer builds every command's parameters on each call, which costs more than the whole budget
for a scripted lookup (README "Performance"). The shapes handled here are few and plain: one
query command, at most one positional argument, and only --json / --format. Anything else
(help, other options, odd tokens) returns None and the Typer app takes over, so behaviour has
one definition; tests/test_fast.py checks both paths give identical output.
"""

from __future__ import annotations

from collections.abc import Callable

from kzkg_cli import paths, query, views
from kzkg_cli.errors import KzkgError
from kzkg_cli.output import check_query, describe, emit, report
from kzkg_cli.render import FORMATS, View
from kzkg_cli.store import Store, open_store

Ask = Callable[[Store, str | None], query.Answer]
# command -> (needs a positional?, how to answer, how it looks, what the positional is called)
COMMANDS: dict[str, tuple[bool | None, Ask, Callable[[Store], View], str]] = {
    "who": (None, lambda s, q: query.who(s, q), views.people, "name"),
    "when": (None, lambda s, q: query.when(s, q), views.events, "query"),
    "borders": (None, lambda s, q: query.borders(s, q), views.borders, "query"),
    "agreements": (None, lambda s, q: query.agreements(s, q), views.agreements, "query"),
    "search": (True, lambda s, q: query.search(s, q or ""), views.search, "query"),
    "trade": (False, lambda s, q: query.trade(s), views.trade, "query"),
}


def parse(argv: list[str]) -> tuple[str, str | None, str | None, bool] | None:
    """(command, positional, format, --json) for a plain call, or None to leave it to Typer."""
    if not argv or argv[0] not in COMMANDS:
        return None
    needs, *_ = COMMANDS[argv[0]]
    positional: list[str] = []
    fmt: str | None = None
    as_json = False
    rest = iter(argv[1:])
    for token in rest:
        if token == "--json":
            as_json = True
        elif token in ("--format", "-f"):
            fmt = next(rest, None)
            if fmt not in FORMATS:
                return None
        elif token.startswith("--format="):
            fmt = token.partition("=")[2]
            if fmt not in FORMATS:
                return None
        elif token.startswith("-") or token == "":
            return None
        else:
            positional.append(token)
    if len(positional) > 1 or (needs is True and not positional) or (needs is False and positional):
        return None
    return argv[0], (positional[0] if positional else None), fmt, as_json


def run(argv: list[str]) -> int | None:
    """Answer a plain call and return its exit code, or None when Typer should handle it."""
    parsed = parse(argv)
    if parsed is None:
        return None
    command, text, fmt, as_json = parsed
    _, ask, view, what = COMMANDS[command]
    try:
        check_query(text, what)
        store = open_store(paths.resolve_facts(None))
        return emit(ask(store, text), view(store), fmt, as_json, describe(("", text)))
    except KzkgError as exc:
        return report(exc)
