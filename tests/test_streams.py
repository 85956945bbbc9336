"""Real processes, for what CliRunner cannot see: closed pipes and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

KZKG = [sys.executable, "-m", "kzkg_cli"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    return {**clean, "KZKG_CACHE_DIR": str(tmp_path / "cache")}


@pytest.mark.parametrize(
    "args", [["export", "--format", "jsonl"], ["who", "--json"], ["search", "Бишкек"]]
)
def test_a_reader_closing_the_pipe_ends_the_run_quietly(
    env: dict[str, str], args: list[str]
) -> None:
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    with subprocess.Popen([*KZKG, *args], env=env, **pipes) as producer:  # type: ignore[call-overload]
        producer.stdout.read(1)
        producer.stdout.close()  # like `| head -c 1`
        stderr = producer.stderr.read().decode()
        assert producer.wait() == 0
    assert stderr == ""


def test_ctrl_c_exits_130_with_one_line(env: dict[str, str]) -> None:
    with subprocess.Popen(
        [*KZKG, "who", "--stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    ) as child:  # fmt: skip
        assert child.stdin and child.stdout and child.stderr
        child.stdin.write("Бектенов\n".encode())
        child.stdin.flush()
        first = child.stdout.readline().decode()
        assert '"query": "Бектенов"' in first  # it is running and its handler is installed
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=30) == 130
        assert child.stderr.read().decode() == "kzkg: interrupted\n"
