"""Hooks for the whole test suite."""

from __future__ import annotations

import pytest

from .standards import check_shared


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs_shared(folder, what): the test reads *what* from the shared *folder*"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    check_shared(item)
