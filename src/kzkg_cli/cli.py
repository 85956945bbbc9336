"""The Typer app: parse the command line, ask the query layer, render; nothing else."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kzkg_cli import __version__, paths, query
from kzkg_cli.errors import ExitCode, FactFileError, KzkgError
from kzkg_cli.loader import load_facts, read_fact_text
from kzkg_cli.model import KIND_BY_NAME, FactBase
from kzkg_cli.render import Column, Format, Row, View, choose_format, write
from kzkg_cli.verify import verify_quotes

app = typer.Typer(
    name="kzkg",
    help="Answers about Kazakhstan–Kyrgyzstan relations from a source-cited fact base.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])

FactsOption = Annotated[
    Path | None,
    typer.Option("--facts", help="Fact file to use instead of the shipped one [env: KZKG_FACTS]."),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", help="Output format; default: table on a terminal, tsv in a pipe."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]


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
    sys.stderr.write(f"kzkg: error: {exc.message}\n")
    if exc.hint:
        sys.stderr.write(f"kzkg: {exc.hint}\n")
    raise typer.Exit(int(exc.code)) from None


def facts_path(ctx: typer.Context, option: Path | None) -> Path:
    """The command's --facts, else the global one, else $KZKG_FACTS, else the shipped file."""
    chosen = option if option is not None else (ctx.obj or {}).get("facts")
    return paths.resolve_facts(chosen)


def load(ctx: typer.Context, option: Path | None) -> FactBase:
    """Load the fact base the command line points at."""
    return load_facts(facts_path(ctx, option))


def emit(rows: list[Row], view: View, fmt: Format | None, as_json: bool) -> None:
    """Write rows in the chosen format."""
    write(rows, view, choose_format(fmt, as_json))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kzkg {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    facts: FactsOption = None,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Answers about Kazakhstan–Kyrgyzstan relations from a source-cited fact base."""
    ctx.obj = {"facts": facts}


def _text(key: str) -> Callable[[Row], str]:
    return lambda row: "" if row.get(key) is None else str(row[key])


def _date(row: Row) -> str:
    value = row.get("date") or "—"
    return f"~{value}" if row.get("date_inferred") else value


SOURCES_VIEW = View(
    "Sources",
    [
        Column("id", _text("id"), wrap=False),
        Column("outlet", lambda r: r.get("outlet") or "—"),
        Column("date", _date),
        Column("facts", _text("facts")),
        Column("headline", lambda r: r.get("headline") or r.get("lead") or ""),
    ],
)

EXPORT_VIEW = View(
    "Records",
    [
        Column("id", _text("id"), wrap=False),
        Column("type", _text("type")),
        Column("label", lambda r: str(r.get("name") or r.get("title") or r.get("lead") or "")),
        Column("sources", lambda r: ",".join(sorted({s["doc"][:3] for s in r["sources"]}))),
    ],
)


@app.command()
@guarded
def verify(
    ctx: typer.Context,
    facts: FactsOption = None,
    seeds: Annotated[
        Path | None,
        typer.Option("--seeds", help="Folder of the articles [default: beside the fact file]."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate the fact file and check every quote against its article."""
    path = facts_path(ctx, facts)
    try:
        base = load_facts(path)
    except FactFileError as exc:
        _report_problems([str(p) for p in exc.problems], as_json)
        return
    report = verify_quotes(base, seeds or paths.default_seeds(path), read_fact_text(path))
    if report.problems:
        _report_problems([str(p) for p in report.problems], as_json)
        return
    summary = {"records": report.records, "quotes": report.quotes, "seeds": report.seeds}
    if as_json:
        write([{"ok": True, **summary, "problems": []}], EXPORT_VIEW, Format.json)
    else:
        sys.stdout.write(
            f"ok: {report.records} records, {report.quotes} quotes verified "
            f"against {report.seeds} articles\n"
        )


def _report_problems(problems: list[str], as_json: bool) -> None:
    if as_json:
        write([{"ok": False, "problems": problems}], EXPORT_VIEW, Format.json)
    else:
        sys.stdout.write("".join(p + "\n" for p in problems))
    sys.stderr.write(f"kzkg: error: {len(problems)} problem(s) found\n")
    raise typer.Exit(int(ExitCode.FACT_FILE))


@app.command()
@guarded
def export(
    ctx: typer.Context,
    facts: FactsOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    as_json: JsonOption = False,
    kind: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help=f"Only records of this type: {', '.join(KIND_BY_NAME)}."),
    ] = None,
) -> None:
    """Every record with its sources, to take the data elsewhere."""
    kinds = frozenset(kind or ())
    unknown = sorted(kinds - set(KIND_BY_NAME))
    if unknown:
        raise KzkgError(f"unknown type {unknown[0]!r}; expected one of: {', '.join(KIND_BY_NAME)}")
    rows = query.export_rows(load(ctx, facts), kinds)
    write(rows, EXPORT_VIEW, Format.json if as_json else fmt)


@app.command()
@guarded
def sources(
    ctx: typer.Context,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """The articles: outlet, date, headline and how many facts cite each."""
    emit(query.source_rows(load(ctx, facts)), SOURCES_VIEW, fmt, as_json)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="kzkg")
