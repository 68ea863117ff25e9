"""A short run of the benchmark suite, so it never rots (no timing is asserted)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def benchmark(name: str) -> ModuleType:
    """A script of the benchmarks folder, imported as a module."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Any]:
    """The bench, and its settings over a folder holding 300 varied records."""
    run = benchmark("run")
    folder = tmp_path_factory.mktemp("bench")
    (folder / "vocabulary.json").write_text(
        json.dumps(benchmark("peer_rules").library_vocabulary())
    )
    return run, run.Settings((300,), 1, 0, folder)


def test_the_bench_proves_that_every_implementation_keeps_the_same_rules(
    sample: tuple[ModuleType, Any],
) -> None:
    run, settings = sample
    proof = run.prove_equal_rules(run.records_file(settings.folder, 300, seed=2))
    assert proof.failures == []
    assert proof.rules == len(run.bad_records({"history": [{"on": "2025-06-02"}]})) == 32
    assert "timestamp without seconds" in run.bad_records({"history": [{"on": "2025-06-02"}]})
    # The peers read a repeated key silently: the bench says so.
    assert proof.notes == [
        "pydantic and msgspec accept a key repeated in one object (the last value wins); "
        "cse-programme refuses it, and its load times include the check"
    ]


def test_the_proof_catches_a_loader_that_lets_a_rule_go(
    sample: tuple[ModuleType, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    run, settings = sample
    lenient = {**run.loaders(), "msgspec": json.loads}
    monkeypatch.setattr(run, "loaders", lambda: lenient)
    proof = run.prove_equal_rules(run.records_file(settings.folder, 300, seed=2))
    assert "msgspec accepts a record with negative count" in proof.failures
    assert "msgspec accepts a record with timestamp in lower case" in proof.failures


def test_every_writer_writes_back_the_very_bytes_it_read(sample: tuple[ModuleType, Any]) -> None:
    # Each writer runs in its own process, as when it is timed: the library
    # with the standard library alone, the library with orjson, and the peers.
    run, settings = sample
    path = run.records_file(settings.folder, 300, seed=2)
    assert run.prove_equal_bytes(settings, path) == []
    other = run.records_file(settings.folder, 300, seed=4)
    assert (
        run.worker(settings, "msgspec", "written", other)["sha256"]
        != (run.worker(settings, "msgspec", "written", path)["sha256"])
    )


def test_a_worker_times_each_run_in_a_process_of_its_own(sample: tuple[ModuleType, Any]) -> None:
    run, settings = sample
    path = run.records_file(settings.folder, 300, seed=1)
    for name in run.READERS:
        times = run.worker(settings, name, "load", path, 2, "off")["times"]
        assert len(times) == 2
        assert all(seconds > 0 for seconds in times)
    kept = run.worker(settings, "cse-programme", "memory", path)
    assert kept["records"] == 300
    assert kept["bytes"] > 0


def test_the_runs_of_the_implementations_are_taken_in_turn(
    sample: tuple[ModuleType, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow spell of the machine must fall on every implementation alike.
    run, settings = sample
    calls: list[tuple[str, str, int]] = []

    def one_run(_: object, name: str, action: str, path: Path, rounds: int, gc: str) -> Any:
        calls.append((name, gc, rounds))
        return {"times": [float(len(calls))]}

    monkeypatch.setattr(run, "worker", one_run)
    found = run.timings(run.Settings((300,), 3, 0, settings.folder), "load", ["a", "b"], Path())
    assert calls == [(name, gc, 1) for _ in range(3) for name in "ab" for gc in ("on", "off")]
    assert (found["a"].on, found["a"].off) == ([1.0, 5.0, 9.0], [2.0, 6.0, 10.0])
    assert (found["b"].on, found["b"].off) == ([3.0, 7.0, 11.0], [4.0, 8.0, 12.0])


def test_the_limits_benchmark_measures_each_command_in_its_own_process(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    limits = benchmark("limits")
    out = tmp_path / "limits.txt"
    assert limits.main(["--records", "300", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "validate: a header and 300 bad lines (exit 1, 102 lines printed)" in printed
    assert "funnel: 300 case records (exit 0," in printed
    assert printed.count("PASS") + printed.count("FAIL") == 4
    assert out.read_text() == printed
