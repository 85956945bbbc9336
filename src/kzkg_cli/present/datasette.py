"""Datasette's metadata.json for an export (`kzkg export --format sqlite OUT.db --metadata`).

A title, a description and the licence note for the whole database, and for every table and
every column of the layout (present.sqlite) a description in English, with the column that
labels a row where another links to it. Column descriptions are curated below; the columns
every kind names alike (``place_en``, ``date_inferred``, ``horizon_precision``) are described
by the pattern of their name. A column neither describes is an error: a test exports every
kind and checks that each column has its description.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from kzkg_cli.core.errors import WriteError
from kzkg_cli.present.sqlite import (
    PASSAGES,
    RECORDS,
    SOURCES,
    Column,
    Layout,
    Table,
    check_target,
    layout,
    new_file_mode,
)

TITLE = "kzkg: Kazakhstan–Kyrgyzstan relations"
DESCRIPTION = (
    "Facts about Kazakhstan–Kyrgyzstan relations curated from news articles: every fact cites "
    "its article and a verbatim quote from it (the sources table, one row per quote). Russian "
    "is the sources' language and the source of truth; the _en columns hold curated English."
)
LICENCE = (
    "MIT, as kzkg and its curated fact file; each quote is verbatim from its news article, "
    "which remains its outlet's"
)
TABLES = (
    "One table per kind of record (person, event, trade, ...), linked by foreign keys; a "
    "person's roles in role, every quote in sources, every sentence of the articles in "
    "passages. Titles, summaries, quotes and passages are searchable (trigram full-text "
    "search: a word is found in any case form, and needs at least three letters)."
)
SOURCE = "The news articles in the source table (seeds/ in kzkg), each cited by doc and quote"

LABELS = ("name", "title", "label", "headline", "summary", "quote", "text")
"""The column that labels a row where another table links to it: the first a table has."""

_TABLES = {
    RECORDS: (
        "Every record of every table once, with its kind, title and summary: what a quote "
        "(sources.record_id) or a conflict (conflict_records) links to, and one search over "
        "every title and summary."
    ),
    "source": "Its sentences are rows of passages; sources.doc links every quote to its article.",
    "person": "Their roles are rows of role, their quotes rows of sources (person_id).",
    "office": (
        "The people who held it are linked by role (office_id) and, for a joint post, by "
        "role_office."
    ),
    "role": (
        "One row per role, linked to its person (person_id) and to the office its title names "
        "(office_id); its quotes are rows of sources (role_id)."
    ),
    "reading": (
        "One row per reading, linked to its conflict (conflict_id); its quotes are rows of "
        "sources (reading_id)."
    ),
    SOURCES: (
        "Every quote, one row each, as `kzkg verify` counts them: the verbatim text of an "
        "article (doc) that proves a fact, linked to its record (record_id, and the column of "
        "its kind, such as person_id) and, for a role's or a reading's quote, to that row."
    ),
    PASSAGES: (
        "Every sentence of every cited article, as `kzkg search` finds them and `kzkg show "
        "ARTICLE:N` prints them in context."
    ),
}
"""A table's description, after the model's docstring of what a row is."""

_SHARED = {
    "id": "The record's id, as the fact file and every kzkg command name it (kzkg show ID).",
    "note": "The curator's note.",
    "identity_inferred": (
        "1 where the record joins what different articles (or sentences) say and the texts do "
        "not themselves say it is the same thing; else 0."
    ),
    "identity_note": "Why the mentions are taken to be one thing.",
    "conflicts": "Ids of the conflict records about this record, as a JSON array.",
    "date": "When, in ISO 8601 as precise as the source allows: 2025, 2025-08 or 2025-08-22.",
    "title": "The title in Russian, in the sources' words.",
    "summary": "What happened or was said, in Russian, in the sources' words.",
    "name": "The name in Russian, in the nominative.",
    "name_latin": "The name in Latin letters, as English-language media spell it.",
    "aliases": (
        "Other forms the articles use (surname alone, name and patronymic, initials), as a "
        "JSON array."
    ),
    "country": "The country.",
    "place": "Where, in Russian, as the source names it.",
    "horizon": "The year (or date) by which it is to be reached or done, where a source says.",
    "count": "A number the source states.",
    "kind": "What kind it is.",
    "status": "Where it stands, as the sources say.",
    "position": "Its place in the list it comes from, counting from 0.",
    "mentions": (
        "Ids of the people it concerns without their taking part, as a JSON array (also rows "
        "of {table}_mentions)."
    ),
    "approximate": "1 where the source says 'около' (about) of the value; else 0.",
    "bound": "Set where the source gives a bound ('свыше 80%') rather than a value.",
}
"""Columns that mean the same in every table that has them ({table} is the table's name)."""

_OWN = {
    "source": {
        "id": "The article's id: the file stem of seeds/ID.txt.",
        "lead": "The article's first sentence, verbatim.",
        "outlet": "The outlet that published the article, where the text names it.",
        "relays": (
            "A source the article says it reports ('сообщает primeminister.kz'), where that is "
            "not the outlet itself."
        ),
        "headline": "The headline, where the text has one.",
    },
    "person": {
        "kind": (
            "official (a person with an office among their roles) or figure (a writer, a poet, "
            "a namesake: described, never an office-holder); derived from the roles."
        ),
    },
    "role": {
        "id": "The role's number (sources.role_id links its quotes to it).",
        "person_id": "The person who holds the role (a link).",
        "position": "Its place among the person's roles, from 0: the N of roles[N] (sources.part).",
        "title": "The title as the source words it, in Russian, in the nominative.",
        "date": "When the source attests the role, in ISO 8601, partial where the day is unknown.",
        "office_id": (
            "The office the title names (a link); for a joint post naming two, the first, with "
            "both in role_office; empty for a description that is no office ('писатель')."
        ),
        "org": "The organisation, where the title names one.",
        "start": "The start of the tenure, where a source states it.",
        "end": "The end of the tenure, where a source states it.",
        "note": "The curator's note (why the text's words name this person, say).",
    },
    "office": {
        "label": "The office's name in Russian, as a reference work gives it.",
        "organisation": "The organisation the office belongs to.",
        "aliases": (
            "Every Russian wording the articles use for it, and the usual ones, as a JSON "
            "array (kzkg who --role matches them)."
        ),
        "aliases_en": "The English wordings, as a JSON array.",
        "predecessor": "The office this one continues under a new name (a link).",
        "successor": "The office that continues this one under a new name (a link).",
        "holders": (
            "Ids of the people whose roles name this office, as a JSON array (role links them)."
        ),
    },
    "event": {
        "date": "When: a partial ISO date, or an interval START/END for an event of several days.",
        "participants": (
            "Ids of the people who took part, as a JSON array (also rows of event_participants)."
        ),
        "status": "held; announced (reported announced, not held); planned (still to come).",
        "part_of": "The larger event this one was part of (a link).",
        "parts": "Ids of the events that were part of this one, as a JSON array.",
        "documents": "Ids of the agreements signed or adopted at it, as a JSON array.",
        "statements": "Ids of the statements made at it, as a JSON array.",
    },
    "statement": {
        "speakers": "Ids of who said it, as a JSON array (also rows of statement_speakers).",
        "mode": "direct: the article quotes the words; reported: it retells them.",
        "summary": "What was said, in Russian (the record's first quote is the words).",
        "topics": (
            "Topic words in English (trade, water, alliance, ...), as a JSON array: kzkg said "
            "--about selects by them."
        ),
        "event": "The event where it was said (a link).",
    },
    "trade": {
        "indicator": (
            "What the figure measures, from a curated vocabulary (turnover, investment, ...): "
            "kzkg trade --indicator selects by it."
        ),
        "kind": "Whether the figure is a value reached (actual), a target or a potential.",
        "period": (
            "What the figure covers: a partial ISO date (2024), an interval (2025-01/2025-08), "
            "or the date it was stated."
        ),
        "horizon": "For a target: the year by which it is to be reached.",
        "value_usd": "The value in US dollars.",
        "growth_pct": "Growth, in per cent.",
        "share_pct": "A share, in per cent.",
        "count": "A count (of products, say).",
        "count_unit": "What is counted, in Russian, from a curated vocabulary.",
    },
    "border": {
        "name": "The name in Russian: a place, a complex or a programme.",
        "name_latin": "The name in Latin letters (a place) or in English (a complex, a programme).",
        "plan": "The work planned or under way, in Russian, in the sources' words.",
        "count": "A count the source states (of lanes, of crossing points).",
    },
    "agreement": {
        "parties": "The countries party to it, as a JSON array.",
        "status": (
            "Where it stands; provided: a document the text says provides for something, "
            "without saying whether it is in force."
        ),
        "event": "The event that signed or adopted it (a link).",
        "targets": (
            "Ids of the trade targets it sets, as a JSON array (also rows of agreement_targets)."
        ),
    },
    "initiative": {
        "area": "The area of cooperation.",
    },
    "conflict": {
        "field": "The field the readings disagree on (value_usd, status, count, ...).",
        "summary": "What the readings are and where each comes from, in Russian.",
        "records": (
            "Ids of the records the readings concern, as a JSON array (also rows of "
            "conflict_records)."
        ),
        "certainty": (
            "How sure it is that the readings disagree: certain (they cannot both be true), "
            "likely, or possible (both may be true, one saying more than the other)."
        ),
        "claims_more": "The article whose reading claims more (a link).",
    },
    "reading": {
        "id": "The reading's number (sources.reading_id links its quotes to it).",
        "conflict_id": "The conflict it is a side of (a link).",
        "position": "Its place among the conflict's readings, from 0: the N of readings[N].",
        "value": (
            "The figure, for a field that holds a number, as that field holds it (US dollars "
            "for value_usd)."
        ),
        "text": "The reading in words, for a field that holds words (a status such as agreed).",
        "unit": "What a count counts, in Russian, as the source words it.",
    },
    RECORDS: {
        "id": "The record's id; the table of its kind has the record in full.",
        "type": "Its kind, which is the table that holds it in full.",
        "title": (
            "Its title: the title, name, label or headline, in Russian (for a statement or a "
            "conflict, its summary)."
        ),
        "title_en": "The title in English (a person's name in Latin letters).",
        "summary": "Its summary (an article's first sentence), in Russian, where it has one.",
        "summary_en": "The summary in English.",
    },
    SOURCES: {
        "id": "The quote's number.",
        "record_id": "The record the quote proves (a link to records).",
        "record_type": "The record's kind.",
        "part": (
            "Which part of the record the quote proves: empty for the record itself, roles[N] "
            "for its Nth role (from 0), readings[N] for a conflict's reading, headline or lead "
            "for an article's own."
        ),
        "doc": "The article quoted (a link): seeds/DOC.txt.",
        "quote": "The verbatim text of the article.",
        "role_id": "For a role's quote, the role (a link).",
        "reading_id": "For a reading's quote, the reading (a link).",
    },
    PASSAGES: {
        "id": "ARTICLE:N, the article's id and the sentence's number (kzkg show ID).",
        "source": "The article (a link).",
        "n": "The sentence's number in the article, from 1.",
        "start": "The offset of its first character in the article's text.",
        "end": "The offset just after its last character.",
        "text": "The sentence, verbatim.",
        "quoted_by": "Ids of the records whose quotes lie in it, as a JSON array.",
    },
}
"""Columns a table describes in its own words."""


def write_metadata(target: Path, kinds: Collection[str], database: Path, force: bool) -> None:
    """Write metadata.json for the export of these kinds (none: all) to database, whole or
    not at all, with the permissions the umask gives (as the database has)."""
    from kzkg_cli.index.write import write_text

    check_target(target, force)
    try:
        write_text(target, metadata_text(layout(kinds), database.stem), mode=new_file_mode())
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None


def metadata_text(plan: Layout, database: str) -> str:
    """metadata.json for a database file whose name (less .db) is database."""
    return json.dumps(metadata(plan, database), ensure_ascii=False, indent=2) + "\n"


def metadata(plan: Layout, database: str) -> dict[str, Any]:
    """Datasette's metadata for an export's layout (database: its file's name less .db)."""
    from kzkg_cli import __version__

    tables = {name: _table(plan, table) for name, table in plan.tables.items()}
    return {
        "title": TITLE,
        "description": f"{DESCRIPTION} Exported by kzkg {__version__}.",
        "license": LICENCE,
        "source": SOURCE,
        "databases": {database: {"description": TABLES, "tables": tables}},
    }


def _table(plan: Layout, table: Table) -> dict[str, Any]:
    described: dict[str, Any] = {
        "description": table_description(plan, table),
        "columns": {column.name: column_description(table, column) for column in table.columns},
    }
    names = [column.name for column in table.columns]
    label = next((name for name in LABELS if name in names), None)
    if label is not None:
        described["label_column"] = label
    return described


def table_description(plan: Layout, table: Table) -> str:
    """What a row of a table is: its model docstring and what links it to others."""
    if table.key is None:  # a link table
        owner, other = table.columns[0].name, table.columns[1].name
        field = table.name.removeprefix(owner.removesuffix("_id") + "_")
        return (
            f"The {field} of each {owner.removesuffix('_id')}, one row each, in its order: "
            f"{owner} and {other}."
        )
    return " ".join(part for part in (table.doc, _TABLES.get(table.name, "")) if part)


def column_description(table: Table, column: Column) -> str:
    """A column's description: its table's own, the shared one, or its name's pattern; and
    the values the model allows it."""
    text = _OWN.get(table.name, {}).get(column.name) or _described(table, column)
    if column.choices:
        text += f" One of: {', '.join(column.choices)}."
    return text.replace("{table}", table.name)


def _described(table: Table, column: Column) -> str:
    name = column.name
    if name in _SHARED:
        return _SHARED[name]
    names = {c.name for c in table.columns}
    base, _, suffix = name.rpartition("_")
    patterns = {
        "en": f"The curated English of {base}.",
        "inferred": (
            f"1 where the record's own quotes do not state {base} and it is inferred "
            f"({base}_note says from what); else 0."
        ),
        "note": f"How {base} was inferred, or why there is none.",
        "precision": f"How precise {base} is: year, month or day (derived from {base}).",
        "start": f"The first day {base} covers, as an ISO date (derived from {base}).",
        "end": f"The last day {base} covers, as an ISO date (derived from {base}).",
    }
    if base in names and suffix in patterns:
        return patterns[suffix]
    if suffix == "id" and (table.key is None or table.name == SOURCES):
        link = f" (a link to {column.refers})" if column.refers else ""
        if table.name == SOURCES:
            return (
                f"The record again, where its kind is {base}{link}: the column by which the "
                f"{base}'s page lists its quotes."
            )
        return f"The {base}{link}."
    raise KeyError(f"no description of {table.name}.{name}")
