"""What the passage index costs: cold builds with and without it, and warm searches over it.

    python benchmarks/passages.py                        # 100,000 records
    python benchmarks/passages.py 10000 --repeats 2 --rounds 5 --profile

A fact base of N records is generated (benchmarks/generate.py) into a temporary folder. Then:

- cold builds, `kzkg --facts F search xyzzyqwert --json` each into a fresh cache folder, round by
  round with the seeds folder beside F present (every sentence of every cited article indexed
  as a passage) and renamed away (no passages), the order swapped every round, and
  `python -c pass` in every round; medians, their ratio to pass, the passage index's share of
  the build, (with - without) / without, beside the issue's budget (at most +30%), the largest
  process's peak MB, the cache file's size and its rows counted by kind;
- warm, with passages: `search` of a common word, a rare word (a generated surname) and a
  figure, and `who NAME`, alternating with `python -c pass`; medians, ratios, and how many
  records and passages each search returns;
- every child runs with its bytecode cached in the run's temporary folder
  (PYTHONPYCACHEPREFIX, primed by one small cold build first) so that none compiles source;
- a warning is printed if kzkg_cli's source changed during a phase (others may be editing it);
- with --profile: one more cold build with passages under cProfile, its 15 functions of
  kzkg_cli's index/ and core/ with the most cumulative time, and the 5 with the most own time
  anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from bench import (
    KZKG,
    PYTHON,
    Command,
    Sample,
    Stats,
    alternate,
    generate,
    log,
    machine,
    peak,
    person_names,
    run,
    timing,
)

MISS = "xyzzyqwert"  # the cold builds' query: it matches nothing (exit 1), so little is printed
SHARE_BUDGET = 0.30  # issue 14 item 9: the passage index adds at most 30% to a cold build
QUERY_BUDGET = 4.0  # issue 11: every plain scripted call ≤ 4× python -c pass
UNSET = ("KZKG_FACTS", "KZKG_NO_CACHE", "KZKG_CACHE_DIR", "PYTHONDONTWRITEBYTECODE")
PROFILED = (f"{os.sep}kzkg_cli{os.sep}index{os.sep}", f"{os.sep}kzkg_cli{os.sep}core{os.sep}")


class Cold(NamedTuple):
    """Cold builds one way (with or without the seeds): their stats, the cache file's size in
    MB and its rows by kind (from the first build)."""

    stats: Stats
    cache_mb: float
    kinds: Counter[str]


@contextlib.contextmanager
def seeds_hidden(facts: Path) -> Iterator[None]:
    """The seeds folder beside the fact file renamed away for the block, then put back."""
    seeds, away = facts.parent / "seeds", facts.parent / "seeds-away"
    seeds.rename(away)
    try:
        yield
    finally:
        away.rename(seeds)


def cache_file(folder: Path) -> Path | None:
    """The index file a build left in a cache folder, if any."""
    found = sorted(glob.glob(str(folder / "index-*.sqlite")))
    return Path(found[0]) if found else None


def kinds(index: Path) -> Counter[str]:
    """Rows of an index file by kind, read with the standard library (empty if its layout is
    not the one this script knows)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{index}?mode=ro", uri=True)) as conn:
            rows = conn.execute("SELECT kind, count(*) FROM records GROUP BY kind").fetchall()
    except sqlite3.Error:
        return Counter()
    return Counter({str(kind): int(count) for kind, count in rows})


def cold_builds(facts: Path, repeats: int, work: Path, env: dict[str, str]) -> dict[str, Cold]:
    """`repeats` rounds of a cold build with the seeds and one without, order swapped every
    round, with python -c pass in each; each build into a fresh cache folder, deleted once
    measured except the first with seeds (the warm runs use it)."""
    argv = [KZKG, "--facts", str(facts), "search", MISS, "--json"]
    samples: dict[str, list[Sample]] = {"with": [], "without": [], "pass": []}
    sizes: dict[str, list[float]] = {"with": [], "without": []}
    counted: dict[str, Counter[str]] = {}
    for round_ in range(repeats):
        for way in ("with", "without") if round_ % 2 == 0 else ("without", "with"):
            log(f"cold build {round_ + 1}/{repeats}, {way} passages")
            folder = work / f"cache-{way}-{round_}"
            with contextlib.ExitStack() as stack:
                if way == "without":
                    stack.enter_context(seeds_hidden(facts))
                samples[way].append(run(argv, {**env, "KZKG_CACHE_DIR": str(folder)}))
            index = cache_file(folder)
            sizes[way].append(index.stat().st_size / 1e6 if index else float("nan"))
            counted.setdefault(way, kinds(index) if index else Counter())
            if (way, round_) != ("with", 0):
                shutil.rmtree(folder)
        samples["pass"].append(run([PYTHON, "-c", "pass"], env))
    result = {"pass": Cold(Stats.of(samples["pass"]), 0.0, Counter())}
    for way in ("with", "without"):
        stats = Stats.of(samples[way], expected=1)
        result[way] = Cold(stats, statistics.median(sizes[way]), counted[way])
    return result


def figure_query(facts: Path) -> str:
    """A figure as people write it ("1,7 млрд") for the first trade value the file holds that
    is a whole number of tenths of a billion, not of billions; else the first one in millions."""
    values: list[int] = []
    with facts.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("value_usd = "):
                values.append(int(line.removeprefix("value_usd = ")))
                if values[-1] > 10**9 and values[-1] % 10**8 == 0 and values[-1] % 10**9:
                    tenths = values[-1] // 10**8
                    return f"{tenths // 10},{tenths % 10} млрд"
                if len(values) > 10_000:
                    break
    return f"{values[0] // 10**6} млн" if values else "1,7 млрд"


def hits(argv: list[str], env: dict[str, str]) -> Counter[str]:
    """How many rows of each type a search returns (read from its JSON Lines)."""
    out = subprocess.run(
        [*argv[:-1], "--format", "jsonl"], env=env, capture_output=True, text=True, check=False
    ).stdout
    return Counter(json.loads(line).get("type", "?") for line in out.splitlines() if line)


def warm(facts: Path, words: dict[str, str], rounds: int, env: dict[str, str]) -> None:
    """Print the warm searches and `who NAME` with passages, beside python -c pass."""
    name = person_names(facts, 1)[0]
    words = {**words, "rare": words["rare"] or name.split()[-1]}
    commands = {"python -c pass": Command([PYTHON, "-c", "pass"])}
    for what in ("common", "rare", "figure"):
        label = f"`kzkg search {words[what]} --json` ({what})"
        commands[label] = Command([KZKG, "search", *words[what].split(), "--json"])
    commands[f"`kzkg who {name} --json`"] = Command([KZKG, "who", name, "--json"])
    counts = {label: hits(c.argv, env) for label, c in commands.items() if "search" in label}
    log(f"warm queries, {rounds} rounds")
    stats = alternate(commands, rounds, env)
    base = stats["python -c pass"]
    print(f"\nWarm, with passages; median of {rounds} alternating rounds:\n")
    print("| command | median ms | × python -c pass | budget | records | passages |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, got in stats.items():
        found = counts.get(label, Counter())
        records = sum(n for kind, n in found.items() if kind != "passage")
        shown = f"{records:,} | {found['passage']:,}" if label in counts else " | "
        budget = "" if label == "python -c pass" else f"≤ {QUERY_BUDGET:g}×"
        print(f"| {label} | {timing(got, base)} | {budget} | {shown} |")


def cold_table(cold: dict[str, Cold], repeats: int) -> None:
    """Print the cold builds both ways, sizes and counts, and the passage share."""
    base = cold["pass"].stats
    print(f"\nCold builds, `kzkg --facts F search {MISS} --json` into a fresh cache; median of "
          f"{repeats} alternating rounds; `python -c pass` {base.ms:.1f} ms:\n")  # fmt: skip
    print("| seeds | build s | × pass | peak MB, largest process | cache MB | records | passages |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for way in ("with", "without"):
        got = cold[way]
        records = sum(n for kind, n in got.kinds.items() if kind != "passage")
        print(f"| {way} | {timing(got.stats, base, 's')} | {peak(got.stats.peak_mb)} | "
              f"{got.cache_mb:.1f} | {records:,} | {got.kinds['passage']:,} |")  # fmt: skip
    share = cold["with"].stats.ms / cold["without"].stats.ms - 1
    size = cold["with"].cache_mb / cold["without"].cache_mb - 1
    holds = "yes" if share <= SHARE_BUDGET else "no"
    print(f"\nPassage index's share of the cold build: {share:+.1%} (budget ≤ "
          f"+{SHARE_BUDGET:.0%}: {'holds' if holds == 'yes' else 'does not hold'}); "
          f"of the cache file: {size:+.1%}.")  # fmt: skip


def profile(facts: Path, work: Path, env: dict[str, str]) -> None:
    """Profile one cold build with passages (a child under cProfile); print where it goes."""
    log("profiled cold build")
    out = work / "build.prof"
    argv = [PYTHON, "-m", "cProfile", "-o", str(out), "-m", "kzkg_cli"]
    argv += ["--facts", str(facts), "search", MISS, "--json"]
    cache = {**env, "KZKG_CACHE_DIR": str(work / "cache-profiled")}
    subprocess.run(argv, env=cache, stdout=subprocess.DEVNULL, check=False)
    stats = pstats.Stats(str(out))
    table = stats.stats  # type: ignore[attr-defined]  # (file, line, name) -> (cc, nc, tt, ct, _)
    total = max(row[3] for row in table.values())
    print(f"\nProfiled cold build with passages (cProfile, {total:.1f} s under the profiler); "
          "kzkg_cli index/ and core/, top 15 by cumulative time:\n")  # fmt: skip
    print("| function | calls | own s | cumulative s | share |")
    print("| --- | ---: | ---: | ---: | ---: |")
    ours = [(key, row) for key, row in table.items() if any(p in key[0] for p in PROFILED)]
    for key, row in sorted(ours, key=lambda item: -item[1][3])[:15]:
        print(f"| {where(key)} | {row[1]:,} | {row[2]:.2f} | {row[3]:.2f} | {row[3] / total:.0%} |")
    print("\nMost own time, anywhere:\n\n| function | calls | own s | share |")
    print("| --- | ---: | ---: | ---: |")
    for key, row in sorted(table.items(), key=lambda item: -item[1][2])[:5]:
        print(f"| {where(key)} | {row[1]:,} | {row[2]:.2f} | {row[2] / total:.0%} |")


def where(key: tuple[str, int, str]) -> str:
    """A profiled function as `package/module.py:line name`."""
    path, line, name = key
    parts = Path(path).parts
    short = "/".join(parts[-2:]) if "kzkg_cli" in parts else Path(path).name or path
    return f"`{short}:{line} {name}`".replace("|", "\\|")


def prime(work: Path, env: dict[str, str]) -> None:
    """Write the bytecode of everything a cold build imports into this run's own cache of it
    (PYTHONPYCACHEPREFIX), by one cold build of a small generated base (two chunks), so that
    no timed run compiles source: where PYTHONDONTWRITEBYTECODE is set, every call would
    otherwise compile each module edited since its .pyc was written."""
    log("priming the bytecode cache")
    facts = generate(4_000, work / "prime")
    argv = [KZKG, "--facts", str(facts), "search", MISS, "--json"]
    run(argv, {**env, "KZKG_CACHE_DIR": str(work / "cache-prime")})


def source_stamp() -> str:
    """A digest of the names and modification times of kzkg_cli's source files (found by a
    child, so that this process never imports it): others may edit the engine during a run."""
    code = ("import hashlib, kzkg_cli, pathlib; root = pathlib.Path(kzkg_cli.__file__).parent; "
            "print(hashlib.sha256(repr(sorted((str(p), p.stat().st_mtime_ns) "
            "for p in root.rglob('*.py'))).encode()).hexdigest())")  # fmt: skip
    child = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    return child.stdout.strip()


def unchanged(stamp: str, what: str) -> str:
    """Print a warning if the engine's source changed since `stamp` was taken, during `what`;
    return the new stamp."""
    now = source_stamp()
    if now != stamp:
        print(f"\n⚠ kzkg_cli's source changed during {what}: its figures mix versions.")
    return now


def main() -> None:
    """Parse the options; generate the fact base; measure and print every table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=int, nargs="?", default=100_000)
    parser.add_argument("--repeats", type=int, default=3, help="cold builds each way")
    parser.add_argument("--rounds", type=int, default=7, help="alternating warm rounds")
    parser.add_argument("--common", default="сотрудничество", help="a common word")
    parser.add_argument("--rare", default="", help="a rare word (default: a person's surname)")
    parser.add_argument("--figure", default="", help="a figure (default: one the file states)")
    parser.add_argument("--profile", action="store_true", help="also profile one cold build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(work / "pycache")}
        for variable in UNSET:
            env.pop(variable, None)
        print(f"Machine: {machine()}\n")
        prime(work, env)
        log(f"{args.records:,} records: generating")
        facts = generate(args.records, work / "base")
        print(f"Fact base: {args.records:,} records generated, "
              f"{facts.stat().st_size / 1e6:.1f} MB, "
              f"{len(os.listdir(facts.parent / 'seeds'))} seed articles.")  # fmt: skip
        stamp = source_stamp()
        cold = cold_builds(facts, args.repeats, work, env)
        cold_table(cold, args.repeats)
        stamp = unchanged(stamp, "the cold builds")
        words = {"common": args.common, "rare": args.rare,
                 "figure": args.figure or figure_query(facts)}  # fmt: skip
        local = {**env, "KZKG_FACTS": str(facts), "KZKG_CACHE_DIR": str(work / "cache-with-0")}
        warm(facts, words, args.rounds, local)
        stamp = unchanged(stamp, "the warm queries")
        if args.profile:
            profile(facts, work, env)
            unchanged(stamp, "the profiled build")


if __name__ == "__main__":
    main()
