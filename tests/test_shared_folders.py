"""Tests that read the shared standards skip on a fresh clone and fail where they are required."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .standards import REQUIRED, STANDARDS, needs_standards

ROOT = Path(__file__).resolve().parents[1]
ONE_TEST = "tests/test_quantities.py::test_london_agrees_with_the_published_borough_codes"


def run_one(standards: Path, *, required: bool) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != REQUIRED}
    environment["CSE_STANDARDS_DIR"] = str(standards)
    if required:
        environment[REQUIRED] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", ONE_TEST, "-p", "no:cacheprovider", "-q", "-rsfE"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_standards_a_fresh_clone_skips_with_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "standards"
    run = run_one(missing, required=False)
    assert run.returncode == 0, run.stdout
    assert "1 skipped" in run.stdout
    assert f"the official standards are not at {missing}" in run.stdout


def test_where_the_standards_are_required_their_absence_fails(tmp_path: Path) -> None:
    missing = tmp_path / "standards"
    run = run_one(missing, required=True)
    assert run.returncode == 1, run.stdout
    # It fails while being set up: pytest counts that as an error, and the run fails.
    assert "1 error" in run.stdout
    assert "skipped" not in run.stdout
    assert f"{REQUIRED}=1 requires them" in run.stdout


@needs_standards
def test_where_the_standards_are_present_the_test_runs() -> None:
    run = run_one(STANDARDS, required=True)
    assert run.returncode == 0, run.stdout
    assert "1 passed" in run.stdout


def test_continuous_integration_requires_the_standards_and_runs_the_readme_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    assert f"export {REQUIRED}=1" in script
    assert script[-1] == "make test"
    assert script.index(f"export {REQUIRED}=1") < script.index("make test")
