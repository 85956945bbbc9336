"""The command table: every command declared once, with its parameters, examples and body.

The Typer app (cli.app) and the fast path (cli.fast) are both built from COMMANDS. A body
takes the global options and its parameters, asks the search layer, and hands the answer to
emit; it returns an exit code and raises KzkgError for the caller to report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from kzkg_cli.cli import settings
from kzkg_cli.cli.cite import CITE_FORMATS, cite
from kzkg_cli.cli.emit import Fields, batch, check_query, check_text, describe, emit
from kzkg_cli.cli.spec import DATE, FLAG, PATH, TEXT, Command, Globals, Param, choice, number
from kzkg_cli.core.errors import ExitCode, UsageError
from kzkg_cli.core.lang import LANGS
from kzkg_cli.core.rows import KINDS, Stream
from kzkg_cli.core.runtime import collector_paused
from kzkg_cli.core.text import one_line, shown
from kzkg_cli.index.cache import derived_text, looks_like_json, open_store
from kzkg_cli.index.store import Store
from kzkg_cli.present import views
from kzkg_cli.present.columns import View
from kzkg_cli.present.console import COLOURS
from kzkg_cli.present.formats import FORMATS, Format, choose_format
from kzkg_cli.search import query

if TYPE_CHECKING:
    from pathlib import Path

STATUSES = (
    "signed",
    "adopted",
    "agreed",
    "discussed",
    "planned",
    "instructed",
    "in_force",
    "provided",
)
"""An agreement's statuses (core.model.Agreement; a test checks they are the same)."""

# ----------------------------------------------------------------------------- parameters

FACTS = Param(
    "facts",
    ("--facts",),
    PATH,
    "Fact file to use instead of the shipped one.",
    env=settings.FACTS_ENV,
)
FORMAT = Param(
    "fmt",
    ("--format", "-f"),
    choice(*FORMATS),
    "Output format (default: a table on a terminal or with KZKG_FORCE_TTY=1, else tsv).",
)
LANG = Param(
    "lang",
    ("--lang",),
    choice(*LANGS, case_sensitive=False),
    "Language of the text in tables: ru (the sources') or en (curated English); JSON carries both.",
    env=settings.LANG_ENV,
)
JSON = Param("as_json", ("--json",), FLAG, "Shorthand for --format json.", default=False)
COLOR = Param(
    "colour",
    ("--color",),
    choice(*COLOURS),
    "Colour in tables: auto (on a terminal, unless NO_COLOR is set), always or never.",
    metavar="WHEN",
)
YEAR = Param("year", ("--year", "-y"), number(1, 9999), "Only what touches this year.")
FIELDS = Param(
    "fields",
    ("--fields",),
    TEXT,
    "Keep only these keys, in this order (json, jsonl, csv, tsv); a bad one lists all.",
    metavar="a,b,c",
)
STDIN = Param(
    "stdin",
    ("--stdin",),
    FLAG,
    "Read one query a line from stdin; answer each as a JSON line {query, results}, or "
    "--format json, csv, tsv (a row a result, the query first).",
    default=False,
)
WHY = Param(
    "why",
    ("--why",),
    FLAG,
    "Add a column saying why each row matched: fields, words, aliases (JSON, CSV and TSV "
    "always carry it as `match`).",
    default=False,
)
OUTPUT = (FACTS, FORMAT, LANG, JSON, FIELDS, COLOR)
"""The options every query command ends with."""
MATCHED = (*OUTPUT, WHY, STDIN)
"""The options every command that matches text ends with."""
PASSAGE_KEYS = ("source", "n", "start", "end", "text", "before", "after")
"""The keys of a passage (a sentence of an article) that search and show return."""


def date_option(dest: str, flag: str, help_text: str) -> Param:
    """A --NAME option holding a partial ISO date."""
    return Param(dest, (flag,), DATE, help_text, metavar="DATE")


def query_argument(
    help_text: str, dest: str = "text", metavar: str = "[QUERY]...", complete: str | None = None
) -> Param:
    """The optional words a command looks for: any number, one query (`search Хан Тенгри`)."""
    return Param(
        dest, (), TEXT, help_text, metavar=metavar, complete=complete, multiple=True, joined=True
    )


# ----------------------------------------------------------------------------- shared steps


def facts_path(top: Globals, facts: Path | None) -> Path | str:
    """The fact file the command line points at: the command's --facts, else the global one,
    else $KZKG_FACTS, else the shipped file."""
    return settings.resolve_facts(facts if facts is not None else top.facts)


def load(top: Globals, facts: Path | None) -> Store:
    """The indexed fact base the command line points at (cached between runs)."""
    return open_store(facts_path(top, facts))


def language(top: Globals, lang: str | None) -> str:
    """The command's --lang, else the global one, else $KZKG_LANG, else Russian."""
    return settings.resolve_lang(lang if lang is not None else top.lang)


def fields_of(asked: str | None, kinds: Sequence[str], extra: Sequence[str] = ()) -> Fields:
    """--fields (None when not given) with the keys that answer rows of these kinds have:
    what --fields may name, and the header of a CSV with no rows."""

    def keys() -> list[str]:
        from kzkg_cli.index.entries import answer_keys  # reads the model: only when needed

        return list(dict.fromkeys([*(k for kind in kinds for k in answer_keys(kind)), *extra]))

    return Fields(asked, keys)


def one_id(words: Sequence[str]) -> str | None:
    """The one id `show` takes; several words are a query for search, and a usage error."""
    if len(words) > 1:
        raise UsageError(
            f"'show' takes one record id, not {len(words)} words",
            f"to find words, try: kzkg search {' '.join(words)}",
        )
    return words[0] if words else None


def one_query(stdin: bool, argument: str | None, missing: str = "") -> None:
    """The query comes from the argument or from --stdin: not both, and (if required) one."""
    if stdin and argument is not None:
        raise UsageError("give the query as an argument or with --stdin, not both")
    if missing and not stdin and argument is None:
        raise UsageError(f"give {missing} (or --stdin)")


# ----------------------------------------------------------------------------- query commands


class Options(NamedTuple):
    """The options every query command ends with (OUTPUT, and --stdin)."""

    facts: Path | None
    fmt: str | None
    lang: str | None
    as_json: bool
    fields: str | None
    why: bool
    stdin: bool


Ask = Callable[[Store, str | None], query.Answer]
MakeView = Callable[[Store, str], View]


def lookup(
    top: Globals,
    text: str | None,
    options: Options,
    ask: Ask,
    view: MakeView,
    what: str,
    kinds: Sequence[str],
    extra: Sequence[str] = (),
) -> int:
    """What a query command does once its own options are read: the answer to the query (or
    to each line of stdin), emitted; --fields may name the keys of rows of these kinds, and
    extra ones (a search's score); every row may carry its match, which --why shows."""
    in_lang = language(top, options.lang)
    with load(top, options.facts) as store:
        chosen = fields_of(options.fields, kinds, [*extra, "match"])
        shown_view = views.matched(view(store, in_lang), options.why)
        if options.stdin:
            answer_line = lambda line: ask(store, line)  # noqa: E731
            return batch(answer_line, shown_view, options.fmt, options.as_json, chosen)
        answer = ask(store, text)
        return emit(answer, shown_view, options.fmt, options.as_json, what, chosen)


def who(
    top: Globals,
    name: str | None,
    role: str | None,
    office: str | None,
    country: str | None,
    at: str | None,
    attested: bool,
    **options: Any,
) -> int:
    """People with their offices, roles and sources; with --at, those in office that day."""
    one_query(options["stdin"], name)
    check_query(name, "name")
    check_query(role, "role")
    check_text(office, "office")
    if attested and at is None:
        raise UsageError("--attested narrows --at: give --at DATE too")
    what = describe(
        ("", name),
        ("--role", role),
        ("--office", office),
        ("--country", country),
        ("--at", at),
        ("--attested", attested or None),
    )
    return lookup(
        top,
        name,
        Options(**options),
        lambda store, text: query.who(store, text, role, country, at, office, attested),
        views.people,
        what,
        ["person"],
        ["offices"],
    )


def said(
    top: Globals, name: str | None, about: str | None, year: int | None, **options: Any
) -> int:
    """What people said, verbatim, with its article: oldest first."""
    one_query(options["stdin"], name)
    check_query(name, "name")
    check_query(about, "about")
    what = describe(("", name), ("--about", about), ("--year", year))
    ask: Ask = lambda store, line: query.said(store, line, about, year)  # noqa: E731
    return lookup(top, name, Options(**options), ask, views.statements, what, ["statement"])


def when(
    top: Globals,
    text: str | None,
    year: int | None,
    date_from: str | None,
    date_to: str | None,
    **options: Any,
) -> int:
    """The timeline of events, oldest first."""
    one_query(options["stdin"], text)
    check_query(text)
    span = query.window(year, date_from, date_to)
    what = describe(("", text), ("--year", year), ("--from", date_from), ("--to", date_to))
    ask: Ask = lambda store, line: query.when(store, line, span)  # noqa: E731
    return lookup(top, text, Options(**options), ask, views.events, what, ["event"])


def trade(
    top: Globals,
    year: int | None,
    indicator: str | None,
    chart: bool,
    facts: Path | None,
    fmt: str | None,
    lang: str | None,
    as_json: bool,
    fields: str | None,
) -> int:
    """Trade and investment figures: period, value, growth, share; conflicts flagged."""
    if chart and (fmt is not None or as_json):
        raise UsageError("--chart draws a picture; it cannot be combined with --json or --format")
    check_text(indicator, "indicator")
    in_lang = language(top, lang)
    with load(top, facts) as store:
        chosen = query.indicator(store, indicator)
        if chart:
            return draw_chart(store, year, chosen or "turnover", in_lang)
        answer = query.trade(store, year, chosen)
        what = describe(("--year", year), ("--indicator", chosen))
        view = views.trade(store, in_lang)
        return emit(answer, view, fmt, as_json, what, fields_of(fields, ["trade"]))


def draw_chart(store: Store, year: int | None, indicator: str, lang: str) -> int:
    """Draw the chart of one indicator's dollar figures; exit code 1 when there are none."""
    from kzkg_cli.present import chart

    rows = chart.chart_rows(query.trade(store, year, indicator).rows)
    if not rows:
        what = describe(("--year", year), ("--indicator", indicator))
        sys.stderr.write(f"kzkg: no dollar figures to chart for {one_line(what)}\n")
        return int(ExitCode.NO_RESULTS)
    title = f"{indicator.replace('_', ' ').capitalize()}, US$" + (f", {year}" if year else "")
    chart.draw(rows, store, title, sys.stdout, lang)
    return int(ExitCode.OK)


def borders(top: Globals, text: str | None, **options: Any) -> int:
    """Border crossing points and infrastructure, with status and plans."""
    one_query(options["stdin"], text)
    check_query(text)
    what = describe(("", text))
    return lookup(top, text, Options(**options), query.borders, views.borders, what, ["border"])


def agreements(
    top: Globals,
    text: str | None,
    year: int | None,
    status: str | None,
    event: str | None,
    **options: Any,
) -> int:
    """Treaties, plans, roadmaps, protocols and statements: date, parties, status."""
    one_query(options["stdin"], text)
    check_query(text)
    check_text(event, "event")
    what = describe(("", text), ("--year", year), ("--status", status), ("--event", event))
    ask: Ask = lambda store, line: query.agreements(store, line, year, status, event)  # noqa: E731
    return lookup(top, text, Options(**options), ask, views.agreements, what, ["agreement"])


def search(top: Globals, text: str | None, **options: Any) -> int:
    """Everything that matches, across all kinds of record, best first."""
    one_query(options["stdin"], text, missing="the words to search for")
    check_query(text)
    ask: Ask = lambda store, line: query.search(store, line or "")  # noqa: E731
    what = describe(("", text))
    extra = ["score", *PASSAGE_KEYS]
    return lookup(top, text, Options(**options), ask, views.search, what, KINDS, extra)


def show(
    top: Globals,
    record_id: tuple[str, ...],
    facts: Path | None,
    fmt: str | None,
    as_json: bool,
    fields: str | None,
    stdin: bool,
) -> int:
    """One record in full, with every quote; or a sentence of an article (ID:N, e.g. 003:12)
    between its neighbours."""
    wanted = one_id(record_id)
    one_query(stdin, wanted, missing="a record id")
    check_text(wanted, "record id")
    with load(top, facts) as store:
        keys = fields_of(fields, KINDS, PASSAGE_KEYS)
        if stdin or wanted is None:
            return batch(lambda line: query.show(store, line), views.records(), fmt, as_json, keys)
        answer = query.show(store, wanted)
        chosen = choose_format(fmt, as_json)
        if fields is None and answer.rows and chosen in (Format.table, Format.tsv):
            rows, view = views.in_full(answer.rows[0], store, language(top, None))
            return emit(query.Answer(rows), view, chosen, False, wanted)
        return emit(answer, views.records(), chosen, False, shown(wanted), keys)


# ----------------------------------------------------------------------------- data commands


def verify(
    top: Globals, facts: Path | None, seeds: Path | None, strict: bool, as_json: bool
) -> int:
    """Validate the fact file, check every quote against its article, and report what lacks
    its English text."""
    from kzkg_cli.cli.check import verify_fact_file

    path = facts_path(top, facts)
    return verify_fact_file(path, seeds or settings.default_seeds(path), strict, as_json)


def export(
    top: Globals,
    output: Path | None,
    facts: Path | None,
    fmt: str,
    lang: str | None,
    as_json: bool,
    fields: str | None,
    kind: tuple[str, ...],
    force: bool,
    metadata: bool,
) -> int:
    """Every record with its sources, to take the data elsewhere."""
    in_lang = language(top, lang)
    kinds = frozenset(kind)
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise UsageError(f"unknown type {unknown[0]!r}; expected one of: {', '.join(KINDS)}")
    if (fmt == "sqlite") != (output is not None):
        raise UsageError("--format sqlite writes a file: 'kzkg export --format sqlite OUT.db'")
    if metadata and output is None:
        raise UsageError("--metadata goes with --format sqlite OUT.db, beside which it is written")
    described = output.parent / "metadata.json" if metadata and output is not None else None
    if output is not None:  # the targets checked before the fact base is read and indexed
        if fields is not None:
            raise UsageError("--fields shapes json, jsonl, csv and tsv, not a database")
        from kzkg_cli.present.sqlite import check_targets

        check_targets(output, described, force)
    with load(top, facts) as store:
        rows = Stream(lambda: query.export_rows(store, kinds))
        if output is not None:
            from kzkg_cli.present.sqlite import write_sqlite, written_line

            passages = Stream(lambda: store.rows("passage"))
            with collector_paused():
                written = write_sqlite(rows, passages, output, force, kinds)
            if described is not None:
                from kzkg_cli.present.datasette import write_metadata

                write_metadata(described, kinds, output, force)
            sys.stderr.write(written_line(written, output, described))
            return int(ExitCode.OK)
        chosen = fields_of(fields, sorted(kinds) or KINDS)
        return emit(rows, views.records(in_lang), fmt, as_json, "export", chosen)


def sources(
    top: Globals,
    facts: Path | None,
    fmt: str | None,
    lang: str | None,
    as_json: bool,
    fields: str | None,
) -> int:
    """The articles: outlet, date, headline and how many facts cite each."""
    in_lang = language(top, lang)
    option = facts if facts is not None else top.facts
    path = facts_path(top, facts)
    in_use = f"{os.fspath(path)} ({settings.facts_origin(path, option)})"
    with open_store(path) as store:
        rows = Stream(lambda: query.source_rows(store))
        chosen = fields_of(fields, ["source"], ["facts"])
        return emit(rows, views.sources(in_lang, in_use), fmt, as_json, "sources", chosen)


def draft(
    top: Globals,
    article: Path | None,
    doc: str | None,
    date: str | None,
    facts: Path | None,
    as_json: bool,
) -> int:
    """Propose records for a new article (TOML to paste into the fact file, or --json), each
    with quotes cut from it, marked new or as matching a record the base holds; never writes
    the fact file. Needs the extra: pip install 'kzkg\\[draft]'."""
    from kzkg_cli.cli.draft import draft as run_draft

    if article is None:
        raise UsageError("give the article to draft: kzkg draft ARTICLE.txt")
    return run_draft(article, doc, date, facts_path(top, facts), as_json)


def schema(top: Globals, compact: bool) -> int:
    """The JSON Schema of the fact file, for editors that check TOML as it is typed."""

    def make() -> str:
        from kzkg_cli.ingest.schema import schema_text  # not loaded when the text is kept

        return schema_text(compact)

    name = "schema-compact" if compact else "schema"
    sys.stdout.write(derived_text(name, make, looks_like_json))
    return int(ExitCode.OK)


# ----------------------------------------------------------------------------- the table

COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        Command(
            "who",
            who,
            (
                query_argument(
                    "A name in any case, script or spelling.",
                    "name",
                    "[NAME]...",
                    complete="people",
                ),
                Param(
                    "role",
                    ("--role", "-r"),
                    TEXT,
                    "Words of an office in Russian or English (a deputy only if asked for).",
                ),
                Param(
                    "office",
                    ("--office",),
                    TEXT,
                    "One office by id, e.g. president-kg.",
                    metavar="ID",
                    complete="offices",
                ),
                Param(
                    "country",
                    ("--country", "-c"),
                    choice("KZ", "KG", case_sensitive=False),
                    "KZ or KG.",
                ),
                date_option(
                    "at",
                    "--at",
                    "Only those in office on this date (between their first and last attestation).",
                ),
                Param(
                    "attested",
                    ("--attested",),
                    FLAG,
                    "With --at: only those the sources attest in office on that date itself.",
                    default=False,
                ),
                *MATCHED,
            ),
            (
                "who Бектенов",
                "who --role президент --at 2025-08-22",
                "who --country KG --at 2025 --json",
            ),
        ),
        Command(
            "said",
            said,
            (
                query_argument(
                    "Who said it: a name in any case, script or spelling.",
                    "name",
                    "[NAME]...",
                    complete="people",
                ),
                Param("about", ("--about", "-a"), TEXT, "Words of what was said, or a topic."),
                YEAR,
                *MATCHED,
            ),
            ("said Токаев", "said --about партнер", "said Japarov --lang en --json"),
        ),
        Command(
            "when",
            when,
            (
                query_argument("Words, places or names."),
                YEAR,
                date_option("date_from", "--from", "Events on or after this date."),
                date_option("date_to", "--to", "Events on or before this date."),
                *MATCHED,
            ),
            ("when Хан-Тенгри", "when --year 2025", "when Astana --lang en"),
        ),
        Command(
            "trade",
            trade,
            (
                YEAR,
                Param(
                    "indicator",
                    ("--indicator", "-i"),
                    TEXT,
                    "One indicator, e.g. turnover.",
                    complete="indicators",
                ),
                Param(
                    "chart",
                    ("--chart",),
                    FLAG,
                    "Bars of the dollar figures over time (turnover by default).",
                    default=False,
                ),
                *OUTPUT,
            ),
            ("trade --year 2025", "trade --chart", "trade --indicator turnover --json"),
            instead="choose figures with --indicator (kzkg trade --indicator turnover) or --year; "
            "kzkg search {words} finds records by their words",
        ),
        Command(
            "borders",
            borders,
            (
                query_argument("A crossing point or words.", complete="checkpoints"),
                *MATCHED,
            ),
            ("borders", "borders Карасу"),
        ),
        Command(
            "agreements",
            agreements,
            (
                query_argument("Words of the title."),
                YEAR,
                Param(
                    "status",
                    ("--status", "-s"),
                    choice(*STATUSES, case_sensitive=False),
                    "Only this status.",
                ),
                Param(
                    "event",
                    ("--event", "-e"),
                    TEXT,
                    "Only what this event (or one of its parts) signed or adopted.",
                    metavar="ID",
                    complete="events",
                ),
                *MATCHED,
            ),
            (
                "agreements --year 2025",
                "agreements --status signed",
                "agreements --event tokayev-official-visit-2025",
            ),
        ),
        Command(
            "search",
            search,
            (query_argument("Words to find anywhere.", metavar="[WORDS]..."), *MATCHED),
            ("search Хан-Тенгри", "search водно-энергетический"),
        ),
        Command(
            "show",
            show,
            (
                Param(
                    "record_id",
                    (),
                    TEXT,
                    "A record id, e.g. igc-13; or a sentence of an article, e.g. 003:12.",
                    metavar="ID",
                    complete="record_ids",
                    multiple=True,
                ),
                FACTS,
                FORMAT,
                JSON,
                FIELDS,
                STDIN,
                COLOR,
            ),
            ("show bektenov", "show khan-tengri-status"),
        ),
        Command(
            "cite",
            cite,
            (
                Param(
                    "record_id",
                    (),
                    TEXT,
                    "Record ids, e.g. igc-13; or sentences of an article, e.g. 003:12.",
                    metavar="[ID]...",
                    complete="record_ids",
                    multiple=True,
                ),
                FACTS,
                Param(
                    "fmt",
                    ("--format", "-f"),
                    choice(*CITE_FORMATS),
                    "Output format (default: text, on a terminal and in a pipe).",
                ),
                Param(
                    "lang",
                    ("--lang",),
                    choice(*LANGS, case_sensitive=False),
                    "en adds the curated English beside the Russian claim and headline; the "
                    "quotes stay verbatim; JSON carries both.",
                    env=settings.LANG_ENV,
                ),
                JSON,
                Param(
                    "stdin",
                    ("--stdin",),
                    FLAG,
                    "Read one id a line from stdin; cite each as it is read.",
                    default=False,
                ),
            ),
            (
                "cite igc-13",
                "cite 003:12 --format markdown",
                "cite kasymaliev-new-level-2025 --lang en --json",
            ),
        ),
        Command(
            "verify",
            verify,
            (
                FACTS,
                Param(
                    "seeds",
                    ("--seeds",),
                    PATH,
                    "Folder of the articles (default: beside the facts).",
                ),
                Param(
                    "strict",
                    ("--strict",),
                    FLAG,
                    "Count every warning as a problem: a value not found in its quotes, a title "
                    "outside its office's wordings, a record missing its English text.",
                    default=False,
                ),
                Param(
                    "as_json",
                    ("--json",),
                    FLAG,
                    "Print the verdict as one JSON object: ok, facts, problems, warnings (and "
                    "the counts when ok).",
                    default=False,
                ),
            ),
            ("verify", "verify --strict", "verify --json"),
        ),
        Command(
            "export",
            export,
            (
                Param(
                    "output",
                    (),
                    PATH,
                    "The database file to write, for --format sqlite.",
                    metavar="[OUT.db]",
                ),
                FACTS,
                Param(
                    "fmt",
                    ("--format", "-f"),
                    choice(*FORMATS, "sqlite"),
                    "Output format.",
                    default="json",
                ),
                LANG,
                JSON,
                FIELDS,
                Param(
                    "kind",
                    ("--type", "-t"),
                    TEXT,
                    f"Only records of this type: {', '.join(KINDS)}.",
                    multiple=True,
                ),
                Param(
                    "force",
                    ("--force",),
                    FLAG,
                    "Replace OUT.db (and metadata.json) if it exists.",
                    default=False,
                ),
                Param(
                    "metadata",
                    ("--metadata",),
                    FLAG,
                    "Also write Datasette's metadata.json beside OUT.db: titles, descriptions "
                    "of every table and column, the licence note.",
                    default=False,
                ),
            ),
            (
                "export --format csv",
                "export --type person --format jsonl",
                "export --format sqlite kzkg.db --metadata --force",
            ),
        ),
        Command(
            "sources",
            sources,
            (FACTS, FORMAT, LANG, JSON, FIELDS, COLOR),
            ("sources", "sources --json"),
        ),
        Command(
            "draft",
            draft,
            (
                Param(
                    "article", (), PATH, "The new article, a UTF-8 text file.", metavar="ARTICLE"
                ),
                Param(
                    "doc",
                    ("--id",),
                    TEXT,
                    "The article's id (default: the file stem).",
                    metavar="ID",
                ),
                date_option("date", "--date", "The article's date, where it has no date line."),
                FACTS,
                Param("as_json", ("--json",), FLAG, "JSON, not TOML.", default=False),
            ),
            (
                "draft seeds/004_17d18197b2674e8a.txt --id new-004",
                "draft seeds/003_93f33625ec9ee3be.txt --id new-003 --date 2025-11-13 --json",
            ),
        ),
        Command(
            "schema",
            schema,
            (Param("compact", ("--compact",), FLAG, "One line, not indented.", default=False),),
            ("schema", "schema --compact"),
        ),
    )
}

GLOBAL_OPTIONS = (FACTS, LANG, COLOR)
"""Options `kzkg` takes before the command (and --version)."""
