"""The cache of indexed fact bases: one SQLite file per fact file, in the user cache folder.

The cache is derived data, keyed by everything it is derived from: the fact file (path, size,
modification time, inode), kzkg's version, Python's, and a digest of the source of the code
that builds the rows (core, ingest and index: the layers the build may import), so a change
to that code rebuilds the cache without anyone remembering to bump a format number. The fact
file is known by its path, size, modification time and inode, not by its content (reading 60
MB to answer one name would cost more than the answer). A missing, corrupt or foreign cache
is rebuilt; an unwritable cache folder means the index is built in memory; neither is an
error.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from kzkg_cli import __version__
from kzkg_cli.index.store import Store

if TYPE_CHECKING:
    FilePath = str | os.PathLike[str]

CACHE_ENV = "KZKG_CACHE_DIR"
NO_CACHE_ENV = "KZKG_NO_CACHE"
BUILDERS = ("core", "ingest", "index")
"""The subpackages whose code decides what the cache holds."""
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
"""The kzkg_cli folder: its code, and in a wheel its data."""
# Paths are strings here (os.path), as in cli.settings: pathlib costs a cached answer more than
# everything else it does.


def cache_dir() -> str:
    """The user cache directory by the platform's convention, with a kzkg folder in it."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return override
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "kzkg", "Cache")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "kzkg")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "kzkg")


def code_digest(package: FilePath | None = None) -> str:
    """A digest of the source of every module that builds the rows (CRC-32 and Adler-32 over
    names and contents: cheap enough to compute on each call, and any edit changes it)."""
    crc, adler = 0, 1
    for folder in BUILDERS:
        where = os.path.join(package or PACKAGE_DIR, folder)
        for name in sorted(n for n in os.listdir(where) if n.endswith(".py")):
            with open(os.path.join(where, name), "rb") as source:
                for data in (name.encode(), source.read()):
                    crc, adler = zlib.crc32(data, crc), zlib.adler32(data, adler)
    return f"{crc:08x}{adler:08x}"


def identity(facts_path: FilePath) -> str:
    """What the cache is keyed by: the fact file's identity and the code that builds rows."""
    info = os.stat(facts_path)
    parts = (os.path.realpath(facts_path), info.st_size, info.st_mtime_ns, info.st_ino)
    runtime = (__version__, code_digest(), sys.version_info[:2])
    return repr((parts, runtime))


def cache_file(facts_path: FilePath) -> str:
    """One cache file per fact file path (a name clash only costs a rebuild: see identity)."""
    digest = zlib.crc32(os.path.realpath(facts_path).encode("utf-8", "surrogatepass"))
    return os.path.join(cache_dir(), f"index-{digest:08x}.sqlite")


def sqlite_uri(path: FilePath, mode: str = "ro") -> str:
    """A SQLite URI for a file, with the characters URIs give meaning to (% ? #) escaped."""
    text = os.path.realpath(path)
    for char in "%?#":
        text = text.replace(char, f"%{ord(char):02X}")
    return f"file:{text}?mode={mode}"


def looks_like_json(text: str) -> bool:
    """Whether kept text is a whole JSON object and its newline (else it is made afresh)."""
    import json

    try:
        return text.endswith("\n") and isinstance(json.loads(text), dict)
    except ValueError:
        return False


def derived_text(name: str, make: Callable[[], str], valid: Callable[[str], bool]) -> str:
    """Text derived from kzkg's own code alone (the JSON Schema of the fact file, say), kept
    in the cache folder under the code's digest, so it is worked out once per version of the
    code; made afresh when the kept copy is missing, unreadable or not valid. `make` must
    use only code the digest covers (core, ingest, index)."""
    if os.environ.get(NO_CACHE_ENV):
        return make()
    target = os.path.join(cache_dir(), f"{name}-{code_digest()}.txt")
    with contextlib.suppress(OSError, UnicodeDecodeError), open(target, encoding="utf-8") as kept:
        text = kept.read()
        if valid(text):
            return text
    text = make()
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = f"{target}.{os.getpid()}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as written:
                written.write(text)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return text


def open_store(facts_path: FilePath) -> Store:
    """The indexed fact base for a fact file: from the cache when it is current, else built
    (and cached, if the cache can be written); raises ingest.validate's FactFileError."""
    try:
        key = identity(facts_path)
    except OSError:
        key = ""
    if not key or not os.path.isfile(facts_path):
        from pathlib import Path

        from kzkg_cli.ingest.read import open_fact_file

        open_fact_file(Path(facts_path)).close()  # raises the precise error
    if key and not os.environ.get(NO_CACHE_ENV):  # no key, no cache: never a stale one
        target = cache_file(facts_path)
        cached = _open_current(target, key)
        if cached is not None:
            return cached
        with contextlib.suppress(OSError, sqlite3.Error):
            return _build_cached(target, key, facts_path)
    from pathlib import Path

    from kzkg_cli.index.build import build  # here: a cached answer builds nothing

    store = Store(sqlite3.connect(":memory:"), "memory")
    try:
        build(store.conn, Path(facts_path), {"identity": key})
    except BaseException:
        store.close()
        raise
    return store


def _open_current(target: str, key: str) -> Store | None:
    """The cache at target if it is readable, complete and keyed to this fact file and kzkg."""
    if not os.path.isfile(target):
        return None
    try:
        conn = sqlite3.connect(sqlite_uri(target), uri=True)
    except sqlite3.Error:
        return None
    store = Store(conn, "cache")
    try:
        if store.meta("identity") == key:
            return store
    except sqlite3.Error:
        pass
    store.close()
    return None


def _build_cached(target: str, key: str, facts_path: FilePath) -> Store:
    """Build the cache beside its place and rename it in: never half-written."""
    from pathlib import Path

    from kzkg_cli.index.build import build
    from kzkg_cli.index.write import write_database

    os.makedirs(os.path.dirname(target), exist_ok=True)
    # No journal and no syncing while building: an unfinished file is never renamed into
    # place, and a damaged cache is rebuilt, so neither protection buys anything here.
    fill = lambda conn: build(conn, Path(facts_path), {"identity": key})  # noqa: E731
    write_database(Path(target), fill, durable=False)
    conn = sqlite3.connect(sqlite_uri(target), uri=True)
    return Store(conn, "built")
