"""What a plain scripted call loads: a cached answer never loads Typer, Rich, the model, the
TOML parser or pathlib (each costs a large part of the start-up budget, README "Performance").

Timing is the benchmarks' business; this checks the modules, which do not depend on the
machine.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

HEAVY = {"typer", "rich", "tomli", "kzkg_cli.core.model", "dataclasses", "pathlib", "grp", "pwd"}
DRAFT = {"razdel", "pymorphy3", "kzkg_cli.ingest.draft"}
"""The draft extra: only `kzkg draft` loads it."""
"""Modules a cached plain call never needs (grp and pwd: the cache folder checks look a group
up only for a group-writable folder, and a sticky one above, such as /tmp, is not one)."""
SCRIPTED: list[str] = runpy.run_path(str(ROOT / "benchmarks" / "bench.py"))["SCRIPTED"]
PLAIN = [*SCRIPTED, "borders Карасу --format tsv", "--version"]
"""Every plain call the benchmark times against its budget, and a few more."""
PROBE = """
import io, json, sys
from kzkg_cli.cli import entry
out, sys.stdout = sys.stdout, io.StringIO()
code = entry._run(sys.argv[1:]) if sys.argv[1:] != ["--version"] else 0
sys.stdout = out
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded(args: list[str], cache: Path) -> tuple[int, set[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    env["KZKG_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.splitlines()[-1])
    return found["code"], set(found["modules"])


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    for line in ("who x", "schema --compact"):  # builds the index, keeps the schema
        loaded(line.split(), cache)
    return cache


@pytest.mark.parametrize("line", PLAIN)
def test_a_cached_plain_call_loads_nothing_heavy(warm: Path, line: str) -> None:
    code, modules = loaded(line.split(), warm)
    assert code == 0
    assert modules & HEAVY == set()


def test_a_fuzzy_miss_loads_rapidfuzz_and_an_exact_hit_does_not(warm: Path) -> None:
    assert "rapidfuzz" in loaded(["who", "Бектурганов", "--json"], warm)[1]
    assert "rapidfuzz" not in loaded(["who", "Бектенов", "--json"], warm)[1]


@pytest.mark.parametrize("line", ["who Бектенов", "who Бектурганов --json", "who --help"])
def test_a_query_does_not_load_the_draft_extra(warm: Path, line: str) -> None:
    assert loaded(line.split(), warm)[1] & DRAFT == set()


def test_the_typer_path_does_not_load_the_model(warm: Path) -> None:
    code, modules = loaded(["who", "--help"], warm)
    assert code == 0 and "typer" in modules
    assert "kzkg_cli.core.model" not in modules
