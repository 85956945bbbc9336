"""Run the installed `kzkg` in a real pseudo-terminal of a given size, as a person would.

The child gets a pty (os.openpty) as stdin and stdout, with its window size set by
TIOCSWINSZ, so Rich reads the width from the terminal itself (COLUMNS and LINES are removed
from its environment); stderr is a pipe, read apart. What the terminal received comes back as
text, carriage returns removed, with and without its colour codes.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import NamedTuple

SGR = re.compile(r"\x1b\[[0-9;]*m")
"""Select Graphic Rendition: the colour and bold codes Rich writes on a terminal."""


class Screen(NamedTuple):
    """What one run in a terminal produced."""

    code: int
    raw: str
    """Everything written to the terminal, escape codes and all."""
    stderr: str

    @property
    def text(self) -> str:
        """What a reader sees: the output without its colour codes."""
        return SGR.sub("", self.raw)


def kzkg_command() -> list[str]:
    """The console script installed beside this Python (what CI installs), else the module."""
    script = Path(sys.executable).parent / "kzkg"
    if script.exists():
        return [str(script)]
    found = shutil.which("kzkg")
    return [found] if found else [sys.executable, "-m", "kzkg_cli"]


def in_terminal(
    args: list[str], columns: int, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Screen:
    """Run kzkg ARGS in a terminal columns wide (and 50 lines tall)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    child_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    for name in ("COLUMNS", "LINES"):
        child_env.pop(name, None)
    with subprocess.Popen(
        [*kzkg_command(), *args],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=child_env,
        cwd=cwd,
        close_fds=True,
    ) as child:
        os.close(slave)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal's other end
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        assert child.stderr is not None
        stderr = child.stderr.read().decode("utf-8", "replace")
        code = child.wait(timeout=120)
    raw = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Screen(code, raw, stderr)
