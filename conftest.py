"""Shared test configuration: hypothesis profiles.

Doctests get no names from here: every example imports what it uses, as a
reader typing it into a fresh interpreter would.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=100_000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
# Mutation testing runs the suite once per mutant: fewer examples, the same
# ones every time so that a verdict does not depend on luck, and no shrinking,
# since a mutant only needs one failing example to be caught.
settings.register_profile(
    "mutation",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)


@pytest.fixture(autouse=True)
def _nothing_cached_under_mutation_testing() -> None:
    # mutmut decides which tests to run against a mutant by recording which
    # tests call each function.  Loaders are compiled once, and look-up tables
    # and the London dataset read once, so only the first test to need them
    # would be recorded; start every test afresh so that each one is seen to
    # use them.
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    from cse_programme._serialisation._converter import CONVERTER
    from cse_programme._serialisation._fast import COMPILER
    from cse_programme.datasets import london_2025
    from cse_programme.model import _areas

    COMPILER.structure_fns.clear()
    COMPILER.unstructure_fns.clear()
    CONVERTER._structure_func.clear_cache()
    CONVERTER._unstructure_func.clear_cache()
    for table in (
        _areas._table,
        _areas._by_name,
        _areas._forces_by_name,
        _areas._all_areas,
        _areas._force_areas,
        _areas._named_groups,
    ):
        table.cache_clear()
    london_2025.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A docstring's example runs as a reader would type it into a fresh
    # interpreter: with the names it imports itself, not those of the module
    # it is written in (doctest's default).
    for item in items:
        example = getattr(item, "dtest", None)
        if example is not None:
            example.globs.clear()
    # Against a mutant, examples run before properties: a mutant is usually
    # caught by a quick example, and the tests stop at the first failure.
    # Whether any test fails does not depend on the order.
    if os.environ.get("MUTANT_UNDER_TEST", "stats") != "stats":
        items.sort(key=_is_property)


def _is_property(item: pytest.Item) -> bool:
    return bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False))
