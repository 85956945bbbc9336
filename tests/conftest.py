"""Shared fixtures: paths to the real and the mini fact files, and a CLI invoker."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from kzkg_cli import entry, paths
from kzkg_cli.cli import app
from kzkg_cli.index import build_index, to_entries
from kzkg_cli.loader import load_rows
from kzkg_cli.store import Store

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
    """What one CLI call produced."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Invoke = Callable[..., Result]
Kzkg = Callable[..., Result]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's KZKG_* settings, colours or cache."""
    for name in ("KZKG_FACTS", "KZKG_LANG", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def invoke() -> Invoke:
    """Run kzkg in-process with CliRunner; stdout and stderr kept apart."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        result = runner.invoke(app, list(args), env=env, input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def kzkg(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Kzkg:
    """kzkg ARGS through the console script's own entry, in-process."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        saved = dict(os.environ)
        os.environ.update(env or {})
        try:
            code = entry._run(list(args))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def real_facts_path() -> Path:
    """The shipped fact file as the package finds it."""
    return paths.shipped_facts()


def memory_store(facts_path: Path) -> Store:
    """The indexed fact base of a file, built in memory (no cache involved)."""
    conn = sqlite3.connect(":memory:")
    build_index(conn, "test", to_entries(load_rows(facts_path)), lambda done: None)
    return Store(conn, "memory")
