"""Memory and time of the command line on hostile and large files, each run in a fresh process.

Run by ``make bench`` (or ``python benchmarks/limits.py``).  Each command runs
alone in a new process; its peak resident memory is what the kernel reports
for that one child (``os.wait4``), so nothing the benchmark itself holds is
counted.  Targets, each marked PASS or FAIL:

* ``validate`` of a header and 1,000,000 lines of ``{}`` (every line invalid):
  under 250 MB, under 3 minutes, and its report bounded (the first problems
  and a count, never a line per problem).
* ``funnel`` of 1,000,000 case records: under 100 MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from cse_programme import write_jsonl
from cse_programme.cli import MAX_PROBLEMS_SHOWN
from cse_programme.datasets import synthetic_cases

MB = 1024 * 1024
RECORDS = 1_000_000
VALIDATE_MEMORY, VALIDATE_SECONDS, FUNNEL_MEMORY = 250 * MB, 180.0, 100 * MB
HEADER = b'{"kind": "case_review", "schema_version": 1}\n'


def measure(arguments: Sequence[str], output: Path) -> tuple[int, float, int]:
    """Run the command line with *arguments*; its exit code, seconds and peak bytes."""
    command = [sys.executable, "-m", "cse_programme", *arguments]
    started = time.perf_counter()
    with output.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=out, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss * 1024


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def run(records: int, folder: Path) -> list[str]:
    bad = folder / "bad.jsonl"
    with bad.open("wb") as stream:
        stream.write(HEADER)
        stream.writelines(b"{}\n" for _ in range(records))
    cases = folder / "cases.jsonl"
    write_jsonl(synthetic_cases(records, seed=1), cases)
    report = folder / "validate.txt"
    code, seconds, peak = measure(["validate", str(bad)], report)
    with report.open("rb") as printout:
        printed = sum(1 for _ in printout)
    bounded = printed <= MAX_PROBLEMS_SHOWN + 2
    lines = [
        f"validate: a header and {records:,} bad lines (exit {code}, {printed} lines printed)",
        f"  peak memory {peak / MB:7.1f} MB   target < {VALIDATE_MEMORY // MB} MB   "
        f"{verdict(peak < VALIDATE_MEMORY)}",
        f"  time        {seconds:7.1f} s    target < {VALIDATE_SECONDS:.0f} s    "
        f"{verdict(seconds < VALIDATE_SECONDS)}",
        f"  report      {printed:7d} lines target <= {MAX_PROBLEMS_SHOWN + 2} lines "
        f"{verdict(code == 1 and bounded)}",
    ]
    code, seconds, peak = measure(["funnel", str(cases)], folder / "funnel.txt")
    lines += [
        f"funnel: {records:,} case records (exit {code}, {seconds:.1f} s)",
        f"  peak memory {peak / MB:7.1f} MB   target < {FUNNEL_MEMORY // MB} MB   "
        f"{verdict(code == 0 and peak < FUNNEL_MEMORY)}",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=RECORDS, help="lines in each file")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        lines = run(args.records, Path(folder))
    text = "\n".join(lines)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
