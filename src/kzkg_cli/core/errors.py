"""Exit codes and the exception tree the core raises; the CLI turns them into one line."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """Every code kzkg can return (documented in README "Exit codes")."""

    OK = 0
    NO_RESULTS = 1
    USAGE = 2
    FACT_FILE = 3
    WRITE = 4
    """The output could not be written: stdout (a full disk, a closed descriptor) or the file
    `export --format sqlite` writes. A reader closing the pipe early is not this: that is 0."""
    HUNG_UP = 129
    """SIGHUP (128 + its number, as a shell reports a process the signal ends)."""
    INTERRUPTED = 130
    """SIGINT, Ctrl-C."""
    TERMINATED = 143
    """SIGTERM (`kill`, `timeout`)."""


class Problem(NamedTuple):
    """One thing wrong with a fact file, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    where: str = ""

    def __str__(self) -> str:
        location = self.file if self.line is None else f"{self.file}:{self.line}"
        where = f" {self.where}:" if self.where else ""
        return f"{location}:{where} {self.message}"


class KzkgError(Exception):
    """Base of every error kzkg reports; carries its exit code."""

    code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(KzkgError):
    """The command line asks for something that cannot be answered as asked."""

    code = ExitCode.USAGE


class WriteError(KzkgError):
    """The output cannot be written where it was asked to go."""

    code = ExitCode.WRITE


class FactFileError(KzkgError):
    """The fact file cannot be read, parsed or validated."""

    code = ExitCode.FACT_FILE

    def __init__(self, problems: list[Problem]) -> None:
        first = str(problems[0]) if problems else "invalid fact file"
        more = f" (and {len(problems) - 1} more; run 'kzkg verify')" if len(problems) > 1 else ""
        super().__init__(first + more)
        self.problems = problems
