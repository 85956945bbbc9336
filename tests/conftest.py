"""Shared fixtures: paths to the real and the mini fact files, and the kzkg invoker.

`invoke` runs a command line through the console script's own entry (kzkg_cli.cli.entry), in
process: the fast path where it applies and the Typer app otherwise, exactly as a shell call
would. Every test starts with no KZKG_* variable set and with one index cache shared by the
whole run, so the shipped fact base is indexed once.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from kzkg_cli.cli import entry
from kzkg_cli.cli import settings as kzkg_settings
from kzkg_cli.index.build import build
from kzkg_cli.index.store import Store
from kzkg_cli.ingest.read import FactFile

# Hypothesis draws the same examples on every run, so CI is repeatable; set
# HYPOTHESIS_PROFILE=explore to search afresh (and add what it finds as a case).
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None, max_examples=2_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REAL_FACTS = ROOT / "facts.toml"
REAL_SEEDS = ROOT / "seeds"
MINI_FACTS = DATA / "mini" / "facts.toml"


@dataclass
class Result:
    """What one kzkg call produced."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Invoke = Callable[..., Result]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run: each fact file is indexed once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> None:
    """No test sees the developer's KZKG_* settings, colours or cache."""
    for name in list(os.environ):
        if name.startswith("KZKG_") or name in ("NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KZKG_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("COLUMNS", "200")


def run_kzkg(
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    env: dict[str, str] | None = None,
    input: str | None = None,
    fast: bool = True,
) -> Result:
    """One kzkg command line through the real entry (fast=False: always the Typer app)."""
    saved = dict(os.environ)
    stdin = sys.stdin
    os.environ.update(env or {})
    sys.stdin = io.StringIO(input or "")
    try:
        code = entry._run(list(args), fast=fast)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        sys.stdin = stdin
    out, err = capsys.readouterr()
    return Result(code, out, err)


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str]) -> Invoke:
    """kzkg ARGS through the console script's own entry; env and input (stdin) optional."""

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return run_kzkg(capsys, args, env, input)

    return run


@pytest.fixture
def invoke_typer(capsys: pytest.CaptureFixture[str]) -> Invoke:
    """kzkg ARGS through the entry, always by way of the Typer app (never the fast path)."""

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return run_kzkg(capsys, args, env, input, fast=False)

    return run


@pytest.fixture
def real_facts_path() -> Path:
    """The shipped fact file as the package finds it."""
    return Path(kzkg_settings.shipped_facts())


def memory_store(facts_path: Path) -> Store:
    """The indexed fact base of a file, built in memory (no cache involved)."""
    conn = sqlite3.connect(":memory:")
    with FactFile(facts_path) as facts:
        build(conn, facts, {"identity": "test"})
    return Store(conn, "memory")


@pytest.fixture(scope="session")
def real_store() -> Iterator[Store]:
    """The shipped fact base, indexed once for the run."""
    store = memory_store(REAL_FACTS)
    yield store
    store.conn.close()


def working_copy(folder: Path) -> Path:
    """A curator's working copy in folder: the shipped fact file with a copy of the seeds
    beside it. Returns the fact file."""
    shutil.copytree(REAL_SEEDS, folder / "seeds")
    target = folder / "facts.toml"
    shutil.copy(REAL_FACTS, target)
    return target


def grown_copy(folder: Path, records: int = 40) -> Path:
    """A copy of the shipped fact file and seeds, grown by one generated article and about
    `records` records of every kind quoting it (benchmarks/generate.py writes them)."""
    import runpy
    import shutil

    generate = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"))["generate"]
    generate(records, folder / "generated", seed=7, prefix="grown-")
    shutil.copytree(REAL_SEEDS, folder / "seeds")
    for seed in (folder / "generated" / "seeds").glob("*.txt"):
        shutil.copy(seed, folder / "seeds" / seed.name)
    extra = (folder / "generated" / "facts.toml").read_text(encoding="utf-8")
    extra = extra.replace("schema_version = 1\n", "", 1)
    facts = folder / "facts.toml"
    facts.write_text(REAL_FACTS.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return facts
