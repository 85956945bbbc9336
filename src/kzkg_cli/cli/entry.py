"""The `kzkg` console script: the fast path when it can read the command line, else the Typer
app; both are built from the one command table (cli.commands).

It also owns how a run ends when the outside world stops it or refuses its output. Ctrl-C,
SIGTERM and SIGHUP exit 130, 143 and 129 with one line (Typer would print "Aborted!" and exit
1 for Ctrl-C; the other two would kill the run where it stood, temporary files and all). A
reader that closes the pipe early (`| head`) ends the run quietly with 0. Output that cannot
be written (a full disk, a closed stdout) exits 4 with one line, and a stderr that cannot be
written never changes the exit code; none of them leaves Python's "Exception ignored" noise.

This module imports nothing at the top but os and sys (not even typing or __future__), so
that `kzkg --version` costs little more than Python itself.
"""

import os
import sys

INTERRUPTED, OK, USAGE, WRITE = 130, 0, 2, 4
"""Exit codes main needs before anything is imported (core.errors.ExitCode has them all; a
stop signal's is core.stops.Stopped.code, 128 + its number: INTERRUPTED for Ctrl-C)."""


class OutputFailed(Exception):
    """stdout refused what was written to it (and not because its reader left: that is
    BrokenPipeError); the text is the system's reason."""


class _Output:
    """stdout, whose failures to write end the run with exit code 4 (see main)."""

    def __init__(self, stream: object) -> None:
        self._stream = stream
        self._write = stream.write  # type: ignore[attr-defined]
        self._flush = stream.flush  # type: ignore[attr-defined]

    def write(self, text: str) -> int:
        try:
            self._write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputFailed(exc.strerror or str(exc)) from None
        return len(text)

    def flush(self) -> None:
        try:
            self._flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputFailed(exc.strerror or str(exc)) from None

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


class _Messages(_Output):
    """stderr, which never fails a run: what it cannot take is dropped, and the run keeps the
    exit code it had (there is nowhere left to say why)."""

    def write(self, text: str) -> int:
        try:
            self._write(text)
        except OSError:
            _point_at_devnull(2)
        return len(text)

    def flush(self) -> None:
        try:
            self._flush()
        except OSError:
            _point_at_devnull(2)


def main() -> None:
    """Console-script entry point."""
    _guard_streams()
    sys.exit(_finish(sys.argv[1:]))


def _finish(argv: list[str]) -> int:
    """The run's exit code, however it ended; no signal changes it once it is known."""
    from kzkg_cli.core import stops

    try:
        try:
            code = _start(argv)
            sys.stdout.flush()  # here, where a failure can still be reported
        except BrokenPipeError:
            _point_at_devnull(1)
            code = OK
        except OutputFailed as failed:
            _point_at_devnull(1)
            sys.stderr.write(f"kzkg: error: cannot write the output: {failed}\n")
            code = WRITE
        stops.disarm()
    except stops.Stopped as stop:  # also when it lands in one of the handlers above
        stops.remove_temporary()  # what a cleanup could not finish, stopped in its first instant
        _point_at_devnull(1)  # a stopped run must not wait to flush into a full pipe
        sys.stderr.write(f"kzkg: {stop.words}\n")
        code = stop.code
    _ignore_stops()
    return code


def _start(argv: list[str]) -> int:
    """Install the stop signals' handler (not for --version, answered first), then run."""
    if argv == ["--version"]:
        from kzkg_cli import __version__

        sys.stdout.write(f"kzkg {__version__}\n")
        return OK
    import signal

    from kzkg_cli.core import stops

    stops.arm()  # first: a signal the moment its handler is in must not be ignored
    for signum in _stop_signals(signal):
        signal.signal(signum, stops.on_signal)
    return _run(argv)


def _stop_signals(signal: object) -> list[int]:
    """SIGINT, SIGTERM and SIGHUP (Windows has no SIGHUP)."""
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


def _ignore_stops() -> None:
    """Once the exit code is known, no signal changes it: Python's shutdown puts back the
    default handlers, under which a signal landing then would kill the run after all."""
    signal = sys.modules.get("signal")
    if signal is not None:  # --version installs no handler
        for signum in _stop_signals(signal):
            signal.signal(signum, signal.SIG_IGN)


COMPLETE_ENV = "_KZKG_COMPLETE"
"""Set by the completion scripts that `kzkg --install-completion` installs."""

OVERVIEW = """\
kzkg answers questions about Kazakhstan–Kyrgyzstan relations from a source-cited fact base.

Most useful:
  kzkg who Бектенов          people, their offices, and the quotes that attest them
  kzkg said Токаев           what people said, verbatim, oldest first
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


def _reader_left(console: object) -> None:
    raise BrokenPipeError


def _run_typer(argv: list[str]) -> int:
    """The Typer app's answer to a command line, its errors as one line."""
    import typer
    from rich.console import Console

    from kzkg_cli.cli.app import app

    # Rich meets a reader that left (`kzkg --help | head -c 1`) by exiting 1; kzkg's answer to
    # that is 0, given by main for BrokenPipeError.
    Console.on_broken_pipe = _reader_left  # type: ignore[method-assign,assignment]
    streams = sys.stdout, sys.stderr
    try:
        result = app(args=argv, prog_name="kzkg", standalone_mode=False)
    except SystemExit as done:
        if sys.stdout is not streams[0]:  # how Typer meets a closed pipe: exit 1, stdout wrapped
            sys.stdout, sys.stderr = streams
            raise BrokenPipeError from None
        sys.stdout.flush()
        return done.code if isinstance(done.code, int) else USAGE
    except typer.Abort:  # Typer's word for an interrupted prompt or stream
        from kzkg_cli.core.stops import Stopped

        raise Stopped(2) from None
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
    sys.stderr.write(_no_query(exc, context, text) or f"kzkg: error: {text} (see '{command} -h')\n")
    return USAGE


def _no_query(exc: Exception, context: object, text: str) -> str | None:
    """What to say when a command that reads no query is given --stdin, or words it has no
    argument for: that it reads none, and what to use instead; None for any other error.
    (Click would suggest an option that merely looks alike: --json for --stdin.)"""
    import re

    from kzkg_cli.cli.commands import COMMANDS
    from kzkg_cli.core.text import one_line

    name = getattr(getattr(context, "command", None), "name", None)
    command = COMMANDS.get(name) if isinstance(name, str) else None
    if command is None or command.reads_query:
        return None
    extra = re.search(r"unexpected extra argument(?:s|\(s\))? \((.*)\)$", text)
    if getattr(exc, "option_name", None) == "--stdin":
        given, words = "--stdin", "WORDS"
    elif extra is not None and command.positional() is None:
        given, words = "words", one_line(extra.group(1))
    else:
        return None
    said = f"kzkg: error: {command.name} takes no {given}: it reads no query"
    said += f" (see 'kzkg {command.name} -h')\n"
    return said + (f"kzkg: {command.instead.format(words=words)}\n" if command.instead else "")


def _prepare_streams() -> None:
    """Never fail on a character the terminal's encoding lacks (PYTHONIOENCODING=ascii, a
    Latin-1 console): such characters are written as backslash escapes instead."""
    from kzkg_cli.present.formats import ascii_only

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and ascii_only(stream):
            reconfigure(errors="backslashreplace")


def _guard_streams() -> None:
    """Wrap stdout and stderr (see _Output and _Messages). A closed standard stream (`<&-`,
    `>&-`, `2>&-`) is first opened on /dev/null, so that no file the run opens takes its
    number: stdin then reads nothing, and stdout is opened read-only, so writing to it fails as
    writing to the closed descriptor would."""
    if sys.stdin is None:
        _point_at_devnull(0, os.O_RDONLY)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    for fd, name, flags in ((1, "stdout", os.O_RDONLY), (2, "stderr", os.O_WRONLY)):
        stream = getattr(sys, name)
        if stream is None:
            _point_at_devnull(fd, flags)
            stream = open(fd, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        setattr(sys, name, (_Output if fd == 1 else _Messages)(stream))


def _point_at_devnull(fd: int, flags: int = os.O_WRONLY) -> None:
    """Point a descriptor at /dev/null: the interpreter's final flush of what its stream still
    holds then succeeds, and nothing more is written where writing failed."""
    try:
        devnull = os.open(os.devnull, flags)
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)
    except OSError:
        pass
