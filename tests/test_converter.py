"""The converter, held to a converter built the plain way.

``make_converter`` builds the library's converter; each test here builds a
fresh one and compares what it reads and writes with an oracle that shares
no code with it (:mod:`tests.oracle`): cattrs' own record functions, strict
hooks written in the tests from the documented wire forms, and the model's
constructors.  Both must read every golden document into the same object,
and read or refuse alike every golden document broken one field at a time.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import pytest

from cse_programme import (
    KINDS,
    Money,
    OrganisationId,
    PartialDate,
    Problem,
    ReviewStatus,
    ValidationError,
)
from cse_programme._serialisation._converter import make_converter, problems_of
from cse_programme._serialisation._documents import structure
from cse_programme._serialisation._fast import COMPILER
from cse_programme._serialisation._wire import wire_type

from . import oracle
from .documents import broken_versions, golden


def outcome(converter: cattrs.Converter, data: Any, cls: type) -> Any:
    """The object *converter* reads from *data*, or the problems it refuses it with.

    Only the library's error counts as a refusal: anything else fails the test.
    """
    try:
        return converter.structure(data, cls)
    except ValidationError as error:
        return error.problems


def assert_agrees(found: Any, expected: Any, data: Any) -> None:
    """*found* (an object or problems) is what the oracle expects for *data*."""
    if expected == oracle.REFUSED:
        assert isinstance(found, tuple), f"read what the plain converter refuses: {data}"
        assert found, data
        for problem in found:
            assert isinstance(problem, Problem)
            assert problem.path.startswith("/") or problem.path == ""
            assert problem.code != "invalid"
    else:
        assert found == expected, f"refused or misread what the plain converter reads: {data}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_fresh_converter_reads_and_writes_every_kind_as_the_plain_one(kind: str) -> None:
    fresh, cls, data = make_converter(), KINDS[kind], golden(kind)
    expected = oracle.read(data, cls)
    assert expected != oracle.REFUSED
    read: Any = fresh.structure(data, cls)
    assert read == expected
    assert type(read) is cls
    written = json.loads(json.dumps(fresh.unstructure(read)))
    assert written == data  # the golden file, exactly
    assert written == oracle.write(expected)


SMALL_KINDS = sorted(kind for kind in KINDS if kind != "programme")


@pytest.mark.parametrize("kind", SMALL_KINDS)
def test_a_fresh_converter_reads_and_refuses_every_broken_field_as_the_plain_one(
    kind: str,
) -> None:
    fresh, cls = make_converter(), KINDS[kind]
    tried = refused = 0
    for broken in broken_versions(golden(kind)):
        expected = oracle.read(broken, cls)
        assert_agrees(outcome(fresh, broken, cls), expected, broken)
        tried += 1
        refused += expected == oracle.REFUSED
    # The comparison means something only when most breakages are refused.
    assert refused > 0.7 * tried


WRONG_AT_THE_TOP: tuple[Any, ...] = (None, "x", [["x"]], [{}], [None], {})


def test_the_programme_reads_and_refuses_a_broken_top_level_field_as_the_plain_one() -> None:
    fresh, cls, data = make_converter(), KINDS["programme"], golden("programme")
    for key in data:
        for wrong in WRONG_AT_THE_TOP:
            broken = {**data, key: wrong}
            assert_agrees(outcome(fresh, broken, cls), oracle.read(broken, cls), broken)


def test_what_a_fresh_converter_refuses_it_explains_at_the_broken_field() -> None:
    fresh, cls = make_converter(), KINDS["source"]
    data = {**golden("source"), "title": 7, "publisher": " ", "url": "http://x", "colour": "red"}
    assert [(p.path, p.code) for p in outcome(fresh, data, cls)] == [
        ("/title", "type"),
        ("/colour", "unknown_key"),
        ("/publisher", "blank"),
        ("/url", "pattern"),
    ]


def _raise_a_fault(_: object, __: attrs.Attribute[Any], ___: object) -> None:
    raise ZeroDivisionError("a fault of the library, not of the input")


@attrs.frozen
class Faulty:
    count: int = attrs.field(validator=_raise_a_fault)


@attrs.frozen
class HoldsFaulty:
    items: tuple[Faulty, ...]


attrs.resolve_types(Faulty)
attrs.resolve_types(HoldsFaulty)


@pytest.mark.parametrize(
    ("data", "cls"),
    [({"count": 1}, Faulty), ({"items": [{"count": 1}]}, HoldsFaulty)],
)
def test_a_fault_is_raised_as_it_is_not_reported_as_a_problem(data: Any, cls: type) -> None:
    with pytest.raises(ZeroDivisionError):
        make_converter().structure(data, cls)
    with pytest.raises(ZeroDivisionError):
        structure(data, cls, "data")


def test_a_fault_after_a_broken_field_is_raised_too() -> None:
    # The broken first item sends the whole list to the detailed pass, which
    # gathers what each item breaks; the fault in the second is not one of them.
    with pytest.raises(ZeroDivisionError):
        make_converter().structure({"items": [{"count": "x"}, {"count": 1}]}, HoldsFaulty)


def test_only_the_librarys_error_becomes_problems() -> None:
    error = ValidationError.single("/min", "must be at least 0", "minimum")
    assert problems_of(error, "data", 3) == [
        Problem("/data/3/min", "must be at least 0", "minimum")
    ]
    fault = RuntimeError("a value that must not be repeated")
    with pytest.raises(RuntimeError) as raised:
        problems_of(fault, "data", 3)
    assert raised.value is fault


@attrs.frozen
class Plain:
    count: int


attrs.resolve_types(Plain)


def test_a_fault_in_a_compiled_loader_is_not_hidden_by_the_detailed_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The detailed pass would read this record without fault; it must not be
    # asked to, since the compiled loader did not give up: it broke.
    def broken_loader(_: object) -> None:
        raise KeyError("a fault of the compiled loader")

    monkeypatch.setitem(COMPILER.structure_fns, Plain, broken_loader)
    with pytest.raises(KeyError):
        make_converter().structure({"count": 1}, Plain)
    monkeypatch.undo()
    assert make_converter().structure({"count": 1}, Plain) == Plain(1)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Money.of("2.4m"), "2400000.00"),
        (Money.of(0), "0.00"),
        (Decimal("6.2"), "6.2"),
        (dt.date(2025, 11, 14), "2025-11-14"),
        (dt.datetime(2025, 11, 14, 9, 30, tzinfo=dt.UTC), "2025-11-14T09:30:00Z"),
        (
            dt.datetime(2025, 6, 1, 9, 30, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "2025-06-01T09:30:00.000005+01:00",
        ),
        (PartialDate(2018), "2018"),
        (PartialDate(2025, 11), "2025-11"),
        (OrganisationId("GB-LAE-GLA"), "GB-LAE-GLA"),
        (ReviewStatus.CLOSED_NO_FURTHER_ACTION, "closed_no_further_action"),
        (7, 7),
        (True, True),
        ("text", "text"),
    ],
)
def test_each_scalar_is_written_as_the_json_value_documents_hold(
    value: object, written: object
) -> None:
    wire = wire_type(type(value))
    assert wire is not None
    assert wire.write(value) == written
    assert wire.structure(written) == value
