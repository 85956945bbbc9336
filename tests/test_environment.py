"""Real processes in odd surroundings: encodings, locales, terminals, homes, read-only files.

CliRunner cannot change the interpreter's stream encoding or locale, so these run
`python -m kzkg_cli` as a shell would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REAL_FACTS, REAL_SEEDS

KZKG = [sys.executable, "-m", "kzkg_cli"]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KZKG, *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KZKG_", "LC_", "PYTHONIO")) and k not in ("LANG", "NO_COLOR")
    }
    return {**clean, "KZKG_CACHE_DIR": str(tmp_path / "cache"), "LANG": "C.UTF-8"}


def test_ascii_stdout_still_gives_valid_json_and_readable_text(env: dict[str, str]) -> None:
    normal = run(["who", "Бектенов", "--json"], env)
    ascii_env = {**env, "PYTHONIOENCODING": "ascii"}
    escaped = run(["who", "Бектенов", "--json"], ascii_env)
    assert escaped.returncode == 0 and escaped.stderr == ""
    assert escaped.stdout.isascii()
    assert json.loads(escaped.stdout) == json.loads(normal.stdout)
    for args in (["who", "Бектенов"], ["who", "Бектенов", "--format", "table"], ["when"]):
        shown = run(args, ascii_env)
        assert shown.returncode == 0 and shown.stdout.isascii() and "Traceback" not in shown.stderr
        assert "\\u0411\\u0435\\u043a" in shown.stdout  # Бек, escaped rather than lost
    missing = run(["who", "Жжжжжжж"], ascii_env)
    assert (
        missing.returncode == 1 and missing.stderr.isascii() and "Traceback" not in missing.stderr
    )


@pytest.mark.parametrize("locale", ["C", "POSIX"])
def test_the_c_locale(env: dict[str, str], locale: str) -> None:
    local = {**env, "LC_ALL": locale, "LANG": locale}
    result = run(["who", "Бектенов", "--json"], local)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "bektenov"


@pytest.mark.parametrize(
    "extra",
    [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {"COLUMNS": "20"}, {"COLUMNS": "1"}, {"COLUMNS": "x"}],
)
@pytest.mark.parametrize("args", [["who"], ["trade", "--format", "table"], ["show", "bektenov"]])
def test_odd_terminals_get_plain_text(
    env: dict[str, str], extra: dict[str, str], args: list[str]
) -> None:
    result = run(args, {**env, **extra})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and result.stderr == ""
    words = {"who": "Бектенов", "trade": "turnover", "show": "Бектенов"}
    assert words[args[0]] in result.stdout  # the data is there, however narrow


def test_no_terminal_at_all(env: dict[str, str]) -> None:
    result = subprocess.run(
        [*KZKG, "who", "Бектенов", "--json"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
        start_new_session=True,  # no controlling terminal
    )
    assert result.returncode == 0 and json.loads(result.stdout)


@pytest.mark.parametrize("home", ["missing", "read-only"])
def test_no_usable_home_or_cache_still_answers(
    env: dict[str, str], tmp_path: Path, home: str
) -> None:
    place = tmp_path / "home"
    if home == "read-only":
        place.mkdir()
        place.chmod(0o500)
    local = {k: v for k, v in env.items() if k not in ("KZKG_CACHE_DIR", "XDG_CACHE_HOME")}
    local["HOME"] = str(place)
    result = run(["who", "Бектенов", "--json"], local)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)[0]["id"] == "bektenov"


def digest(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_a_read_only_fact_file_is_read_and_never_written(
    env: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    facts = data / "facts.toml"
    shutil.copy(REAL_FACTS, facts)
    shutil.copytree(REAL_SEEDS, data / "seeds")
    before = digest(data), digest(data / "seeds")
    facts.chmod(0o444)
    (data / "seeds").chmod(0o555)
    data.chmod(0o555)
    local = {**env, "KZKG_FACTS": str(facts)}
    try:
        for args in (
            ["who", "Бектенов"],
            ["trade", "--json"],
            ["verify"],
            ["export", "--format", "csv"],
            ["search", "Хан-Тенгри"],
        ):
            result = run(args, local)
            assert result.returncode == 0, (args, result.stderr)
    finally:
        data.chmod(0o755)
        (data / "seeds").chmod(0o755)
    assert (digest(data), digest(data / "seeds")) == before
