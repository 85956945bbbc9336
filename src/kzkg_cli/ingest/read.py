"""Read a fact file: its text (with a plain reason when it cannot be read), parsed as TOML,
and, for a large file, cut into chunks of whole records."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kzkg_cli.core.errors import FactFileError, Problem
from kzkg_cli.core.rows import KINDS

FilePath = str | os.PathLike[str]
"""A path as os functions take it: kzkg keeps paths as strings where it can (see cli.settings)."""

CHUNK = 2_000_000
"""A large file is parsed in chunks of about this many bytes, so that only one chunk's parsed
TOML (several times the size of its text) is held at a time."""

_HEADER = re.compile(
    rb"^\[\[[ \t]*(?:" + "|".join(KINDS).encode() + rb")[ \t]*\]\][ \t]*\r?$",
    re.MULTILINE,
)


def read_fact_text(path: Path) -> str:
    """The fact file's text, or a FactFileError saying plainly why it cannot be read."""
    with _reading(path) as handle:
        data = handle.read()
    return decode(data, str(path))


def decode(data: bytes, name: str, first_line: int = 1) -> str:
    """UTF-8 bytes of a fact file as text; a FactFileError naming the line if they are not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data[: exc.start].count(b"\n")
        raise FactFileError(
            [Problem(name, f"not UTF-8 text (byte {exc.start}: {exc.reason})", line)]
        ) from None


def open_fact_file(path: Path) -> IO[bytes]:
    """The fact file opened for reading, or a FactFileError saying plainly why not."""
    return _reading(path)


def _reading(path: Path) -> IO[bytes]:
    name = str(path)
    try:
        if path.is_dir():
            raise IsADirectoryError
        return path.open("rb")
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


def chunks(handle: IO[bytes], size: int | None = None) -> Iterator[bytes]:
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
        if _HEADER.match(data, at + 1):
            return at + 1
        end = at
    return None
