"""Signals that stop a run (Ctrl-C, SIGTERM, SIGHUP) raised as one exception, and blocks of code
they must not split: the instants between making a temporary file and being able to remove it.

This module imports nothing: cli.entry installs the handler before anything else is loaded.
"""

WORDS = {2: "interrupted", 15: "terminated", 1: "hung up"}
"""What `kzkg: …` says for SIGINT, SIGTERM and SIGHUP (their numbers are the same everywhere
Python runs them)."""


class Stopped(BaseException):
    """The run was stopped by a signal. A BaseException, as KeyboardInterrupt is, so that no
    `except Exception` catches it and every `finally` and `except BaseException` cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def code(self) -> int:
        """The exit code a shell gives a process this signal ends: 128 + its number."""
        return 128 + self.signum

    @property
    def words(self) -> str:
        return WORDS.get(self.signum, f"stopped by signal {self.signum}")


class _State:
    armed = False
    """Whether a signal stops the run: from install() until the first one, or until disarm()."""
    holding = 0
    """How many held() blocks are open."""
    pending = 0
    """A signal that came during held(), raised when the block ends."""
    temporary: set[str] = set()
    """Files being written that a stopped run must not leave (see temporary())."""


def on_signal(signum: int, frame: object) -> None:
    """The handler of every stop signal: the first one raises Stopped (at once, or when the
    held() block it came in ends); any later one is ignored, so cleanup runs to its end."""
    if not _State.armed or _State.pending:
        return
    if _State.holding:
        _State.pending = signum
        return
    _State.armed = False
    raise Stopped(signum)


def arm() -> None:
    """Let the next stop signal raise Stopped (cli.entry installs on_signal first)."""
    _State.armed, _State.holding, _State.pending = True, 0, 0


def disarm() -> None:
    """The run has ended and its exit code stands: later signals are ignored."""
    _State.armed = False


class held:
    """`with held():` a block a stop signal does not split; a signal that comes inside it is
    raised as the block ends (a class, not contextlib: this module imports nothing)."""

    def __enter__(self) -> None:
        _State.holding += 1

    def __exit__(self, *exc: object) -> None:
        _State.holding -= 1
        if _State.holding == 0 and _State.pending:
            signum, _State.pending = _State.pending, 0
            _State.armed = False
            raise Stopped(signum)


def temporary(*names: str) -> None:
    """Note files being written: if the run is stopped before forget() is called for them,
    the entry point removes them (a signal can land even in a cleanup's first instant)."""
    _State.temporary.update(names)


def forget(*names: str) -> None:
    """The files are renamed into place or removed: nothing is left to clean up."""
    _State.temporary.difference_update(names)


def remove_temporary() -> None:
    """Remove every file noted and not forgotten (the entry point calls this when stopped)."""
    import os

    for name in sorted(_State.temporary):
        try:  # noqa: SIM105 (contextlib is an import, and this module makes none at the top)
            os.unlink(name)
        except OSError:
            pass
    _State.temporary.clear()
