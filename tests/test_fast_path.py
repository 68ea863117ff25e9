"""The compiled loaders: they read every valid document on their own.

Loading tries a loader compiled for each class first and falls back to the
detailed pass, which finds every problem, only when the compiled one gives
up.  These tests hold the compiled loaders to the same results without that
net: a valid document never needs the fallback, a broken one is never built
into something the library would refuse, and equal records are shared.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import (
    KINDS,
    AbuseContext,
    Money,
    Observation,
    PartialDate,
    ServiceId,
    dumps,
    loads,
    testing,
)
from cse_programme._serialisation import _fast
from cse_programme._serialisation._fast import COMPILER, Slow

from .documents import broken_versions, golden

EVERY_KIND = st.one_of(
    testing.programmes(),
    testing.support_services(),
    testing.funding_packages(),
    testing.review_programmes(),
    testing.case_reviews(),
    testing.outcome_measures(),
    testing.indicators(),
    testing.claims(),
)


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_compiled_loader_reads_every_golden_document_alone(kind: str) -> None:
    cls, data = KINDS[kind], golden(kind)
    expected = loads(json.dumps({"kind": kind, "schema_version": 1, "data": data}))
    read = COMPILER.structure_fn(cls)(data)
    assert read == expected
    assert type(read) is cls
    assert as_json(COMPILER.unstructure_fn(cls)(read)) == data


def test_a_new_compiler_builds_loaders_of_its_own() -> None:
    compiler = _fast._Compiler()
    for kind, cls in KINDS.items():
        data = golden(kind)
        assert compiler.structure_fn(cls)(data) == COMPILER.structure_fn(cls)(data)
        assert compiler.structure_fn(cls) is not COMPILER.structure_fn(cls)
        read = compiler.structure_fn(cls)(data)
        assert as_json(compiler.unstructure_fn(cls)(read)) == data


@given(EVERY_KIND)
def test_the_compiled_loader_reads_every_valid_document_alone(obj: Any) -> None:
    data = json.loads(dumps(obj))["data"]
    assert COMPILER.structure_fn(type(obj))(data) == obj
    assert as_json(COMPILER.unstructure_fn(type(obj))(obj)) == data


@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"programme"}))
def test_the_compiled_loader_never_builds_what_the_library_refuses(kind: str) -> None:
    cls, fast = KINDS[kind], COMPILER.structure_fn(KINDS[kind])
    for broken in broken_versions(golden(kind)):
        document = json.dumps({"kind": kind, "schema_version": 1, "data": broken})
        try:
            built = fast(broken)
        except Exception:  # it gave up: the detailed pass decides
            continue
        # The constructor runs every validator again: what the compiled
        # loader built must pass them all, and be what loading gives.
        assert attrs.evolve(built) == built
        assert loads(document) == built
        assert type(built) is cls


@pytest.mark.parametrize("value", [None, [], "x", 1, [["id", "x"]]])
def test_the_compiled_loader_gives_up_on_what_is_not_an_object(value: object) -> None:
    for cls in KINDS.values():
        with pytest.raises(Slow):
            COMPILER.structure_fn(cls)(value)


def test_equal_textual_records_are_read_into_one_shared_object() -> None:
    review = golden("case_review")
    step = review["history"][0]
    fast = COMPILER.structure_fn(KINDS["case_review"])
    first, second = fast(review), fast(json.loads(json.dumps(review)))
    assert first == second
    assert first.history[0] is second.history[0]
    assert first.history[0] == COMPILER.structure_fn(type(first.history[0]))(dict(step))
    # Records holding numbers are never shared: 1 and true are equal keys.
    assert first is not second
    package = COMPILER.structure_fn(KINDS["funding_package"])
    data = golden("funding_package")
    one, two = package(data), package(json.loads(json.dumps(data)))
    assert one.allocations[0] is two.allocations[0]  # optional text fields too


def test_a_number_and_a_boolean_are_never_confused() -> None:
    observation = COMPILER.structure_fn(Observation)
    assert observation({"value": 1, "period_label": "x", "period": None}).value == 1
    with pytest.raises(Slow):
        observation({"value": True, "period_label": "x", "period": None})


def test_a_remembered_value_is_found_only_by_the_same_wire_value() -> None:
    dates = COMPILER.structure_fn(PartialDate)
    year = dates("2025")
    assert dates("2025") is year
    for other in (["2", "0", "2", "5"], None, ["2025"]):
        with pytest.raises(Slow):
            dates(other)
    codes = COMPILER.structure_fn(frozenset[AbuseContext])
    assert codes(["cse", "online"]) is codes(["cse", "online"])
    assert codes(["online", "cse"]) == codes(["cse", "online"])


def test_equal_organisation_ids_and_dates_are_shared() -> None:
    organisation = COMPILER.structure_fn(KINDS["organisation"])
    data = golden("organisation")
    one, two = organisation(dict(data)), organisation(json.loads(json.dumps(data)))
    assert one.id is two.id


def test_a_full_memo_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fast, "MEMO_SIZE", 3)
    memo: dict[Any, Any] = {}
    for key in range(3):
        _fast._remember(memo, key, str(key))
    assert memo == {0: "0", 1: "1", 2: "2"}
    assert _fast._remember(memo, 3, "3") == "3"
    assert memo == {3: "3"}


def test_a_value_that_cannot_be_a_key_goes_the_slow_way() -> None:
    source = COMPILER.structure_fn(KINDS["source"])
    data = {**golden("source"), "published": {"year": 2025}}
    with pytest.raises(Slow):
        source(data)


# Each reader is built when the test runs, as loading builds them.
ACCEPTED_AND_REFUSED: list[tuple[Callable[[], Any], list[Any], list[Any]]] = [
    (
        lambda: _fast._date,
        ["2025-06-02", "2024-02-29"],
        ["20250602", "2025-06-02T09:30:00", "2025-02-30", "2025-W23-1", 20250602, None],
    ),
    (
        lambda: _fast._timestamp,
        ["2025-06-02T09:30:00+00:00", "2025-06-02T09:30:00Z"],
        ["2025-06-02 09:30:00+00:00", "2025-06-02", "20250602T093000Z", "2025-02-30T09:30:00Z", 1],
    ),
    (
        lambda: _fast._decimal,
        ["6.2", "-3", "0"],
        ["NaN", "1e3", "Infinity", " 6.2", "6,2", 6.2, None],
    ),
    (lambda: _fast._money, ["2400000.00"], ["2400000", "2.4m", "NaN", 2400000, None]),
    (
        lambda: _fast._partial_date,
        ["1900", "2999", "2025-11", "2025-11-26", "2024-02-29", "2025-01-31"],
        ["25", "1899", "3000", "2025-13", "2025-02-30", "2025-04-31", 2025],
    ),
    (
        lambda: _fast._area,
        ["E09000007"],
        ["e09000007", "Camden", "E09000099", ["E09000007"], None],
    ),
    (
        lambda: _fast._identifier(ServiceId),
        ["svc-lighthouse"],
        ["svc-", "lighthouse", "svc-Lighthouse", 7],
    ),
    (lambda: _fast._member(AbuseContext), ["cse", "online"], ["CSE", "", 1, None, ["cse"]]),
    (lambda: _fast._exact(int), [0, 207], [True, 1.0, "1", None]),
]


@pytest.mark.parametrize(("make_reader", "accepted", "refused"), ACCEPTED_AND_REFUSED)
def test_each_compiled_reader_gives_up_on_anything_not_strictly_valid(
    make_reader: Callable[[], Any], accepted: list[Any], refused: list[Any]
) -> None:
    read = make_reader()
    for value in accepted:
        read(value)
    for value in refused:
        with pytest.raises(Slow):
            read(value)


def test_compiled_readers_build_exact_values() -> None:
    assert _fast._decimal("6.20") == Decimal("6.20")
    assert str(_fast._decimal("6.20")) == "6.20"
    assert _fast._date("2025-06-02") == dt.date(2025, 6, 2)
    assert _fast._timestamp("2025-06-02T09:30:00+01:00") == dt.datetime(
        2025, 6, 2, 8, 30, tzinfo=dt.UTC
    )
    assert _fast._money("2400000.00") == Money.of("2.4m")
    assert _fast._partial_date("2025-11") == PartialDate(2025, 11)
    identifier = _fast._identifier(ServiceId)("svc-lighthouse")
    assert type(identifier) is ServiceId
    assert identifier == "svc-lighthouse"
    assert _fast._member(AbuseContext)("cse") is AbuseContext.CHILD_SEXUAL_EXPLOITATION
