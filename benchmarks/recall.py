"""Recall and precision of `kzkg search` over the shipped fact base, for the README.

    python benchmarks/recall.py              # the figures
    python benchmarks/recall.py --misses 50  # and the first 50 queries that missed

Every content word of the articles and one other case form of it are searched; a word counts
as found when a hit holds a form of it (pymorphy3 judges: see tests/recall_words.py, which
tests/test_recall.py shares). The precision line counts unrelated queries that find nothing.
Needs the test extras (`pip install -e '.[test]'`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the oracle lives with the tests that assert it

from tests.conftest import REAL_FACTS, memory_store  # noqa: E402
from tests.recall_words import PRECISION, article_words, tally  # noqa: E402

from kzkg_cli.search.query import search  # noqa: E402


def share(found: int, tried: int) -> str:
    return f"{found}/{tried} ({100 * found / tried:.1f}%)" if tried else "0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--misses", type=int, default=0, help="list this many misses")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    store = memory_store(REAL_FACTS)
    words = article_words()
    result = tally(words, lambda query: search(store, query).rows)
    quiet = [q for q in PRECISION if not search(store, q).rows]
    print(f"recall, words:        {share(result.words_found, result.words)}")
    print(f"recall, other forms:  {share(result.forms_found, result.forms)}")
    print(f"precision:            {share(len(quiet), len(PRECISION))} unrelated queries empty")
    for miss in result.misses[: args.misses]:
        print(f"  missed: {miss.word} <- {miss.query}")
    noisy = sorted(set(PRECISION) - set(quiet))
    if noisy:
        print(f"  found something: {', '.join(noisy)}")
    print(f"({time.perf_counter() - start:.1f} s)")
    return 0 if not result.misses and not noisy else 1


if __name__ == "__main__":
    sys.exit(main())
