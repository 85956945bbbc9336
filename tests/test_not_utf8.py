"""Bytes that are not UTF-8, in argv, stdin lines and file names: one clear line or a proper
answer, never a traceback, and never bytes that are not UTF-8 on stdout.

Python keeps such bytes as lone surrogates ('\\udcff'), which nothing can match and a UTF-8
stream cannot write. Only a real process shows what a shell would, so most of these run one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzkg_cli.core.errors import ExitCode

from .conftest import MINI_FACTS, Invoke

KZKG = [sys.executable, "-m", "kzkg_cli"]
BAD = b"\xff"
PETROV = "Петров".encode()

ENCODINGS = {
    "locale": {},  # C.UTF-8 here: Python reads and writes with surrogateescape
    "strict": {"PYTHONIOENCODING": "utf-8:strict"},  # as in most UTF-8 locales
}


def run(
    args: list[str | bytes], env: dict[str, str], stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    """kzkg ARGS (bytes kept as they are) in a real process; stdout and stderr as bytes."""
    argv = [os.fsencode(a) for a in [*KZKG, *args]]
    return subprocess.run(
        argv,
        input=stdin,
        capture_output=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def assert_one_line(done: subprocess.CompletedProcess[bytes], code: int) -> str:
    """The exit code, and stderr one UTF-8 line without a traceback (returned)."""
    stderr = done.stderr.decode("utf-8")  # strict: every byte written was UTF-8
    assert done.returncode == code, stderr
    assert "Traceback" not in stderr and len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("kzkg: ")
    return stderr


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("query", [BAD, PETROV + BAD], ids=["byte", "word-and-byte"])
@pytest.mark.parametrize("command", ["who", "when", "search", "borders", "agreements", "show"])
def test_a_query_that_is_not_utf8_is_a_usage_error(
    command: str, query: bytes, encoding: str
) -> None:
    done = run([command, query, "--facts", str(MINI_FACTS)], ENCODINGS[encoding])
    stderr = assert_one_line(done, ExitCode.USAGE)
    assert "is not UTF-8 text" in stderr and "\\udcff" in stderr
    assert done.stdout == b""


@pytest.mark.parametrize(
    "args",
    [
        ["who", "--role", BAD],
        ["who", "--at", BAD],
        ["who", "--country", BAD],
        ["who", "--lang", BAD],
        ["who", "--fields", BAD, "--json"],
        ["when", "--from", BAD],
        ["when", "--to", BAD],
        ["trade", "--indicator", BAD],
        ["trade", "--chart", "--indicator", BAD],
        ["agreements", "--status", BAD],
        ["show", "petrov", "--fields", BAD],
        ["sources", "--fields", BAD],
        ["export", "--fields", BAD],
        ["export", "--type", BAD],
        [BAD],
        ["who", b"--" + BAD],
    ],
)
def test_an_option_value_that_is_not_utf8_is_a_usage_error(args: list[str | bytes]) -> None:
    done = run([*args, "--facts", str(MINI_FACTS)], ENCODINGS["strict"])
    stderr = assert_one_line(done, ExitCode.USAGE)
    assert "\\udcff" in stderr


def batch_lines(done: subprocess.CompletedProcess[bytes]) -> list[dict[str, object]]:
    assert done.returncode == ExitCode.OK, done.stderr.decode("utf-8", "replace")
    assert done.stderr == b""
    text = done.stdout.decode("utf-8")  # strict: no byte that is not UTF-8 came out
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    ("command", "good"),
    [
        ("who", "Петров"),
        ("when", "Бишкек"),
        ("search", "Петров"),
        ("borders", "Петров"),
        ("agreements", "Петров"),
        ("show", "petrov"),
    ],
)
def test_stdin_lines_that_are_not_utf8_get_an_error_each(
    command: str, good: str, encoding: str
) -> None:
    lines = BAD + b"\n" + PETROV + BAD + b"\n" + good.encode() + b"\n"
    done = run([command, "--stdin", "--facts", str(MINI_FACTS)], ENCODINGS[encoding], lines)
    first, second, third = batch_lines(done)
    assert first == {
        "query": "\ufffd",
        "results": [],
        "error": "the query '\\udcff' is not UTF-8 text",
    }
    assert second["query"] == "Петров\ufffd" and "not UTF-8" in str(second["error"])
    assert third["query"] == good and "error" not in third
    if command in ("who", "search", "show"):
        assert third["results"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_fact_file_whose_name_is_not_utf8(tmp_path: Path, encoding: str) -> None:
    env = ENCODINGS[encoding]
    folder = os.fsencode(tmp_path) + b"/mini" + BAD
    shutil.copytree(MINI_FACTS.parent, os.fsdecode(folder))
    found = run(["who", "Петров", "--json", "--facts", folder + b"/facts.toml"], env)
    assert found.returncode == ExitCode.OK and json.loads(found.stdout)[0]["id"] == "petrov"
    assert run(["verify", "--facts", folder + b"/facts.toml"], env).returncode == ExitCode.OK
    missing = folder + b"/missing.toml"
    assert "\\udcff" in assert_one_line(run(["who", "x", "--facts", missing], env), 3)
    listed = run(["verify", "--facts", missing], env)
    assert "\\udcff" in listed.stdout.decode("utf-8") and listed.returncode == ExitCode.FACT_FILE
    as_json = run(["verify", "--json", "--facts", missing], env)
    problems = json.loads(as_json.stdout.decode("utf-8"))["problems"]
    assert problems == [os.fsdecode(missing).replace("\udcff", "\ufffd") + ": fact file not found"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_export_whose_name_is_not_utf8(tmp_path: Path, encoding: str) -> None:
    target = os.fsencode(tmp_path) + b"/out" + BAD + b".db"
    args: list[str | bytes] = ["export", "--format", "sqlite", target, "--facts", str(MINI_FACTS)]
    stderr = assert_one_line(run(args, ENCODINGS[encoding]), ExitCode.OK)
    assert "wrote" in stderr and "out\\udcff.db" in stderr
    assert os.path.isfile(target)


@pytest.mark.parametrize("command", ["who", "when", "search", "borders", "agreements", "show"])
def test_the_fast_path_and_the_typer_app_refuse_it_alike(
    invoke: Invoke, invoke_typer: Invoke, command: str
) -> None:
    fast = invoke(command, "\udcff", "--facts", str(MINI_FACTS))
    assert fast.code == ExitCode.USAGE and "is not UTF-8 text" in fast.stderr
    assert invoke_typer(command, "\udcff", "--facts", str(MINI_FACTS)) == fast
