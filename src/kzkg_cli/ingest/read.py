"""Read a fact file: its text (with a plain reason when it cannot be read), parsed as TOML,
and, for a large file, cut into chunks of whole records."""

from __future__ import annotations

import functools
import io
import os
import re
import stat
import time
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

from kzkg_cli.core.errors import FactFileError, Problem, UsageError
from kzkg_cli.core.rows import KINDS

T = TypeVar("T")

FilePath = str | os.PathLike[str]
"""A path as os functions take it: kzkg keeps paths as strings where it can (see cli.settings)."""

CHUNK = 2_000_000
"""A large file is parsed in chunks of about this many bytes, so that only one chunk's parsed
TOML (several times the size of its text) is held at a time."""


@functools.cache
def _header() -> re.Pattern[bytes]:
    """A record header line ([[person]] and so on), compiled when a large file is first cut."""
    pattern = rb"^\[\[[ \t]*(?:" + "|".join(KINDS).encode() + rb")[ \t]*\]\][ \t]*\r?$"
    return re.compile(pattern, re.MULTILINE)


LIMIT_ENV = "KZKG_MAX_FACTS_MB"
"""Overrides LIMIT_MB."""
LIMIT_MB = 512
"""The largest fact file kzkg reads, in MB (about eight times a 100,000-record file), so that
/dev/zero or a runaway pipe is refused with one line instead of filling memory."""


def limit_bytes() -> int:
    """The size limit in bytes: $KZKG_MAX_FACTS_MB, else LIMIT_MB; a usage error if the
    variable is not a positive number."""
    text = os.environ.get(LIMIT_ENV, "").strip()
    try:
        megabytes = float(text) if text else LIMIT_MB
    except ValueError:
        megabytes = -1
    if not 0 < megabytes < float("inf"):
        raise UsageError(f"{LIMIT_ENV} must be a positive number of megabytes, not {text!r}")
    return int(megabytes * 1_000_000)


class Digest:
    """CRC-32 and Adler-32 of bytes given piece by piece, as 16 hex digits: cheap enough to
    take of every byte kzkg reads, and any edit changes it (not a defence against forgery)."""

    def __init__(self) -> None:
        self._crc, self._adler = 0, 1

    def update(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._adler = zlib.adler32(data, self._adler)

    def hexdigest(self) -> str:
        return f"{self._crc:08x}{self._adler:08x}"


def signature(info: os.stat_result) -> tuple[int, ...]:
    """What the file system says of a regular file, to compare: device, inode, size, and the
    modification and change times. Any write changes it (the change time cannot be set back
    by anyone but the clock); a rename over the file changes the inode."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class FactFileChanged(FactFileError):
    """The fact file changed while it was being read: reading it again may succeed."""


class FactFile:
    """A fact file opened once and read in whole passes (whole, or a chunk at a time), each
    pass digesting what it reads and checking at its end that the file did not change
    under it, so that no answer is ever made of two versions of a file.

    A regular file is read from disk on each pass. Anything else (a pipe, `<(...)`,
    /dev/stdin, a device) can be read only once: its bytes are read at opening, up to the
    size limit, and each pass reads them from memory.
    """

    def __init__(self, path: FilePath) -> None:
        self.name = os.fspath(path)
        self.limit = limit_bytes()
        self.opened_ns = time.time_ns()
        """When it was opened: a write after this moment may leave the same signature only
        on a file system whose timestamps are too coarse to tell (see index.cache)."""
        handle = _open(self.name)
        try:
            info = os.fstat(handle.fileno())
            # A regular file that says it is empty may be a /proc or FUSE file that is not:
            # read once, as a pipe is (a truly empty one is then reported as empty).
            self.regular = stat.S_ISREG(info.st_mode) and info.st_size > 0
            self.info = info if self.regular else None
            """What the file system said of a regular file when it was opened (None: read once)."""
            self.signature = signature(info) if self.regular else None
            if self.regular:
                self._handle: IO[bytes] = handle
                self._check_size(info.st_size)
            else:
                self._handle = io.BytesIO(self._read_once(handle))
                handle.close()
        except BaseException:
            handle.close()
            raise
        self.digest = ""
        """The content digest (CRC-32 and Adler-32, hex) once a pass has read every byte."""
        self._digest, self._seen = Digest(), 0

    def __enter__(self) -> FactFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def rewind(self) -> None:
        """Start a new pass from the first byte."""
        self._handle.seek(0)
        self._digest, self._seen = Digest(), 0

    def read(self, size: int = -1) -> bytes:
        """The next bytes of this pass (all the rest if size is negative), digested."""
        if size < 0 and self.info is not None:  # no more than it had (a growing file is
            size = self.info.st_size + 1 - self._seen  # caught by finish, not read on)
        data = self._handle.read(size)
        self._digest.update(data)
        self._seen += len(data)
        self._check_size(self._seen)
        return data

    def finish(self) -> str:
        """End a pass that read every byte: the content digest; a FactFileError if the file
        changed while it was read."""
        self.unchanged()
        self.digest = self._digest.hexdigest()
        return self.digest

    def unchanged(self) -> None:
        """A FactFileError if a regular file no longer is what it was when opened."""
        if self.signature is None:
            return
        info = os.fstat(self._handle.fileno())
        if signature(info) != self.signature or (self._seen and self._seen != info.st_size):
            raise FactFileChanged(
                [Problem(self.name, "changed while kzkg was reading it; run again")]
            )

    def _read_once(self, handle: IO[bytes]) -> bytes:
        data = handle.read(self.limit + 1)
        self._check_size(len(data))
        return data

    def _check_size(self, size: int) -> None:
        if size > self.limit:
            limit = f"{self.limit / 1_000_000:g} MB"
            message = f"larger than kzkg's limit of {limit} (set {LIMIT_ENV} to raise it)"
            raise FactFileError([Problem(self.name, message)])


def read_again(work: Callable[[], T], times: int) -> T:
    """work(), done again while it meets a fact file that changed under it, up to `times`
    in all: the last FactFileChanged is raised."""
    for _ in range(times - 1):
        try:
            return work()
        except FactFileChanged:
            continue
    return work()


def read_fact_text(facts: FactFile) -> str:
    """The fact file's whole text in one pass, or a FactFileError saying why it cannot be had."""
    facts.rewind()
    data = facts.read()
    facts.finish()
    return decode(data, facts.name)


def decode(data: bytes, name: str, first_line: int = 1) -> str:
    """UTF-8 bytes of a fact file as text; a FactFileError naming the line if they are not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data[: exc.start].count(b"\n")
        raise FactFileError(
            [Problem(name, f"not UTF-8 text (byte {exc.start}: {exc.reason})", line)]
        ) from None


def _open(name: str) -> IO[bytes]:
    """The path opened for reading, or a FactFileError saying plainly why not."""
    try:
        if os.path.isdir(name):
            raise IsADirectoryError
        return open(name, "rb")  # noqa: SIM115 (FactFile owns and closes it)
    except FileNotFoundError:
        raise FactFileError([Problem(name, "fact file not found")]) from None
    except IsADirectoryError:
        raise FactFileError([Problem(name, "is a directory, not a fact file")]) from None
    except PermissionError:
        raise FactFileError([Problem(name, "permission denied")]) from None
    except OSError as exc:
        raise FactFileError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """TOML text to a dict; syntax errors become a Problem with line and column."""
    import tomli  # here: a cached answer never parses TOML

    if not text.strip():
        raise FactFileError([Problem(name, "fact file is empty")])
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message = f"invalid TOML: {exc.msg} (column {exc.colno})"
        raise FactFileError([Problem(name, message, exc.lineno)]) from None
    except RecursionError:
        raise FactFileError([Problem(name, "nested too deeply to parse")]) from None


def chunks(handle: FactFile | IO[bytes], size: int | None = None) -> Iterator[bytes]:
    """The file's bytes in pieces of about size (CHUNK), each cut just before a record header.

    A header-like line inside a multi-line string can be cut at too: the piece before it then
    fails to parse, and the caller reads the whole file at once instead.
    """
    wanted = size or CHUNK
    pending = b""
    while block := handle.read(wanted):
        data = pending + block
        cut = _last_header(data) if len(block) == wanted else None  # else: the file's end
        if cut is None:
            pending = data
            continue
        yield data[:cut]
        pending = data[cut:]
    if pending:
        yield pending


def _last_header(data: bytes) -> int | None:
    """The offset of the last record header line that starts after the first byte."""
    end = len(data)
    while (at := data.rfind(b"\n[[", 0, end)) >= 0:
        if _header().match(data, at + 1):
            return at + 1
        end = at
    return None
