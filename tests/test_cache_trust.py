"""Nothing in the cache folder can lie to kzkg (issue 12): a cache that is not ours is not
read, a damaged one is rebuilt, and either way kzkg prints what the fact file says.

These run kzkg as real processes, as a second user or a failing disk would meet it. The
"truth" of each question is kzkg's answer with no cache at all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzkg_cli.index import cache
from kzkg_cli.index.store import LIMIT, Store, blob_check
from kzkg_cli.ingest.read import Digest, FactFile

from .conftest import REAL_FACTS, Invoke, grown_copy

KZKG = [sys.executable, "-m", "kzkg_cli"]
QUESTIONS = [
    ("trade", "--year", "2024", "--format", "tsv"),
    ("who", "Бектенов", "--json"),
    ("who", "Бекенов", "--json"),  # a fuzzy match: the vocabularies
    ("search", "Хан-Тенгри", "--json"),
    ("export", "--format", "jsonl"),
]
LIE = ("value_usd = 1700000000", "value_usd = 9900000000")
"""What a planted cache says of the 2024 turnover: $9.9 bn where the articles say $1.7 bn."""
AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away"
)
POSIX = pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners are POSIX uids")
STRANGER = 54321
"""A uid no one on the machine has: the owner of what another user planted."""


class World:
    """A fact file of our own, a cache folder, and the truth about each question."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.facts = root / "facts.toml"
        shutil.copy(REAL_FACTS, self.facts)
        self.cache = root / "cache"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("KZKG_")},
            "KZKG_FACTS": str(self.facts),
            "KZKG_CACHE_DIR": str(self.cache),
        }
        self.truth = {q: self.run(*q, KZKG_NO_CACHE="1") for q in QUESTIONS}

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*KZKG, *args],
            env={**self.env, **env},
            cwd=self.root,
            capture_output=True,
            timeout=120,  # a guard against a hang, not a measurement
            check=False,
        )

    def cache_file(self, folder: Path | None = None) -> Path:
        """Where kzkg keeps the index of this fact file, in folder (else its cache folder)."""
        os.environ["KZKG_CACHE_DIR"] = str(folder or self.cache)
        try:
            return Path(cache.cache_file(self.facts))
        finally:
            os.environ["KZKG_CACHE_DIR"] = str(self.cache)

    def answers_truly(self, **env: str) -> str:
        """Assert every question gets the truth (output and exit code); kzkg's stderr."""
        said = []
        for question, truth in self.truth.items():
            got = self.run(*question, **env)
            assert got.stdout == truth.stdout, (question, got.stderr)
            assert got.returncode == truth.returncode == 0, got.stderr
            assert b"Traceback" not in got.stderr
            said.append(got.stderr.decode())
        return "".join(said)

    def forge(self, folder: Path) -> Path:
        """Plant a perfect forgery in folder: the index of a lying copy of the fact file,
        keyed (identity, content digest, checksums) exactly as kzkg keys this file's."""
        liar = self.root / "liar" / "facts.toml"
        liar.parent.mkdir(exist_ok=True)
        liar.write_text(self.facts.read_text(encoding="utf-8").replace(*LIE), encoding="utf-8")
        scratch = self.root / "scratch"
        self.run("trade", KZKG_FACTS=str(liar), KZKG_CACHE_DIR=str(scratch))
        [built] = scratch.glob("index-*.sqlite")
        with FactFile(self.facts) as facts:
            key = cache.identity(facts)
            digest = Digest()
            digest.update(self.facts.read_bytes())
            content = digest.hexdigest()
        with contextlib.closing(sqlite3.connect(built)) as conn:
            for name, value in (("identity", key), ("content", content)):
                conn.execute(
                    "UPDATE meta SET v = ?, crc = ? WHERE k = ?",
                    (value, blob_check(name, value), name),
                )
            conn.commit()
        target = self.cache_file(folder)
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)  # whatever the umask: the tests below open it up as they need
        shutil.copy(built, target)
        os.chmod(target, 0o600)
        return target


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def lies(result: subprocess.CompletedProcess[bytes]) -> bool:
    return "$9,9 млрд".encode() in result.stdout


# ----------------------------------------------------------------------------- not ours


@POSIX
def test_the_forgery_is_believed_where_it_may_be(world: World) -> None:
    """The control: planted in our own private folder (as only we could), the forgery is a
    valid cache, so the tests below show the ownership rules, not a bad forgery, at work."""
    world.forge(world.cache)
    assert lies(world.run(*QUESTIONS[0]))


@POSIX
@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o703])
def test_a_cache_folder_others_can_write_is_not_read(world: World, mode: int) -> None:
    shared = world.root / "shared"
    world.forge(shared)
    shared.chmod(mode)
    said = world.answers_truly(KZKG_CACHE_DIR=str(shared), KZKG_DEBUG="1")
    assert f"not using the cache folder {shared}: writable by others" in said
    assert [p.name for p in shared.iterdir()] == [world.cache_file(shared).name]  # none added


@POSIX
def test_a_folder_above_that_others_can_write_is_not_trusted(world: World) -> None:
    """Whoever can write the folder above can swap ours for theirs, unless it is sticky."""
    above = world.root / "open"
    inner = above / "cache"
    world.forge(inner)
    inner.chmod(0o700)
    above.chmod(0o777)
    said = world.answers_truly(KZKG_CACHE_DIR=str(inner), KZKG_DEBUG="1")
    assert f"{above} is writable by others" in said
    above.chmod(0o1777)  # sticky, as /tmp is: others cannot rename what is ours in it
    assert lies(world.run(*QUESTIONS[0], KZKG_CACHE_DIR=str(inner)))


@POSIX
@pytest.mark.parametrize("mode", [0o666, 0o602])
def test_a_cache_file_others_can_write_is_not_read(world: World, mode: int) -> None:
    target = world.forge(world.cache)
    target.chmod(mode)
    said = world.answers_truly(KZKG_DEBUG="1")
    assert f"not reading the cache {target}: writable by others" in said


@AS_ROOT
@pytest.mark.parametrize("what", ["folder", "file"])
def test_what_a_shared_group_can_write_is_not_read(world: World, what: str) -> None:
    target = world.forge(world.cache)
    made = world.cache if what == "folder" else target
    os.chown(made, -1, STRANGER)
    made.chmod(0o770 if what == "folder" else 0o660)
    said = world.answers_truly(KZKG_DEBUG="1")
    assert f"writable by its group (gid {STRANGER})" in said


@POSIX
def test_what_only_the_users_private_group_can_write_is_read(world: World) -> None:
    """With a umask of 002, many systems give each user a group of their own: its write bit
    lets no one else in."""
    if not cache._private_group(os.getgid(), os.getuid()):
        pytest.skip("this user's group is not a private one")
    target = world.forge(world.cache)
    world.cache.chmod(0o770)
    target.chmod(0o660)
    assert lies(world.run(*QUESTIONS[0]))


@POSIX
def test_a_cache_kzkg_makes_under_umask_002_is_its_own(world: World) -> None:
    """Every folder kzkg makes for its cache is private, the ones above the last too."""
    deep = world.root / "made" / "by" / "kzkg"
    env = {**world.env, "KZKG_CACHE_DIR": str(deep), "KZKG_DEBUG": "1"}
    runs = [
        subprocess.run(
            [*KZKG, *QUESTIONS[0]],
            env=env,
            capture_output=True,
            preexec_fn=lambda: os.umask(0o002),  # noqa: PLW1509 (no threads here)
            timeout=120,
            check=False,
        )
        for _ in range(2)
    ]
    assert [run.stdout for run in runs] == [world.truth[QUESTIONS[0]].stdout] * 2
    assert b"building the index of" in runs[0].stderr and runs[1].stderr == b""
    for folder in (deep, deep.parent, deep.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@POSIX
def test_a_cache_another_user_owns_is_not_read_simulated(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any user can run this one: kzkg is told it runs as someone else."""
    world.forge(world.cache)
    monkeypatch.setenv("KZKG_CACHE_DIR", str(world.cache))
    with cache.open_store(world.facts) as believed:
        assert believed.origin == "cache"
        assert any(row["value_usd"] == 9900000000 for row in believed.rows("trade"))
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)
    with cache.open_store(world.facts) as store:
        assert store.origin == "memory"
        assert all(row["value_usd"] != 9900000000 for row in store.rows("trade"))


@POSIX
def test_a_symlinked_cache_file_is_not_read(world: World) -> None:
    elsewhere = world.forge(world.root / "elsewhere")
    target = world.cache_file()
    world.cache.mkdir(mode=0o700)
    target.symlink_to(elsewhere)
    said = world.answers_truly(KZKG_DEBUG="1")
    assert "not a regular file" in said


@AS_ROOT
def test_a_cache_file_another_user_owns_is_not_read(world: World) -> None:
    target = world.forge(world.cache)
    os.chown(target, STRANGER, STRANGER)
    said = world.answers_truly(KZKG_DEBUG="1")
    assert f"owned by another user (uid {STRANGER})" in said


@AS_ROOT
def test_a_cache_folder_another_user_owns_is_not_read(world: World) -> None:
    """Root too: a cache another user could write is never believed, whoever runs kzkg."""
    world.forge(world.cache)
    os.chown(world.cache, STRANGER, STRANGER)
    said = world.answers_truly(KZKG_DEBUG="1")
    assert f"owned by another user (uid {STRANGER})" in said


# ----------------------------------------------------------------------------- damaged


@pytest.fixture
def built(world: World) -> Path:
    """The world's cache file, built."""
    world.run(*QUESTIONS[0])
    return world.cache_file()


def damage(target: Path, change: bytes, at: int) -> None:
    data = bytearray(target.read_bytes())
    data[at : at + len(change)] = change
    target.write_bytes(bytes(data))


def test_a_flipped_bit_in_a_figure_is_not_believed(world: World, built: Path) -> None:
    data = built.read_bytes()
    at = data.index(b"value_usd") + len(b"value_usd") + 3  # inside the figure that follows
    damage(built, bytes([data[at] ^ 1]), at)
    said = world.answers_truly(KZKG_DEBUG="1")
    assert "the index cache is damaged" in said
    assert "damaged" not in world.run(*QUESTIONS[0], KZKG_DEBUG="1").stderr.decode()  # repaired


@pytest.mark.parametrize("page", [1, 2, 5, -1])
def test_a_zeroed_page_is_not_fatal(world: World, built: Path, page: int) -> None:
    size = 4096
    pages = built.stat().st_size // size
    damage(built, bytes(size), (page % pages) * size)
    world.answers_truly()


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_a_truncated_cache_is_rebuilt(world: World, built: Path, keep: float) -> None:
    data = built.read_bytes()
    built.write_bytes(data[: int(len(data) * keep)])
    world.answers_truly()


def test_a_planted_journal_is_ignored(world: World, built: Path) -> None:
    """A hot journal beside the cache would make SQLite roll it back (or fail to, read-only)."""
    journal = built.with_name(built.name + "-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + os.urandom(4096))
    world.answers_truly()


def test_a_recursive_view_cannot_spin(world: World, built: Path) -> None:
    with contextlib.closing(sqlite3.connect(built)) as conn:
        conn.executescript(
            "ALTER TABLE meta RENAME TO meta_old;"
            "CREATE VIEW meta AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
            " SELECT 'k' AS k, i AS v, 0 AS crc FROM n;"
        )
    said = world.answers_truly(KZKG_DEBUG="1")
    assert "not the layout kzkg writes" in said


def test_a_read_that_runs_on_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The step limit itself, on a view the layout check would have refused."""
    monkeypatch.setattr("kzkg_cli.index.store.LIMIT", min(LIMIT, 100))
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIEW meta AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
        " SELECT 'x' AS k, i AS v, 0 AS crc FROM n WHERE i < 0"
    )
    with Store(conn, "cache") as store, pytest.raises(sqlite3.OperationalError, match="interr"):
        store.meta("x")


@pytest.mark.parametrize("cached", ["", "1"])
def test_the_step_limit_never_stops_a_build(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cached: str
) -> None:
    """The limit is for reading a cache this run did not write, not for building one: even
    at one step, a build in memory answers, and a cache read that hits it is rebuilt."""
    truth = invoke("trade", "--json")
    monkeypatch.setattr("kzkg_cli.index.store.LIMIT", 0)
    env = {"KZKG_CACHE_DIR": str(tmp_path / "cache")} if cached else {"KZKG_NO_CACHE": "1"}
    for _ in range(2):  # the second reads the cache, if there is one
        assert invoke("trade", "--json", env=env) == truth


@pytest.mark.parametrize(
    "data", [b"\xe3\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", b"i\x07\x00\x00\x00"]
)
def test_hostile_row_bytes_are_never_decoded(world: World, built: Path, data: bytes) -> None:
    """marshal can crash the interpreter on crafted bytes: a row is decoded only once its
    checksum holds (and only we can write a cache kzkg reads)."""
    with contextlib.closing(sqlite3.connect(built)) as conn:
        conn.execute("UPDATE records SET data = ?", (data,))
        conn.commit()
    world.answers_truly()


@pytest.mark.parametrize(
    "sql",
    [
        # a value whose type flipped (TEXT and BLOB differ by one bit), its checksum unchanged
        "UPDATE meta SET v = CAST(v AS BLOB) WHERE k = 'name_keys'",
        "UPDATE meta SET v = CAST(v AS TEXT) WHERE k = 'alias_positions'",
        "UPDATE words SET postings = CAST(postings AS TEXT)",
        "UPDATE records SET data = CAST(data AS TEXT) WHERE kind = 'trade'",
        # rows an index no longer leads to: left out of an answer unless checked
        "UPDATE records SET kind = 'source' WHERE kind = 'trade'",
        "UPDATE names SET key = key || 'x'",
        "DELETE FROM words WHERE key IN (SELECT key FROM words LIMIT 200)",
        "UPDATE records SET id = id || 'x' WHERE kind = 'event'",
    ],
)
def test_damage_that_hides_or_retypes_a_row_is_found(world: World, built: Path, sql: str) -> None:
    """Each question meets the damage itself (the first to meet it repairs the cache)."""
    pristine = built.read_bytes()
    for question in [*QUESTIONS, ("show", "igc-13", "--json")]:
        built.write_bytes(pristine)
        with contextlib.closing(sqlite3.connect(built)) as conn:
            conn.execute(sql)
            conn.commit()
        truth = world.truth.get(question) or world.run(*question, KZKG_NO_CACHE="1")
        got = world.run(*question)
        assert (got.returncode, got.stdout) == (0, truth.stdout), (question, got.stderr)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    question=st.sampled_from(QUESTIONS),
    changes=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=64)), max_size=4
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_no_damage_to_the_cache_changes_an_answer(
    world: World,
    built: Path,
    question: tuple[str, ...],
    changes: list[tuple[float, bytes]],
    cut: float | None,
) -> None:
    """Whatever happens to the cache's bytes, kzkg neither crashes nor prints anything but
    what the fact file says."""
    good = built.read_bytes()
    data = bytearray(good)
    for where, change in changes:
        at = int(where * len(data))
        data[at : at + len(change)] = change
    if cut is not None:
        data = data[: int(cut * len(data))]
    built.write_bytes(bytes(data))
    try:
        got = world.run(*question)
        assert got.returncode == 0, got.stderr
        assert got.stdout == world.truth[question].stdout
    finally:
        built.write_bytes(good)


# ----------------------------------------------------------------------------- the fact file


def test_a_same_size_rewrite_with_its_old_times_is_seen(world: World, built: Path) -> None:
    """The modification time can be put back (touch -d); the change time cannot."""
    before = world.facts.stat()
    world.facts.write_text(
        world.facts.read_text(encoding="utf-8").replace(*SAME_SIZE), encoding="utf-8"
    )
    os.utime(world.facts, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "$1,9 млрд".encode() in world.run(*QUESTIONS[0]).stdout


SAME_SIZE = ("value_usd = 1700000000", "value_usd = 1900000000")


def test_a_rewrite_the_signature_cannot_see_is_seen_by_the_content(
    world: World, built: Path
) -> None:
    """On a file system with one-second timestamps, a same-size rewrite within the second
    leaves every timestamp as it was. Simulated: the cache's key is set to the new file's."""
    world.facts.write_text(
        world.facts.read_text(encoding="utf-8").replace(*SAME_SIZE), encoding="utf-8"
    )
    rekey(built, world.facts)
    got = world.run(*QUESTIONS[0], KZKG_DEBUG="1")
    assert "$1,9 млрд".encode() in got.stdout
    assert b"other content" in got.stderr


def rekey(built: Path, facts: Path) -> None:
    """Give a cache the key of the fact file as it is now (not its content digest)."""
    with FactFile(facts) as opened:
        key = cache.identity(opened)
    with contextlib.closing(sqlite3.connect(built)) as conn:
        conn.execute(
            "UPDATE meta SET v = ?, crc = ? WHERE k = 'identity'",
            (key, blob_check("identity", key)),
        )
        conn.commit()


def test_a_large_file_is_digested_when_its_times_are_too_recent(
    world: World, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file too large to digest on every call is digested while it is racy: last written
    within two seconds of the moment it was read for the build (as a test's file is)."""
    monkeypatch.setattr(cache, "ALWAYS_DIGEST", 0)
    monkeypatch.setenv("KZKG_CACHE_DIR", str(world.cache))
    world.facts.write_text(
        world.facts.read_text(encoding="utf-8").replace(*SAME_SIZE), encoding="utf-8"
    )
    rekey(built, world.facts)
    with cache.open_store(world.facts) as store:
        assert store.origin == "built"
        assert any(row["value_usd"] == 1900000000 for row in store.rows("trade"))


# ----------------------------------------------------------------------------- concurrency


def test_concurrent_cold_runs_build_once(tmp_path: Path) -> None:
    facts = grown_copy(tmp_path, records=300)
    env = {**os.environ, "KZKG_CACHE_DIR": str(tmp_path / "cache"), "KZKG_DEBUG": "1"}
    runs = [
        subprocess.Popen(
            [*KZKG, "--facts", str(facts), "who", "Бектенов", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), results
    assert len({out for out, _ in results}) == 1
    assert sum(err.count(b"debug: building the index of") for _, err in results) == 1, results


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_a_full_disk_costs_one_build(world: World) -> None:
    """A cache that cannot be written (here: a file size limit, as a full disk would) leaves
    the index already built in memory: it is not built a second time."""
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (32_768, 32_768))

    got = subprocess.run(
        [*KZKG, *QUESTIONS[0]],
        env={**world.env, "KZKG_DEBUG": "1"},
        capture_output=True,
        preexec_fn=small_files,  # noqa: PLW1509 (no threads here)
        timeout=120,
        check=False,
    )
    assert got.stdout == world.truth[QUESTIONS[0]].stdout
    assert got.stderr.count(b"debug: building the index of") == 1, got.stderr
    assert b"cannot write the cache" in got.stderr
    assert [p.suffix for p in world.cache.iterdir()] == [".lock"]  # no temporary file left


def test_a_killed_build_s_temporary_file_is_swept(world: World) -> None:
    world.cache.mkdir(mode=0o700)
    old, new = world.cache / ".kzkg-old.tmp", world.cache / ".kzkg-new.tmp"
    for left in (old, new):
        left.write_bytes(b"half a database")
    os.utime(old, (0, 0))
    world.run(*QUESTIONS[0])
    assert not old.exists() and new.exists()  # a build may still be writing the new one


@pytest.mark.parametrize("odd", ["a#b", "a?b", "a%20b", "%"])
def test_a_cache_path_with_uri_characters_is_read_back(world: World, odd: str) -> None:
    folder = world.root / odd / "cache"
    first = world.run(*QUESTIONS[0], KZKG_CACHE_DIR=str(folder), KZKG_DEBUG="1")
    second = world.run(*QUESTIONS[0], KZKG_CACHE_DIR=str(folder), KZKG_DEBUG="1")
    assert first.stdout == second.stdout == world.truth[QUESTIONS[0]].stdout
    assert b"building" in first.stderr and second.stderr == b""
    made = sorted(str(p.relative_to(world.root)) for p in world.root.rglob("index-*"))
    assert all(name.startswith(f"{odd}{os.sep}cache{os.sep}") for name in made), made


def test_no_connection_is_left_open(world: World, built: Path) -> None:
    """Python 3.13 warns of an unclosed SQLite connection: none is, even one repaired."""
    damage(built, b"\xff" * 64, built.stat().st_size // 2)
    for question in QUESTIONS:
        got = world.run(*question, PYTHONDEVMODE="1", PYTHONWARNINGS="error")
        assert got.returncode == 0 and b"Warning" not in got.stderr, got.stderr


@POSIX
def test_the_cache_kzkg_makes_is_private(world: World, built: Path) -> None:
    for made in (world.cache, built):
        assert stat.S_IMODE(made.stat().st_mode) & 0o077 == 0, oct(made.stat().st_mode)
