"""Documents: lossless round-trips, strict loading, every problem with its path."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cse_programme
from cse_programme import (
    KINDS,
    SCHEMA_VERSION,
    Programme,
    SupportService,
    ValidationError,
    dump,
    dumps,
    load,
    loads,
    testing,
)
from cse_programme.datasets import london_2025, synthetic_cases

from .examples import new_case

EVERY_KIND = st.one_of(
    testing.programmes(),
    testing.organisations(),
    testing.support_services(),
    testing.funding_packages(),
    testing.review_programmes(),
    testing.case_reviews(),
    testing.outcomes(),
    testing.outcome_policies(),
    testing.outcome_measures(),
    testing.indicators(),
    testing.sources(),
    testing.claims(),
)


def test_every_document_kind_has_a_strategy() -> None:
    assert len(KINDS) == 12


@given(EVERY_KIND)
def test_every_document_kind_round_trips_losslessly(obj: object) -> None:
    data = dumps(obj)
    again = loads(data, type(obj))
    assert again == obj
    assert dumps(again) == data


def test_the_london_programme_round_trips() -> None:
    london = london_2025()
    assert loads(dumps(london), Programme) == london


def document(kind: str, data: Any, version: int = SCHEMA_VERSION) -> bytes:
    return json.dumps({"kind": kind, "schema_version": version, "data": data}).encode()


def service_data() -> dict[str, Any]:
    lighthouse = london_2025().services[0]
    return json.loads(dumps(lighthouse))["data"]  # type: ignore[no-any-return]


def problems(data: bytes, cls: type | None = None) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as error:
        loads(data, cls)
    return [(p.path, p.code) for p in error.value.problems]


def test_every_problem_in_a_document_is_reported_with_its_path() -> None:
    data = service_data()
    data["eligibility"]["age"]["min"] = -1
    data["eligibility"]["age"]["max"] = "18"
    data["coverage"][2] = "E09000099"
    data["contexts"].append("grooming")
    data["colour"] = "blue"
    del data["name"]
    found = problems(document("support_service", data))
    assert ("/data/eligibility/age/min", "minimum") in found
    assert ("/data/eligibility/age/max", "type") in found
    assert ("/data/coverage/2", "unknown_area") in found
    assert (f"/data/contexts/{len(data['contexts']) - 1}", "unknown_value") in found
    assert ("/data/colour", "unknown_key") in found
    assert ("/data/name", "missing") in found


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("total", 2400000.0, "type"),
        ("total", "2400000", "money"),
        ("total", "2400000.001", "money"),
        ("announced", "2025-13", "partial_date"),
        ("name", 7, "type"),
        ("total_kind", "roughly", "unknown_value"),
    ],
)
def test_no_silent_coercion(field: str, value: object, code: str) -> None:
    data = json.loads(dumps(london_2025().funding_packages[1]))["data"]
    data[field] = value
    assert problems(document("funding_package", data)) == [(f"/data/{field}", code)]


def test_integers_refuse_booleans_and_floats() -> None:
    case = json.loads(dumps(new_case()))["data"]
    for bad in (True, 2.0, "2"):
        case["suspects"] = bad
        assert problems(document("case_review", case)) == [("/data/suspects", "type")]


def test_naive_timestamps_are_refused() -> None:
    case = json.loads(dumps(new_case()))["data"]
    case["updated"] = "2025-06-02T09:30:00"
    assert problems(document("case_review", case)) == [("/data/updated", "timestamp")]


def test_repeated_set_items_are_refused_not_merged() -> None:
    data = service_data()
    data["support"] = ["child_house", "child_house"]
    assert problems(document("support_service", data)) == [("/data/support/1", "duplicate")]


def test_dangling_references_in_a_programme_are_reported() -> None:
    data = json.loads(dumps(london_2025()))["data"]
    data["services"][0]["provider"] = "org-nobody"
    assert problems(document("programme", data)) == [
        ("/data/services/0/provider", "dangling_reference")
    ]


@pytest.mark.parametrize(
    ("raw", "path", "code"),
    [
        (b'{"kind": "spaceship", "schema_version": 1, "data": {}}', "/kind", "unknown_kind"),
        (
            b'{"kind": "source", "schema_version": 9, "data": {}}',
            "/schema_version",
            "newer_version",
        ),
        (b'{"kind": "source", "schema_version": 0, "data": {}}', "/schema_version", "version"),
        (b'{"kind": "source", "schema_version": 1}', "/data", "missing"),
        (b'{"kind": "source", "schema_version": 1, "data": {}, "x": 1}', "/x", "unknown_key"),
        (b"[]", "", "envelope"),
    ],
)
def test_envelope_problems(raw: bytes, path: str, code: str) -> None:
    assert (path, code) in problems(raw)


def test_a_document_of_another_kind_is_refused() -> None:
    assert problems(dumps(london_2025().organisations[0]), SupportService) == [
        ("/kind", "wrong_kind")
    ]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"kind": "source", "kind": "claim"}', "duplicate_key"),
        (b'{"a": NaN}', "json"),
        (b'{"a": Infinity}', "json"),
        (b"{", "json"),
        (b"\xff\xfe", "not_utf8"),
        (b"\xef\xbb\xbf{}", "bom"),
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        (b"1" * 10_000, "json"),
    ],
)
def test_hostile_json_gets_the_library_error(raw: bytes, code: str) -> None:
    assert problems(raw)[0][1] == code


def test_size_limit_is_enforced() -> None:
    assert problems_with_limit(dumps(london_2025()), 100) == [("", "too_large")]


def problems_with_limit(raw: bytes, limit: int) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as error:
        loads(raw, limit=limit)
    return [(p.path, p.code) for p in error.value.problems]


@given(st.binary(max_size=200))
def test_random_bytes_only_ever_raise_the_library_error(raw: bytes) -> None:
    with pytest.raises(ValidationError) as error:
        loads(raw)
    assert error.value.problems


def test_dump_and_load_through_paths_and_files(tmp_path: Path) -> None:
    london = london_2025()
    target = tmp_path / "london.json"
    dump(london, target)
    assert load(target, Programme) == london
    assert not list(tmp_path.glob(".*.tmp"))
    buffer = io.BytesIO()
    dump(london, buffer)
    buffer.seek(0)
    assert load(buffer) == london


def test_dumping_a_non_document_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        dumps(cse_programme.Money.of(1))


def test_unicode_survives() -> None:
    renamed = cse_programme.Source(
        id=cse_programme.SourceId("src-unicode"), title="Ŝtraße — «quoted» 🙂", publisher="Ōkubo"
    )
    assert loads(dumps(renamed)) == renamed
    assert "🙂".encode() in dumps(renamed)


def test_shared_values_never_let_a_wrong_type_through() -> None:
    # A valid outcome for suspect 1 is loaded first, so that an equal-looking
    # one with True or 1.0 for the suspect number would be found if types were
    # ignored: it must still be refused.
    case = next(c for c in synthetic_cases(300, seed=5) if c.outcomes)
    document = json.loads(dumps(case))
    assert document["data"]["outcomes"][0]["suspect"] == 1
    loads(json.dumps(document))
    for wrong in (True, 1.0):
        document["data"]["outcomes"][0]["suspect"] = wrong
        with pytest.raises(ValidationError) as error:
            loads(json.dumps(document))
        assert error.value.problems[0].path == "/data/outcomes/0/suspect"


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"suspects": "2"}, "/data/suspects", "must be a whole number, not a string"),
        ({"synthetic": 1}, "/data/synthetic", "must be true or false, not an integer"),
        ({"reference": 5}, "/data/reference", "must be a string, not an integer"),
        (
            {"area": "E09000099"},
            "/data/area",
            "must be the GSS code of a London area, such as E09000007",
        ),
        ({"contexts": "online"}, "/data/contexts", "must be a list, not a string"),
        ({"offence_period": []}, "/data/offence_period", "must be an object, not a list"),
        (
            {"updated": "2025-06-02"},
            "/data/updated",
            "must be a timestamp with its UTC offset, such as 2025-11-14T09:30:00+00:00",
        ),
        (
            {"history": [{"status": "identified", "on": "2025-02-30"}]},
            "/data/history/0/on",
            "is not a day of the calendar",
        ),
        (
            {"history": [{"status": "identified", "on": "02/06/2025"}]},
            "/data/history/0/on",
            "must be a date as YYYY-MM-DD",
        ),
        ({"colour": "red"}, "/data/colour", "is not a field of this object"),
        ({"reference": None}, "/data/reference", "must be a string, not null"),
    ],
)
def test_loading_messages_name_the_field_and_the_rule(
    change: dict[str, Any], path: str, message: str
) -> None:
    document = json.loads(dumps(new_case()))
    document["data"].update(change)
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(document))
    assert (path, message) in [(p.path, p.message) for p in error.value.problems]


def test_missing_fields_are_named() -> None:
    document = json.loads(dumps(new_case()))
    del document["data"]["reference"]
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(document))
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/data/reference", "is required", "missing")
    ]


def test_money_and_decimal_messages() -> None:
    package = json.loads(dumps(london_2025().funding_packages[1]))
    package["data"]["total"] = "2.4m"
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(package))
    assert [p.message for p in error.value.problems] == [
        'must be pounds with two decimal places, such as "2400000.00"'
    ]
    claim = json.loads(dumps(london_2025().claims[0]))
    claim["data"]["figures"][0]["value"] = 2400000
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(claim))
    assert [p.message for p in error.value.problems] == [
        'must be an exact decimal written as a string, such as "6.2", not an integer'
    ]
