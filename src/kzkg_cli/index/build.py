"""Build the index of a fact file in one process: validate a chunk at a time, reduce each
chunk's rows to entries at once, then write every entry, in order, into an empty database.

The cyclic garbage collector is paused throughout: a build makes millions of small dicts and
lists and no reference cycles, and the collector's repeated walks over them would cost about
a third of it.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import NamedTuple

from kzkg_cli.core.fields import english_fields, quoted_fields
from kzkg_cli.core.model import KIND_BY_NAME
from kzkg_cli.core.rows import office_wordings
from kzkg_cli.core.runtime import collector_paused
from kzkg_cli.core.synonyms import table_groups
from kzkg_cli.index.entries import Entry, WordKeys, passage_entry, to_entries
from kzkg_cli.index.passages import article_rows, mark_quoted, seeds_beside
from kzkg_cli.index.progress import Progress, build_progress
from kzkg_cli.index.store import BODY, HEAD, QUOTE, TIERS
from kzkg_cli.index.write import Contents, write_store
from kzkg_cli.ingest.read import FactFile
from kzkg_cli.ingest.validate import WholeFileNeeded, iter_rows, load_rows

Tick = Callable[[int], None]


class Built(NamedTuple):
    """A fact file read, validated and reduced to entries, ready to be written (to the cache
    or, if that fails, to memory: a full disk costs no second reading)."""

    entries: list[Entry]
    meta: dict[str, str]
    progress: Progress


def build(conn: sqlite3.Connection, facts: FactFile, meta: dict[str, str]) -> None:
    """Validate a fact file and write its index into an empty database (see read, write)."""
    with read(facts, meta) as built:
        write(conn, built)


@contextlib.contextmanager
def read(facts: FactFile, meta: dict[str, str]) -> Iterator[Built]:
    """The fact file read and reduced to entries, with the collector paused and the progress
    bar (if any) drawn for the block, in which it is written; raises ingest.validate's
    FactFileError when the file has problems. The meta kept beside the rows adds the content
    digest of what was read, the model's English field pairs and the fields the support check
    looks for in the quotes, which verify reads, and the synonym table and the offices'
    wordings, which search reads."""
    size = facts.info.st_size if facts.info else 0
    with build_progress(size) as progress, collector_paused():
        entries = read_entries(facts)
        model = {"english": json.dumps(english_fields()), "quoted": json.dumps(quoted_fields())}
        groups = {
            "offices": json.dumps(office_groups(entries), ensure_ascii=False),
            "synonyms": json.dumps(table_groups(), ensure_ascii=False),
        }
        meta = {**meta, "content": facts.digest, **model, **groups}
        yield Built(entries, meta, progress)


def office_groups(entries: list[Entry]) -> list[list[str]]:
    """Each office's wordings (its labels and aliases in both languages), one group an
    office: search reads them as synonyms (search.synonyms)."""
    offices = (marshal.loads(e.data) for e in entries if e.kind == "office")
    return [office_wordings(office) for office in offices]


def write(conn: sqlite3.Connection, built: Built) -> None:
    """Write what read gave into an empty database."""
    built.progress.stage("indexing")
    total = len(built.entries)
    tick = lambda done: built.progress.advance(done, total)  # noqa: E731
    write_store(conn, contents(built.entries, tick), built.meta)


def read_entries(facts: FactFile) -> list[Entry]:
    """The entries of a fact file (record_entries), then the passages of the articles its
    sources name (passage_entries), from the seeds folder beside it."""
    word_keys = WordKeys()
    entries = record_entries(facts, word_keys)
    entries += passage_entries(entries, seeds_beside(facts.name), word_keys)
    return entries


def record_entries(facts: FactFile, word_keys: WordKeys | None = None) -> list[Entry]:
    """The entries of a fact file's records, grouped by kind, each kind in file order."""
    word_keys = word_keys or WordKeys()
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in KIND_BY_NAME}
    try:
        for rows in iter_rows(facts):
            for entry in to_entries(rows, word_keys):
                by_kind[entry.kind].append(entry)
    except WholeFileNeeded:
        by_kind.clear()
        return to_entries(load_rows(facts), word_keys)
    return [entry for kind in KIND_BY_NAME for entry in by_kind[kind]]


def passage_entries(entries: list[Entry], seeds: str, word_keys: WordKeys) -> list[Entry]:
    """The entries of the passages of each article the sources among entries name, each
    passage marked with the records that quote it (``quoted_by``)."""
    quotes: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry in entries:
        for doc, quote in entry.quotes:
            quotes[doc].append((entry.id, quote))
    found: list[Entry] = []
    for source in (entry.id for entry in entries if entry.kind == "source"):
        rows = mark_quoted(article_rows(seeds, source), quotes.pop(source, []))
        found.extend(passage_entry(row, word_keys) for row in rows)
    return found


def contents(entries: list[Entry], tick: Tick) -> Contents:
    """What write_store writes for these entries: records streamed, the rest filled as they
    pass (the records that point back at a record: its conflicts, an event's parts,
    documents and statements; and the words of the people it names)."""
    person_words = {e.id: e.alias_words for e in entries if e.kind == "person"}
    back: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        for key, target in entry.points:
            back[target][key].append(entry.id)
    names: list[tuple[str, int]] = []
    aliases: list[tuple[int, str]] = []
    words: defaultdict[str, array[int]] = defaultdict(lambda: array("i"))

    def records() -> Iterator[tuple[str, str, bytes]]:
        for pos, entry in enumerate(entries):
            body = entry.body
            if entry.kind == "person":
                names.extend((key, pos) for key in entry.name_keys)
                aliases.extend((pos, canonical) for _, canonical in entry.aliases)
            elif entry.kind != "conflict" and entry.linked:
                extra = {w for person in entry.linked for w in person_words.get(person, ())}
                body = tuple(extra.union(body).difference(entry.headline))
            # lowest tier first: a key posted twice for a record weighs as the later one
            for tier, keys in ((QUOTE, entry.quoted), (BODY, body), (HEAD, entry.headline)):
                code = pos * TIERS + tier
                for word in keys:
                    words[word].append(code)
            data = entry.data
            if entry.id in back:
                row = marshal.loads(data)
                for key, ids in back[entry.id].items():
                    if key in row:  # a pointer of the wrong kind is validation's to report
                        row[key] = ids
                data = marshal.dumps(row)
            yield entry.id, entry.kind, data
            tick(pos + 1)

    return Contents(records(), names, aliases, words)
