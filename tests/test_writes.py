"""Where kzkg writes, and what it does when it cannot: the file `export --format sqlite`
replaces (only a regular one), the permissions it gets (the umask's; the cache's stay private),
and output that cannot be written (exit 4, one line) or a stderr that cannot (the exit code
stands). Real processes, where a closed or full descriptor is what counts.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import Invoke, grown_copy

KZKG = [sys.executable, "-m", "kzkg_cli"]
FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full here")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    return {**clean, "KZKG_CACHE_DIR": str(tmp_path / "cache")}


def kzkg(
    args: list[str], env: dict[str, str], shell: str = "", **options: Any
) -> subprocess.CompletedProcess[str]:
    """kzkg ARGS as a real process; shell, if given, is redirections as sh writes them."""
    command = [*KZKG, *args]
    if shell:
        command = ["sh", "-c", f'exec "$@" {shell}', "sh", *command]
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | options
    return subprocess.run(command, env=env, text=True, timeout=120, **streams)


def one_error_line(stderr: str) -> bool:
    return stderr.startswith("kzkg: error: ") and stderr.count("\n") == 1


# ----------------------------------------------------------------------------- export targets


def test_export_refuses_dev_null_before_writing_anything(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root, kzkg once replaced /dev/null with a database. Any write into /dev fails this
    test before it can happen, so the test is safe to run as root against a regression."""
    made = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        assert Path(kwargs.get("dir") or ".").resolve() != Path("/dev"), "wrote into /dev"
        return made(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    result = invoke("export", "--format", "sqlite", "/dev/null", "--force")
    assert result.code == 2 and one_error_line(result.stderr), result.stderr
    assert "/dev/null is a device, not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))


def make_device(path: Path) -> None:
    """A node for the same device as /dev/null: only root can make one."""
    os.mknod(path, stat.S_IFCHR | 0o666, os.stat("/dev/null").st_rdev)


def make_folder(path: Path) -> None:
    path.mkdir()


ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a device node")
SPECIAL = [  # (how to make the file, what the error says)
    pytest.param(make_fifo, "is a named pipe, not a regular file", id="fifo"),
    pytest.param(make_socket, "is a socket, not a regular file", id="socket"),
    pytest.param(make_folder, "is a directory", id="directory"),
    pytest.param(make_device, "is a device, not a regular file", id="device", marks=ROOT_ONLY),
]


@pytest.mark.parametrize(("make", "message"), SPECIAL)
def test_export_replaces_only_a_regular_file_even_with_force(
    env: dict[str, str], make: Callable[[Path], None], message: str
) -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as short:  # a socket's path must be short
        folder = Path(short)
        target = folder / "out"
        make(target)
        kind = stat.S_IFMT(target.lstat().st_mode)
        done = kzkg(["export", "--format", "sqlite", str(target), "--force"], env)
        assert done.returncode == 2 and one_error_line(done.stderr), done.stderr
        assert message in done.stderr
        assert stat.S_IFMT(target.lstat().st_mode) == kind  # still what it was
        assert [p.name for p in folder.iterdir()] == ["out"]  # no temporary file left


@pytest.mark.parametrize("force", [True, False])
def test_export_refuses_a_symbolic_link_and_leaves_it_and_its_file_alone(
    env: dict[str, str], tmp_path: Path, force: bool
) -> None:
    """Refused, not followed: see present.sqlite.check_target for why."""
    real, link = tmp_path / "real.db", tmp_path / "link.db"
    real.write_text("mine")
    link.symlink_to(real)
    done = kzkg(["export", "-f", "sqlite", str(link), *(["--force"] * force)], env)
    assert done.returncode == 2 and one_error_line(done.stderr), done.stderr
    assert "is a symbolic link" in done.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "mine"


def test_export_refuses_a_dangling_symbolic_link(env: dict[str, str], tmp_path: Path) -> None:
    link, elsewhere = tmp_path / "link.db", tmp_path / "elsewhere.db"
    link.symlink_to(elsewhere)
    done = kzkg(["export", "-f", "sqlite", str(link)], env)
    assert done.returncode == 2 and "is a symbolic link" in done.stderr, done.stderr
    assert link.is_symlink() and not elsewhere.exists()


def test_an_export_that_cannot_be_written_exits_4(env: dict[str, str], tmp_path: Path) -> None:
    """Not a usage error (2): the command line was fine, the file system said no."""
    (tmp_path / "file").write_text("")
    done = kzkg(["export", "-f", "sqlite", str(tmp_path / "file" / "out.db")], env)
    assert done.returncode == 4 and one_error_line(done.stderr), done.stderr
    assert "cannot write" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_an_export_onto_a_full_disk_exits_4_and_leaves_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    """SQLite says "database or disk is full" (here: a file size limit, as a full disk would),
    which is not an OSError: still one line, exit 4, no temporary file."""
    import resource

    kzkg(["trade"], env)  # the cache is written first, with no limit
    folder = tmp_path / "out"
    folder.mkdir()

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_384, 16_384))

    done = kzkg(["export", "-f", "sqlite", str(folder / "out.db")], env, preexec_fn=small_files)
    assert done.returncode == 4 and one_error_line(done.stderr), done.stderr
    assert "cannot write" in done.stderr
    assert list(folder.iterdir()) == []


# ----------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
@pytest.mark.parametrize("replacing", [False, True])
def test_the_export_file_gets_the_permissions_the_umask_gives(
    env: dict[str, str], tmp_path: Path, umask: int, replacing: bool
) -> None:
    target = tmp_path / "kzkg.db"
    if replacing:  # a private file from before keeps nothing of its own
        target.write_text("")
        target.chmod(0o600)
    done = kzkg(["export", "-f", "sqlite", str(target), "--force"], env, umask=umask)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_the_cache_stays_private_whatever_the_umask(env: dict[str, str], tmp_path: Path) -> None:
    done = kzkg(["who", "Бектенов", "--json"], env, umask=0o022)
    assert done.returncode == 0, done.stderr
    cached = list(Path(env["KZKG_CACHE_DIR"]).glob("index-*.sqlite"))
    assert cached
    for path in cached:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


# ----------------------------------------------------------------------------- output that fails

OUTPUTS = [
    ["export", "--format", "json"],
    ["export", "--format", "jsonl"],
    ["export", "--format", "csv"],
    ["export", "--format", "tsv"],
    ["search", "Бишкек"],  # a query's plain output (TSV, not being a terminal)
    ["who", "Бектенов", "--json"],
    ["schema"],
    ["--version"],
    ["who", "--help"],  # the Typer app's path
]


@needs_dev_full
@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
def test_a_full_stdout_exits_4_with_one_line(env: dict[str, str], args: list[str]) -> None:
    with FULL.open("w") as full:
        done = kzkg(args, env, stdout=full)
    assert done.returncode == 4, done.stderr
    assert done.stderr == "kzkg: error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
def test_a_closed_stdout_exits_4_with_one_line(env: dict[str, str], args: list[str]) -> None:
    done = kzkg(args, env, shell=">&-")
    assert done.returncode == 4, done.stderr
    assert done.stderr == "kzkg: error: cannot write the output: Bad file descriptor\n"


def test_a_closed_stdout_is_no_error_for_a_run_that_writes_none(
    env: dict[str, str], tmp_path: Path
) -> None:
    done = kzkg(["export", "-f", "sqlite", str(tmp_path / "kzkg.db")], env, shell=">&-")
    assert done.returncode == 0 and done.stderr.startswith("kzkg: wrote "), done.stderr


def test_a_closed_stdin_reads_as_empty(env: dict[str, str]) -> None:
    done = kzkg(["who", "--stdin"], env, shell="<&-")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


# (arguments, the exit code they end with whatever becomes of stderr)
FAILURES = [
    (["who", "--year", "abc"], 2),  # the Typer app's usage error
    (["who", "--json", "--format", "csv", "x"], 2),  # the fast path's
    (["--facts", "/nonexistent/facts.toml", "who", "x"], 3),
    (["who", "Никтоникогда"], 1),
]


@pytest.mark.parametrize("stderr", ["2>/dev/full", "2>&-"])
@pytest.mark.parametrize(("args", "code"), FAILURES, ids=[" ".join(a) for a, _ in FAILURES])
def test_a_stderr_that_cannot_be_written_keeps_the_exit_code(
    env: dict[str, str], stderr: str, args: list[str], code: int
) -> None:
    if stderr.endswith("full") and not FULL.exists():
        pytest.skip("no /dev/full here")
    done = kzkg(args, env, shell=stderr)
    assert (done.returncode, done.stdout, done.stderr) == (code, "", "")


@needs_dev_full
@pytest.mark.parametrize("stderr", ["2>/dev/full", "2>&-"])
def test_output_and_stderr_both_failing_exit_4(env: dict[str, str], stderr: str) -> None:
    done = kzkg(["export", "--format", "jsonl"], env, shell=f">/dev/full {stderr}")
    assert (done.returncode, done.stdout, done.stderr) == (4, "", "")


def test_a_reader_closing_the_pipe_early_is_still_0_on_the_typer_path(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`kzkg ... | head -c 1` by way of the Typer app (-fjsonl is a shape only Click reads):
    Typer itself ends such a run with 1, as if nothing had matched."""
    facts = grown_copy(tmp_path, records=1500)  # batches of lines well past what a pipe holds
    args = [*KZKG, "--facts", str(facts), "export", "-fjsonl"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    with subprocess.Popen(args, env=env, **pipes) as producer:  # type: ignore[call-overload]
        assert producer.stdout.read(1)
        producer.stdout.close()  # like `| head -c 1`
        stderr = producer.stderr.read().decode()
        assert producer.wait() == 0, stderr
    assert stderr == ""


@pytest.mark.parametrize("args", [["--help"], ["who", "--help"], ["trade", "-h"]])
def test_help_into_a_pipe_nobody_reads_is_0(env: dict[str, str], args: list[str]) -> None:
    """Typer draws help with Rich, which exits 1 when its reader has left: kzkg says 0."""
    read, write = os.pipe()
    os.close(read)  # no reader at all: the first write fails
    try:
        done = subprocess.run([*KZKG, *args], env=env, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert done.returncode == 0 and done.stderr == b"", done.stderr


def test_the_entry_points_write_code_is_the_documented_one() -> None:
    from kzkg_cli.cli import entry
    from kzkg_cli.core.errors import ExitCode

    assert entry.WRITE == ExitCode.WRITE
