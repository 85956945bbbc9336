"""The Typer app: parse the command line, ask the query layer, render; nothing else."""

from __future__ import annotations

import enum
import functools
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kzkg_cli import __version__, complete, paths, query, views
from kzkg_cli.dates import date_span
from kzkg_cli.errors import ExitCode, FactFileError, KzkgError, UsageError
from kzkg_cli.lang import resolve_lang
from kzkg_cli.model import row_fields
from kzkg_cli.output import Fields, batch, check_query, describe, emit, report
from kzkg_cli.render import Format, Row, choose_format, write
from kzkg_cli.store import Store, open_store

KINDS = ("source", "person", "event", "trade", "border", "agreement", "initiative", "conflict")

app = typer.Typer(
    name="kzkg",
    help="Answers about Kazakhstan–Kyrgyzstan relations from a source-cited fact base.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])

EXAMPLES: dict[str, list[str]] = {
    "who": ["who Бектенов", "who Tokayev --lang en", "who --country KG --at 2025 --json"],
    "when": ["when Хан-Тенгри", "when --year 2025", "when Astana --lang en"],
    "trade": ["trade --year 2025", "trade --chart", "trade --indicator turnover --json"],
    "borders": ["borders", "borders Карасу"],
    "agreements": ["agreements --year 2025", "agreements --status signed"],
    "search": ["search Хан-Тенгри", "search водно-энергетический"],
    "show": ["show bektenov", "show turnover-2024-conflict"],
    "verify": ["verify", "verify --strict", "verify --json"],
    "export": [
        "export --format csv",
        "export --type person --format jsonl",
        "export --format sqlite kzkg.db --force",
    ],
    "sources": ["sources", "sources --json"],
    "schema": ["schema", "schema --compact"],
}
"""Real calls for each command's --help, run by a test against the shipped fact base."""


def examples(command: str) -> str:
    """The --help epilog of a command: its examples, one paragraph each (Rich joins lines)."""
    return "Examples:\n\n" + "\n\n".join(f"  $ kzkg {call}" for call in EXAMPLES[command])


class Lang(enum.StrEnum):
    ru = "ru"
    en = "en"


class Country(enum.StrEnum):
    KZ = "KZ"
    KG = "KG"


class ExportFormat(enum.StrEnum):
    table = Format.table
    tsv = Format.tsv
    json = Format.json
    jsonl = Format.jsonl
    csv = Format.csv
    sqlite = "sqlite"


class OutputFormat(enum.StrEnum):
    table = Format.table
    tsv = Format.tsv
    json = Format.json
    jsonl = Format.jsonl
    csv = Format.csv


class Status(enum.StrEnum):
    signed = "signed"
    adopted = "adopted"
    agreed = "agreed"
    planned = "planned"
    instructed = "instructed"
    in_force = "in_force"


def _parse_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date_span(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


FactsOption = Annotated[
    Path | None,
    typer.Option("--facts", help="Fact file to use instead of the shipped one (env: KZKG_FACTS)."),
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format", "-f", help="Output format (default: a table on a terminal, else tsv)."
    ),
]
LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help="Language of the text in tables: ru (the sources') or en (curated English); "
        "JSON carries both (env: KZKG_LANG).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
YearOption = Annotated[
    int | None, typer.Option("--year", "-y", min=1, max=9999, help="Only what touches this year.")
]


def DateOption(name: str, help_text: str) -> Any:  # noqa: N802 - reads like a type
    """A --NAME option holding a partial ISO date, checked when parsed."""
    return typer.Option(name, callback=_parse_date, metavar="DATE", help=help_text)


def guarded(func: F) -> F:
    """Turn kzkg's own errors into one line on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KzkgError as exc:
            fail(exc)

    return wrapper  # type: ignore[return-value]


def fail(exc: KzkgError) -> None:
    """Report an error on stderr and exit with its code."""
    raise typer.Exit(report(exc)) from None


def facts_path(ctx: typer.Context, option: Path | None) -> Path:
    """The command's --facts, else the global one, else $KZKG_FACTS, else the shipped file."""
    chosen = option if option is not None else (ctx.obj or {}).get("facts")
    return paths.resolve_facts(chosen)


def language(ctx: typer.Context, option: Lang | None) -> str:
    """The command's --lang, else the global one, else $KZKG_LANG, else Russian."""
    chosen = option if option is not None else (ctx.obj or {}).get("lang")
    return resolve_lang(chosen.value if chosen is not None else None)


def load(ctx: typer.Context, option: Path | None) -> Store:
    """The indexed fact base the command line points at (cached between runs)."""
    return open_store(facts_path(ctx, option))


FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="a,b,c",
        help="Keep only these keys, in this order (json, jsonl, csv, tsv); a bad one lists all.",
    ),
]


def _fields(asked: str | None, kinds: Sequence[str], extra: Sequence[str] = ()) -> Fields | None:
    """--fields with the keys that rows of these kinds have."""
    if asked is None:
        return None
    names = dict.fromkeys(name for kind in kinds for name in row_fields(kind))
    return asked, [*names, *extra]


StdinOption = Annotated[
    bool, typer.Option("--stdin", help="Read one query a line from stdin; answer as JSON Lines.")
]


def _no_argument_with_stdin(stdin: bool, argument: str | None, missing: str = "") -> None:
    """The query comes from the argument or from --stdin: not both, and (if required) one."""
    if stdin and argument is not None:
        raise UsageError("give the query as an argument or with --stdin, not both")
    if missing and not stdin and argument is None:
        raise UsageError(f"give {missing} (or --stdin)")


def done(code: int) -> None:
    """End the command with an exit code from the shared output steps."""
    if code:
        raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kzkg {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    facts: FactsOption = None,
    lang: LangOption = None,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Answers about Kazakhstan–Kyrgyzstan relations from a source-cited fact base."""
    ctx.obj = {"facts": facts, "lang": lang}


# ----------------------------------------------------------------------------- query commands


@app.command(epilog=examples("who"))
@guarded
def who(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="A name in any case, script or spelling.", autocompletion=complete.people
        ),
    ] = None,
    role: Annotated[str | None, typer.Option("--role", "-r", help="Words of a role title.")] = None,
    country: Annotated[
        Country | None, typer.Option("--country", "-c", case_sensitive=False, help="KZ or KG.")
    ] = None,
    at: Annotated[
        str | None, DateOption("--at", "Only roles the sources attest at this date.")
    ] = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    stdin: StdinOption = False,
) -> None:
    """People with their roles and sources."""
    _no_argument_with_stdin(stdin, name)
    check_query(name, "name")
    check_query(role, "role")
    at_span = date_span(at) if at else None
    shown = language(ctx, lang)
    store = load(ctx, facts)
    code = country.value if country else None
    if stdin:
        done(batch(lambda text: query.who(store, text, role, code, at_span)))
        return
    answer = query.who(store, name, role, code, at_span)
    what = describe(("", name), ("--role", role), ("--country", country), ("--at", at))
    chosen_fields = _fields(fields, ["person"], ["match"])
    done(emit(answer, views.people(store, shown), fmt, as_json, what, chosen_fields))


@app.command(epilog=examples("when"))
@guarded
def when(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(metavar="[QUERY]", help="Words, places or names.")
    ] = None,
    year: YearOption = None,
    date_from: Annotated[str | None, DateOption("--from", "Events on or after this date.")] = None,
    date_to: Annotated[str | None, DateOption("--to", "Events on or before this date.")] = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    stdin: StdinOption = False,
) -> None:
    """The timeline of events, oldest first."""
    _no_argument_with_stdin(stdin, text)
    check_query(text)
    span = _span(year, date_from, date_to)
    shown = language(ctx, lang)
    store = load(ctx, facts)
    if stdin:
        done(batch(lambda line: query.when(store, line, span)))
        return
    answer = query.when(store, text, span)
    what = describe(("", text), ("--year", year), ("--from", date_from), ("--to", date_to))
    done(emit(answer, views.events(store, shown), fmt, as_json, what, _fields(fields, ["event"])))


def _span(year: int | None, date_from: str | None, date_to: str | None) -> tuple[date, date] | None:
    """The window the date options describe together, or a usage error if it is empty."""
    if year is None and date_from is None and date_to is None:
        return None
    start, end = date.min, date.max
    if year is not None:
        start, end = date(year, 1, 1), date(year, 12, 31)
    if date_from:
        start = max(start, date_span(date_from)[0])
    if date_to:
        end = min(end, date_span(date_to)[1])
    if start > end:
        raise UsageError("the date options exclude each other: the window they leave is empty")
    return start, end


@app.command(epilog=examples("trade"))
@guarded
def trade(
    ctx: typer.Context,
    year: YearOption = None,
    indicator: Annotated[
        str | None,
        typer.Option(
            "--indicator",
            "-i",
            help="One indicator, e.g. turnover.",
            autocompletion=complete.indicators,
        ),
    ] = None,
    chart: Annotated[
        bool,
        typer.Option("--chart", help="Bars of the dollar figures over time (turnover by default)."),
    ] = False,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """Trade and investment figures: period, value, growth, share; conflicts flagged."""
    if chart and (fmt is not None or as_json):
        raise UsageError("--chart draws a picture; it cannot be combined with --json or --format")
    shown = language(ctx, lang)
    store = load(ctx, facts)
    known = query.indicators(store)
    if indicator is not None and indicator.strip().lower() not in known:
        raise UsageError(f"unknown indicator {indicator!r}; expected one of: {', '.join(known)}")
    chosen = indicator.strip().lower() if indicator else None
    if chart:
        done(_chart(store, year, chosen or "turnover", shown))
        return
    answer = query.trade(store, year, chosen)
    what = describe(("--year", year), ("--indicator", chosen))
    done(emit(answer, views.trade(store, shown), fmt, as_json, what, _fields(fields, ["trade"])))


def _chart(store: Store, year: int | None, indicator: str, lang: str) -> int:
    """Draw the chart of one indicator's dollar figures; exit code 1 when there are none."""
    from kzkg_cli import chart

    rows = chart.chart_rows(query.trade(store, year, indicator).rows)
    if not rows:
        what = describe(("--year", year), ("--indicator", indicator))
        sys.stderr.write(f"kzkg: no dollar figures to chart for {what}\n")
        return int(ExitCode.NO_RESULTS)
    title = f"{indicator.replace('_', ' ').capitalize()}, US$" + (f", {year}" if year else "")
    chart.draw(rows, store, title, sys.stdout, lang)
    return int(ExitCode.OK)


@app.command(epilog=examples("borders"))
@guarded
def borders(
    ctx: typer.Context,
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="[QUERY]",
            help="A crossing point or words.",
            autocompletion=complete.checkpoints,
        ),
    ] = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    stdin: StdinOption = False,
) -> None:
    """Border crossing points and infrastructure, with status and plans."""
    _no_argument_with_stdin(stdin, text)
    check_query(text)
    shown = language(ctx, lang)
    store = load(ctx, facts)
    if stdin:
        done(batch(lambda line: query.borders(store, line)))
        return
    answer = query.borders(store, text)
    view = views.borders(store, shown)
    done(emit(answer, view, fmt, as_json, describe(("", text)), _fields(fields, ["border"])))


@app.command(epilog=examples("agreements"))
@guarded
def agreements(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(metavar="[QUERY]", help="Words of the title.")
    ] = None,
    year: YearOption = None,
    status: Annotated[
        Status | None,
        typer.Option("--status", "-s", case_sensitive=False, help="Only this status."),
    ] = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    stdin: StdinOption = False,
) -> None:
    """Treaties, plans, roadmaps, protocols and statements: date, parties, status."""
    _no_argument_with_stdin(stdin, text)
    check_query(text)
    shown = language(ctx, lang)
    store = load(ctx, facts)
    wanted = status.value if status else None
    if stdin:
        done(batch(lambda line: query.agreements(store, line, year, wanted)))
        return
    answer = query.agreements(store, text, year, wanted)
    what = describe(("", text), ("--year", year), ("--status", status))
    view = views.agreements(store, shown)
    done(emit(answer, view, fmt, as_json, what, _fields(fields, ["agreement"])))


@app.command(epilog=examples("search"))
@guarded
def search(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="Words to find anywhere.")
    ] = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    stdin: StdinOption = False,
) -> None:
    """Everything that matches, across all kinds of record, best first."""
    _no_argument_with_stdin(stdin, text, missing="the words to search for")
    check_query(text)
    shown = language(ctx, lang)
    store = load(ctx, facts)
    if stdin or text is None:
        done(batch(lambda line: query.search(store, line)))
        return
    answer = query.search(store, text)
    view = views.search(store, shown)
    done(emit(answer, view, fmt, as_json, describe(("", text)), _fields(fields, KINDS, ["score"])))


@app.command(epilog=examples("show"))
@guarded
def show(
    ctx: typer.Context,
    record_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="A record id, e.g. igc-13.", autocompletion=complete.record_ids
        ),
    ] = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    stdin: StdinOption = False,
) -> None:
    """One record in full, with every quote."""
    _no_argument_with_stdin(stdin, record_id, missing="a record id")
    store = load(ctx, facts)
    if stdin or record_id is None:
        done(batch(lambda line: query.show(store, line)))
        return
    answer = query.show(store, record_id)
    chosen = choose_format(fmt, as_json)
    if fields is None and answer.rows and chosen in (Format.table, Format.tsv):
        answer = query.Answer(views.as_fields(answer.rows[0], store))
        done(emit(answer, views.FIELD_VIEW, chosen, False, record_id))
        return
    done(emit(answer, views.records(), chosen, False, repr(record_id), _fields(fields, KINDS)))


# ----------------------------------------------------------------------------- data commands


@app.command(epilog=examples("verify"))
@guarded
def verify(
    ctx: typer.Context,
    facts: FactsOption = None,
    seeds: Annotated[
        Path | None,
        typer.Option("--seeds", help="Folder of the articles (default: beside the facts)."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Count records missing their English text as problems."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Validate the fact file, check every quote against its article, and report what lacks
    its English text."""
    from kzkg_cli.loader import load_facts, read_fact_text
    from kzkg_cli.verify import english_gaps, verify_quotes

    path = facts_path(ctx, facts)
    try:
        base = load_facts(path)
    except FactFileError as exc:
        _report_problems([str(p) for p in exc.problems], [], as_json)
        return
    text = read_fact_text(path)
    report = verify_quotes(base, seeds or paths.default_seeds(path), text)
    gaps = [str(p) for p in english_gaps(base, text)]
    problems = [str(p) for p in report.problems] + (gaps if strict else [])
    warnings = [] if strict else gaps
    if problems:
        _report_problems(problems, warnings, as_json)
        return
    summary = {"records": report.records, "quotes": report.quotes, "seeds": report.seeds}
    if as_json:
        payload = {"ok": True, **summary, "problems": [], "warnings": warnings}
        write([payload], views.records(), Format.json)
        return
    sys.stdout.write("".join(f"warning: {w}\n" for w in warnings))
    lack = "1 record lacks" if len(warnings) == 1 else f"{len(warnings)} records lack"
    english = f"{lack} English text" if warnings else "English text complete"
    sys.stdout.write(
        f"ok: {report.records} records, {report.quotes} quotes verified "
        f"against {report.seeds} articles; {english}\n"
    )


def _report_problems(problems: list[str], warnings: list[str], as_json: bool) -> None:
    if as_json:
        payload = {"ok": False, "problems": problems, "warnings": warnings}
        write([payload], views.records(), Format.json)
    else:
        sys.stdout.write("".join(p + "\n" for p in problems))
        sys.stdout.write("".join(f"warning: {w}\n" for w in warnings))
    sys.stderr.write(f"kzkg: error: {len(problems)} problem(s) found\n")
    raise typer.Exit(int(ExitCode.FACT_FILE))


@app.command(epilog=examples("export"))
@guarded
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Argument(help="The database file to write, for --format sqlite.", metavar="[OUT.db]"),
    ] = None,
    facts: FactsOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.json,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help=f"Only records of this type: {', '.join(KINDS)}."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT.db if it exists.")] = False,
) -> None:
    """Every record with its sources, to take the data elsewhere."""
    shown = language(ctx, lang)
    kinds = frozenset(kind or ())
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise UsageError(f"unknown type {unknown[0]!r}; expected one of: {', '.join(KINDS)}")
    if (fmt == ExportFormat.sqlite) != (output is not None):
        raise UsageError("--format sqlite writes a file: 'kzkg export --format sqlite OUT.db'")
    rows: list[Row] = query.export_rows(load(ctx, facts), kinds)
    if output is not None and fields is not None:
        raise UsageError("--fields shapes json, jsonl, csv and tsv, not a database")
    if output is not None:
        from kzkg_cli.sqlite_export import write_sqlite

        write_sqlite(rows, output, force)
        sys.stderr.write(f"kzkg: wrote {len(rows)} records to {output}\n")
        return
    chosen_fields = _fields(fields, sorted(kinds) or KINDS)
    done(emit(query.Answer(rows), views.records(shown), fmt, as_json, "export", chosen_fields))


@app.command(epilog=examples("sources"))
@guarded
def sources(
    ctx: typer.Context,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """The articles: outlet, date, headline and how many facts cite each."""
    shown = language(ctx, lang)
    answer = query.Answer(query.source_rows(load(ctx, facts)))
    chosen_fields = _fields(fields, ["source"], ["facts"])
    done(emit(answer, views.sources(shown), fmt, as_json, "sources", chosen_fields))


@app.command(epilog=examples("schema"))
def schema(
    compact: Annotated[bool, typer.Option("--compact", help="One line, not indented.")] = False,
) -> None:
    """The JSON Schema of the fact file, for editors that check TOML as it is typed."""
    import json

    from kzkg_cli.schema import fact_file_schema

    indent = None if compact else 2
    sys.stdout.write(json.dumps(fact_file_schema(), ensure_ascii=False, indent=indent) + "\n")
