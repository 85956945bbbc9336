"""Why a row matched a query: the fields that hold its terms, the words, any synonym used,
and the score (the ``match`` object every hit of a word query carries)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kzkg_cli.core import numbers
from kzkg_cli.core.rows import Row
from kzkg_cli.search.match import Words, ordered_keys

_SKIPPED = frozenset(
    {
        "id",
        "type",
        "doc",
        "score",
        "match",
        "kind",
        "status",
        "mode",
        "source",
        "n",
        "start",
        "end",
        "quoted_by",
    }
)
"""Keys whose values are ids or fixed vocabulary, never text a query is matched in."""


def explain(row: Row, words: Words, pos: int) -> dict[str, Any]:
    """The match object of the row at pos among words' hits."""
    fields: dict[str, None] = {}
    matched: dict[str, None] = {}
    figures = any(k[0] == "#" for t in words.terms for o in t.options for s in o.keys for k in s)
    leaves = list(_leaves(row, figures))
    for term in words.terms:
        for option in term.options:
            wanted = option.keys
            holding = [path for path, keys in leaves if any(w & keys for w in wanted)]
            if holding:
                fields.update(dict.fromkeys(holding))
                matched[term.typed] = None
                break
    via = [{"typed": typed, "alias": alias} for typed, alias in words.via.get(pos, ())]
    found: dict[str, Any] = {
        "score": float(words.scores.get(pos, 0.0)),
        "fields": list(fields),
        "words": list(matched) or [t.typed for t in words.terms],
        "via": via,
    }
    if pos in words.fuzzy:
        found["fuzzy"] = words.fuzzy[pos]
    return found


def people_match(typed: list[str], key: str) -> dict[str, Any]:
    """The match object of a record found by the people a query names (an event by its
    participants, a statement by its speakers): each name weighs as a title word."""
    return {"score": 2.0 * len(typed), "fields": [key], "words": typed, "via": []}


def _leaves(row: Row, figures: bool, path: str = "") -> Iterator[tuple[str, frozenset[str]]]:
    """(path, keys) of every text (and, if figures, every figure) in a row: title,
    sources[0].quote …"""
    for key, value in row.items():
        if key in _SKIPPED or key.endswith(("_note", "_inferred", "_precision")):
            continue
        where = f"{path}.{key}" if path else key
        yield from _leaf(where, key, value, figures)


def _leaf(
    where: str, key: str, value: object, figures: bool
) -> Iterator[tuple[str, frozenset[str]]]:
    if isinstance(value, str):
        yield where, _text_keys(value, figures)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        if figures:
            yield where, numbers.value_keys(value, key.endswith("_pct"))
    elif isinstance(value, dict):
        yield from _leaves(value, figures, where)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _leaf(f"{where}[{number}]", key, item, figures)


def _text_keys(text: str, figures: bool) -> frozenset[str]:
    words = frozenset().union(*ordered_keys(text))
    return words | numbers.text_keys(text) if figures else words
