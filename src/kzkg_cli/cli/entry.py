"""The `kzkg` console script: the fast path when it can read the command line, else the Typer
app; both are built from the one command table (cli.commands).

It also owns how a run ends when the outside world stops it: Ctrl-C exits 130 with one line
(Typer would print "Aborted!" and exit 1), and a reader that closes the pipe early (`| head`)
ends the run quietly with 0, without Python's "Exception ignored" noise.

This module imports nothing at the top but os and sys (not even typing or __future__), so
that `kzkg --version` costs little more than Python itself.
"""

import os
import sys

INTERRUPTED, OK, USAGE = 130, 0, 2
"""Exit codes main needs before anything is imported (core.errors.ExitCode has them all)."""


class Interrupted(BaseException):
    """Ctrl-C, raised past Typer's own KeyboardInterrupt handler."""


def _on_sigint(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> None:
    """Console-script entry point."""
    argv = sys.argv[1:]
    if argv == ["--version"]:  # answered before anything else is loaded
        from kzkg_cli import __version__

        sys.stdout.write(f"kzkg {__version__}\n")
        return
    import signal

    signal.signal(signal.SIGINT, _on_sigint)
    try:
        sys.exit(_run(argv))
    except Interrupted:
        sys.stderr.write("kzkg: interrupted\n")
        sys.exit(INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(OK)


COMPLETE_ENV = "_KZKG_COMPLETE"
"""Set by the completion scripts that `kzkg --install-completion` installs."""

OVERVIEW = """\
kzkg answers questions about Kazakhstan–Kyrgyzstan relations from a source-cited fact base.

Most useful:
  kzkg who Бектенов          people, their roles, and the quotes that attest them
  kzkg when Хан-Тенгри       events, oldest first
  kzkg trade --year 2025     trade and investment figures, disagreements flagged
  kzkg agreements            treaties, plans, roadmaps and what became of them
  kzkg search ТЕКСТ          everything that matches, best first
  kzkg show ID               one record in full, every quote

Add --json (or --format csv, tsv, jsonl) for scripts; --stdin answers a query per line.
Add --lang en (or set KZKG_LANG=en) for the curated English beside the Russian.
Every command: kzkg -h. One command, with examples: kzkg who -h.
"""


def _run(argv: list[str], fast: bool = True) -> int:
    """Run one command line and return its exit code; fast=False always takes the Typer app
    (the grammar tests compare the two)."""
    _prepare_streams()
    completing = COMPLETE_ENV in os.environ  # the shell asks for completions with no argv
    if not argv and not completing:
        sys.stdout.write(OVERVIEW)
        return OK
    from kzkg_cli.cli.fast import run

    code = None if completing or not fast else run(argv)
    if code is not None:
        sys.stdout.flush()
        return code
    return _run_typer(argv)


def _run_typer(argv: list[str]) -> int:
    """The Typer app's answer to a command line, its errors as one line."""
    import typer

    from kzkg_cli.cli.app import app

    try:
        result = app(args=argv, prog_name="kzkg", standalone_mode=False)
    except SystemExit as done:
        sys.stdout.flush()
        return done.code if isinstance(done.code, int) else USAGE
    except typer.Abort:  # Typer's word for an interrupted prompt or stream
        raise Interrupted from None
    except Exception as exc:
        code = _command_line_error(exc)
        if code is None:
            raise
        return code
    sys.stdout.flush()
    return result if isinstance(result, int) else OK


def _command_line_error(exc: Exception) -> int | None:
    """Report a bad command line (Click's UsageError and kin) as one line; None if not one.

    Typer would draw a box of several lines around it; scripts and people both read one
    line better. The error's own text can echo what was typed, so it is neutralised too.
    """
    message = getattr(exc, "format_message", None)
    exit_code = getattr(exc, "exit_code", None)
    if not callable(message) or not isinstance(exit_code, int):
        return None
    from kzkg_cli.core.text import neutralise

    context = getattr(exc, "ctx", None)
    command = getattr(context, "command_path", None) or "kzkg"
    if type(exc).__name__ == "NoArgsIsHelpError":  # the help is already on screen
        return USAGE
    text = neutralise(" ".join(str(message()).split()))
    sys.stderr.write(f"kzkg: error: {text} (see '{command} -h')\n")
    return USAGE


def _prepare_streams() -> None:
    """Never fail on a character the terminal's encoding lacks (PYTHONIOENCODING=ascii, a
    Latin-1 console): such characters are written as backslash escapes instead."""
    from kzkg_cli.present.formats import ascii_only

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and ascii_only(stream):
            reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
