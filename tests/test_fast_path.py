"""The compiled loaders: they read every valid document on their own.

Loading tries a loader compiled for each class first and falls back to the
detailed pass, which finds every problem, only when the compiled one gives
up.  These tests hold the compiled loaders to the same results without that
net: a valid document never needs the fallback, a broken one is never built
into something the library would refuse, and equal records are shared.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import (
    KINDS,
    AbuseContext,
    Area,
    CaseReview,
    Money,
    Observation,
    OrganisationId,
    PartialDate,
    Period,
    PoliceForceArea,
    Programme,
    ServiceId,
    SourceId,
    SupportKind,
    ValidationError,
    dumps,
    iter_jsonl,
    loads,
    testing,
    write_jsonl,
)
from cse_programme._serialisation import _fast
from cse_programme._serialisation._fast import COMPILER, Slow
from cse_programme.datasets import london_2025
from cse_programme.model._rules import (
    WRITTEN_WHEN_SET,
    AndThen,
    AwareTimestamp,
    CalendarDay,
    InstanceOf,
    MemberOf,
    Optional,
    Rule,
    SetOf,
    Text,
    TupleOf,
    WholeNumber,
)

from . import oracle
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
    compiler, cls, data = _fast._Compiler(), KINDS[kind], golden(kind)
    read = compiler.structure_fn(cls)(data)
    assert read == oracle.read(data, cls)
    assert type(read) is cls
    assert as_json(compiler.unstructure_fn(cls)(read)) == data


def test_a_new_compiler_builds_loaders_of_its_own() -> None:
    compiler = _fast._Compiler()
    for cls in KINDS.values():
        assert compiler.structure_fn(cls) is not COMPILER.structure_fn(cls)
        assert compiler.structure_fn(cls) is compiler.structure_fn(cls)


def test_a_new_compiler_builds_writers_of_its_own() -> None:
    compiler = _fast._Compiler()
    london = london_2025()
    for build in (compiler.unstructure_fn, compiler.native_fn, compiler.text_fn):
        assert build(Programme) is build(Programme)
    assert json.loads(compiler.text_fn(Programme)(london)) == json.loads(dumps(london))["data"]
    assert compiler.unstructure_fn(Programme)(london) == json.loads(dumps(london))["data"]


@attrs.frozen
class Branch:
    """A record that holds records of its own kind, as no kind of the library does yet."""

    name: str
    under: tuple[Branch, ...] = ()
    note: str | None = attrs.field(default=None, metadata=WRITTEN_WHEN_SET)


attrs.resolve_types(Branch)


def test_a_record_holding_its_own_kind_is_written_by_every_writer() -> None:
    tree = Branch("a", (Branch("b", (Branch("c", note="deep"),)), Branch("d")))
    # Hand-written: what each writer must give for the tree.
    values = {
        "name": "a",
        "under": [
            {"name": "b", "under": [{"name": "c", "under": [], "note": "deep"}]},
            {"name": "d", "under": []},
        ],
    }
    compiler = _fast._Compiler()
    assert compiler.unstructure_fn(Branch)(tree) == values
    assert compiler.native_fn(Branch)(tree) == values
    assert compiler.text_fn(Branch)(tree) == json.dumps(values, separators=(",", ":"))


@pytest.mark.parametrize(
    ("kind", "value", "written"),
    [
        (Money | None, None, None),
        (Money | None, Money.of("2.4m"), "2400000.00"),
        (tuple[Money, ...], (Money.of(1), Money.of("0.5")), ["1.00", "0.50"]),
        (frozenset[SupportKind], frozenset(SupportKind), sorted(k.value for k in SupportKind)),
        (PartialDate, PartialDate(2025, 11), "2025-11"),
        (dt.datetime, dt.datetime(2025, 11, 3, 9, tzinfo=dt.UTC), "2025-11-03T09:00:00Z"),
    ],
)
def test_a_new_compiler_writes_a_value_of_any_kind_alone(
    kind: Any, value: Any, written: Any
) -> None:
    compiler = _fast._Compiler()
    assert compiler.unstructure_fn(kind)(value) == written
    assert compiler.text_fn(kind)(value) == json.dumps(written, separators=(",", ":"))


def test_a_value_that_may_be_none_is_read_as_none_or_as_its_kind() -> None:
    structure = _fast._Compiler().structure_fn(Money | None)
    assert structure(None) is None
    assert structure("2400000.00") == Money.of("2.4m")
    for wrong in (2400000, "2.4m", ""):
        with pytest.raises(Slow):
            structure(wrong)


def test_a_tuple_is_read_from_a_list_item_by_item() -> None:
    structure = _fast._Compiler().structure_fn(tuple[PartialDate, ...])
    assert structure(["2025-11", "2010"]) == (PartialDate(2025, 11), PartialDate(2010))
    assert structure([]) == ()
    for wrong in ("2025-11", ("2025-11",), ["2025-13"], None):
        with pytest.raises(Slow):
            structure(wrong)


@given(EVERY_KIND)
def test_the_compiled_loader_reads_every_valid_document_alone(obj: Any) -> None:
    data = json.loads(dumps(obj))["data"]
    assert COMPILER.structure_fn(type(obj))(data) == obj
    assert as_json(COMPILER.unstructure_fn(type(obj))(obj)) == data


@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"programme"}))
def test_the_compiled_loader_builds_exactly_what_the_plain_converter_builds(kind: str) -> None:
    cls, fast = KINDS[kind], _fast._Compiler().structure_fn(KINDS[kind])
    for broken in broken_versions(golden(kind)):
        expected = oracle.read(broken, cls)
        try:
            found = fast(broken)
        except Slow:  # it gave up: the detailed pass decides
            assert expected == oracle.REFUSED, (
                f"gave up on what the plain converter reads: {broken}"
            )
            continue
        assert found == expected, f"built what the plain converter does not: {broken}"
        # Every part passes its constructor again, every rule of the model.
        assert oracle.rebuilt(found) == found
        assert type(found) is cls


@pytest.mark.parametrize("value", [None, [], "x", 1, [["id", "x"]]])
def test_the_compiled_loader_gives_up_on_what_is_not_an_object(value: object) -> None:
    for cls in KINDS.values():
        with pytest.raises(Slow):
            COMPILER.structure_fn(cls)(value)


def test_records_are_built_afresh_and_the_values_that_recur_are_shared() -> None:
    # Sharing whole records would save little and cost a lookup of every
    # record read; the dates and partial dates inside them are shared.
    review = golden("case_review")
    step = review["history"][0]
    fast = COMPILER.structure_fn(KINDS["case_review"])
    first, second = fast(review), fast(json.loads(json.dumps(review)))
    assert first == second
    assert first is not second
    assert first.history[0] is not second.history[0]
    assert first.history[0].on is second.history[0].on
    assert first.offence_period.start is second.offence_period.start
    assert first.history[0] == COMPILER.structure_fn(type(first.history[0]))(dict(step))


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


# Each reader is built by a new compiler when the test runs, as loading builds them.
ACCEPTED_AND_REFUSED: list[tuple[Any, list[Any], list[Any]]] = [
    (
        dt.date,
        ["2025-06-02", "2024-02-29"],
        ["20250602", "2025-06-02T09:30:00", "2025-02-30", "2025-W23-1", 20250602, None],
    ),
    (
        dt.datetime,
        ["2025-06-02T09:30:00+00:00", "2025-06-02T09:30:00Z"],
        ["2025-06-02 09:30:00+00:00", "2025-06-02", "20250602T093000Z", "2025-02-30T09:30:00Z", 1],
    ),
    (Decimal, ["6.2", "-3", "0"], ["NaN", "1e3", "Infinity", " 6.2", "6,2", 6.2, None]),
    (Money, ["2400000.00"], ["2400000", "2.4m", "NaN", "-1.00", 2400000, None]),
    (
        PartialDate,
        ["1900", "2999", "2025-11", "2025-11-26", "2024-02-29", "2025-01-31"],
        ["25", "1899", "3000", "2025-13", "2025-00", "2025-02-30", "2025-04-31", 2025],
    ),
    (Area, ["E09000007"], ["e09000007", "Camden", "E09000099", ["E09000007"], None]),
    (PoliceForceArea, ["E23000001"], ["E09000007", "E23000099", "Met", 1]),
    (ServiceId, ["svc-lighthouse"], ["svc-", "lighthouse", "svc-Lighthouse", 7]),
    (OrganisationId, ["GB-LAE-GLA", "org-nspcc"], ["Met Police", "gb-lae-gla", None]),
    (AbuseContext, ["cse", "online"], ["CSE", "", 1, None, ["cse"]]),
    (int, [0, 207, -1, 10**30], [True, 1.0, "1", None]),
    (bool, [True, False], [1, 0, "true", None]),
    (str, ["", "text"], [b"text", 1, None, ["text"]]),
]


@pytest.mark.parametrize(("kind", "accepted", "refused"), ACCEPTED_AND_REFUSED)
def test_each_compiled_reader_gives_up_on_anything_not_strictly_valid(
    kind: Any, accepted: list[Any], refused: list[Any]
) -> None:
    read = _fast._Compiler().structure_fn(kind)
    for value in accepted:
        read(value)
    for value in refused:
        with pytest.raises(Slow):
            read(value)


def test_compiled_readers_build_exact_values() -> None:
    read = _fast._Compiler().structure_fn
    assert read(Decimal)("6.20") == Decimal("6.20")
    assert str(read(Decimal)("6.20")) == "6.20"
    assert read(dt.date)("2025-06-02") == dt.date(2025, 6, 2)
    assert read(dt.datetime)("2025-06-02T09:30:00+01:00") == dt.datetime(
        2025, 6, 2, 8, 30, tzinfo=dt.UTC
    )
    assert read(Money)("2400000.00") == Money.of("2.4m")
    assert read(PartialDate)("2025-11") == PartialDate(2025, 11)
    assert read(Area)("E09000007") == Area.lookup("Camden")
    identifier = read(ServiceId)("svc-lighthouse")
    assert type(identifier) is ServiceId
    assert identifier == "svc-lighthouse"
    assert read(AbuseContext)("cse") is AbuseContext.CHILD_SEXUAL_EXPLOITATION


def test_compiled_writers_write_the_documented_forms() -> None:
    write = _fast._Compiler().unstructure_fn
    assert write(Decimal)(Decimal("6.20")) == "6.20"
    assert write(Money)(Money.of("2.4m")) == "2400000.00"
    assert write(Money)(Money.zero()) == "0.00"
    assert write(PartialDate)(PartialDate(2025, 1)) == "2025-01"
    assert write(dt.date)(dt.date(2025, 6, 2)) == "2025-06-02"
    moment = dt.datetime(2025, 6, 2, 9, 30, 0, 5, tzinfo=dt.UTC)
    assert write(dt.datetime)(moment) == "2025-06-02T09:30:00.000005Z"
    later = dt.datetime(2025, 6, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert write(dt.datetime)(later) == "2025-06-02T09:30:00+01:00"
    assert write(Area)(Area.lookup("Camden")) == "E09000007"
    assert write(AbuseContext)(AbuseContext.ONLINE) == "online"
    assert write(frozenset[AbuseContext])(frozenset(AbuseContext)) == sorted(
        context.value for context in AbuseContext
    )


# The compiler refuses what it cannot compile, and lets faults through.


class Unknown(Rule):
    """A rule with a check but no compiled form."""

    def check(self, name: str, value: Any) -> None:
        if value == "forbidden":
            raise ValidationError.single(f"/{name}", "must not be forbidden", "forbidden")


def _refuse_forbidden(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value == "forbidden":
        raise ValidationError.single(f"/{attribute.name}", "must not be forbidden", "forbidden")


def _record(annotation: Any, validator: Any) -> type:
    cls = attrs.make_class(
        "Record", {"value": attrs.field(validator=validator, type=annotation)}, frozen=True
    )
    attrs.resolve_types(cls)
    return cls


@pytest.mark.parametrize(
    ("annotation", "validator"),
    [
        (str, Unknown()),
        (int, Text(10)),
        (str | None, Text(10)),
        (str, Optional(Text(10))),
        (int | None, Optional(Text(10))),
        (bool, WholeNumber()),
        (PartialDate, InstanceOf(Money, "a Money amount")),
        (dt.datetime, CalendarDay()),
        (dt.date, AwareTimestamp()),
        (AbuseContext, MemberOf(SupportKind)),
        (tuple[str, ...], SetOf(str, "text")),
        (frozenset[int], SetOf(str, "text")),
        (frozenset[str], TupleOf(str, "text")),
        (tuple[ServiceId, ...], TupleOf(SourceId, "a SourceId")),
        (str, AndThen(Unknown(), _refuse_forbidden)),
    ],
)
def test_the_compiler_refuses_a_rule_it_cannot_check(annotation: Any, validator: Any) -> None:
    with pytest.raises(TypeError):
        _fast._Compiler().structure_fn(_record(annotation, validator))


def test_a_check_that_is_not_a_rule_runs_on_the_built_object() -> None:
    read = _fast._Compiler().structure_fn(_record(str, _refuse_forbidden))
    assert read({"value": "allowed"}).value == "allowed"
    with pytest.raises(Slow):
        read({"value": "forbidden"})


def test_a_rule_between_fields_gives_up_to_the_detailed_pass() -> None:
    period = _fast._Compiler().structure_fn(Period)
    assert period({"start": "2019", "end": "2020"}) == Period(PartialDate(2019), PartialDate(2020))
    with pytest.raises(Slow):
        period({"start": "2020", "end": "2019"})


def test_a_fault_in_a_loader_goes_through(monkeypatch: pytest.MonkeyPatch) -> None:
    data = golden("case_review")
    document = json.dumps({"kind": "case_review", "schema_version": 2, "data": data})
    lines = io.BytesIO()
    write_jsonl([loads(document)], lines)

    def fault(_: object) -> None:
        raise ZeroDivisionError("a fault of the library, not of the input")

    monkeypatch.setattr(CaseReview, "__attrs_post_init__", fault)
    with pytest.raises(ZeroDivisionError):
        _fast._Compiler().structure_fn(CaseReview)(data)
    with pytest.raises(ZeroDivisionError):
        loads(document)
    with pytest.raises(ZeroDivisionError):
        list(iter_jsonl(io.BytesIO(lines.getvalue()), errors=[]))
