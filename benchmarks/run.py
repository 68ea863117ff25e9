"""Benchmark cse-programme against pydantic v2 (strict) and msgspec on the same records.

Run ``make bench`` (``make bench-quick`` for a short check).  Every figure
is taken in a fresh process that holds one implementation and nothing else
(``worker.py``), with the garbage collector on (what users get) and off,
and given as the best and the median of several runs, taken in turn: one
run of each implementation, then the next round.  The records are the
*varied* synthetic profile (several forces, ten years of dates, times to the
second, notes on three in ten), so that no cache meets the same values over
and over; the 1,000,000-line stream holds 1,000,000 different records.

Before timing anything the suite proves that the implementations follow the
same rules (each refuses every record in a set of bad ones) and write the
same bytes; the one rule the peers cannot keep (a key repeated in an object)
is reported, not hidden.  Every ratio is cse-programme's time or memory
divided by the other's: lower is better for cse-programme.  Each target is
marked PASS or FAIL.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import peer_msgspec
import peer_pydantic
import peer_rules
import pydantic

import cse_programme
from cse_programme import write_jsonl
from cse_programme.datasets import synthetic_cases

BENCHMARKS = Path(__file__).resolve().parent
OURS, FAST = "cse-programme", "cse-programme[fast]"
READERS = (OURS, "pydantic", "msgspec", "json")
WRITERS = (OURS, FAST, "pydantic", "msgspec", "json")
PEERS = {"pydantic": peer_pydantic, "msgspec": peer_msgspec}
SHOWN = {
    OURS: "cse-programme",
    FAST: "cse-programme[fast] (orjson)",
    "pydantic": "pydantic (strict)",
    "msgspec": "msgspec",
    "json": "standard library json",
}


@attrs.frozen
class Settings:
    """What to measure, and where the bench's files live."""

    sizes: tuple[int, ...]
    rounds: int
    stream: int
    folder: Path

    @property
    def environment(self) -> dict[str, str]:
        return {**os.environ, "CSE_BENCH_VOCABULARY": str(self.folder / "vocabulary.json")}


def records_file(folder: Path, count: int, seed: int) -> Path:
    """A file of *count* varied case records, one per line, without a header."""
    path = folder / f"cases-{count}-{seed}.jsonl"
    if not path.exists():
        buffer = io.BytesIO()
        write_jsonl(synthetic_cases(count, seed=seed, varied=True), buffer)
        path.write_bytes(buffer.getvalue().split(b"\n", 1)[1])
    return path


def worker(settings: Settings, *arguments: object) -> dict[str, Any]:
    """Run one measurement in a fresh process, and read its result."""
    command = [sys.executable, str(BENCHMARKS / "worker.py"), *map(str, arguments)]
    done = subprocess.run(
        command, check=False, capture_output=True, text=True, env=settings.environment
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[2:])} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# Proof that the rules and the output are the same ---------------------------


def bad_records(valid: dict[str, Any]) -> dict[str, str]:
    """Lines every implementation must refuse, by the rule each breaks."""

    def changed(**fields: Any) -> str:
        record = copy.deepcopy(valid)
        for key, value in fields.items():
            if value is KeyError:
                record.pop(key, None)
            else:
                record[key] = value
        return json.dumps(record, ensure_ascii=False)

    day = valid["history"][0]["on"]
    lines = {
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
        "blank notes": changed(notes="   "),
        "notes over 2,000 characters": changed(notes="case conference booked; " * 84),
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
            outcomes=[{"suspect": 1, "type": "1", "recorded": day}],
            suspects=1,
            history=[{"status": "identified", "on": day}],
        ),
    }
    for label, moment in TIMESTAMPS_REFUSED.items():
        lines[f"timestamp {label}"] = changed(updated=moment)
    return lines


TIMESTAMPS_REFUSED = {
    "without an offset": "2025-06-02T09:30:00",
    "without seconds": "2025-06-02T09:30Z",
    "in lower case": "2025-06-02t09:30:00z",
    "with a space for T": "2025-06-02 09:30:00Z",
    "with seven decimals": "2025-06-02T09:30:00.1234567Z",
    "with a comma for the point": "2025-06-02T09:30:00,5Z",
    "with an offset without a colon": "2025-06-02T09:30:00+0100",
    "at a leap second": "2025-06-02T23:59:60Z",
    "on a day that does not exist": "2025-02-30T09:30:00Z",
}
#: A line holding one key twice (the last of the two is a valid value).
REPEATED_KEY = "a key repeated in one object"


def with_repeated_key(line: str) -> str:
    return line[:-1] + ',"victims":1}'


def loaders() -> dict[str, Callable[[bytes], Any]]:
    """Each implementation's loader, for the proof (run in this process: nothing is timed)."""
    from cse_programme import iter_jsonl

    return {
        OURS: lambda data: list(iter_jsonl(io.BytesIO(data))),
        "pydantic": peer_pydantic.load,
        "msgspec": peer_msgspec.load,
    }


def refuses(load: Callable[[bytes], Any], line: str) -> bool:
    errors = (cse_programme.ValidationError, pydantic.ValidationError, msgspec.ValidationError)
    try:
        load(line.encode())
    except errors:
        return True
    return False


@attrs.frozen
class Proof:
    """What the proof found: disagreements (which stop the bench) and notes."""

    failures: list[str]
    notes: list[str]
    rules: int


def prove_equal_rules(sample: Path) -> Proof:
    """Every implementation must refuse each bad line, and accept each sample line."""
    lines = sample.read_bytes().decode().splitlines()
    bad = bad_records(json.loads(lines[0]))
    failures, notes = [], []
    for name, load in loaders().items():
        failures += [
            f"{name} accepts a record with {rule}"
            for rule, line in bad.items()
            if not refuses(load, line)
        ]
        long_notes = json.loads(lines[0]) | {"notes": "reviewed; " * 199 + "reviewed!!"}
        if refuses(load, json.dumps(long_notes)):
            failures.append(f"{name} refuses notes of exactly 2,000 characters")
        if not refuses(load, with_repeated_key(lines[0])):
            notes.append(name)
    if OURS in notes:
        failures.append(f"{OURS} accepts {REPEATED_KEY}")
    accepting = [name for name in notes if name != OURS]
    found = (
        [
            f"{' and '.join(accepting)} accept {REPEATED_KEY} (the last value wins); "
            f"{OURS} refuses it, and its load times include the check"
        ]
        if accepting
        else []
    )
    return Proof(failures, found, len(bad))


def prove_equal_bytes(settings: Settings, sample: Path) -> list[str]:
    """Each writer, in its own process, must write back the sample's very bytes."""
    expected = hashlib.sha256(sample.read_bytes()).hexdigest()
    return [
        f"{SHOWN[name]} writes different bytes from the records it read"
        for name in WRITERS
        if worker(settings, name, "written", sample)["sha256"] != expected
    ]


# Measuring ------------------------------------------------------------------


@attrs.frozen
class Timing:
    """Best and median seconds of one implementation, with the collector on and off."""

    on: list[float]
    off: list[float]

    @property
    def best(self) -> float:
        return min(self.on)


def timings(settings: Settings, action: str, names: Iterable[str], path: Path) -> dict[str, Timing]:
    """Each run of each implementation in a process of its own, the implementations in turn.

    Taking the runs in turn, rather than all of one implementation and then the
    next, means a slow spell of a shared machine falls on every implementation
    alike instead of on whichever happened to be running.
    """
    names = list(names)
    on: dict[str, list[float]] = {name: [] for name in names}
    off: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(settings.rounds):
        for name in names:
            on[name] += worker(settings, name, action, path, 1, "on")["times"]
            off[name] += worker(settings, name, action, path, 1, "off")["times"]
    return {name: Timing(on[name], off[name]) for name in names}


def table(header: list[str], rows: list[list[str]]) -> str:
    rows = [header, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def timing_table(title: str, found: dict[str, Timing], ours: str) -> str:
    header = [
        "implementation",
        "best, GC on",
        "median, GC on",
        "best, GC off",
        "median, GC off",
        f"{ours} / this (best, GC on)",
    ]
    rows = [
        [
            SHOWN[name],
            ms(min(t.on)),
            ms(statistics.median(t.on)),
            ms(min(t.off)),
            ms(statistics.median(t.off)),
            f"{found[ours].best / t.best:.2f}x",
        ]
        for name, t in found.items()
    ]
    return f"{title} (milliseconds; lower is better)\n\n{table(header, rows)}"


Target = tuple[str, float, float]  # what, measured ratio, the most it may be


def at_most(what: str, ours: float, theirs: float, limit: float) -> Target:
    return (what, ours / theirs, limit)


def measure_sizes(settings: Settings, sections: list[str], targets: list[Target]) -> None:
    for size in settings.sizes:
        path = records_file(settings.folder, size, seed=1)
        load = timings(settings, "load", READERS, path)
        sections.append(timing_table(f"Load {size:,} varied records", load, OURS))
        dump = timings(settings, "dump", WRITERS, path)
        sections.append(timing_table(f"Dump {size:,} varied records", dump, OURS))
        fast = dump[FAST].best
        targets += [
            at_most(
                f"load {size:,}: time of pydantic", load[OURS].best, load["pydantic"].best, 1.0
            ),
            at_most(f"load {size:,}: time of msgspec", load[OURS].best, load["msgspec"].best, 2.5),
            at_most(
                f"dump {size:,}, standard library: time of its own encoder on ready-made dicts",
                dump[OURS].best,
                dump["json"].best,
                1.3,
            ),
            at_most(f"dump {size:,}, [fast]: time of pydantic", fast, dump["pydantic"].best, 0.8),
            at_most(f"dump {size:,}, [fast]: time of msgspec", fast, dump["msgspec"].best, 8.0),
        ]


def measure_memory(settings: Settings, sections: list[str], targets: list[Target]) -> None:
    path = records_file(settings.folder, settings.sizes[0], seed=1)
    kept = {}
    for name in (OURS, "pydantic", "msgspec", "json"):
        found = worker(settings, name, "memory", path)
        kept[name] = found["bytes"] / found["records"]
    rows = [[SHOWN[name], f"{per:,.0f}", f"{kept[OURS] / per:.2f}x"] for name, per in kept.items()]
    header = ["implementation", "bytes per record", f"{OURS} / this"]
    sections.append(
        f"Memory kept by {settings.sizes[0]:,} loaded records (lower is better)\n\n"
        + table(header, rows)
    )
    targets.append(at_most("memory kept: that of msgspec", kept[OURS], kept["msgspec"], 1.0))


def stream_file(folder: Path, count: int) -> tuple[Path, int]:
    """A file of *count* different varied records, and how many distinct lines it holds."""
    path = folder / f"stream-{count}.jsonl"
    with path.open("wb") as stream:
        write_jsonl(synthetic_cases(count, seed=3, varied=True), stream)
    with path.open("rb") as stream, (folder / "stream.jsonl").open("wb") as records:
        next(stream)  # the header: the peers read records only
        records.writelines(stream)
    (folder / "stream.jsonl").replace(path)
    with path.open("rb") as stream:
        distinct = len({hashlib.blake2b(line, digest_size=16).digest() for line in stream})
    return path, distinct


def measure_streaming(settings: Settings, sections: list[str], targets: list[Target]) -> None:
    """Stream the file and a tenth of it, each implementation in its own process."""
    large, distinct = stream_file(settings.folder, settings.stream)
    small, _ = stream_file(settings.folder, max(1, settings.stream // 10))
    rows, seconds, growth = [], {}, {}
    for name in READERS:
        big = worker(settings, name, "stream", large)
        little = worker(settings, name, "stream", small)
        seconds[name], growth[name] = big["seconds"], big["peak"] - little["peak"]
        rows.append(
            [
                SHOWN[name],
                f"{big['seconds']:,.2f}",
                f"{big['count'] / big['seconds'] / 1000:,.1f}",
                f"{big['peak'] / 1e6:,.1f}",
                f"{growth[name] / 1e6:+,.1f}",
            ]
        )
    for row, name in zip(rows, READERS, strict=True):
        row.insert(2, f"{seconds[OURS] / seconds[name]:.2f}x")
    header = [
        "implementation",
        "seconds",
        f"{OURS} / this (time)",
        "thousand records a second (higher is better)",
        "peak resident MB",
        f"MB more than for {settings.stream // 10:,}",
    ]
    sections.append(
        f"Read {settings.stream:,} varied records from a file, one line at a time "
        f"({distinct:,} distinct lines; time: lower is better)\n\n{table(header, rows)}"
    )
    targets.append(
        at_most(
            f"stream {settings.stream:,}: time of pydantic", seconds[OURS], seconds["pydantic"], 1.0
        )
    )
    flat = growth[OURS] < 5e6
    targets.append(
        (
            f"stream {settings.stream:,}: memory flat (under 5 MB more than for a tenth)",
            0.0 if flat else 2.0,
            1.0,
        )
    )


_OURS_IN_USE = (
    "import io, sys\n"
    "from cse_programme import iter_jsonl, write_jsonl\n"
    "write_jsonl(list(iter_jsonl(io.BytesIO(sys.argv[1].encode()))), io.BytesIO())\n"
)
IMPORT_IN_USE = {
    # As installed without the fast extra: orjson hidden, as if absent.
    OURS: "import sys\nsys.modules['orjson'] = None\n" + _OURS_IN_USE,
    FAST: _OURS_IN_USE,
    "pydantic": "import sys, peer_pydantic as p\np.dump(p.load(sys.argv[1].encode()))\n",
    "msgspec": "import sys, peer_msgspec as p\np.dump(p.load(sys.argv[1].encode()))\n",
}


def import_time(settings: Settings, code: str, line: str, rounds: int = 7) -> float:
    """Best seconds to run *code* in a fresh interpreter, less the bare interpreter's.

    Every module is read from its compiled bytecode, as after installing a
    package (pip compiles it then): bytecode is allowed to be written, even
    where ``PYTHONDONTWRITEBYTECODE`` is set, and a first untimed run writes
    it.  Otherwise an editable install would compile the library's source on
    every run and time the compiler, not the import.
    """
    environment = {
        name: value
        for name, value in settings.environment.items()
        if name != "PYTHONDONTWRITEBYTECODE"
    }

    def once(source: str) -> float:
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sys; sys.path.insert(0, {str(BENCHMARKS)!r})\n" + source,
                line,
            ],
            check=True,
            env=environment,
        )
        return time.perf_counter() - start

    once(code)  # writes the bytecode of every module the code imports
    bare = min(once("pass") for _ in range(rounds))
    return max(0.0, min(once(code) for _ in range(rounds)) - bare)


def measure_imports(settings: Settings, sections: list[str], targets: list[Target]) -> None:
    line = records_file(settings.folder, settings.sizes[0], seed=1).read_text().splitlines()[0]
    seconds = {name: import_time(settings, code, line) for name, code in IMPORT_IN_USE.items()}
    rows = [
        [SHOWN[name], ms(s), f"{seconds[OURS] / s:.2f}x" if s else "n/a"]
        for name, s in seconds.items()
    ]
    sections.append(
        "Import, with the model and the JSON Lines reader and writer in use "
        "(milliseconds beyond a bare interpreter; lower is better)\n\n"
        + table(["implementation", "milliseconds", f"{OURS} / this"], rows)
    )
    targets.append(
        at_most(
            "import with the model in use, as installed without [fast]: that of pydantic",
            seconds[OURS],
            seconds["pydantic"],
            1.0,
        )
    )
    targets.append(
        at_most(
            "import with the model in use, [fast]: that of pydantic",
            seconds[FAST],
            seconds["pydantic"],
            1.0,
        )
    )


# Report ---------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import orjson

    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()} on "
        f"{platform.system()}; pydantic {pydantic.VERSION}, msgspec {msgspec.__version__}, "
        f"orjson {orjson.__version__}, cse-programme {cse_programme.__version__}"
    )


def verdict(target: Target) -> str:
    what, ratio, limit = target
    if what.startswith("stream") and "flat" in what:
        return f"  {'PASS' if ratio <= limit else 'FAIL'}  {what}"
    return f"  {'PASS' if ratio <= limit else 'FAIL'}  {what}: {ratio:.2f}x (at most {limit:.1f}x)"


def run(settings: Settings, out: Path | None, *, quick: bool = False) -> int:
    (settings.folder / "vocabulary.json").write_text(json.dumps(peer_rules.library_vocabulary()))
    sample = records_file(settings.folder, 2_000, seed=2)
    proof = prove_equal_rules(sample)
    failures = proof.failures + prove_equal_bytes(settings, sample)
    if failures:
        print("The implementations do not follow the same rules:", *failures, sep="\n  ")
        return 1
    sections: list[str] = []
    targets: list[Target] = []
    measure_sizes(settings, sections, targets)
    measure_memory(settings, sections, targets)
    if settings.stream:
        measure_streaming(settings, sections, targets)
    measure_imports(settings, sections, targets)
    report = "\n\n".join(
        [
            f"Machine: {machine()}",
            *(
                ["QUICK RUN: a check of the bench itself; its figures mean little."]
                if quick
                else []
            ),
            f"Each figure: {settings.rounds} runs, each in a fresh process, the implementations"
            " taken in turn.",
            f"Rules proved equal: all three refuse {proof.rules} kinds of bad record and accept "
            "notes of exactly 2,000 characters, and every writer writes back the very bytes of "
            "2,000 varied records it read.",
            *(f"Known difference: {note}." for note in proof.notes),
            *sections,
            "Targets (varied records, GC on, best of the runs; each ratio is cse-programme's "
            "figure divided by the other's):\n" + "\n".join(verdict(t) for t in targets),
        ]
    )
    print(report)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stream", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the bench")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.rounds, args.stream = [2_000], 3, 20_000
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(tuple(args.sizes), args.rounds, args.stream, Path(folder))
        return run(settings, args.out, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())
