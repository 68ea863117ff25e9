"""One measurement of one implementation, alone in a fresh process.

Run by ``run.py`` as ``python worker.py IMPLEMENTATION MEASURE FILE [ROUNDS GC]``;
prints its result as JSON.  Nothing but the implementation asked for, and
what it loads, is alive while it is timed.

Implementations: ``cse-programme`` (the standard library's JSON only: orjson
is hidden from it), ``cse-programme[fast]`` (orjson), ``pydantic`` (strict),
``msgspec``, and ``json``: the standard library alone, reading each line
with ``json.loads`` and writing ready-made dicts with its own encoder, the
floor and ceiling the others are held to.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Load = Callable[[bytes], Any]
Dump = Callable[[Any], bytes]
LineReader = Callable[[Path], Iterator[Any]]


def _ours(fast: bool) -> tuple[Load, Dump, LineReader]:
    if fast:
        import orjson  # noqa: F401  # the [fast] path must really have it
    else:
        sys.modules["orjson"] = None  # type: ignore[assignment]  # as if not installed
    from cse_programme import iter_jsonl, write_jsonl

    def load(data: bytes) -> Any:
        return list(iter_jsonl(io.BytesIO(data)))

    def dump(records: Any) -> bytes:
        buffer = io.BytesIO()
        write_jsonl(records, buffer)
        return buffer.getvalue().split(b"\n", 1)[1]  # the records, without the header

    def lines(path: Path) -> Iterator[Any]:
        return iter_jsonl(path)

    return load, dump, lines


def _peer(module: Any) -> tuple[Load, Dump, LineReader]:
    def lines(path: Path) -> Iterator[Any]:
        decode = module.decode_line
        with path.open("rb") as stream:
            for line in stream:
                yield decode(line)

    return module.load, module.dump, lines


def _standard_library() -> tuple[Load, Dump, LineReader]:
    loads = json.loads
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))

    def load(data: bytes) -> Any:
        return [loads(line) for line in data.splitlines()]

    def dump(records: Any) -> bytes:
        encode = encoder.encode
        return ("\n".join([encode(record) for record in records]) + "\n").encode("utf-8")

    def lines(path: Path) -> Iterator[Any]:
        with path.open("rb") as stream:
            for line in stream:
                yield loads(line)

    return load, dump, lines


def implementation(name: str) -> tuple[Load, Dump, LineReader]:
    """The load, dump and line-reading functions of the implementation *name*."""
    if name in ("cse-programme", "cse-programme[fast]"):
        return _ours(fast=name.endswith("[fast]"))
    if name == "pydantic":
        import peer_pydantic

        return _peer(peer_pydantic)
    if name == "msgspec":
        import peer_msgspec

        return _peer(peer_msgspec)
    if name == "json":
        return _standard_library()
    raise SystemExit(f"unknown implementation {name!r}")


def timed(work: Callable[[], Any], rounds: int, gc_on: bool) -> list[float]:
    """Seconds for each of *rounds* runs of *work*, its result let go after each."""
    (gc.enable if gc_on else gc.disable)()
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
        del result
    gc.enable()
    return times


def peak_resident() -> int:
    """This process's own high-water mark of resident memory, in bytes (Linux)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024


def main(argv: list[str]) -> dict[str, Any]:
    name, measure, path = argv[0], argv[1], Path(argv[2])
    load, dump, lines = implementation(name)
    if measure == "stream":
        start = time.perf_counter()
        count = sum(1 for _ in lines(path))
        return {"count": count, "seconds": time.perf_counter() - start, "peak": peak_resident()}
    data = path.read_bytes()
    if measure == "written":
        # What the implementation writes of what it read, by digest.
        written = dump(load(data))
        return {"sha256": hashlib.sha256(written).hexdigest(), "size": len(written)}
    if measure == "memory":
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        loaded = load(data)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        return {"bytes": kept, "records": len(loaded)}
    rounds, gc_on = int(argv[3]), argv[4] == "on"
    sample = b"".join(data.splitlines(keepends=True)[:100])
    dump(load(sample))  # warm up: anything built on first use is built now
    if measure == "load":
        return {"times": timed(lambda: load(data), rounds, gc_on)}
    if measure == "dump":
        records = load(data)
        return {"times": timed(lambda: dump(records), rounds, gc_on)}
    raise SystemExit(f"unknown measure {measure!r}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print(json.dumps(main(sys.argv[1:])))
