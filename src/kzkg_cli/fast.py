"""A fast path for the calls scripts make most, answered without importing Typer.

Typer builds every command's parameters on each call, which costs more than the whole budget
for a scripted lookup (README "Performance"). The shapes handled here are few and plain: one
query command, at most one positional argument, and only --json / --format / --lang. Anything else
(help, other options, odd tokens) returns None and the Typer app takes over, so behaviour has
one definition; tests/test_fast.py checks both paths give identical output.
"""

from __future__ import annotations

from collections.abc import Callable

from kzkg_cli import paths, query, views
from kzkg_cli.errors import KzkgError
from kzkg_cli.lang import LANGS, resolve_lang
from kzkg_cli.output import check_query, describe, emit, report
from kzkg_cli.render import FORMATS, View
from kzkg_cli.store import Store, open_store

Ask = Callable[[Store, str | None], query.Answer]
# command -> (needs a positional?, how to answer, how it looks, what the positional is called)
COMMANDS: dict[str, tuple[bool | None, Ask, Callable[[Store, str], View], str]] = {
    "who": (None, lambda s, q: query.who(s, q), views.people, "name"),
    "when": (None, lambda s, q: query.when(s, q), views.events, "query"),
    "borders": (None, lambda s, q: query.borders(s, q), views.borders, "query"),
    "agreements": (None, lambda s, q: query.agreements(s, q), views.agreements, "query"),
    "search": (True, lambda s, q: query.search(s, q or ""), views.search, "query"),
    "trade": (False, lambda s, q: query.trade(s), views.trade, "query"),
}


Parsed = tuple[str, str | None, str | None, bool, str | None]
"""command, positional, --format, --json, --lang"""


def parse(argv: list[str]) -> Parsed | None:
    """The parts of a plain call, or None to leave it to Typer."""
    if not argv or argv[0] not in COMMANDS:
        return None
    needs, *_ = COMMANDS[argv[0]]
    positional: list[str] = []
    options: dict[str, str | None] = {"--format": None, "--lang": None}
    allowed = {"--format": FORMATS, "--lang": LANGS}
    as_json = False
    rest = iter(argv[1:])
    for token in rest:
        name, equals, value = token.partition("=")
        name = "--format" if name == "-f" and not equals else name
        if token == "--json":
            as_json = True
        elif name in options:
            options[name] = value if equals else next(rest, None)
            if options[name] not in allowed[name]:
                return None
        elif token.startswith("-") or token == "":
            return None
        else:
            positional.append(token)
    if len(positional) > 1 or (needs is True and not positional) or (needs is False and positional):
        return None
    text = positional[0] if positional else None
    return argv[0], text, options["--format"], as_json, options["--lang"]


def run(argv: list[str]) -> int | None:
    """Answer a plain call and return its exit code, or None when Typer should handle it."""
    parsed = parse(argv)
    if parsed is None:
        return None
    command, text, fmt, as_json, lang = parsed
    _, ask, view, what = COMMANDS[command]
    try:
        check_query(text, what)
        shown = resolve_lang(lang)
        store = open_store(paths.resolve_facts(None))
        answer = ask(store, text)
        return emit(answer, view(store, shown), fmt, as_json, describe(("", text)))
    except KzkgError as exc:
        return report(exc)
