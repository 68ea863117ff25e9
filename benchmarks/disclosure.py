"""Time disclosure control on a table of London's 33 areas (target: under 10 ms).

Run ``python benchmarks/disclosure.py`` (``make bench`` runs it).  The area
counts come from synthetic case files: a sparse ones (60 and 200 cases, most areas
with a small count, so secondary suppression has the most work) and a full
one (9,000 cases, the size of the review).  Each table is protected many
times and the median is reported, with the whole funnel release for
comparison.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable

from cse_programme.datasets import london_2025, synthetic_cases
from cse_programme.model import ALL_LONDON, ReviewFunnel
from cse_programme.privacy import protect, release_funnel

TARGET_MS = 10.0


def median_ms(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    (review,) = london_2025().reviews
    names = ALL_LONDON.names()
    worst = 0.0
    print(f"Disclosure control, median of {args.repeats} runs (target: under {TARGET_MS:g} ms)")
    for size in (60, 200, 9_000):
        cases = list(synthetic_cases(size, seed=1))
        by_area = Counter(case.area.name for case in cases if case.area)
        counts = {(name, "Cases"): by_area[name] for name in names}
        small = sum(1 <= count <= 5 for count in counts.values())

        def table(counts: dict[tuple[str, str], int] = counts) -> object:
            return protect(names, ["Cases"], counts, row_totals=False)

        hidden = protect(names, ["Cases"], counts, row_totals=False).hidden_cells
        took = median_ms(table, args.repeats)
        worst = max(worst, took)
        print(f"  33 areas from {size:>5,} cases ({small} small, {hidden} hidden): {took:6.2f} ms")
        funnel = review.funnel(cases)

        def release(funnel: ReviewFunnel = funnel) -> object:
            return release_funnel(funnel)

        whole = median_ms(release, max(args.repeats // 10, 1))
        print(f"  whole funnel release of {size:>5,} cases (four tables): {whole:6.2f} ms")
    verdict = "PASS" if worst < TARGET_MS else "FAIL"
    print(f"{verdict}: protecting a table of 33 areas takes {worst:.2f} ms at most")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
