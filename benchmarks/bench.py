"""Start-up and scale benchmarks for kzkg (not part of the test suite).

    python benchmarks/bench.py               # start-up budgets and batch mode
    python benchmarks/bench.py --scale       # also 1k / 10k / 100k generated records

Commands run side by side, alternating round by round, so machine noise touches them alike;
medians are reported with each one's ratio to `python -c pass` measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KZKG = str(Path(sys.executable).with_name("kzkg"))
PYTHON = sys.executable


def run(argv: list[str], env: dict[str, str], stdin: bytes | None = None) -> tuple[float, int]:
    """Wall time (s) and peak memory (KB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, env=env, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if stdin is not None:
        assert child.stdin is not None
        child.stdin.write(stdin)
        child.stdin.close()
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def build(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) of one cold build, and the peak of the RSS summed over the process and
    its children (MB; sampled every 10 ms from /proc: the helper that reads half of a large
    file counts too). -1 where there is no /proc."""
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
    return time.perf_counter() - start, peak


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


def medians(commands: dict[str, list[str]], rounds: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall time (ms) of each command, run in alternation."""
    for argv in commands.values():
        run(argv, env)  # warm the cache and the OS page cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            times[name].append(run(argv, env)[0] * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        found = re.search(r"model name\s*:\s*(.+)", info.read())
        cpu = found.group(1).strip() if found else cpu
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("kzkg", "typer", "rich", "rapidfuzz")
    )
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {versions}")  # fmt: skip


def startup(rounds: int, env: dict[str, str]) -> None:
    commands = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "kzkg who Бектенов --json": [KZKG, "who", "Бектенов", "--json"],
        "kzkg who Бектенов --format table": [KZKG, "who", "Бектенов", "--format", "table"],
        "kzkg who Бектурганов --json (fuzzy miss)": [KZKG, "who", "Бектурганов", "--json"],
        "kzkg trade --json": [KZKG, "trade", "--json"],
    }
    budgets = {"kzkg who Бектенов --json": 5, "kzkg who Бектенов --format table": 8}
    result = medians(commands, rounds, env)
    base = result["python -c pass"]
    print(f"Start-up, median of {rounds} alternating rounds:\n")
    print("| command | median ms | × python -c pass | budget |")
    print("| --- | ---: | ---: | ---: |")
    for name, value in result.items():
        budget = f"≤ {budgets[name]}×" if name in budgets else ""
        print(f"| `{name}` | {value:.1f} | {value / base:.1f} | {budget} |")
    names = (
        "Бектенов Tokayev Жапаров Касымалиева Qarasu Бакыт Olzhas Токаеву Айтматов Путин".split()
    )
    lines = "\n".join(names[i % len(names)] for i in range(10_000)).encode()
    batch = statistics.median(run([KZKG, "who", "--stdin"], env, lines)[0] for _ in range(3))
    print(f"\nBatch: 10,000 name lookups through `kzkg who --stdin`: {batch:.2f} s (median of 3).")


def scale(rounds: int, env: dict[str, str]) -> None:
    sys.path.insert(0, str(HERE))
    from generate import generate

    print("\n| records | file MB | first load (build) s | peak MB, largest process | "
          "peak MB, all processes | exact `who` ms | × pass | fuzzy miss ms |\n"
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")  # fmt: skip
    for n in (1_000, 10_000, 100_000):
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            generate(n, out)
            facts = out / "facts.toml"
            first = re.search(r'\[\[person\]\]\nid = "p0"\nname = "([^"]+)"', facts.read_text())
            assert first is not None
            who = [KZKG, "who", first.group(1), "--json"]
            builds, total = [], []
            local = {**env, "KZKG_FACTS": str(facts)}
            for attempt in range(3):  # cold builds, each into a fresh cache folder
                builds.append(run(who, {**local, "KZKG_CACHE_DIR": str(out / f"c{attempt}")}))
                total.append(build(who, {**local, "KZKG_CACHE_DIR": str(out / f"t{attempt}")})[1])
            local["KZKG_CACHE_DIR"] = str(out / "c0")
            build_s = statistics.median(b[0] for b in builds)
            peak_kb = max(b[1] for b in builds)
            result = medians(
                {
                    "pass": [PYTHON, "-c", "pass"],
                    "exact": [KZKG, "who", first.group(1), "--json"],
                    "miss": [KZKG, "who", "Xyzzyqwert", "--json"],
                },
                rounds,
                local,
            )
            size = facts.stat().st_size / 1e6
            print(f"| {n:,} | {size:.1f} | {build_s:.1f} | {peak_kb / 1024:.0f} | {max(total)} | "
                  f"{result['exact']:.1f} | {result['exact'] / result['pass']:.1f} | "
                  f"{result['miss']:.1f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--scale", action="store_true", help="also measure 1k/10k/100k records")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "KZKG_CACHE_DIR": cache}
        env.pop("KZKG_FACTS", None)
        print(f"Machine: {machine()}\n")
        startup(args.rounds, env)
        if args.scale:
            scale(max(5, args.rounds // 3), env)


if __name__ == "__main__":
    main()
