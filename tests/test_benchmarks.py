"""A short run of the benchmark suite, so it never rots (no timing is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_the_benchmark_proves_equal_rules_and_prints_every_measure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import run
    finally:
        sys.path.remove(str(BENCHMARKS))
    out = tmp_path / "report.txt"
    assert run.main(["--smoke", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Rules proved equal" in printed
    for measure in ("load 300", "dump 300", "memory kept", "JSON Lines", "import time"):
        assert measure in printed
    assert printed.count("PASS") + printed.count("FAIL") == 5
    assert out.read_text() in printed + "\n"
