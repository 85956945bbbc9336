"""The `kzkg` console script: the fast path when it applies, else the Typer app.

It also owns how a run ends when the outside world stops it: Ctrl-C exits 130 with one line
(Typer would print "Aborted!" and exit 1), and a reader that closes the pipe early (`| head`)
ends the run quietly with 0, without Python's "Exception ignored" noise.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

from kzkg_cli.errors import ExitCode


class Interrupted(BaseException):
    """Ctrl-C, raised past Typer's own KeyboardInterrupt handler."""


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    raise Interrupted


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        sys.exit(_run(sys.argv[1:]))
    except Interrupted:
        sys.stderr.write("kzkg: interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(int(ExitCode.OK))


def _run(argv: list[str]) -> int:
    from kzkg_cli.fast import run

    code = run(argv)
    if code is not None:
        sys.stdout.flush()
        return code
    from kzkg_cli.cli import app

    try:
        app(args=argv, prog_name="kzkg", standalone_mode=True)
    except SystemExit as done:
        sys.stdout.flush()
        return done.code if isinstance(done.code, int) else int(ExitCode.USAGE)
    return int(ExitCode.OK)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
