"""Benchmark cse-programme against pydantic v2 (strict) and msgspec on the same records.

Run ``make bench`` (or ``python benchmarks/run.py``).  Before timing anything
the suite proves the three implementations follow the same rules: each must
refuse every record in a set of bad ones, and all three must write the valid
data set as equal JSON.  Every figure is printed as a ratio to msgspec and to
pydantic measured in the same run, and each target is marked PASS or FAIL.
"""

from __future__ import annotations

import argparse
import copy
import gc
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import peers
import pydantic

import cse_programme
from cse_programme import CaseReview, iter_jsonl, write_jsonl
from cse_programme.datasets import synthetic_cases

Loader = Callable[[bytes], list[Any]]
Dumper = Callable[[list[Any]], bytes]


def ours_load(data: bytes) -> list[Any]:
    return list(iter_jsonl(io.BytesIO(data), CaseReview))


def ours_dump(records: list[Any]) -> bytes:
    buffer = io.BytesIO()
    write_jsonl(records, buffer)
    return buffer.getvalue()


def msgspec_load(data: bytes) -> list[Any]:
    return peers.MSGSPEC_LINE_DECODER.decode_lines(data)


def msgspec_dump(records: list[Any]) -> bytes:
    return peers.MSGSPEC_ENCODER.encode_lines(records)


def pydantic_load(data: bytes) -> list[Any]:
    validate = peers.PydanticCase.model_validate_json
    return [validate(line) for line in data.splitlines()]


def pydantic_dump(records: list[Any]) -> bytes:
    return b"".join(record.model_dump_json().encode() + b"\n" for record in records)


IMPLEMENTATIONS: dict[str, tuple[Loader, Dumper]] = {
    "cse-programme": (ours_load, ours_dump),
    "pydantic": (pydantic_load, pydantic_dump),
    "msgspec": (msgspec_load, msgspec_dump),
}


def records_bytes(count: int, seed: int = 1) -> bytes:
    """JSON Lines of synthetic case records, without the header line."""
    buffer = io.BytesIO()
    write_jsonl(synthetic_cases(count, seed=seed), buffer)
    return buffer.getvalue().split(b"\n", 1)[1]


# Proof that the rules are the same ----------------------------------------


def bad_records(valid: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Records every implementation must refuse, by the rule each breaks."""

    def changed(**fields: Any) -> dict[str, Any]:
        record = copy.deepcopy(valid)
        for key, value in fields.items():
            if value is KeyError:
                record.pop(key, None)
            else:
                record[key] = value
        return record

    day = valid["history"][0]["on"]
    return {
        "negative count": changed(suspects=-1),
        "count as text": changed(suspects="1"),
        "count as float": changed(suspects=1.0),
        "count as boolean": changed(victims=True),
        "no victims": changed(victims=0),
        "raw crime reference": changed(reference="CRIS/1234567/25"),
        "organisation id": changed(force="Met Police"),
        "unknown GSS code": changed(area="E09000099"),
        "no contexts": changed(contexts=[]),
        "unknown context": changed(contexts=["grooming"]),
        "repeated context": changed(contexts=["online", "online"]),
        "unknown key": changed(colour="blue"),
        "missing reference": changed(reference=KeyError),
        "naive timestamp": changed(updated="2025-06-02T09:30:00"),
        "blank notes": changed(notes="   "),
        "empty history": changed(history=[]),
        "history not starting at identification": changed(
            history=[{"status": "initial_assessment", "on": day}]
        ),
        "invalid transition": changed(
            history=[
                {"status": "identified", "on": day},
                {"status": "outcome_recorded", "on": day},
            ]
        ),
        "date going backwards": changed(
            history=[
                {"status": "identified", "on": "2025-06-02"},
                {"status": "initial_assessment", "on": "2025-06-01"},
            ]
        ),
        "impossible date": changed(offence_period={"start": "2023-02-29", "end": None}),
        "period ending before it starts": changed(offence_period={"start": "2020", "end": "2019"}),
        "single incident with one suspect": changed(
            contexts=["single_incident_multiple_suspects"], suspects=1
        ),
        "outcome before it is recorded": changed(
            outcomes=[{"suspect": 1, "type": "1", "recorded": day}], suspects=1
        ),
    }


def refuses(load: Loader, record: dict[str, Any]) -> bool:
    try:
        load(json.dumps(record).encode())
    except (cse_programme.ValidationError, pydantic.ValidationError, msgspec.ValidationError):
        return True
    return False


def prove_equal_rules(data: bytes) -> tuple[list[str], int]:
    """Every failure of the implementations to agree (empty when they do), and the rules tried."""
    failures = []
    valid = json.loads(data.split(b"\n", 1)[0])
    bad = bad_records(valid)
    for rule, record in bad.items():
        for name, (load, _) in IMPLEMENTATIONS.items():
            if not refuses(load, record):
                failures.append(f"{name} accepts a record with {rule}")
    written = {}
    for name, (load, dump) in IMPLEMENTATIONS.items():
        written[name] = [json.loads(line) for line in dump(load(data)).splitlines()]
    reference = written["cse-programme"][1:]  # ours starts with its header line
    for name in ("pydantic", "msgspec"):
        if written[name] != reference:
            failures.append(f"{name} writes different JSON from cse-programme")
    return failures, len(bad)


# Measuring ----------------------------------------------------------------


@contextmanager
def garbage_collector(enabled: bool) -> Iterator[None]:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def timed(function: Callable[[], Any], rounds: int, gc_on: bool) -> tuple[float, float]:
    """Best and median seconds over *rounds*."""
    times = []
    for _ in range(rounds):
        gc.collect()
        with garbage_collector(gc_on):
            start = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - start)
        del result
    return min(times), statistics.median(times)


def kept_memory(load: Loader, data: bytes) -> int:
    """Bytes still allocated by the loaded objects once loading is over."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loaded = load(data)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del loaded
    return after - before


STREAM_SCRIPT = """
import sys, time
sys.path.insert(0, {benchmarks!r})
name, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
count = 0
if name == "cse-programme":
    from cse_programme import iter_jsonl
    for _ in iter_jsonl(path):
        count += 1
else:
    import peers
    with open(path, "rb") as stream:
        if name == "msgspec":
            decode = peers.MSGSPEC_LINE_DECODER.decode
        else:
            decode = peers.PydanticCase.model_validate_json
        for line in stream:
            decode(line)
            count += 1
seconds = time.perf_counter() - start
# VmHWM: this process's own high-water mark (ru_maxrss would count the parent's
# memory copied at fork).
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
print(count, seconds, peak)
"""


def stream(name: str, path: Path) -> tuple[int, float, int]:
    script = STREAM_SCRIPT.format(benchmarks=str(Path(__file__).resolve().parent))
    result = subprocess.run(
        [sys.executable, "-c", script, name, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    count, seconds, peak = result.stdout.split()
    return int(count), float(seconds), int(peak)


def import_time(statement: str, rounds: int = 5) -> float:
    """Best seconds to run *statement* in a fresh interpreter, less the bare interpreter."""

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = min(once("pass") for _ in range(rounds))
    return max(0.0, min(once(statement) for _ in range(rounds)) - bare)


# Report -------------------------------------------------------------------


def ratio(value: float, other: float) -> str:
    return f"{value / other:.2f}x" if other else "n/a"


def row(
    label: str, values: Mapping[str, float], unit: str, scale: float, *, ratios: bool = True
) -> list[str]:
    ours = values["cse-programme"]
    return [
        label,
        *(f"{values[name] * scale:,.1f} {unit}" for name in IMPLEMENTATIONS),
        ratio(ours, values["msgspec"]) if ratios else "n/a",
        ratio(ours, values["pydantic"]) if ratios else "n/a",
    ]


def table(rows: list[list[str]]) -> str:
    header = ["measure", *IMPLEMENTATIONS, "vs msgspec", "vs pydantic"]
    rows = [header, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()} on "
        f"{platform.system()}; pydantic {pydantic.VERSION}, msgspec {msgspec.__version__}, "
        f"cse-programme {cse_programme.__version__}"
    )


Target = tuple[str, bool, str]


def measure_size(size: int, rounds: int, rows: list[list[str]], targets: list[Target]) -> None:
    """Load and dump *size* records with the collector on and off."""
    data = records_bytes(size)
    loaded = {name: load(data) for name, (load, _) in IMPLEMENTATIONS.items()}
    for gc_on in (True, False):
        label = "GC on" if gc_on else "GC off"
        for action in ("load", "dump"):
            best: dict[str, float] = {}
            median: dict[str, float] = {}
            for name, (load, dump) in IMPLEMENTATIONS.items():
                if action == "load":
                    work: Callable[[], Any] = partial(load, data)
                else:
                    work = partial(dump, loaded[name])
                best[name], median[name] = timed(work, rounds, gc_on)
            rows.append(row(f"{action} {size:,} (best, {label})", best, "ms", 1000))
            rows.append(row(f"{action} {size:,} (median, {label})", median, "ms", 1000))
            if gc_on and action == "load":
                ours, theirs = best["cse-programme"], best["pydantic"]
                goal = f"load {size:,} at least as fast as pydantic (GC on)"
                targets.append((goal, ours <= theirs, ratio(ours, theirs) + " of pydantic"))
            elif gc_on:
                ours, theirs = best["cse-programme"], best["msgspec"]
                goal = f"dump {size:,} at most 1.5x msgspec"
                targets.append((goal, ours <= 1.5 * theirs, ratio(ours, theirs) + " of msgspec"))


def measure_memory(size: int, rows: list[list[str]], targets: list[Target]) -> None:
    data = records_bytes(size)
    per = 10_000 / size
    memory = {name: kept_memory(load, data) * per for name, (load, _) in IMPLEMENTATIONS.items()}
    rows.append(row("memory kept per 10,000 objects", memory, "MB", 1 / 1e6))
    ours, theirs = memory["cse-programme"], memory["msgspec"]
    goal = "memory kept at most 1.5x msgspec"
    targets.append((goal, ours <= 1.5 * theirs, ratio(ours, theirs) + " of msgspec"))


def measure_streaming(records: int, rows: list[list[str]], targets: list[Target]) -> None:
    """Stream files of *records* and a tenth of that, each in a fresh process."""
    block = records_bytes(10_000, seed=3).splitlines(keepends=True)
    small_count = max(1, records // 10)
    throughput: dict[str, float] = {}
    peaks: dict[str, float] = {}
    growth: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder, "small.jsonl"), Path(folder, "large.jsonl")
        for path, count in ((small, small_count), (large, records)):
            with open(path, "wb") as stream_file:
                for index in range(count):
                    stream_file.write(block[index % len(block)])
        for name in IMPLEMENTATIONS:
            count, seconds, peak = stream(name, large)
            small_peak = stream(name, small)[2]
            throughput[name] = count / seconds
            peaks[name] = peak
            growth[name] = peak - small_peak
    rows.append(row(f"JSON Lines {records:,}: records per second", throughput, "k/s", 1 / 1000))
    rows.append(row(f"JSON Lines {records:,}: peak resident memory", peaks, "MB", 1 / 1e6))
    # Growth is near zero for all three, so ratios of it mean nothing.
    growth_row = row(
        f"JSON Lines: peak growth from {small_count:,}", growth, "MB", 1 / 1e6, ratios=False
    )
    rows.append(growth_row)
    top, grew = peaks["cse-programme"], growth["cse-programme"]
    targets.append(
        (
            f"JSON Lines {records:,} records under 100 MB resident, flat",
            top < 100e6 and grew < 5e6,
            f"{top / 1e6:.1f} MB peak, {grew / 1e6:+.1f} MB from {small_count:,} lines",
        )
    )


def measure_imports(rows: list[list[str]], targets: list[Target]) -> None:
    imports = {
        "cse-programme": import_time("import cse_programme"),
        "pydantic": import_time("import pydantic"),
        "msgspec": import_time("import msgspec"),
    }
    in_use = import_time("import cse_programme; cse_programme.CaseReview; cse_programme.loads")
    rows.append(row("import time", imports, "ms", 1000))
    ours, theirs = imports["cse-programme"], imports["pydantic"]
    targets.append(
        (
            "import time at most that of pydantic",
            ours <= theirs,
            f"{ours * 1000:.1f} ms vs {theirs * 1000:.1f} ms; "
            f"with the model and loaders in use {in_use * 1000:.1f} ms",
        )
    )


def run(sizes: list[int], rounds: int, stream_records: int, out: Path | None) -> int:
    failures, rules = prove_equal_rules(records_bytes(500, seed=2))
    if failures:
        print("The implementations do not follow the same rules:", *failures, sep="\n  ")
        return 1
    rows: list[list[str]] = []
    targets: list[Target] = []
    for size in sizes:
        measure_size(size, rounds, rows, targets)
    measure_memory(sizes[0], rows, targets)
    if stream_records:
        measure_streaming(stream_records, rows, targets)
    measure_imports(rows, targets)
    lines = [
        f"Machine: {machine()}",
        "",
        f"Rules proved equal: all three refuse {rules} kinds of bad record and write the "
        "valid records as equal JSON.",
        "",
        table(rows),
        "",
        "Targets:",
        *(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}" for name, ok, detail in targets),
    ]
    report = "\n".join(lines)
    print(report)
    if out is not None:
        out.write_text(report + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stream", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true", help="a few hundred records, quickly")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.smoke:
        return run([300], 1, 2_000, args.out)
    return run(args.sizes, args.rounds, args.stream, args.out)


if __name__ == "__main__":
    sys.exit(main())
