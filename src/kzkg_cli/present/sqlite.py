"""`kzkg export --format sqlite OUT.db`: the fact base as linked tables, for sqlite3 or Datasette.

One table per kind of record (person, event, trade, ...), a column per field; a reference to
one record is its id, declared a foreign key, so Datasette shows it as a link. A record's
nested tables get tables of their own (a person's roles: ``role``, a conflict's readings:
``reading``), each row linked to its record; a list of references gets a link table
(``event_participants``: event_id, person_id) beside its JSON array of ids. ``records`` holds
every record once (id, type, title, summary), ``sources`` every quote once (as `kzkg verify`
counts them), linked to its record both there and in its kind's own column (``person_id``),
and ``passages`` every sentence of the cited articles. Titles, summaries, quotes and passages
are searchable: each such table has an FTS5 table ``<table>_fts`` over it (trigram tokens, so
a word is found in any case form: "Бектенов" finds "Бектенова"), which Datasette detects.

The tables come from the model's field specs, not from the rows, so every export of a kind has
the same columns and the metadata (present.datasette) describes each one. A foreign key is
declared only to a table the export holds whole: `--type agreement` keeps an agreement's
event id, but not as a foreign key. The file is written beside its final name and renamed into
place, so an interrupted export leaves nothing half-written, and it gets the permissions the
umask gives any new file (0644 under umask 022), so that a service reading it can. Only a
regular file is replaced (with --force): never a device, a FIFO, a socket, a folder or a
symbolic link.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kzkg_cli.core.errors import UsageError, WriteError
from kzkg_cli.core.fields import Spec, TableSpec, record_spec
from kzkg_cli.core.lang import english_key
from kzkg_cli.core.rows import KINDS, Row
from kzkg_cli.index.entries import answer_keys
from kzkg_cli.index.write import write_database

SOURCES = "sources"
"""The quotes: one row per quote."""
RECORDS = "records"
"""Every record once: what a quote, or a reference that may name any kind, links to."""
PASSAGES = "passages"
"""The sentences of the cited articles."""
SEARCHED = frozenset(
    """name name_latin label label_en title title_en headline headline_en lead lead_en
    summary summary_en plan plan_en quote""".split()
)
"""The columns full-text search covers, in whichever table has them: names, titles,
summaries and quotes (and a passage's text)."""
_SQL_TYPES = {"bool": "INTEGER", "int": "INTEGER", "float": "REAL"}
_SUMMARY_COLUMNS = ("id", "type", "title", "title_en", "summary", "summary_en")

Target = Callable[[tuple[str, ...]], str | None]
"""The table a reference to records of some kinds (none: any kind) is a foreign key to."""


# ----------------------------------------------------------------------------- the layout


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table."""

    name: str
    sql: str = "TEXT"
    refers: str | None = None
    """The table whose ``id`` this column holds (a foreign key), if any."""
    choices: tuple[str, ...] = ()
    """The values it may hold (or each item of its JSON array), where the model fixes them."""


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the export."""

    name: str
    columns: tuple[Column, ...]
    key: str | None = "id"
    """The primary key column; None for a link table (its rows have only a rowid)."""
    doc: str = ""
    """What a row is, as the model's docstring says (present.datasette describes the rest)."""
    search: tuple[str, ...] | None = None
    """The columns its full-text search covers, where they are not those of SEARCHED."""

    @property
    def searched(self) -> tuple[str, ...]:
        """The columns its full-text search table covers (none: no such table)."""
        if self.search is not None:
            return self.search
        return tuple(c.name for c in self.columns if c.name in SEARCHED)

    def statements(self) -> Iterator[str]:
        """CREATE TABLE, and CREATE VIRTUAL TABLE for its full-text search: an FTS5 table
        named ``<table>_fts`` with ``content="<table>"``, which is how Datasette finds it."""
        specs = []
        for column in self.columns:
            spec = f"{quoted(column.name)} {column.sql}"
            if column.name == self.key:
                spec += " PRIMARY KEY"
            if column.refers is not None:
                spec += f" REFERENCES {quoted(column.refers)}(id)"
            specs.append(spec)
        yield f"CREATE TABLE {quoted(self.name)} ({', '.join(specs)})"
        if self.searched:
            names = ", ".join(quoted(name) for name in self.searched)
            yield (
                f"CREATE VIRTUAL TABLE {quoted(self.name + '_fts')} USING fts5({names}, "
                f'content="{self.name}", tokenize="trigram")'
            )

    def insert(self) -> str:
        names = ", ".join(quoted(c.name) for c in self.columns)
        marks = ", ".join("?" * len(self.columns))
        return f"INSERT INTO {quoted(self.name)} ({names}) VALUES ({marks})"


@dataclass(frozen=True, slots=True)
class Link:
    """A list of references of a record (or of a part of one) as a link table: one row per
    item, the owner's id, the item's id and the item's position in the list."""

    table: str
    field: str
    owner: str
    """The column holding the owner's id (``event_id``)."""
    other: str
    """The column holding the item's id (``person_id``)."""


@dataclass(frozen=True, slots=True)
class Part:
    """A record's list of nested tables (a person's roles) as a table of its own."""

    table: str
    field: str
    owner: str
    """The column holding the record's id (``person_id``)."""
    firsts: tuple[str, ...]
    """Lists of references stored as their first item, in ``<field>_id`` (a role's office;
    all of them are in the part's link table)."""
    links: tuple[Link, ...]


@dataclass(slots=True)
class Layout:
    """Every table an export of some kinds writes, and how a record's row fills them."""

    kinds: tuple[str, ...]
    tables: dict[str, Table] = field(default_factory=dict)
    links: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    """By kind: its lists of references."""
    parts: dict[str, tuple[Part, ...]] = field(default_factory=dict)
    """By kind: its nested tables."""


def layout(kinds: Collection[str] = ()) -> Layout:
    """The tables an export of these kinds (none: every kind) writes."""
    chosen = tuple(kind for kind in KINDS if not kinds or kind in kinds)
    plan = Layout(chosen)
    target = _targets(chosen)
    plan.tables[RECORDS] = Table(
        RECORDS,
        tuple(Column(name) for name in _SUMMARY_COLUMNS),
    )
    for kind in chosen:
        _plan_kind(plan, kind, target)
    part_ids = [Column(f"{p.table}_id", "INTEGER", p.table) for k in chosen for p in plan.parts[k]]
    plan.tables[SOURCES] = Table(
        SOURCES,
        (
            Column("id", "INTEGER"),
            Column("record_id", refers=RECORDS),
            Column("record_type"),
            Column("part"),
            Column("doc", refers=target(("source",))),
            Column("quote"),
            *part_ids,
            *(Column(f"{kind}_id", refers=kind) for kind in chosen),
        ),
    )
    if "source" in chosen:
        plan.tables[PASSAGES] = Table(
            PASSAGES,
            (
                Column("id"),
                Column("source", refers="source"),
                *(Column(name, "INTEGER") for name in ("n", "start", "end")),
                Column("text"),
                Column("quoted_by"),
            ),
            search=("text",),
        )
    return plan


def _targets(chosen: tuple[str, ...]) -> Target:
    """The table a reference to records of these kinds (none: any kind) is a foreign key to:
    the kind's own table, or records for any kind; None where the export leaves it out."""

    def target(kinds: tuple[str, ...]) -> str | None:
        if len(kinds) == 1:
            return kinds[0] if kinds[0] in chosen else None
        return RECORDS if set(kinds or KINDS) <= set(chosen) else None

    return target


def _plan_kind(plan: Layout, kind: str, target: Target) -> None:
    """Add a kind's table, its link tables and its nested tables to the plan."""
    spec = record_spec(kind)
    specs = {f.name: f.spec for f in spec.fields}
    nested = {key: part for key, part in spec.parts().items() if key != "sources"}
    columns = [Column("id", refers=RECORDS)]
    for key in answer_keys(kind)[2:]:  # after id and type
        if key != "sources" and key not in nested:
            columns.append(_column(key, specs.get(key), target))
    plan.tables[kind] = Table(kind, tuple(columns), doc=_described(spec))
    plan.links[kind] = _links(plan, kind, specs, target, "TEXT")
    plan.parts[kind] = tuple(
        _plan_part(plan, kind, key, part, target) for key, part in nested.items()
    )


def _plan_part(plan: Layout, kind: str, key: str, spec: TableSpec, target: Target) -> Part:
    """Add the table of a kind's nested tables (``roles``: ``role``) and its link tables."""
    name = key.removesuffix("s")
    owner = f"{kind}_id"
    specs = {f.name: f.spec for f in spec.fields if f.name != "sources"}
    firsts = tuple(k for k, s in specs.items() if s.shape == "array" and _many(s) is not None)
    columns = [Column("id", "INTEGER"), Column(owner, refers=kind), Column("position", "INTEGER")]
    for k, s in specs.items():
        if k in firsts:
            columns.append(Column(f"{k}_id", refers=target(_many(s) or ())))
        else:
            columns.append(_column(k, s, target))
    plan.tables[name] = Table(name, tuple(columns), doc=_described(spec))
    return Part(name, key, owner, firsts, _links(plan, name, specs, target, "INTEGER"))


def _described(spec: TableSpec) -> str:
    """The first paragraph of the docstring of the model class a spec follows, on one line."""
    from kzkg_cli.core import model

    doc = getattr(model, spec.name).__doc__ or ""
    return " ".join(doc.split("\n\n")[0].split())


def _links(
    plan: Layout,
    owner: str,
    specs: dict[str, Spec],
    target: Target,
    owner_sql: str,
) -> tuple[Link, ...]:
    """The link tables of a table's lists of references (added to the plan); owner_sql is
    the SQL type of the owner's id."""
    links = []
    for key, spec in specs.items():
        kinds = _many(spec)
        if spec.shape != "array" or kinds is None:
            continue
        refers = target(kinds)
        other = f"{kinds[0]}_id" if len(kinds) == 1 else "record_id"
        if other == f"{owner}_id":
            other = f"{key}_id"
        name = f"{owner}_{key}"
        columns = (
            Column(f"{owner}_id", owner_sql, owner),
            Column(other, refers=refers),
            Column("position", "INTEGER"),
        )
        plan.tables[name] = Table(name, columns, key=None)
        links.append(Link(name, key, f"{owner}_id", other))
    return tuple(links)


def _many(spec: Spec) -> tuple[str, ...] | None:
    """The kinds a list's items refer to (the marker is on the list or on its items)."""
    if spec.ref is not None:
        return spec.ref
    return spec.item.ref if spec.item is not None else None


def _column(name: str, spec: Spec | None, target: Target) -> Column:
    """The column of a field (spec None: a key the answer row derives, text)."""
    if spec is None:
        return Column(name)  # derived text
    item = spec.item if spec.shape == "array" and spec.item is not None else spec
    choices = tuple(map(str, item.choices)) if item.shape == "choice" else ()
    if spec.shape == "array":
        return Column(name, choices=choices)  # a JSON array
    if spec.ref is not None:
        return Column(name, refers=target(spec.ref))
    return Column(name, _SQL_TYPES.get(spec.shape, "TEXT"), choices=choices)


def quoted(name: str) -> str:
    """An SQL identifier in double quotes (``end`` is a keyword)."""
    return '"' + name.replace('"', '""') + '"'


# ----------------------------------------------------------------------------- quotes


class Quote(NamedTuple):
    """One quote a record makes."""

    part: str
    """Which part of the record: "" (its own), "roles[0]", "readings[1]", or a source's
    "headline" and "lead" (quotes of its own article)."""
    doc: str
    quote: str
    item: tuple[str, int] | None
    """The nested table it belongs to, as (field, position): ("roles", 0)."""


def quotes(row: Row) -> Iterator[Quote]:
    """Every quote of a record, as `kzkg verify` counts and checks them: a conflict's are its
    readings' (which validation copies into its own sources), a person's include their
    roles', and an article's headline and lead are quotes of itself."""
    if row["type"] == "conflict":
        readings = [
            Quote(f"readings[{n}]", ref["doc"], ref["quote"], ("readings", n))
            for n, reading in enumerate(row.get("readings") or ())
            for ref in reading.get("sources") or ()
        ]
        if len(readings) == len(row.get("sources") or ()):
            yield from readings
            return
    for ref in row.get("sources") or ():
        yield Quote("", ref["doc"], ref["quote"], None)
    for n, role in enumerate(row.get("roles") or ()):
        for ref in role.get("sources") or ():
            yield Quote(f"roles[{n}]", ref["doc"], ref["quote"], ("roles", n))
    if row["type"] == "source":
        for key in ("headline", "lead"):
            if row.get(key):
                yield Quote(key, row["id"], row[key], None)


# ----------------------------------------------------------------------------- writing


class Written(NamedTuple):
    """What an export wrote."""

    records: int
    quotes: int


def write_sqlite(
    rows: Iterable[Row],
    passages: Iterable[Row],
    target: Path,
    force: bool,
    kinds: Collection[str] = (),
) -> Written:
    """Write rows (of these kinds; none: all) and the passages to a new SQLite file at target
    (an existing regular file only with force), whole or not at all."""
    check_target(target, force)
    plan = layout(kinds)
    written: list[Written] = []
    try:
        write_database(
            target,
            lambda conn: written.append(_fill(conn, plan, rows, passages)),
            mode=new_file_mode(),
        )
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:  # "database or disk is full", say
        raise WriteError(f"cannot write {target}: {exc}") from None
    return written[0]


def check_targets(target: Path, metadata: Path | None, force: bool) -> None:
    """check_target for the database and the metadata file beside it, which must differ."""
    check_target(target, force)
    if metadata is not None:
        if os.path.abspath(metadata) == os.path.abspath(target):
            raise UsageError(f"{target} is where --metadata writes; name the database otherwise")
        check_target(metadata, force)


def written_line(written: Written, target: Path, metadata: Path | None) -> str:
    """The one line on stderr that says what an export wrote, and where."""
    from kzkg_cli.core.text import one_line

    line = f"kzkg: wrote {written.records} records and {written.quotes} quotes to "
    line += one_line(str(target))
    if metadata is not None:
        line += f", and Datasette's metadata to {one_line(str(metadata))}"
    return line + "\n"


def check_target(target: Path, force: bool) -> None:
    """A usage error unless target is absent, or a regular file and force is given (a write
    error if it cannot even be looked at); checked before anything is written.

    A symbolic link is refused, not followed: replacing the link with a file would quietly cut
    off what it pointed to, and following it would let whoever can make a link where the
    export goes (a shared folder) choose the file a forced export replaces.
    """
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{target} is a directory; name the database file to write")
    if stat.S_ISLNK(mode):
        raise UsageError(f"{target} is a symbolic link; name the file itself, or remove the link")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{target} is {_kind(mode)}, not a regular file; name a file to write")
    if not force:
        raise UsageError(f"{target} exists; add --force to replace it")


def _kind(mode: int) -> str:
    """What a file that is not a regular file, a folder or a link is, in words."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def new_file_mode() -> int:
    """The permissions any tool's new file gets: 0o666 less the umask (reading the umask
    means setting it, so it is set straight back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


def _fill(
    conn: sqlite3.Connection, plan: Layout, rows: Iterable[Row], passages: Iterable[Row]
) -> Written:
    for table in plan.tables.values():
        for statement in table.statements():
            conn.execute(statement)
    filler = _Filler(conn, plan)
    records = 0
    for row in rows:
        filler.record(row)
        records += 1
    if PASSAGES in plan.tables:
        for passage in passages:
            filler.add(PASSAGES, {**passage, "quoted_by": passage.get("quoted_by") or []})
    filler.flush()
    for table in plan.tables.values():
        for column in table.columns:
            if column.refers is not None and column.name != table.key:
                index = quoted(f"{table.name}_by_{column.name}")
                conn.execute(
                    f"CREATE INDEX {index} ON {quoted(table.name)} ({quoted(column.name)})"
                )
        if table.searched:
            fts = quoted(f"{table.name}_fts")
            conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
    conn.commit()
    return Written(records, filler.quotes)


class _Filler:
    """Inserts each record's rows into every table they belong in, a batch at a time."""

    BATCH = 1000

    def __init__(self, conn: sqlite3.Connection, plan: Layout) -> None:
        self.conn = conn
        self.plan = plan
        self.inserts = {name: table.insert() for name, table in plan.tables.items()}
        self.names = {name: [c.name for c in t.columns] for name, t in plan.tables.items()}
        self.numbered = {name for name, t in plan.tables.items() if t.columns[0].sql == "INTEGER"}
        self.pending: dict[str, list[list[Any]]] = {name: [] for name in plan.tables}
        self.counts: dict[str, int] = {}
        self.quotes = 0

    def add(self, table: str, values: dict[str, Any]) -> int:
        """Insert a row (values by column name; missing ones are NULL); its id, counted from
        1 per table, for a table whose id is a number."""
        number = self.counts[table] = self.counts.get(table, 0) + 1
        if table in self.numbered:
            values = {**values, "id": number}
        pending = self.pending[table]
        pending.append([_cell(values.get(name)) for name in self.names[table]])
        if len(pending) >= self.BATCH:
            self.conn.executemany(self.inserts[table], pending)
            pending.clear()
        return number

    def flush(self) -> None:
        """Insert every row still waiting in a batch."""
        for table, pending in self.pending.items():
            if pending:
                self.conn.executemany(self.inserts[table], pending)
                pending.clear()

    def record(self, row: Row) -> None:
        """Insert a record: its row, its summary, its links, its nested tables, its quotes."""
        kind, rid = row["type"], row["id"]
        self.add(kind, row)
        self.add(RECORDS, _summary(row))
        self._link(self.plan.links[kind], rid, row)
        items = self._parts(self.plan.parts[kind], rid, row)
        for quote in quotes(row):
            values = {
                "record_id": rid,
                "record_type": kind,
                "part": quote.part,
                "doc": quote.doc,
                "quote": quote.quote,
                f"{kind}_id": rid,
            }
            if quote.item is not None:
                table, number = items[quote.item]
                values[f"{table}_id"] = number
            self.add(SOURCES, values)
            self.quotes += 1

    def _parts(
        self, parts: tuple[Part, ...], rid: str, row: Row
    ) -> dict[tuple[str, int], tuple[str, int]]:
        """Insert a record's nested tables; (field, position) -> (table, id) of each."""
        items = {}
        for part in parts:
            for position, item in enumerate(row.get(part.field) or ()):
                values = {part.owner: rid, "position": position, **item}
                for key in part.firsts:
                    values[f"{key}_id"] = next(iter(item.get(key) or ()), None)
                number = self.add(part.table, values)
                items[part.field, position] = part.table, number
                self._link(part.links, number, item)
        return items

    def _link(self, links: tuple[Link, ...], owner: object, row: Row) -> None:
        for link in links:
            for position, item in enumerate(row.get(link.field) or ()):
                self.add(link.table, {link.owner: owner, link.other: item, "position": position})


_TITLES = ("title", "name", "label", "headline", "summary", "lead")
"""The field that titles a record, the first it has of these."""
_SUMMARIES = ("summary", "lead", "plan")


def _summary(row: Row) -> Row:
    """A record's row in records: its title and summary, in Russian and English."""
    title = next((key for key in _TITLES if row.get(key)), None)
    text = next((key for key in _SUMMARIES if key != title and row.get(key)), None)
    return {
        "id": row["id"],
        "type": row["type"],
        "title": row.get(title) if title else None,
        "title_en": row.get(english_key(title)) if title else None,
        "summary": row.get(text) if text else None,
        "summary_en": row.get(english_key(text)) if text else None,
    }


def _cell(value: Any) -> Any:
    """A value as SQLite holds it: a reference (an object with an id) as its id, a list as
    a JSON array (references as ids), any other object as JSON."""
    if value is None or type(value) is str:  # most cells: nothing to do
        return value
    if isinstance(value, dict):
        return value["id"] if "id" in value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return json.dumps([_id(item) for item in value], ensure_ascii=False)
    return value


def _id(value: Any) -> Any:
    return value["id"] if isinstance(value, dict) and "id" in value else value
