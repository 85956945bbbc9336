"""Start-up and scale benchmarks for kzkg (not part of the test suite).

    python benchmarks/bench.py                  # start-up budgets and batch mode
    python benchmarks/bench.py --scale          # also 1k / 10k / 100k generated records
    python benchmarks/bench.py --only scale     # only the generated records

Commands run side by side, alternating round by round, so machine noise touches them alike;
every time is a median, shown with its ratio to `python -c pass` measured in the same run.
Each budget is printed beside its figure, with whether it holds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
KZKG = str(Path(sys.executable).with_name("kzkg"))
PYTHON = sys.executable
SIZES = (1_000, 10_000, 100_000)
REPEATS = 3  # cold builds, verify and batch runs per size: each can take ~10 s at 100k
BATCH = 10_000  # lines fed to `kzkg who --stdin`
NAMES = "Бектенов Tokayev Жапаров Касымалиева Qarasu Бакыт Olzhas Токаеву Айтматов Путин".split()
VERSIONS = """import importlib.metadata as m
print(", ".join(f"{n} {m.version(n)}" for n in ("kzkg", "typer", "rich", "rapidfuzz")))"""
UNITS = {  # how a figure and its budget read, by unit
    "s": ("{:.2f} s", "≤ {:g} s"),
    "MB": ("{} MB", "≤ {:g} MB"),  # the figure as peak() writes it
    "×": ("{:.1f}× pass", "≤ {:g}× pass"),
}
SCRIPTED = [  # every command, as a script calls it; each ≤ 4× python -c pass
    "who Бектенов --json",
    "who --role министр --json",
    "who --at 2025 --country KZ --json",
    "when Токаев --json",
    "trade --json",
    "trade --year 2025 --json",
    "borders Карасу --json",
    "agreements --status signed --json",
    "search Хан-Тенгри --json",
    "show igc-13 --json",
    "sources --json",
    "export --format jsonl",
    "verify",
    "schema --compact",
]


class Command(NamedTuple):
    """A command line, its budget (× python -c pass; None: none) and its expected exit code."""

    argv: list[str]
    budget: float | None = None
    expect: int = 0


class Sample(NamedTuple):
    """One run of a child process: wall time (s), peak resident MB and exit code."""

    seconds: float
    peak_mb: float
    code: int


@dataclass(frozen=True)
class Stats:
    """Several runs of one command: median time (ms), highest peak MB, and a note when any
    run exited with another code than expected (then its figures say nothing)."""

    ms: float
    peak_mb: float
    note: str

    @classmethod
    def of(cls, samples: list[Sample], expected: int = 0) -> Stats:
        """Sum up samples of a command expected to exit with `expected`."""
        codes = sorted({s.code for s in samples} - {expected})
        note = f" ⚠ exit {', '.join(map(str, codes))}" if codes else ""
        median = statistics.median(s.seconds for s in samples) * 1000
        return cls(median, max(s.peak_mb for s in samples), note)


def kzkg(line: str, budget: float | None = None, expect: int = 0) -> Command:
    """A kzkg command from its arguments as one line (no argument holds a space)."""
    return Command([KZKG, *line.split()], budget, expect)


def run(argv: list[str], env: dict[str, str], stdin: bytes | None = None) -> Sample:
    """Run one child process, its output thrown away; the peak is its largest process's
    (ru_maxrss from os.wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, env=env, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if child.stdin is not None:
        with contextlib.suppress(BrokenPipeError):  # it died early: its exit code tells
            child.stdin.write(stdin or b"")
            child.stdin.close()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    return Sample(seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))


def build(argv: list[str], env: dict[str, str]) -> Sample:
    """Run one cold build, sampling the RSS summed over the process and its children every
    10 ms from /proc (kzkg builds in one process: the sum guards against that changing); the
    peak is that sum's, -1 where there is no /proc. The sampling costs CPU: time builds with
    run()."""
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    peak = -1 if not Path("/proc/self/statm").exists() else 0
    while child.poll() is None:
        if peak >= 0:
            peak = max(peak, tree_rss(child.pid))
        time.sleep(0.01)
    return Sample(time.perf_counter() - start, peak, child.returncode)


def tree_rss(root: int) -> int:
    """Resident MB of a process and its direct children, now."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry.name) == root or parent == root:
                total += int((entry / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    return total // 2**20


def repeat(command: Command, env: dict[str, str], stdin: bytes | None = None) -> Stats:
    """REPEATS runs of one command, one after another."""
    return Stats.of([run(command.argv, env, stdin) for _ in range(REPEATS)], command.expect)


def alternate(commands: dict[str, Command], rounds: int, env: dict[str, str]) -> dict[str, Stats]:
    """Each command run once to warm the caches, then once a round, in alternation."""
    for command in commands.values():
        run(command.argv, env)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            samples[name].append(run(command.argv, env))
    return {name: Stats.of(samples[name], command.expect) for name, command in commands.items()}


def verdict(value: float, limit: float | None, stats: Stats) -> str:
    """'yes' or 'no' for a figure against its budget; empty where there is no budget."""
    if limit is None:
        return ""
    return "yes" if value <= limit and not stats.note else "no"


def peak(mb: float) -> str:
    """A largest-process peak in MB; '≤ N' where it does not exceed this script's own peak N,
    which a child's ru_maxrss includes (the parent's memory at spawn), so it may be less."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"≤ {own:.0f}" if mb <= own else f"{mb:.0f}"


def log(message: str) -> None:
    """Progress on stderr, so that stdout stays markdown (flushed first, to keep the order)."""
    sys.stdout.flush()
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    """One line on the machine, Python and the versions that set start-up time (looked up in
    a child: importlib.metadata would add 6 MB to this script, and so to every peak's floor)."""
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        found = re.search(r"model name\s*:\s*(.+)", info.read())
        cpu = found.group(1).strip() if found else cpu
    versions = subprocess.run(
        [PYTHON, "-c", VERSIONS], capture_output=True, text=True, check=True
    ).stdout.strip()
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {versions}")  # fmt: skip


def startup_commands() -> dict[str, Command]:
    """The start-up rows by label: every scripted command, then the special cases."""
    commands = {"python -c pass": Command([PYTHON, "-c", "pass"])}
    commands |= {f"`kzkg {line}`": kzkg(line, 4) for line in SCRIPTED}
    commands |= {
        "`kzkg who Бектурганов --json` (fuzzy miss)": kzkg("who Бектурганов --json", 6, expect=1),
        "`kzkg --version`": kzkg("--version", 2),
        "`kzkg who Бектенов --format table`": kzkg("who Бектенов --format table", 8),
        "`kzkg who --help` (Typer)": kzkg("who --help"),
    }
    return commands


def startup(rounds: int, env: dict[str, str]) -> None:
    """Print the start-up table (shipped fact base, warm cache) and the batch line."""
    log("start-up")
    commands = startup_commands()
    stats = alternate(commands, rounds, env)
    base = stats["python -c pass"]
    print(f"Start-up on the shipped fact base, warm cache; median of {rounds} alternating rounds:")
    print("\n| command | median ms | × python -c pass | budget | holds? |")
    print("| --- | ---: | ---: | ---: | :---: |")
    for name, command in commands.items():
        got, ratio = stats[name], stats[name].ms / base.ms
        budget = f"≤ {command.budget:g}×" if command.budget else ""
        holds = verdict(ratio, command.budget, got)
        print(f"| {name}{got.note} | {got.ms:.1f} | {ratio:.1f} | {budget} | {holds} |")
    lines = "\n".join(NAMES[i % len(NAMES)] for i in range(BATCH)).encode()
    batch = repeat(kzkg("who --stdin"), env, lines)
    print(
        f"\nBatch: {BATCH:,} name lookups through `kzkg who --stdin`: {batch.ms / 1000:.2f} s"
        f"{batch.note} (median of {REPEATS}; {batch.ms / base.ms:.0f}× python -c pass)."
    )


@dataclass(frozen=True)
class Size:
    """What one generated fact base measured: its records, file MB and each command's stats."""

    records: int
    file_mb: float
    stats: dict[str, Stats]


def generate(records: int, out: Path) -> Path:
    """Write a fact file of `records` records and its seeds into `out`, in a child process:
    this one must stay small, as no child's ru_maxrss reads below its parent's peak."""
    subprocess.run([PYTHON, str(HERE / "generate.py"), str(records), str(out)], check=True)
    return out / "facts.toml"


def person_names(facts: Path, count: int) -> list[str]:
    """The names of the first `count` people of a generated fact file, read line by line."""
    names: list[str] = []
    table = ""
    with facts.open(encoding="utf-8") as lines:
        for line in lines:
            table = line.strip() if line.startswith("[[") else table
            if table == "[[person]]" and line.startswith("name = "):
                names.append(json.loads(line.removeprefix("name = ")))
                if len(names) == count:
                    return names
    raise ValueError(f"{facts} has fewer than {count} people")


def cold(who: Command, env: dict[str, str], out: Path) -> dict[str, Stats]:
    """REPEATS timed cold builds and REPEATS sampled ones, each into a fresh cache folder
    (the first of which the warm runs then use)."""
    timed = [run(who.argv, {**env, "KZKG_CACHE_DIR": str(out / f"c{i}")}) for i in range(REPEATS)]
    tree = [build(who.argv, {**env, "KZKG_CACHE_DIR": str(out / f"t{i}")}) for i in range(REPEATS)]
    return {"cold": Stats.of(timed), "tree": Stats.of(tree)}


def measure(records: int, out: Path, rounds: int, env: dict[str, str]) -> Size:
    """Generate `records` records into `out` and measure every scale figure on them."""
    log(f"{records:,} records: generating")
    facts = generate(records, out)
    names = person_names(facts, 10)
    local = {**env, "KZKG_FACTS": str(facts)}
    log(f"{records:,} records: cold builds")
    stats = cold(Command([KZKG, "who", names[0], "--json"]), local, out)
    local["KZKG_CACHE_DIR"] = str(out / "c0")
    log(f"{records:,} records: warm commands")
    warm = {
        "pass": Command([PYTHON, "-c", "pass"]),
        "exact": Command([KZKG, "who", names[0], "--json"]),
        "miss": kzkg("who Xyzzyqwert --json", expect=1),
        "jsonl": kzkg("export --format jsonl"),
        "json": kzkg("export --json"),
    }
    stats |= alternate(warm, rounds, local)
    log(f"{records:,} records: verify and batch")
    stats["verify"] = repeat(kzkg("verify"), local)
    lines = "\n".join(names[i % len(names)] for i in range(BATCH)).encode()
    stats["stdin"] = repeat(kzkg("who --stdin"), local, lines)
    return Size(records, facts.stat().st_size / 1e6, stats)


def timing(stats: Stats, base: Stats, unit: str = "ms") -> str:
    """Two cells: the median (in s or ms, flagged if a run failed) and its ratio to pass."""
    value = f"{stats.ms / 1000:.2f}" if unit == "s" else f"{stats.ms:.1f}"
    return f"{value}{stats.note} | {stats.ms / base.ms:.1f}"


def lookup_table(sizes: list[Size], rounds: int) -> None:
    """Print cold builds and warm lookups, one row per size."""
    print(
        f"\nScale: cold builds (median of {REPEATS}, each into a fresh cache) and warm lookups "
        f"(median of {rounds} alternating rounds); × is × `python -c pass` of the same row.\n"
    )
    print("| records | file MB | `python -c pass` ms | cold build `who NAME --json` s | × | "
          "peak MB, largest process | peak MB, all processes | exact `who` ms | × | "
          "fuzzy miss ms | × |")  # fmt: skip
    print("| ---: " * 11 + "|")
    for size in sizes:
        s, base = size.stats, size.stats["pass"]
        print(f"| {size.records:,} | {size.file_mb:.1f} | {base.ms:.1f} | "
              f"{timing(s['cold'], base, 's')} | {peak(s['cold'].peak_mb)} | "
              f"{s['tree'].peak_mb:.0f}{s['tree'].note} | {timing(s['exact'], base)} | "
              f"{timing(s['miss'], base)} |")  # fmt: skip


def heavy_table(sizes: list[Size]) -> None:
    """Print export, verify and batch, one row per size."""
    print(
        f"\nScale: whole-file commands, warm cache; verify and `who --stdin` ({BATCH:,} lines, "
        f"10 names) median of {REPEATS}; peak MB is the largest process's.\n"
    )
    print("| records | `export --format jsonl` s | × | peak MB | `export --json` s | × | "
          "peak MB | `verify` s | × | `who --stdin` s | × |")  # fmt: skip
    print("| ---: " * 11 + "|")
    for size in sizes:
        s, base = size.stats, size.stats["pass"]
        stream, whole = s["jsonl"], s["json"]
        print(f"| {size.records:,} | {timing(stream, base, 's')} | {peak(stream.peak_mb)} | "
              f"{timing(whole, base, 's')} | {peak(whole.peak_mb)} | "
              f"{timing(s['verify'], base, 's')} | {timing(s['stdin'], base, 's')} |")  # fmt: skip
    print("\n≤ N MB: at or under this script's own peak, below which no ru_maxrss can read "
          "(Linux counts the parent's resident memory at spawn in the child's).")  # fmt: skip


def budget_table(size: Size) -> None:
    """Print each scale budget against its figure on the largest fact base."""
    s = size.stats
    build_mb = max(s["tree"].peak_mb, s["cold"].peak_mb)  # the sampled sum can miss a peak
    rows = [  # what, figure, budget, unit, the stats whose runs must have succeeded
        ("cold build, time", s["cold"].ms / 1000, 10, "s", s["cold"]),
        ("cold build, peak MB of all processes", build_mb, 350, "MB", s["tree"]),
        ("fuzzy miss `who Xyzzyqwert --json`", s["miss"].ms / s["pass"].ms, 6, "×", s["miss"]),
        ("`export --format jsonl`, time", s["jsonl"].ms / 1000, 1.5, "s", s["jsonl"]),
        ("`export --format jsonl`, peak MB", s["jsonl"].peak_mb, 60, "MB", s["jsonl"]),
        ("`export --json`, peak MB", s["json"].peak_mb, 80, "MB", s["json"]),
        ("`verify`, time", s["verify"].ms / 1000, 8, "s", s["verify"]),
    ]
    print(f"\nBudgets at {size.records:,} records:\n")
    print("| budget | measured | limit | holds? |\n| --- | ---: | ---: | :---: |")
    for what, value, limit, unit, stats in rows:
        shown, bound = UNITS[unit]
        value_text = shown.format(peak(value) if unit == "MB" else value)
        print(f"| {what} | {value_text}{stats.note} | {bound.format(limit)} | "
              f"{verdict(value, limit, stats)} |")  # fmt: skip


def scale(rounds: int, env: dict[str, str]) -> None:
    """Measure each generated size in its own temporary folder; print the scale tables."""
    sizes = []
    for records in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            sizes.append(measure(records, Path(folder), rounds, env))
    lookup_table(sizes, rounds)
    heavy_table(sizes)
    budget_table(sizes[-1])


def main() -> None:
    """Parse the options; run the parts asked for with a fresh cache and the shipped facts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    rounds = "alternating rounds (scale: a third of them, at least 5)"
    parser.add_argument("--rounds", type=int, default=15, help=rounds)
    parser.add_argument("--scale", action="store_true", help="also measure 1k/10k/100k records")
    parser.add_argument("--only", choices=("startup", "scale"), help="run only this part")
    args = parser.parse_args()
    parts = {args.only} if args.only else {"startup", "scale"} if args.scale else {"startup"}
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "KZKG_CACHE_DIR": cache}
        env.pop("KZKG_FACTS", None)
        print(f"Machine: {machine()}\n")
        if "startup" in parts:
            startup(args.rounds, env)
        if "scale" in parts:
            scale(max(5, args.rounds // 3), env)


if __name__ == "__main__":
    main()
