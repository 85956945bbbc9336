"""Questions asked of a fact base, as pure functions returning JSON-shaped rows."""

from __future__ import annotations

from collections import Counter

from kzkg_cli.loader import iter_source_refs
from kzkg_cli.model import FactBase, Record, Source
from kzkg_cli.render import Row, record_to_row


def export_rows(facts: FactBase, kinds: frozenset[str] = frozenset()) -> list[Row]:
    """Every record (or those of the given kinds) with its sources, in file order."""
    return [record_to_row(r) for r in facts.records if not kinds or r.kind_name in kinds]


def citation_counts(facts: FactBase) -> Counter[str]:
    """How many records cite each article, a record counted once per article."""
    counts: Counter[str] = Counter()
    for record in facts.records:
        if not isinstance(record, Source):
            counts.update({ref.doc for ref in iter_source_refs(record)})
    return counts


def source_rows(facts: FactBase) -> list[Row]:
    """The articles with outlet, date, headline and how many facts cite each."""
    counts = citation_counts(facts)
    rows = []
    for record in facts.records:
        if isinstance(record, Source):
            row = record_to_row(record)
            row["facts"] = counts[record.id]
            rows.append(row)
    return rows


def kinds_of(records: list[Record]) -> set[str]:
    """The record kinds present in a list."""
    return {r.kind_name for r in records}
