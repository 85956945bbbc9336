"""The Typer app, built from the command table: Typer gives help, completion and the errors
of command lines the fast path leaves to it; the bodies are the table's own.
"""

from __future__ import annotations

import enum
import functools
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from kzkg_cli import __version__
from kzkg_cli.cli.commands import COMMANDS, GLOBAL_OPTIONS
from kzkg_cli.cli.emit import report
from kzkg_cli.cli.spec import Command, Globals, Param, ValueType
from kzkg_cli.core.dates import check_date
from kzkg_cli.core.errors import KzkgError

HELP = "Answers about Kazakhstan–Kyrgyzstan relations from a source-cited fact base."
EPILOG = (
    "Exit codes: 0 answered; 1 no results; 2 usage error; 3 fact-file error, or verify found "
    "problems; 4 the output could not be written; 129, 130, 143 stopped by SIGHUP, Ctrl-C, "
    "SIGTERM.\n\n"
    "Environment: KZKG_FACTS, KZKG_LANG (as --facts, --lang); KZKG_FORCE_TTY=1 formats output "
    "as on a terminal (a table, COLUMNS or 80 wide, in colour) even when piped; NO_COLOR "
    "turns colour off and FORCE_COLOR on, --color beating both; KZKG_CACHE_DIR, KZKG_NO_CACHE=1."
)
"""The end of `kzkg --help` (README "Exit codes" and "Output formats" say more)."""


def _check_date(value: str | None) -> str | None:
    problem = check_date(value) if value is not None else None
    if problem:
        raise typer.BadParameter(problem)
    return value


@functools.cache
def _choices(values: tuple[str, ...]) -> type[enum.StrEnum]:
    """An Enum of the values, which is how Typer takes a choice."""
    return enum.StrEnum("Choice", {value: value for value in values})  # type: ignore[return-value]


_TYPES: dict[str, Any] = {"text": str, "int": int, "date": str, "flag": bool, "path": Path}


def _python_type(value_type: ValueType, multiple: bool) -> Any:
    """The type hint Typer reads a parameter's value by."""
    name = value_type.name
    base: Any = _choices(value_type.choices) if name == "choice" else _TYPES[name]
    if multiple:
        return list[base] | None
    return base if name == "flag" else base | None


def _typer_param(param: Param) -> Any:
    """The typer.Argument or typer.Option a parameter declares."""
    value_type = param.value
    settings: dict[str, Any] = {"help": param.full_help()}
    if param.metavar:
        settings["metavar"] = param.metavar
    if param.complete:
        from kzkg_cli.cli import complete

        settings["autocompletion"] = getattr(complete, param.complete)
    if param.positional:
        return typer.Argument(**settings)
    if value_type.name == "choice" and not value_type.case_sensitive:
        settings["case_sensitive"] = False
    if value_type.name == "int":
        settings.update(min=value_type.low, max=value_type.high)
    if value_type.name == "date":
        settings["callback"] = _check_date
    return typer.Option(*param.flags, **settings)


_ANNOTATED: Any = Annotated  # built at run time from the table, not a static type


def _signature(params: tuple[Param, ...]) -> inspect.Signature:
    first = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )
    listed = [first]
    for param in params:
        annotation = _ANNOTATED[_python_type(param.value, param.multiple), _typer_param(param)]
        listed.append(
            inspect.Parameter(
                param.dest,
                inspect.Parameter.KEYWORD_ONLY,
                default=param.default,
                annotation=annotation,
            )
        )
    return inspect.Signature(listed)


def _plain(value: Any) -> Any:
    """A value as the fast path gives it: a choice as its string, a list as a tuple."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return tuple(value)
    return value


def _callback(command: Command) -> Callable[..., None]:
    """The function Typer calls for a command: the body, its errors reported as one line."""
    multiple = [p for p in command.params if p.multiple]

    def run(ctx: typer.Context, **values: Any) -> None:
        top = ctx.obj if isinstance(ctx.obj, Globals) else Globals()
        arguments = {name: _plain(value) for name, value in values.items()}
        arguments.update({p.dest: p.gather(arguments[p.dest]) for p in multiple})
        try:
            code = command.call(top, arguments)
        except KzkgError as exc:
            code = report(exc)
        if code:
            raise typer.Exit(code)

    run.__name__ = command.name
    run.__doc__ = command.help
    run.__signature__ = _signature(command.params)  # type: ignore[attr-defined]
    return run


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kzkg {__version__}\n")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    **values: Any,
) -> None:
    """Answers about Kazakhstan–Kyrgyzstan relations from a source-cited fact base."""
    ctx.obj = Globals(values.get("facts"), _plain(values.get("lang")), _plain(values.get("colour")))


def _root_signature() -> inspect.Signature:
    signature = _signature(GLOBAL_OPTIONS)
    version = inspect.Parameter(
        "version",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            bool | None,
            typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
        ],
    )
    return signature.replace(parameters=[*signature.parameters.values(), version])


def build_app() -> typer.Typer:
    """The Typer app of every command in the table."""
    app = typer.Typer(
        name="kzkg",
        help=HELP,
        epilog=EPILOG,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    _root.__signature__ = _root_signature()  # type: ignore[attr-defined]
    app.callback()(_root)
    for command in COMMANDS.values():
        app.command(command.name, epilog=command.epilog())(_callback(command))
    return app


app = build_app()
