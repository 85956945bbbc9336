"""Real processes stopped by SIGTERM, SIGHUP and SIGINT while they write: a cold index build, an
export to SQLite, JSON Lines into a pipe nobody reads. Wherever the signal lands, the same holds:
the exit code is the signal's (128 + its number) or the run's own if it had already ended, one
line on stderr, and no temporary file or journal left anywhere.

The moments are spread over the length of a whole run, measured on this machine, from its first
write on, with some randomness on top; no assertion depends on where a signal lands (the delay
is in each message, to reproduce a failure).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")

KZKG = [sys.executable, "-m", "kzkg_cli"]
STOPS: dict[int, str] = {
    signal.SIGTERM: "terminated",
    signal.SIGHUP: "hung up",
    signal.SIGINT: "interrupted",
}
SPREAD = (0.0, 0.15, 0.35, 0.6, 0.85, 1.1)
"""Where signals land, as fractions of a whole run (beyond 1: after it ended)."""


class Big(NamedTuple):
    """A generated fact file large enough to take a while, and how long a cold build takes."""

    facts: Path
    cold: float
    warm_cache: Path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Big:
    import runpy

    folder = tmp_path_factory.mktemp("big")
    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"))["generate"]
    generate(10_000, folder / "gen", seed=1)
    cache = folder / "cache"
    started = time.monotonic()
    done = subprocess.run(
        [*KZKG, "--facts", str(folder / "gen" / "facts.toml"), "export", "--type", "conflict"],
        env=environment(cache), capture_output=True, check=True,
    )  # fmt: skip
    assert done.stdout
    return Big(folder / "gen" / "facts.toml", time.monotonic() - started, cache)


def environment(cache: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    return {**clean, "KZKG_CACHE_DIR": str(cache)}


def delays(whole: float, signum: int) -> Iterator[float]:
    """Spread over a run, each moved by up to a tenth of it at random (the same moves for the
    same signal on every run of the suite)."""
    moves = random.Random(signum)
    for fraction in SPREAD:
        yield max(0.0, whole * (fraction + moves.uniform(-0.1, 0.1)))


def wait_until(ready: Callable[[], bool], child: subprocess.Popen[bytes]) -> None:
    """Until the run is under way (ready), or has ended. Before kzkg's entry runs, a signal
    meets Python's own defaults, which kzkg cannot change; by the time a run writes anything,
    its handlers are in."""
    deadline = time.monotonic() + 120
    while child.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.002)


def stop(args: list[str], cache: Path, signum: int, delay: float, ready: Path) -> tuple[int, str]:
    """Run kzkg; send signum `delay` seconds after the folder `ready` has something in it (the
    first file the run writes); (exit code, stderr)."""
    with subprocess.Popen(
        [*KZKG, *args], env=environment(cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as child:
        wait_until(lambda: ready.is_dir() and any(ready.iterdir()), child)
        time.sleep(delay)
        if child.poll() is None:
            child.send_signal(signum)
        _, err = child.communicate(timeout=120)
    return child.returncode, err.decode()


def check_ending(signum: int, code: int, stderr: str, context: str) -> None:
    """Stopped with the signal's code and one line, or ended on its own, quietly."""
    if code == 0:
        assert stderr == "", context
    else:
        assert (code, stderr) == (128 + signum, f"kzkg: {STOPS[signum]}\n"), context


def leftovers(folder: Path, expected: str) -> list[str]:
    """Names in folder that are not the file expected there (a glob) or a cache's build lock
    (an empty file that stays)."""
    if not folder.exists():
        return []
    return [p.name for p in folder.iterdir() if not p.match(expected) and p.suffix != ".lock"]


@pytest.mark.parametrize("signum", list(STOPS), ids=lambda s: signal.Signals(s).name)
def test_a_stopped_cold_build_leaves_no_temporary_file(
    big: Big, tmp_path: Path, signum: int
) -> None:
    args = ["--facts", str(big.facts), "export", "--type", "conflict"]
    codes = []
    for n, delay in enumerate(delays(big.cold, signum)):
        cache = tmp_path / f"cache-{n}"
        code, stderr = stop(args, cache, signum, delay, ready=cache)
        context = f"delay {delay:.3f}s of {big.cold:.3f}s: {code} {stderr!r}"
        check_ending(signum, code, stderr, context)
        assert leftovers(cache, "index-*.sqlite") == [], context
        codes.append(code)
    assert 128 + signum in codes, "no run was stopped: the test tested nothing"


@pytest.fixture(scope="module")
def export_time(big: Big, tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long an export to SQLite takes with the index already cached."""
    target = tmp_path_factory.mktemp("timing") / "out.db"
    started = time.monotonic()
    args = [*KZKG, "--facts", str(big.facts), "export", "--format", "sqlite", str(target)]
    subprocess.run(args, env=environment(big.warm_cache), capture_output=True, check=True)
    return time.monotonic() - started


@pytest.mark.parametrize("signum", list(STOPS), ids=lambda s: signal.Signals(s).name)
def test_a_stopped_export_leaves_the_old_file_or_the_new_one_and_nothing_else(
    big: Big, export_time: float, tmp_path: Path, signum: int
) -> None:
    codes = []
    for n, delay in enumerate(delays(export_time, signum)):
        cache, folder = tmp_path / f"cache-{n}", tmp_path / f"out-{n}"
        shutil.copytree(big.warm_cache, cache)
        folder.mkdir()
        target = folder / "out.db"
        args = ["--facts", str(big.facts), "export", "--format", "sqlite", str(target)]
        code, stderr = stop(args, cache, signum, delay, ready=folder)
        context = f"delay {delay:.3f}s of {export_time:.3f}s: {code} {stderr!r}"
        if code == 0:  # its one line is the report of what it wrote
            assert stderr.startswith("kzkg: wrote ") and stderr.count("\n") == 1, context
            stderr = ""
        check_ending(signum, code, stderr, context)
        assert leftovers(folder, "out.db") == [], context
        assert leftovers(cache, "index-*.sqlite") == [], context
        if target.exists():  # renamed into place whole, even if the signal came after that
            with closing(sqlite3.connect(target)) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",), context
                assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] > 0, context
        if code == 0:
            assert target.exists(), context
        codes.append(code)
    assert 128 + signum in codes, "no run was stopped: the test tested nothing"


@pytest.mark.parametrize("signum", list(STOPS), ids=lambda s: signal.Signals(s).name)
def test_a_run_stopped_while_its_reader_is_slow_ends_at_once(big: Big, signum: int) -> None:
    """The reader takes a little and then stops reading: kzkg is writing into a full pipe when
    the signal comes, and must not wait for the reader to flush the rest."""
    args = [*KZKG, "--facts", str(big.facts), "export", "--format", "jsonl"]
    env = environment(big.warm_cache)
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout and child.stderr
        assert child.stdout.read(4096)  # it is writing, and far from done: nobody reads on
        child.send_signal(signum)
        try:
            code = child.wait(timeout=60)
        finally:
            child.kill()
        assert (code, child.stderr.read().decode()) == (128 + signum, f"kzkg: {STOPS[signum]}\n")


def test_the_stop_codes_are_the_documented_ones() -> None:
    from kzkg_cli.core.errors import ExitCode
    from kzkg_cli.core.stops import Stopped

    for signum, code in (
        (signal.SIGTERM, ExitCode.TERMINATED),
        (signal.SIGHUP, ExitCode.HUNG_UP),
        (signal.SIGINT, ExitCode.INTERRUPTED),
    ):
        assert Stopped(signum).code == code


def test_a_stop_that_lands_before_a_cleanup_starts_still_removes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A signal can land in the first instant of an `except` block, before its cleanup runs:
    the files a write noted are removed by the entry point all the same."""
    from kzkg_cli.cli import entry
    from kzkg_cli.core import stops

    left = tmp_path / ".kzkg-x.tmp"

    def run(argv: list[str]) -> int:
        left.write_bytes(b"half a database")
        stops.temporary(str(left))
        raise stops.Stopped(signal.SIGTERM)

    monkeypatch.setattr(entry, "_start", run)
    monkeypatch.setattr(entry, "_point_at_devnull", lambda *args: None)  # pytest's own stdout
    try:
        assert entry._finish(["export"]) == 128 + signal.SIGTERM
    finally:
        for signum in STOPS:
            signal.signal(signum, signal.default_int_handler if signum == 2 else signal.SIG_DFL)
    assert not left.exists()
    assert capsys.readouterr().err == "kzkg: terminated\n"
