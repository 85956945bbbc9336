"""Shell completion of values from the data: names, checkpoints, record ids, indicators.

Typer calls these while the user presses Tab, so they never raise: a fact file that cannot be
read completes nothing. Matching is by prefix after the same folding names get (any case, ё as
е, Kazakh letters as Russian), on every way a value is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kzkg_cli.cli import settings
from kzkg_cli.core import names
from kzkg_cli.core.rows import person_aliases
from kzkg_cli.core.text import one_line
from kzkg_cli.index.cache import open_store
from kzkg_cli.index.store import Store


def _store(ctx: Any) -> Store | None:
    """The store the command line points at (Typer's context holds --facts, if given)."""
    facts = None
    level: Any = ctx
    while level is not None and facts is None:
        facts = level.params.get("facts")
        level = level.parent
    try:
        return open_store(settings.resolve_facts(facts))
    except Exception:  # completion must never fail the shell
        return None


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    """Values, or single words of them, that start with what was typed, folding aside.

    A shell keeps only candidates that begin with the typed text itself, so each is returned
    as typed so far plus the rest of the real value: "кар" completes to "карасу" (which finds
    Қарасу), "tok" to "tokayev". A value with characters one_line escapes (tabs and newlines
    too) is left out: the shell lists candidates raw, and no one types such a value.
    """
    start = names.fold(incomplete)
    found: set[str] = set()
    for value in values:
        if one_line(value) != value:  # the shell would show it raw: a value never offered
            continue
        for candidate in (value, *value.split()):
            if names.fold(candidate).startswith(start):
                found.add(incomplete + candidate[len(incomplete) :])
    return sorted(found)


def _completer(values: Callable[[Store], Iterable[str]]) -> Callable[..., list[str]]:
    def complete(ctx: Any, incomplete: str) -> list[str]:
        store = _store(ctx)
        if store is None:
            return []
        with store:
            return _matching(values(store), incomplete)

    return complete


def _people(store: Store) -> Iterable[str]:
    for row in store.rows("person"):
        yield from person_aliases(row)


def _checkpoints(store: Store) -> Iterable[str]:
    for row in store.rows("border"):
        yield from (row["name"], row["name_latin"])


def _indicators(store: Store) -> Iterable[str]:
    return {row["indicator"] for row in store.rows("trade")}


def _kind_ids(kind: str) -> Callable[[Store], Iterable[str]]:
    return lambda store: (row["id"] for row in store.rows(kind))


people = _completer(_people)
offices = _completer(_kind_ids("office"))
events = _completer(_kind_ids("event"))
checkpoints = _completer(_checkpoints)
record_ids = _completer(lambda store: store.ids())
indicators = _completer(_indicators)
