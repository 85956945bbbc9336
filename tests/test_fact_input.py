"""What kzkg reads as a fact file (issue 12): regular files, and pipes read once; never more
than the size limit; never two versions of a file in one answer; never code from the
directory it runs in.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzkg_cli.ingest import read, validate
from kzkg_cli.ingest import verify as verify_module

from .conftest import REAL_FACTS, ROOT, Invoke, grown_copy

KZKG = [sys.executable, "-m", "kzkg_cli"]
QUESTION = ["who", "Бектенов", "--json"]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes and devices")


def run(
    *args: str, env: dict[str, str] | None = None, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    clean = {k: v for k, v in os.environ.items() if k != "KZKG_NO_CACHE"}
    return subprocess.run(
        [*KZKG, *args],
        input=input,
        capture_output=True,
        timeout=120,  # a guard against a hang, not a measurement
        check=False,
        env={**clean, **(env or {})},
    )


@pytest.fixture(scope="module")
def truth() -> bytes:
    return run("--facts", str(REAL_FACTS), *QUESTION).stdout


# ----------------------------------------------------------------------------- pipes, devices


@POSIX
def test_a_fifo_is_read_once(tmp_path: Path, truth: bytes) -> None:
    fifo = tmp_path / "facts.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(REAL_FACTS.read_bytes())

    writer = threading.Thread(target=write)
    writer.start()
    got = run("--facts", str(fifo), *QUESTION)
    writer.join(timeout=60)
    assert got.stdout == truth and got.returncode == 0, got.stderr


@POSIX
def test_process_substitution_and_dev_stdin_are_read(truth: bytes) -> None:
    shell = f"{' '.join(KZKG)} --facts <(cat '{REAL_FACTS}') {' '.join(QUESTION)}"
    substituted = subprocess.run(
        ["bash", "-c", shell], capture_output=True, timeout=120, check=False
    )
    assert substituted.stdout == truth, substituted.stderr
    piped = run("--facts", "/dev/stdin", *QUESTION, input=REAL_FACTS.read_bytes())
    assert piped.stdout == truth, piped.stderr


@POSIX
def test_verify_reads_a_pipe_once(tmp_path: Path) -> None:
    got = run(
        "verify",
        "--facts",
        "/dev/stdin",
        "--seeds",
        str(ROOT / "seeds"),
        input=REAL_FACTS.read_bytes(),
    )
    assert got.returncode == 0 and got.stdout.startswith(b"ok:"), got.stderr


@POSIX
def test_an_empty_pipe_is_an_empty_fact_file() -> None:
    got = run("--facts", "/dev/stdin", *QUESTION, input=b"")
    assert got.returncode == 3
    assert got.stderr == b"kzkg: error: /dev/stdin: fact file is empty\n"


@POSIX
@pytest.mark.parametrize("limit", [None, "1"])
def test_an_endless_device_is_refused_at_the_size_limit(limit: str | None) -> None:
    env = {"KZKG_MAX_FACTS_MB": limit} if limit else {}
    got = run("--facts", "/dev/zero", *QUESTION, env=env)
    megabytes = limit or "512"
    assert got.returncode == 3
    assert (
        got.stderr
        == (
            f"kzkg: error: /dev/zero: larger than kzkg's limit of {megabytes} MB "
            "(set KZKG_MAX_FACTS_MB to raise it)\n"
        ).encode()
    )


def test_a_regular_file_over_the_limit_is_refused_before_it_is_read(invoke: Invoke) -> None:
    result = invoke("--facts", str(REAL_FACTS), *QUESTION, env={"KZKG_MAX_FACTS_MB": "0.001"})
    assert result.code == 3
    assert result.stderr.endswith(
        "larger than kzkg's limit of 0.001 MB (set KZKG_MAX_FACTS_MB to raise it)\n"
    )


@pytest.mark.parametrize("value", ["abc", "0", "-5", "inf", "nan"])
def test_a_bad_size_limit_is_a_usage_error(invoke: Invoke, value: str) -> None:
    result = invoke(*QUESTION, env={"KZKG_MAX_FACTS_MB": value})
    assert result.code == 2
    assert result.stderr == (
        f"kzkg: error: KZKG_MAX_FACTS_MB must be a positive number of megabytes, not {value!r}\n"
    )


# ----------------------------------------------------------------------------- changes


@pytest.fixture
def large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A grown fact file read in several chunks, the first of which holds the 2024 turnover,
    and a cache of its own."""
    facts = grown_copy(tmp_path, records=700)
    first_chunk = facts.read_bytes().index(FIRST[0].encode()) + 2000
    assert facts.stat().st_size > 3 * first_chunk
    monkeypatch.setattr("kzkg_cli.ingest.read.CHUNK", first_chunk)
    monkeypatch.setenv("KZKG_CACHE_DIR", str(tmp_path / "cache"))
    return facts


FIRST = ("value_usd = 1700000000", "value_usd = 1900000000")
"""A change near the start of the file (the 2024 turnover) ..."""


def last_name(facts: Path) -> str:
    """... and a person near its end, renamed by the same change."""
    text = facts.read_text(encoding="utf-8")
    at = text.rindex('name = "', 0, text.rindex("[[person]]") + 400)
    return text[at + 8 : text.index('"', at + 8)]


def rewrite_while_reading(monkeypatch: pytest.MonkeyPatch, facts: Path, times: int) -> list[int]:
    """Make the fact file change after the first chunk of the next `times` readings."""
    done: list[int] = []
    real = read.chunks
    name = last_name(facts)

    def chunks(handle: object, size: int | None = None) -> Iterator[bytes]:
        pieces = real(handle, size)  # type: ignore[arg-type]
        yield next(pieces)
        if len(done) < times:
            done.append(1)
            text = facts.read_text(encoding="utf-8")
            text = text.replace(*FIRST) if len(done) == 1 else text.replace("1900", "1800")
            facts.write_text(text.replace(name, name.upper()), encoding="utf-8")
        yield from pieces

    monkeypatch.setattr(validate, "chunks", chunks)
    return done


def test_a_file_that_changes_while_it_is_read_is_read_again(
    invoke: Invoke, large: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never an answer mixed from two versions: here the first chunk of the old and the
    rest of the new would give the old turnover beside the new name."""
    name = last_name(large)
    done = rewrite_while_reading(monkeypatch, large, times=1)
    trade = invoke("--facts", str(large), "trade", "--year", "2024", "--json")
    assert done and trade.code == 0
    assert 1900000000 in [row["value_usd"] for row in trade.json()]
    assert invoke("--facts", str(large), "who", name.upper(), "--json").code == 0


def test_a_file_that_keeps_changing_is_refused(
    invoke: Invoke, large: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite_while_reading(monkeypatch, large, times=3)
    result = invoke("--facts", str(large), "trade", "--json")
    assert result.code == 3
    assert result.stderr == f"kzkg: error: {large}: changed while kzkg was reading it; run again\n"


def test_verify_reports_on_the_text_as_it_is(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """verify reads the file again for line numbers. If the curator fixed the quote in
    between, the old report would name a problem with no line in the text as it now is:
    instead the text as it is is verified again."""
    facts = tmp_path / "facts.toml"
    text = REAL_FACTS.read_text(encoding="utf-8")
    quote = text[text.index('quote = "') + 9 :].split('"', 1)[0]
    needle = f'quote = "{quote}"'  # the quote itself, not the same words in a comment
    misquoted = text.replace(needle, f'quote = "{quote} (misquoted)"', 1)
    facts.write_text(misquoted, encoding="utf-8")
    real = verify_module._Lines._read
    fixed: list[int] = []

    def read(self: verify_module._Lines) -> list[str]:
        if not fixed:  # after the index was built and the problem found
            fixed.append(1)
            facts.write_text("#\n" * 10 + text, encoding="utf-8")
        return real(self)

    monkeypatch.setattr(verify_module._Lines, "_read", read)
    result = invoke("verify", "--facts", str(facts), "--seeds", str(ROOT / "seeds"))
    assert fixed
    assert result.code == 0 and result.stdout.startswith("ok:"), result


# ----------------------------------------------------------------------------- no code run


def test_no_code_runs_from_the_working_directory(tmp_path: Path) -> None:
    """Modules planted where kzkg is run are never imported, even for a file large enough
    to be read in chunks (an older kzkg started a helper with `python -m`)."""
    facts = grown_copy(tmp_path, records=3500)
    assert facts.stat().st_size > read.CHUNK
    planted = tmp_path / "cwd"
    (planted / "kzkg_cli").mkdir(parents=True)
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    for module in ("kzkg_cli/__init__.py", "tomli.py", "re.py", "sqlite3.py", "marshal.py"):
        (planted / module).write_text(code)
    script = Path(sys.executable).with_name("kzkg")
    command = [str(script)] if script.exists() else [sys.executable, "-P", "-m", "kzkg_cli"]
    env = {**os.environ, "KZKG_CACHE_DIR": str(tmp_path / "cache")}
    got = subprocess.run(
        [*command, "--facts", str(facts), *QUESTION],
        cwd=planted,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert got.returncode == 0, got.stderr
    assert not marker.exists(), marker.read_text()


def test_kzkg_starts_no_process() -> None:
    """No subprocess, no multiprocessing: nothing kzkg runs can pick up another's code."""
    source = ROOT / "src" / "kzkg_cli"
    for path in source.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in getattr(node, "names", [])]
            module = getattr(node, "module", None) or ""
            imported = {*names, module} if isinstance(node, ast.Import | ast.ImportFrom) else set()
            assert not imported & {"subprocess", "multiprocessing", "concurrent.futures"}, path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) not in {("os", "system"), ("os", "popen")}, path
