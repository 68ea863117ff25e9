"""Documents: lossless round-trips, strict loading, every problem with its path."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cse_programme
from cse_programme import (
    KINDS,
    SCHEMA_VERSION,
    ClaimId,
    Money,
    Programme,
    SupportService,
    ValidationError,
    dump,
    dumps,
    from_data,
    load,
    loads,
    testing,
    to_data,
)
from cse_programme._serialisation._converter import make_converter
from cse_programme.datasets import london_2025, synthetic_cases

from .documents import golden, replaced
from .examples import explained, new_case

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
    with pytest.raises(ValidationError) as error:
        loads(document("support_service", data))
    assert explained(error) == [
        ("/data/support/1", "repeats an earlier item of the set", "duplicate")
    ]


def test_a_field_that_cannot_be_read_does_not_hide_a_rule_broken_by_another() -> None:
    case = json.loads(dumps(new_case()))
    case["data"].update(reference=5, suspects=-1, victims=0)
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(case))
    assert [p.path for p in error.value.problems] == [
        "/data/reference",
        "/data/suspects",
        "/data/victims",
    ]


def test_valid_documents_never_take_the_detailed_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_detailed_pass(*_: object) -> Any:
        def refuse(*_: object) -> Any:
            raise AssertionError("the detailed path was taken")

        return refuse

    monkeypatch.setattr(cattrs.gen, "make_dict_structure_fn", no_detailed_pass)
    fresh = make_converter()
    for kind, cls in KINDS.items():
        assert fresh.structure(golden(kind), cls) == loads(
            json.dumps({"kind": kind, "schema_version": 1, "data": golden(kind)})
        )


def test_dangling_references_in_a_programme_are_reported() -> None:
    data = json.loads(dumps(london_2025()))["data"]
    data["services"][0]["provider"] = "org-nobody"
    assert problems(document("programme", data)) == [
        ("/data/services/0/provider", "dangling_reference")
    ]


ENVELOPE_PROBLEMS = [
    (
        b'{"kind": "spaceship", "schema_version": 1, "data": {}}',
        "/kind",
        "must be one of " + ", ".join(repr(kind) for kind in KINDS),
        "unknown_kind",
    ),
    (
        b'{"kind": "source", "schema_version": 9, "data": {}}',
        "/schema_version",
        "is newer than this release reads (up to 2): upgrade cse-programme",
        "newer_version",
    ),
    (
        b'{"kind": "source", "schema_version": 0, "data": {}}',
        "/schema_version",
        "must be a whole number from 1",
        "version",
    ),
    (b'{"kind": "source", "schema_version": 1}', "/data", "is required", "missing"),
    (
        b'{"kind": "source", "schema_version": 1, "data": {}, "x": 1}',
        "/x",
        "is not part of a document",
        "unknown_key",
    ),
    (
        b"[]",
        "",
        "must be a document: an object with kind, schema_version and data",
        "envelope",
    ),
]


@pytest.mark.parametrize(("raw", "path", "message", "code"), ENVELOPE_PROBLEMS)
def test_envelope_problems(raw: bytes, path: str, message: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        loads(raw)
    assert (path, message, code) in explained(error)


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


def problems_with_limit(raw: bytes | str, limit: int) -> list[tuple[str, str]]:
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
    with pytest.raises(TypeError) as error:
        dumps(cse_programme.Money.of(1))
    assert str(error.value) == (
        "Money is not a document type; use one of "
        + ", ".join(cls.__name__ for cls in KINDS.values())
    )


def test_a_valid_decimal_beside_a_broken_field_is_read_without_complaint() -> None:
    data = {**golden("outcome_measure"), "stated_change_percent": "6.2", "name": ""}
    with pytest.raises(ValidationError) as error:
        loads(json.dumps({"kind": "outcome_measure", "schema_version": 1, "data": data}))
    assert [p.path for p in error.value.problems] == ["/data/name"]


def test_unicode_survives() -> None:
    renamed = cse_programme.Source(
        id=cse_programme.SourceId("src-unicode"), title="Ŝtraße — «quoted» 🙂", publisher="Ōkubo"
    )
    assert loads(dumps(renamed)) == renamed
    assert "🙂".encode() in dumps(renamed)
    assert "🙂".encode() in dumps(renamed, indent=2)


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
            "must be the GSS code of a local authority district of England or Wales, "
            "such as E09000007",
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
    assert explained(error) == [("/data/reference", "is required", "missing")]


def test_money_and_decimal_messages() -> None:
    package = json.loads(dumps(london_2025().funding_packages[1]))
    package["data"]["total"] = "2.4m"
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(package))
    assert [p.message for p in error.value.problems] == [
        'must be pounds with two decimal places, such as "2400000.00"'
    ]
    claim = json.loads(dumps(london_2025().claim(ClaimId("claim-package-2-4m"))))
    claim["data"]["figures"][0]["value"] = 2400000
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(claim))
    assert [p.message for p in error.value.problems] == [
        'must be an exact decimal written as a string, such as "6.2", not an integer'
    ]


def test_a_document_exactly_at_the_size_limit_loads(tmp_path: Path) -> None:
    raw = dumps(london_2025())
    assert loads(raw, limit=len(raw)) == london_2025()
    path = tmp_path / "london.json"
    path.write_bytes(raw)
    assert load(path, limit=len(raw)) == london_2025()
    assert load(io.BytesIO(raw), limit=len(raw)) == london_2025()
    for source in (path, io.BytesIO(raw)):
        with pytest.raises(ValidationError) as error:
            load(source, limit=len(raw) - 1)
        assert explained(error) == [
            ("", f"is larger than the limit of {len(raw) - 1} bytes", "too_large")
        ]
    with pytest.raises(ValidationError) as error:
        loads(raw, limit=len(raw) - 1)
    assert explained(error) == [
        ("", f"is larger than the limit of {len(raw) - 1} bytes", "too_large")
    ]
    text = raw.decode("utf-8")
    assert loads(text, limit=len(text)) == london_2025()
    with pytest.raises(ValidationError) as error:
        loads(text, limit=len(text) - 1)
    assert explained(error) == [
        ("", f"is larger than the limit of {len(text) - 1} bytes", "too_large")
    ]


def test_load_checks_the_kind_it_was_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "london.json"
    dump(london_2025(), path)
    for source in (path, io.BytesIO(path.read_bytes())):
        with pytest.raises(ValidationError) as error:
            load(source, SupportService)
        assert explained(error) == [("/kind", "must be 'support_service' here", "wrong_kind")]


def test_dump_writes_indented_documents_by_default(tmp_path: Path) -> None:
    london = london_2025()
    path = tmp_path / "london.json"
    dump(london, path)
    assert path.read_bytes() == dumps(london, indent=2)
    buffer = io.BytesIO()
    dump(london, buffer, indent=None)
    assert buffer.getvalue() == dumps(london)
    assert b"\n" not in dumps(london)
    assert dumps(london, indent=2).startswith(b'{\n  "kind": "programme"')


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"a": 1, "a": 2}', 'repeats the key "a" in one object'),
        (b'{"a": 1, "b": 2, "b": 3}', 'repeats the key "b" in one object'),
        (b'{"a": NaN}', "is not valid JSON: NaN and Infinity are not JSON"),
        (b'{"a": -Infinity}', "is not valid JSON: NaN and Infinity are not JSON"),
        (b'{"a": ' + b"1" * 5000 + b"}", "is not valid JSON: a number is too long"),
        (b'{"a": }', "is not valid JSON: Expecting value (line 1, column 7)"),
        (b"\xef\xbb\xbf{}", "must not start with a byte-order mark"),
        (b'{"a": "\xff"}', "is not valid UTF-8 (at byte 7)"),
        (b"[" * 100_000, "is nested too deeply"),
    ],
)
def test_json_problems_are_explained(raw: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        loads(raw)
    assert [(p.path, p.message) for p in error.value.problems] == [("", message)]


def test_only_bytes_or_text_can_be_loaded() -> None:
    with pytest.raises(TypeError, match="expected bytes or str, not int"):
        loads(7)  # type: ignore[call-overload]


SCALAR_PROBLEMS = [
    (
        "case_review",
        ("updated",),
        5,
        "must be a timestamp with its UTC offset, not an integer",
        "type",
    ),
    (
        "case_review",
        ("updated",),
        "2025-06-02",
        "must be a timestamp with its UTC offset, such as 2025-11-14T09:30:00+00:00",
        "timestamp",
    ),
    (
        "case_review",
        ("updated",),
        "2025-02-30T09:30:00+00:00",
        "is not a moment of the calendar",
        "timestamp",
    ),
    (
        "case_review",
        ("history", 0, "on"),
        20250602,
        "must be a date as YYYY-MM-DD, not an integer",
        "type",
    ),
    ("case_review", ("history", 0, "on"), "02/06/2025", "must be a date as YYYY-MM-DD", "date"),
    ("case_review", ("history", 0, "on"), "2025-02-30", "is not a day of the calendar", "date"),
    (
        "outcome_measure",
        ("stated_change_percent",),
        6.2,
        'must be an exact decimal written as a string, such as "6.2", not a floating-point number',
        "type",
    ),
    (
        "outcome_measure",
        ("stated_change_percent",),
        "6,2",
        'must be a decimal such as "6.2"',
        "decimal",
    ),
    (
        "funding_package",
        ("total",),
        2400000,
        'must be pounds written as a string, such as "2400000.00", not an integer',
        "type",
    ),
    (
        "funding_package",
        ("total",),
        "2.4m",
        'must be pounds with two decimal places, such as "2400000.00"',
        "money",
    ),
    (
        "funding_package",
        ("announced",),
        2025,
        "must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not an integer",
        "type",
    ),
    ("case_review", ("area",), 7, "must be a GSS code such as E09000007, not an integer", "type"),
    ("case_review", ("force",), 7, "must be a string, not an integer", "type"),
    ("case_review", ("contexts", 0), 7, "must be a string, not an integer", "type"),
    (
        "case_review",
        ("contexts", 0),
        "CSE",
        "must be one of 'cse', 'group_based', 'intrafamilial', 'institutional', 'peer_on_peer', "
        "'online', 'single_incident_multiple_suspects'",
        "unknown_value",
    ),
]


@pytest.mark.parametrize(("kind", "where", "value", "message", "code"), SCALAR_PROBLEMS)
def test_each_kind_of_value_explains_what_it_must_be(
    kind: str, where: tuple[str | int, ...], value: object, message: str, code: str
) -> None:
    document = {"kind": kind, "schema_version": 1, "data": replaced(golden(kind), where, value)}
    with pytest.raises(ValidationError) as error:
        loads(json.dumps(document))
    path = "/data/" + "/".join(map(str, where))
    assert explained(error) == [(path, message, code)]


@given(EVERY_KIND)
def test_data_is_what_a_document_holds_and_builds_the_object_again(obj: object) -> None:
    data = to_data(obj)
    assert data == json.loads(dumps(obj))["data"]
    assert json.loads(json.dumps(data)) == data  # plain JSON values alone
    assert from_data(data, type(obj)) == obj


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_data_is_read_as_strictly_as_a_document(kind: str) -> None:
    cls = KINDS[kind]
    data = replaced(golden(kind), ("unexpected",), 1)
    with pytest.raises(ValidationError) as error:
        from_data(data, cls)
    assert ("/unexpected", "unknown_key") in [(p.path, p.code) for p in error.value.problems]
    with pytest.raises(ValidationError) as error:
        loads(json.dumps({"kind": kind, "schema_version": SCHEMA_VERSION, "data": data}))
    assert ("/data/unexpected", "unknown_key") in [(p.path, p.code) for p in error.value.problems]


def test_only_document_kinds_travel_as_data() -> None:
    with pytest.raises(TypeError, match="Money is not a document type"):
        to_data(Money.of(5))
    with pytest.raises(TypeError, match="Money is not a document type"):
        from_data("5.00", Money)
