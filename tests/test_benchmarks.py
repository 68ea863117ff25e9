"""A short run of the benchmark suite, so it never rots (no timing is asserted)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def benchmark(name: str) -> ModuleType:
    """A script of the benchmarks folder, imported as a module."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_the_benchmark_proves_equal_rules_and_prints_every_measure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run = benchmark("run")
    out = tmp_path / "report.txt"
    assert run.main(["--smoke", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Rules proved equal" in printed
    for measure in ("load 300", "dump 300", "memory kept", "JSON Lines", "import time"):
        assert measure in printed
    assert printed.count("PASS") + printed.count("FAIL") == 5
    assert out.read_text() in printed + "\n"


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
