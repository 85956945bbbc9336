"""The cache of indexed fact bases: one SQLite file per fact file, in the user cache folder.

The cache is derived data, keyed by everything it is derived from: the fact file (its path, and
its signature: device, inode, size, modification and change times, the last of which no one
but the clock can set back), the digest of its content, kzkg's version, Python's, and a digest
of the source of the code that builds the rows (core, ingest and index: the layers the build
may import), so a change to that code rebuilds the cache without anyone remembering to bump a
format number.

The content digest is checked on every call for a file of up to ALWAYS_DIGEST bytes. For a
larger one it is checked only until it has been checked at a moment more than RACY_NS after
the file was last written (git's "racily clean" rule: on a file system with one-second
timestamps, a same-size rewrite within the second leaves the signature as it was, but no later
write can): the cache file's modification time records when its content was last vouched for,
and from then on the signature stands for the content, so a cached answer reads nothing of
the fact file.

The cache is believed only if it is ours: its folder and every folder above it are owned by us
(or root) and writable by no one else (but sticky, like /tmp), and the file is a regular file
of ours that no one else can write. Anything else is not read: the index is built in memory,
and $KZKG_DEBUG says why. A missing, damaged or foreign cache is rebuilt (index.store verifies
every row it reads); an unwritable cache folder means the index is built in memory; neither is
an error. Concurrent cold runs wait for one build (a lock file beside the cache) instead of
each building.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kzkg_cli import __version__
from kzkg_cli.core.errors import Problem
from kzkg_cli.core.runtime import debug
from kzkg_cli.index.passages import seeds_beside
from kzkg_cli.index.store import DAMAGE, Store
from kzkg_cli.ingest.read import Digest, FactFile, FactFileChanged, read_again

if TYPE_CHECKING:
    FilePath = str | os.PathLike[str]

CACHE_ENV = "KZKG_CACHE_DIR"
NO_CACHE_ENV = "KZKG_NO_CACHE"
ALWAYS_DIGEST = 8_000_000
"""Fact files up to this size (a few milliseconds to digest) have their content checked on
every call; larger ones only when racy (RACY_NS)."""
RACY_NS = 2_000_000_000
"""A file written within this long before it was read for the build may change again with
the same timestamps (FAT keeps two-second ones)."""
LOCK_WAIT = 300
"""Seconds a run waits for another's build before building itself."""
STALE_S = 3600
"""Age in seconds after which a build's temporary file is taken to be a killed build's."""
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
    """A digest of the source of every module (and TOML table, core/synonyms.toml) that
    builds the rows (ingest.read's Digest over
    names and contents: cheap enough to compute on each call, and any edit changes it)."""
    digest = Digest()
    for folder in BUILDERS:
        where = os.path.join(package or PACKAGE_DIR, folder)
        for name in sorted(n for n in os.listdir(where) if n.endswith((".py", ".toml"))):
            with open(os.path.join(where, name), "rb") as source:
                digest.update(name.encode())
                digest.update(source.read())
    return digest.hexdigest()


def identity(facts: FactFile) -> str:
    """What the cache is keyed by (with the content digest stored beside it): the fact file's
    path and signature, its articles' (the passages are theirs), and the code that builds
    rows."""
    runtime = (__version__, code_digest(), sys.version_info[:2])
    articles = seeds_signature(seeds_beside(facts.name))
    return repr((os.path.realpath(facts.name), facts.signature or (), articles, runtime))


def seeds_signature(folder: str) -> tuple[tuple[str, int, int, int, int], ...]:
    """(name, size, inode, modification and change times) of each article in the seeds
    folder: adding, removing or editing one rebuilds the index. An article edited in place
    within the clock's tick at the same size keeps its signature (git's racily clean case);
    the fact file's content digest guards the fact file, not the articles."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".txt"))
    except OSError:
        return ()
    found = []
    for name in names:
        try:
            info = os.stat(os.path.join(folder, name))
        except OSError:
            continue
        found.append((name, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
    return tuple(found)


def cache_file(facts_path: FilePath, folder: str | None = None) -> str:
    """One cache file per fact file path, in folder (else the cache folder, resolved); a name
    clash only costs a rebuild (see identity)."""
    digest = zlib.crc32(os.path.realpath(facts_path).encode("utf-8", "surrogatepass"))
    where = folder if folder is not None else os.path.realpath(cache_dir())
    return os.path.join(where, f"index-{digest:08x}.sqlite")


def sqlite_uri(path: FilePath) -> str:
    """A SQLite URI to read a cache file, with the characters URIs give meaning to (% ? #)
    escaped. immutable: a cache file is never changed in place (a new one is renamed over
    it), so SQLite needs neither locks nor a look for a journal (a planted one is ignored)."""
    text = os.path.realpath(path)
    for char in "%?#":
        text = text.replace(char, f"%{ord(char):02X}")
    return f"file:{text}?mode=ro&immutable=1"


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
    code; made afresh when the kept copy is missing, unreadable, not ours or not valid. `make`
    must use only code the digest covers (core, ingest, index)."""
    folder = os.path.realpath(cache_dir())
    if os.environ.get(NO_CACHE_ENV) or _unsafe_folder(folder, create=True):
        return make()
    target = os.path.join(folder, f"{name}-{code_digest()}.txt")
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if not _unsafe_file(os.lstat(target)):
            with open(target, encoding="utf-8") as kept:
                text = kept.read()
            if valid(text):
                return text
    text = make()
    with contextlib.suppress(OSError):
        temporary = os.path.join(folder, f".kzkg-{name}-{os.getpid()}.tmp")  # swept if left
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with open(os.open(temporary, flags, 0o600), "w", encoding="utf-8") as written:
                written.write(text)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return text


def open_store(facts_path: FilePath) -> Store:
    """The indexed fact base for a fact file: from the cache when it is current and ours,
    else built (and cached, if the cache can be written); raises ingest's FactFileError.
    A file that changes while it is read is read again (twice at most)."""

    def attempt() -> Store:
        with FactFile(facts_path) as facts:
            return _open(facts)

    return read_again(attempt, 3)


def _open(facts: FactFile) -> Store:
    if not facts.regular:
        return _in_memory(facts, "", "not a regular file: read once, indexed in memory")
    key = identity(facts)
    if os.environ.get(NO_CACHE_ENV):
        return _in_memory(facts, key, f"{NO_CACHE_ENV} is set")
    folder = os.path.realpath(cache_dir())  # resolved once: what is checked is what is used
    unsafe = _unsafe_folder(folder, create=True)
    if unsafe:
        return _in_memory(facts, key, f"not using the cache folder {folder}: {unsafe}")
    target = cache_file(facts.name, folder)
    store = _open_current(target, key, facts)
    if store is None:
        with _build_lock(target):  # another run may have built it while this one waited
            store = _open_current(target, key, facts) or _build_cached(target, key, facts)
    store.repair = _repairer(facts.name, key, store.meta("content"), target)
    return store


def _in_memory(facts: FactFile, key: str, why: str) -> Store:
    from kzkg_cli.index.build import build  # here: a cached answer builds nothing

    debug(f"{why}; building the index in memory")
    store = Store(sqlite3.connect(":memory:"), "memory")
    try:
        build(store.conn, facts, {"identity": key})
    except BaseException:
        store.close()
        raise
    return store


def _open_current(target: str, key: str, facts: FactFile) -> Store | None:
    """The cache at target if it is ours, intact and keyed to this fact file and kzkg."""
    try:
        info = os.lstat(target)
    except OSError:
        return None
    unsafe = _unsafe_file(info)
    if unsafe:
        debug(f"not reading the cache {target}: {unsafe}")
        return None
    store = None
    try:
        store = Store(sqlite3.connect(sqlite_uri(target), uri=True), "cache")
        store.check_layout(info.st_size)
        if store.meta("identity") != key:
            debug(f"the cache {target} is for another version of the file or of kzkg")
        elif _must_check_content(facts, info) and not _same_content(facts, store, target):
            debug(f"the cache {target} is for other content of the file")
        else:
            return store
    except DAMAGE as exc:
        debug(f"the cache {target} is damaged: {exc}")
    if store is not None:
        store.close()
    return None


def _must_check_content(facts: FactFile, cache: os.stat_result) -> bool:
    """Whether the signature cannot vouch for the content: a small file is always checked, a
    large one until its content was last vouched for (the cache file's modification time)
    more than RACY_NS after it was last written."""
    info = facts.info
    if info is None or info.st_size <= ALWAYS_DIGEST:
        return True
    return cache.st_mtime_ns <= _last_written(info) + RACY_NS


def _last_written(info: os.stat_result) -> int:
    return max(info.st_mtime_ns, info.st_ctime_ns)


def _same_content(facts: FactFile, store: Store, target: str) -> bool:
    """Whether the fact file's content is the content the cache was built from; if so, and
    late enough that no same-signature rewrite can follow, the cache says so (see above)."""
    facts.rewind()
    while facts.read(1 << 20):
        pass
    if facts.finish() != store.meta("content"):
        return False
    now = time.time_ns()
    if facts.info and now > _last_written(facts.info) + RACY_NS:
        with contextlib.suppress(OSError):
            os.utime(target, ns=(now, now))
    return True


def _build_cached(target: str, key: str, facts: FactFile) -> Store:
    """Build the cache beside its place and rename it in: never half-written. If it cannot
    be written (a full disk, say), the index already built is kept in memory instead."""
    from pathlib import Path  # here: pathlib costs a cached answer more than it is worth

    from kzkg_cli.index import build
    from kzkg_cli.index.write import write_database

    _sweep(os.path.dirname(target))
    debug(f"building the index of {facts.name} into {target}")
    with build.read(facts, {"identity": key}) as built:
        try:
            # No journal and no syncing while building: an unfinished file is never renamed
            # into place, and a damaged cache is rebuilt, so neither buys anything here.
            write_database(Path(target), lambda conn: build.write(conn, built), durable=False)
            # Its content is vouched for as of the moment the fact file was opened (above).
            os.utime(target, ns=(facts.opened_ns, facts.opened_ns))
            return Store(sqlite3.connect(sqlite_uri(target), uri=True), "built")
        except (OSError, sqlite3.Error) as exc:
            debug(f"cannot write the cache {target} ({exc}); keeping the index in memory")
            store = Store(sqlite3.connect(":memory:"), "memory")
            build.write(store.conn, built)
            return store


def _repairer(
    facts_path: str, key: str, content: str, target: str
) -> Callable[[], sqlite3.Connection]:
    """How a store repairs itself: the cache rebuilt from the fact file, which must be the
    same file with the same content (else one answer would mix two versions of it)."""

    def repair() -> sqlite3.Connection:
        with FactFile(facts_path) as facts:
            if identity(facts) == key:
                with _build_lock(target):
                    store = _build_cached(target, key, facts)
                if store.meta("content") == content:
                    return store.conn
                store.close()
            message = "changed while kzkg was reading it; run again"
            raise FactFileChanged([Problem(facts.name, message)])

    return repair


# ----------------------------------------------------------------------------- trust


def _unsafe_folder(folder: str, create: bool = False) -> str | None:
    """Why a resolved cache folder cannot be trusted (None if it can): it, or a folder above
    it, is owned by someone else or writable by others (a folder above may be, if sticky).
    create: make it first if it is missing, and every missing folder above it, private."""
    if create:
        _make_private(folder)
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: folders are private by their ACLs
        return None if os.path.isdir(folder) else "missing"
    path, below = folder, False
    while True:
        try:
            info = os.stat(path)
        except OSError as exc:
            return exc.strerror or str(exc)
        why = _untrusted(info, getuid(), ancestor=below)
        if why:
            return why if not below else f"{path} is {why}"
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path, below = parent, True


def _make_private(folder: str) -> None:
    """Make a missing folder, and each missing one above it, readable by its owner alone
    (os.makedirs gives the folders above the umask's mode)."""
    missing = []
    while not os.path.exists(folder) and os.path.dirname(folder) != folder:
        missing.append(folder)
        folder = os.path.dirname(folder)
    with contextlib.suppress(OSError):
        for path in reversed(missing):
            os.mkdir(path, 0o700)


def _untrusted(info: os.stat_result, uid: int, ancestor: bool) -> str | None:
    """Why a folder or file others could change cannot be trusted; None if they cannot.
    Group write is allowed where the group is the user's own private group (many systems give
    each user one, and a umask of 002 with it), world write only in a sticky folder above."""
    if info.st_uid != uid and not (ancestor and info.st_uid == 0):
        return f"owned by another user (uid {info.st_uid})"
    if ancestor and info.st_mode & stat.S_ISVTX:
        return None  # others may write in it, but not rename or remove what is ours
    if info.st_mode & 0o002:
        return "writable by others"
    if info.st_mode & 0o020 and not _private_group(info.st_gid, uid):
        return f"writable by its group (gid {info.st_gid})"
    return None


def _private_group(gid: int, uid: int) -> bool:
    """Whether a group is the user's private group: named as the user, with no other members
    listed (looked up only for a group-writable folder or file)."""
    try:
        import grp
        import pwd

        group = grp.getgrgid(gid)
        return group.gr_name == pwd.getpwuid(uid).pw_name and not set(group.gr_mem) - {
            group.gr_name
        }
    except (ImportError, KeyError, OSError):
        return False


def _unsafe_file(info: os.stat_result) -> str | None:
    """Why a cache file cannot be trusted: not a regular file (a symlink, say), owned by
    someone else or writable by others; None if it can."""
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    getuid = getattr(os, "getuid", None)
    return None if getuid is None else _untrusted(info, getuid(), ancestor=False)


# ----------------------------------------------------------------------------- building


@contextlib.contextmanager
def _build_lock(target: str) -> Iterator[None]:
    """Hold the build lock of a cache file: a second run waits (up to LOCK_WAIT seconds)
    for the first to finish building instead of building too. Where there is no lock to be
    had (Windows, a folder that refuses it) the run builds without one."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(f"{target}.lock", flags, 0o600)
    except OSError:
        yield
        return
    try:
        _wait_for(handle, fcntl)
        yield
    finally:
        os.close(handle)  # and with it the lock


def _wait_for(handle: int, fcntl: Any) -> None:
    """Take the lock, waiting for a build in another process to finish."""
    deadline = time.monotonic() + LOCK_WAIT
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                debug(f"gave up waiting for another build after {LOCK_WAIT} s; building")
                return
            if not told:
                told = True
                debug("waiting for another kzkg to finish building the index")
                if sys.stderr.isatty():
                    sys.stderr.write("kzkg: waiting for another kzkg to finish indexing\n")
            time.sleep(0.05)
        except OSError:
            return


def _sweep(folder: str) -> None:
    """Remove temporary files a killed build left (SIGKILL cannot be cleaned up after)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".kzkg-") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_S:
                        os.unlink(entry.path)
