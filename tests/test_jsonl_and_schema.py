"""JSON Lines streaming, and the JSON Schema agreeing with the loader."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from cse_programme import (
    KINDS,
    SCHEMA_VERSION,
    CaseReview,
    Money,
    Programme,
    Source,
    ValidationError,
    dumps,
    iter_jsonl,
    json_schema,
    loads,
    testing,
    write_jsonl,
)
from cse_programme._serialisation import _documents, _jsonl
from cse_programme._serialisation._fast import COMPILER
from cse_programme._serialisation._schema import _Builder, write_schemas
from cse_programme.datasets import london_2025

from .examples import new_case
from .test_cli import cli
from .test_serialisation import EVERY_KIND

SCHEMAS = Path(__file__).resolve().parents[1] / "src" / "cse_programme" / "schemas"


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(json_schema(kind), format_checker=FormatChecker())


@given(st.lists(testing.case_reviews(), max_size=20))
def test_jsonl_round_trips(cases: list[CaseReview]) -> None:
    buffer = io.BytesIO()
    assert write_jsonl(cases, buffer) == len(cases)
    buffer.seek(0)
    assert list(iter_jsonl(buffer)) == cases


def test_bad_lines_are_reported_with_their_numbers_and_reading_goes_on() -> None:
    good = dumps(new_case())
    record = json.loads(good)["data"]
    lines = [
        b'{"kind": "case_review", "schema_version": 1}',
        json.dumps(record).encode(),
        b"{not json",
        b"",
        json.dumps({**record, "suspects": -3}).encode(),
        json.dumps(record).encode(),
    ]
    found: list[ValidationError] = []
    read = list(iter_jsonl(io.BytesIO(b"\n".join(lines)), errors=found))
    assert len(read) == 2
    assert [(e.problems[0].line, e.problems[0].code) for e in found] == [
        (3, "json"),
        (5, "minimum"),
    ]
    with pytest.raises(ValidationError) as error:
        list(iter_jsonl(io.BytesIO(b"\n".join(lines))))
    assert error.value.problems[0].line == 3
    assert "line 3" in str(error.value)


def test_a_header_for_another_kind_is_refused() -> None:
    data = b'{"kind": "source", "schema_version": 1}\n'
    with pytest.raises(ValidationError) as error:
        list(iter_jsonl(io.BytesIO(data)))
    assert error.value.problems[0].code == "wrong_kind"


def test_jsonl_files_are_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "cases.jsonl"
    write_jsonl([new_case()], target)
    assert list(iter_jsonl(target)) == [new_case()]
    assert [p.name for p in tmp_path.iterdir()] == ["cases.jsonl"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    Draft202012Validator.check_schema(json_schema(kind))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_shipped_schema_files_are_the_generated_ones(kind: str) -> None:
    shipped = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert shipped == json_schema(kind), "the model changed: run `make schemas`"


def test_the_london_programme_is_valid_under_its_schema() -> None:
    validator("programme").validate(json.loads(dumps(london_2025())))


@given(EVERY_KIND)
def test_every_valid_object_is_valid_under_the_schema(obj: object) -> None:
    document = json.loads(dumps(obj))
    validator(document["kind"]).validate(document)


SHAPE_CODES = {"type", "missing", "unknown_key", "unknown_value"}


def mutations(document: dict[str, Any]) -> st.SearchStrategy[tuple[str, Any]]:
    """Type and shape mutations: swap a field's JSON type, delete it, or add a key."""
    data = document["data"]
    fields = sorted(data)
    wrong_values: st.SearchStrategy[object] = st.sampled_from([None, True, 1.5, [], {}, "text", 12])
    return st.one_of(
        st.tuples(st.just("swap"), st.tuples(st.sampled_from(fields), wrong_values)),
        st.tuples(st.just("delete"), st.sampled_from(fields)),
        st.tuples(st.just("add"), st.text(min_size=1).filter(lambda k: k not in data)),
    )


def mutated(data: st.DataObject) -> tuple[object, dict[str, Any], bool]:
    """A valid object, its document with one change of type or shape, and
    whether the change replaced a value by one of the same JSON type."""
    obj = data.draw(EVERY_KIND)
    document = json.loads(dumps(obj))
    action, detail = data.draw(mutations(document))
    body = document["data"]
    same_type = False
    if action == "swap":
        field, value = detail
        same_type = type(value) is type(body[field])
        body[field] = value
    elif action == "delete":
        body.pop(detail)
    else:
        body[detail] = 1
    return obj, document, same_type


@given(st.data())
def test_type_and_shape_errors_are_refused_by_schema_and_loader_alike(data: st.DataObject) -> None:
    _, document, same_type = mutated(data)
    assume(not same_type)
    raw = json.dumps(document).encode()
    schema_ok = validator(document["kind"]).is_valid(document)
    try:
        loads(raw)
    except ValidationError as error:
        # Rules between fields (references, histories) are the loader's alone;
        # any problem of type or shape must be caught by the schema too.
        if {p.code for p in error.problems} & SHAPE_CODES:
            assert not schema_ok
    else:
        assert schema_ok


def test_schema_requires_exactly_the_fields_without_defaults() -> None:
    source = json_schema(Source)["$defs"]["Source"]
    assert source["required"] == ["id", "title", "publisher"]
    assert source["additionalProperties"] is False


@given(st.data())
def test_the_compiled_loader_agrees_with_the_constructors(data: st.DataObject) -> None:
    obj, document, _ = mutated(data)
    body = document["data"]
    fast = COMPILER.structure_fn(type(obj))
    try:
        built = fast(body)
    except Exception:  # the compiled loader refused: the library must refuse too
        with pytest.raises(ValidationError):
            loads(json.dumps(document).encode())
    else:
        # The compiled loader accepted: the value must be exactly what the
        # constructor builds from the same fields, validators and all.
        rebuilt = attrs.evolve(built)
        assert rebuilt == built
        assert loads(json.dumps(document).encode()) == built


def test_write_schemas_writes_exactly_the_shipped_files(tmp_path: Path) -> None:
    written = write_schemas(str(tmp_path))
    assert written == [f"{tmp_path}/{kind}.schema.json" for kind in KINDS]
    for kind in KINDS:
        mine = (tmp_path / f"{kind}.schema.json").read_bytes()
        assert mine == (SCHEMAS / f"{kind}.schema.json").read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{kind}.schema.json" for kind in KINDS
    )


def jsonl_lines(*lines: bytes) -> io.BytesIO:
    return io.BytesIO(b"\n".join(lines) + b"\n")


def jsonl_problems(stream: io.BytesIO) -> list[tuple[int | None, str, str, str]]:
    with pytest.raises(ValidationError) as error:
        list(iter_jsonl(stream))
    return [(p.line, p.path, p.message, p.code) for p in error.value.problems]


CASE_LINE = json.dumps(json.loads(dumps(new_case()))["data"]).encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            b'{"kind": "source", "schema_version": 1}',
            [(1, "/kind", "must be 'case_review' in this file", "wrong_kind")],
        ),
        (
            b'{"kind": "case_review", "schema_version": "1"}',
            [(1, "/schema_version", "must be a version this release reads (1 to 2)", "version")],
        ),
        (
            b'{"kind": "case_review", "schema_version": 0}',
            [(1, "/schema_version", "must be a version this release reads (1 to 2)", "version")],
        ),
        (
            b'{"kind": "source", "schema_version": 3}',
            [
                (1, "/kind", "must be 'case_review' in this file", "wrong_kind"),
                (1, "/schema_version", "must be a version this release reads (1 to 2)", "version"),
            ],
        ),
    ],
)
def test_header_problems_are_explained(header: bytes, expected: list[Any]) -> None:
    assert jsonl_problems(jsonl_lines(header, CASE_LINE)) == expected


def test_a_kind_that_is_not_text_is_unknown_whatever_was_asked_for() -> None:
    # As in a document (test_serialisation): one header, one code.
    header = b'{"kind": ["case_review"], "schema_version": 2}'
    for asked in (CaseReview, object):
        found: list[ValidationError] = []
        assert list(iter_jsonl(jsonl_lines(header, CASE_LINE), asked, errors=found)) == []
        assert [(p.path, p.code) for e in found for p in e.problems] == [("/kind", "unknown_kind")]
    ((line, path, message, code),) = jsonl_problems(
        jsonl_lines(b'{"kind": "sauce", "schema_version": 2}', CASE_LINE)
    )
    assert (line, path, code) == (1, "/kind", "unknown_kind")
    assert message.startswith("must be one of ")
    assert "'case_review'" in message


def test_a_header_further_down_starts_a_section_of_its_own_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_documents, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(_jsonl, "SCHEMA_VERSION", 2)

    def more_suspects(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "suspects": data["suspects"] + 1}

    monkeypatch.setitem(_documents.MIGRATIONS, ("case_review", 1), more_suspects)
    lines = jsonl_lines(
        CASE_LINE,
        b'{"kind": "case_review", "schema_version": 1}',
        CASE_LINE,
        b'{"kind": "case_review", "schema_version": 2}',
        CASE_LINE,
    )
    suspects = new_case().suspects
    assert [case.suspects for case in iter_jsonl(lines)] == [suspects, suspects + 1, suspects]


def test_a_line_at_the_length_limit_is_read_and_a_longer_one_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line = CASE_LINE + b"\n"
    monkeypatch.setattr(_jsonl, "MAX_LINE_BYTES", len(line))
    assert list(iter_jsonl(io.BytesIO(line))) == [new_case()]
    monkeypatch.setattr(_jsonl, "MAX_LINE_BYTES", len(line) - 1)
    assert jsonl_problems(io.BytesIO(line)) == [
        (1, "", f"is longer than {len(line) - 1} bytes", "too_large")
    ]


def test_bad_bytes_in_a_file_are_reported_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(CASE_LINE + b'\n{"reference": "\xff"}\n')
    found: list[ValidationError] = []
    assert list(iter_jsonl(path, errors=found)) == [new_case()]
    assert [(p.line, p.code) for e in found for p in e.problems] == [(2, "not_utf8")]


def test_records_of_an_older_version_are_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_documents, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(_jsonl, "SCHEMA_VERSION", 2)

    def more_suspects(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "suspects": data["suspects"] + 1}

    monkeypatch.setitem(_documents.MIGRATIONS, ("case_review", 1), more_suspects)
    old = jsonl_lines(b'{"kind": "case_review", "schema_version": 1}', CASE_LINE)
    assert [case.suspects for case in iter_jsonl(old)] == [new_case().suspects + 1]
    # Without a header, records are taken to be of the current version.
    assert [case.suspects for case in iter_jsonl(jsonl_lines(CASE_LINE))] == [new_case().suspects]


def test_an_object_of_no_document_kind_cannot_be_written() -> None:
    with pytest.raises(TypeError, match=r"^Money is not a document type; use one of Programme"):
        write_jsonl([new_case(), Money.of(5)], io.BytesIO())


# One format for every file: sections, and the shapes earlier releases wrote --


KIND_NAMES = {cls: kind for kind, cls in KINDS.items()}


def header(kind: str, version: int = SCHEMA_VERSION) -> bytes:
    return json.dumps({"kind": kind, "schema_version": version}).encode()


def record_line(record: object) -> bytes:
    return json.dumps(json.loads(dumps(record))["data"]).encode()


@given(st.lists(EVERY_KIND.filter(lambda o: not isinstance(o, Programme)), max_size=6))
def test_records_of_any_kinds_round_trip_with_a_header_before_each_run(
    records: list[object],
) -> None:
    buffer = io.BytesIO()
    assert write_jsonl(records, buffer) == len(records)
    # Expected: each run of one class gets a header naming its kind, then
    # each record's data exactly as its document holds it.
    expected = []
    for cls, run in itertools.groupby(records, key=type):
        expected.append(header(KIND_NAMES[cls]))
        expected.extend(record_line(record) for record in run)
    assert [json.loads(line) for line in buffer.getvalue().splitlines()] == [
        json.loads(line) for line in expected
    ]
    buffer.seek(0)
    assert list(iter_jsonl(buffer, object)) == records


def london_records() -> list[object]:
    london = london_2025()
    return [
        *london.organisations,
        *london.services,
        *london.funding_packages,
        *london.reviews,
        *london.measures,
        *london.indicators,
        *london.sources,
        *london.claims,
    ]


def test_a_programme_export_has_one_section_per_kind_and_reads_back(tmp_path: Path) -> None:
    target = tmp_path / "london.jsonl"
    assert cli("export", "--to", "jsonl", "-o", str(target)).returncode == 0
    lines = [json.loads(line) for line in target.read_bytes().splitlines()]
    headers = [line for line in lines if set(line) == {"kind", "schema_version"}]
    assert [h["kind"] for h in headers] == [
        "organisation",
        "support_service",
        "funding_package",
        "review_programme",
        "outcome_measure",
        "indicator",
        "source",
        "claim",
    ]
    assert {h["schema_version"] for h in headers} == {SCHEMA_VERSION}
    assert list(iter_jsonl(target, object)) == london_records()
    assert cli("validate", str(target)).returncode == 0


def test_reading_one_kind_of_a_programme_export_reports_each_other_section_once(
    tmp_path: Path,
) -> None:
    target = tmp_path / "london.jsonl"
    write_jsonl(london_records(), target)
    found: list[ValidationError] = []
    sources = list(iter_jsonl(target, Source, errors=found))
    assert sources == list(london_2025().sources)
    # One error per header of another kind, on that header's line; the
    # records under it are skipped, not reported one by one.
    numbered = target.read_bytes().splitlines()
    other_headers = [
        number
        for number, line in enumerate(numbered, start=1)
        if set(json.loads(line)) == {"kind", "schema_version"} and b'"source"' not in line
    ]
    assert [(e.problems[0].line, e.problems[0].code) for e in found] == [
        (number, "wrong_kind") for number in other_headers
    ]


def test_a_file_of_one_document_a_line_as_the_previous_release_exported_still_reads(
    tmp_path: Path,
) -> None:
    # Until this release `export --to jsonl` wrote one whole document a line.
    old = tmp_path / "old.jsonl"
    records = london_records()
    old.write_bytes(b"".join(dumps(record) + b"\n" for record in records))
    assert list(iter_jsonl(old, object)) == records
    assert cli("validate", str(old)).returncode == 0
    found: list[ValidationError] = []
    assert list(iter_jsonl(old, Source, errors=found)) == list(london_2025().sources)
    assert len(found) == len(records) - len(london_2025().sources)
    assert {p.code for e in found for p in e.problems} == {"wrong_kind"}


def test_a_whole_document_on_a_line_is_checked_as_a_document_is() -> None:
    document = json.loads(dumps(new_case()))
    document["data"]["suspects"] = -1
    document["schema_version"] = 9
    lines = jsonl_lines(header("case_review"), CASE_LINE, json.dumps(document).encode(), CASE_LINE)
    found: list[ValidationError] = []
    assert list(iter_jsonl(lines, errors=found)) == [new_case(), new_case()]
    assert [(p.line, p.path, p.code) for e in found for p in e.problems] == [
        (3, "/schema_version", "newer_version")
    ]
    document["schema_version"] = SCHEMA_VERSION
    lines = jsonl_lines(json.dumps(document).encode())
    assert jsonl_problems(lines) == [(1, "/data/suspects", "must be at least 0", "minimum")]


def test_records_without_a_header_are_of_the_kind_asked_for_or_case_records() -> None:
    source = london_2025().sources[0]
    assert list(iter_jsonl(jsonl_lines(record_line(source)), Source)) == [source]
    assert list(iter_jsonl(jsonl_lines(CASE_LINE), object)) == [new_case()]
    found: list[ValidationError] = []
    assert list(iter_jsonl(jsonl_lines(record_line(source)), object, errors=found)) == []
    assert {p.code for e in found for p in e.problems} == {"missing", "unknown_key"}


def test_a_header_of_an_unknown_kind_is_explained_when_any_kind_is_read() -> None:
    lines = jsonl_lines(b'{"kind": "cases", "schema_version": 2}', CASE_LINE)
    with pytest.raises(ValidationError) as error:
        list(iter_jsonl(lines, object))
    assert [(p.line, p.path, p.code) for p in error.value.problems] == [
        (1, "/kind", "unknown_kind")
    ]
    assert error.value.problems[0].message == "must be one of " + ", ".join(map(repr, KINDS))


def test_an_unknown_kind_has_no_schema() -> None:
    with pytest.raises(KeyError) as error:
        json_schema("cases")
    assert error.value.args[0] == ("unknown document kind 'cases'; use one of " + ", ".join(KINDS))


def test_a_type_outside_the_model_has_no_schema_and_says_which() -> None:
    with pytest.raises(TypeError, match=r"^no JSON Schema for <class 'complex'>$"):
        _Builder().of(complex)
