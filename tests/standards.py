"""Where the tests find the third-party standards (read in place, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "standards"
STANDARDS = Path(os.environ.get("CSE_STANDARDS_DIR", _DEFAULT))
SOURCES = STANDARDS.parent / "sources"

needs_standards = pytest.mark.skipif(
    not STANDARDS.is_dir(),
    reason=f"the official standards are not at {STANDARDS} (set CSE_STANDARDS_DIR)",
)
