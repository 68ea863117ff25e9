"""Where the library's time goes when it loads and writes 10,000 varied case records.

Run by ``make bench`` (or ``python benchmarks/profiles.py``); the performance
page includes what it writes.  Each profile runs in this one process, after
a warm-up, with the standard library's JSON (orjson hidden) and then with
orjson for writing.  Profiling slows Python code more than C code, so read
the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cse_programme import iter_jsonl, write_jsonl
from cse_programme.datasets import synthetic_cases


def shares(work: Callable[[], Any], top: int) -> list[str]:
    """The functions that take the most of *work*'s own time, with their shares."""
    work()  # warm up: loaders and writers are compiled on first use
    profile = cProfile.Profile()
    profile.runcall(work)
    stats = pstats.Stats(profile)
    rows = stats.stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in rows.values())
    ranked = sorted(rows.items(), key=lambda item: item[1][2], reverse=True)[:top]
    lines = []
    for (filename, line, name), (_, calls, own, _, _) in ranked:
        where = Path(filename).name if filename != "~" else "built-in"
        lines.append(f"  {own / total:6.1%}  {calls:>8,} calls  {name} ({where}:{line})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    # The standard library's path first: orjson is looked for on the first write.
    sys.modules["orjson"] = None  # type: ignore[assignment]
    buffer = io.BytesIO()
    write_jsonl(synthetic_cases(args.records, seed=1, varied=True), buffer)
    data = buffer.getvalue()
    cases = list(iter_jsonl(io.BytesIO(data)))
    sections = [
        (f"Load {args.records:,} varied records", lambda: list(iter_jsonl(io.BytesIO(data)))),
        (
            f"Write {args.records:,} varied records (standard library)",
            lambda: write_jsonl(cases, io.BytesIO()),
        ),
    ]
    lines = []
    for title, work in sections:
        lines += [
            f"{title}: share of the time spent in each function itself",
            *shares(work, args.top),
            "",
        ]
    del sys.modules["orjson"]
    from cse_programme._serialisation import _json

    _json._Writers.looked = False
    title = f"Write {args.records:,} varied records (orjson)"
    lines += [f"{title}: share of the time spent in each function itself"]
    lines += shares(lambda: write_jsonl(cases, io.BytesIO()), args.top)
    report = "\n".join(lines)
    print(report)
    if args.out is not None:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
