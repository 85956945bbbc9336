"""Walks over a record's row that several layers share: its quotes and a person's aliases."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

KINDS = (
    "source",
    "person",
    "office",
    "event",
    "statement",
    "trade",
    "border",
    "agreement",
    "initiative",
    "conflict",
)
"""Every kind of record, in the order the index groups them (core.model has a class for each,
and checks it on import)."""

Row = dict[str, Any]
"""A record as kzkg prints it: a JSON-shaped dict, id and type first, sources last."""


class Citation(NamedTuple):
    """One quote a record makes: which part of it ("" or "roles[0]"), the article, the text."""

    part: str
    doc: str
    quote: str


def citations(row: Row) -> Iterator[Citation]:
    """Every quote of a row: its own, then its roles' (a person's are mostly there).

    A conflict's own sources are already those of its readings (validation copies them)."""
    for ref in row.get("sources", ()):
        yield Citation("", ref["doc"], ref["quote"])
    for number, role in enumerate(row.get("roles", ())):
        for ref in role.get("sources", ()):
            yield Citation(f"roles[{number}]", ref["doc"], ref["quote"])


def cited_docs(row: Row) -> list[str]:
    """The articles a row cites, each once, in the order first cited (citations' docs, read
    straight off the row: the build asks this of every record)."""
    docs = [ref["doc"] for ref in row.get("sources", ())]
    for role in row.get("roles", ()):
        docs += [ref["doc"] for ref in role.get("sources", ())]
    return list(dict.fromkeys(docs))


def person_aliases(person: Row) -> list[str]:
    """Every way a person is written: the name, the Latin name, then the aliases."""
    return [person["name"], person["name_latin"], *person.get("aliases", ())]


def office_wordings(office: Row) -> list[str]:
    """Every way an office is worded: its label and English label, then its aliases in
    Russian and in English (an untranslated label is left out)."""
    labels = [office["label"], *([office["label_en"]] if office.get("label_en") else [])]
    return [*labels, *office.get("aliases", ()), *office.get("aliases_en", ())]


class Stream:
    """Rows read afresh each time they are iterated (from a database cursor, say), so a bulk
    writer holds one row at a time and can still pass over them twice (a CSV header is the
    union of every row's keys)."""

    def __init__(self, source: Callable[[], Iterable[Row]]) -> None:
        self._source = source

    def __iter__(self) -> Iterator[Row]:
        return iter(self._source())
