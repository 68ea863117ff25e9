"""Writing with orjson (the ``fast`` extra) and without it gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from cse_programme import AbuseContext, Estimate, ValidationError, dumps, testing, write_jsonl
from cse_programme._serialisation import _json
from cse_programme._serialisation._converter import CONVERTER
from cse_programme._serialisation._fast import COMPILER
from cse_programme.datasets import london_2025, synthetic_cases

from .test_serialisation import EVERY_KIND

FIXTURES = Path(__file__).parent / "fixtures"


def standard(value: Any) -> bytes:
    """The oracle: the standard library's own encoder, in its plain, documented form."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def as_they_are(values: Any) -> Any:
    """Values that are JSON-ready already, handed to orjson's writer of lines."""
    return values


@pytest.fixture(params=["orjson", "standard library"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each writing path in turn: orjson's, then the standard library's alone."""
    monkeypatch.setattr(_json._Writers, "looked", request.param == "standard library")
    monkeypatch.setattr(_json._Writers, "native", None)
    yield request.param
    if request.param == "orjson":
        assert _json._Writers.native is not None  # orjson was really used


def test_orjson_is_found_when_installed_and_missed_when_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_json._Writers, "looked", False)
    monkeypatch.setattr(_json._Writers, "native", None)
    assert _json.native_writers() is not None
    monkeypatch.setattr(_json._Writers, "looked", False)
    monkeypatch.setitem(sys.modules, "orjson", None)  # as if it were not installed
    assert _json.native_writers() is None
    assert _json.encode({"a": [1, "é"]}) == '{"a":[1,"é"]}'.encode()


def test_orjson_is_looked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_json._Writers, "looked", False)
    monkeypatch.setattr(_json._Writers, "native", None)
    found = _json.native_writers()
    monkeypatch.setitem(sys.modules, "orjson", None)  # gone after the first look
    assert _json.native_writers() is found


def test_with_orjson_installed_a_document_is_written_by_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    native = _json._native_writers()
    assert native is not None
    written: list[Any] = []

    def spy(value: Any) -> bytes:
        written.append(value)
        return native[0](value)

    monkeypatch.setattr(_json._Writers, "looked", True)
    monkeypatch.setattr(_json._Writers, "native", (spy, native[1]))
    document = {"a": [1, "é"]}
    assert _json.encode(document) == standard(document)
    assert written == [document]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@pytest.mark.parametrize("accelerated", [True, False], ids=["C encoder", "pure Python"])
@given(value=JSON_VALUES)
@example(value={"a": [1, "é\n", None, True, 2.5], "b": {}})
def test_the_reused_standard_writer_writes_what_the_standard_library_does(
    accelerated: bool, value: Any
) -> None:
    # Built afresh here, with and without the C accelerator, rather than the
    # writer the module made when it was imported.
    with pytest.MonkeyPatch.context() as patch:
        if not accelerated:
            patch.setattr(json.encoder, "c_make_encoder", None)
        write = _json._standard_writer()
    assert write(value).encode() == standard(value)


@pytest.mark.parametrize("accelerated", [True, False], ids=["C encoder", "pure Python"])
def test_the_reused_standard_writer_refuses_what_json_cannot_hold(accelerated: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if not accelerated:
            patch.setattr(json.encoder, "c_make_encoder", None)
        write = _json._standard_writer()
    for value in (float("nan"), float("inf"), {"a": [float("-inf")]}):
        with pytest.raises(ValueError, match="not JSON compliant"):
            write(value)
    with pytest.raises(TypeError, match="not JSON serializable"):
        write({"a": object()})
    with pytest.raises(TypeError, match="keys must be"):
        write({(1, 2): 3})


@given(EVERY_KIND)
def test_every_path_writes_the_bytes_of_the_standard_encoder(obj: object) -> None:
    values = CONVERTER.unstructure(obj)
    expected = standard(values)
    native = _json._native_writers()  # orjson's, whatever another test has chosen
    assert native is not None
    assert native[0](values) == expected
    assert native[1](as_they_are, [values, values]) == expected + b"\n" + expected + b"\n"
    assert native[1](COMPILER.native_fn(type(obj)), [obj]) == expected + b"\n"
    assert COMPILER.text_fn(type(obj))(obj).encode() == expected


def written_both_ways(records: list[Any]) -> list[bytes]:
    """The JSON Lines of *records* written by the standard path, then with orjson."""
    written = []
    for native in (False, True):
        _json._Writers.looked = True
        _json._Writers.native = _json._native_writers() if native else None
        try:
            buffer = io.BytesIO()
            write_jsonl(records, buffer)
            written.append(buffer.getvalue())
        finally:
            _json._Writers.looked = False
    return written


@given(st.lists(testing.case_reviews(), max_size=5))
def test_json_lines_are_the_same_bytes_either_way(cases: list[Any]) -> None:
    written = written_both_ways(cases)
    assert written[0] == written[1]
    lines = written[0].splitlines()
    assert len(lines) == (len(cases) + 1 if cases else 0)
    assert all(line == standard(json.loads(line)) for line in lines[1:])


def test_each_set_of_contexts_is_written_as_itself_when_written_sets_are_shared() -> None:
    # With orjson the written members of each set of a vocabulary are kept and
    # shared: every one of these must still be written as its own members.
    base = next(synthetic_cases(1, seed=3))
    subsets = [
        frozenset(chosen)
        for size in (1, 2, 3)
        for chosen in itertools.combinations(sorted(AbuseContext, key=str), size)
    ]
    # Three suspects, so that every set is one a case may have.
    cases = [attrs.evolve(base, contexts=subset, suspects=3) for subset in subsets] * 2
    assert _json._native_writers() is not None  # orjson is there to share them
    standard_path, orjson_path = written_both_ways(cases)
    assert standard_path == orjson_path
    for case, line in zip(cases, orjson_path.splitlines()[1:], strict=True):
        assert json.loads(line)["contexts"] == sorted(context.value for context in case.contexts)


def test_the_pinned_synthetic_cases_are_written_as_before(path: str) -> None:
    buffer = io.BytesIO()
    write_jsonl(synthetic_cases(200, seed=0), buffer)
    pinned = (FIXTURES / "synthetic_cases_seed_0.jsonl").read_bytes().splitlines()
    assert buffer.getvalue().splitlines()[1:] == pinned[1:]


def test_the_pinned_varied_synthetic_cases_are_made_as_before(path: str) -> None:
    # The same cases for the same seed, release after release: the bench's
    # figures compare like with like only so.
    buffer = io.BytesIO()
    write_jsonl(synthetic_cases(150, seed=0, varied=True), buffer)
    pinned = (FIXTURES / "synthetic_cases_seed_0_varied.jsonl").read_bytes().splitlines()
    assert buffer.getvalue().splitlines() == pinned


def test_varied_records_are_written_alike_in_batches(path: str) -> None:
    # More records than one batch, with notes holding quotes, line breaks and
    # curly quotes: each line is exactly the standard encoder's.
    cases = list(synthetic_cases(1_100, seed=4, varied=True))
    buffer = io.BytesIO()
    assert write_jsonl(cases, buffer) == 1_100
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 1_101
    assert any(b"\\n" in line and b"\\u201c" not in line and "“".encode() in line for line in lines)
    for case, line in zip(cases, lines[1:], strict=True):
        assert line == standard(CONVERTER.unstructure(case))


def test_no_records_are_written_as_nothing_at_all() -> None:
    buffer = io.BytesIO()
    assert write_jsonl(iter(()), buffer) == 0
    assert buffer.getvalue() == b""


def test_a_number_orjson_cannot_write_is_written_by_the_standard_library(path: str) -> None:
    value = {"count": 2**70, "small": -(2**63)}
    assert _json.encode(value) == b'{"count":1180591620717411303424,"small":-9223372036854775808}'
    assert _json.encode(value) == standard(value)


def test_documents_are_written_alike(path: str) -> None:
    case = next(synthetic_cases(1, seed=9, varied=True))
    assert dumps(case) == standard(json.loads(dumps(case)))


MOMENTS = st.datetimes(
    min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2999, 12, 30), timezones=st.timezones()
) | st.builds(
    lambda moment, minutes: moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes))),
    st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2999, 12, 30)),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
)


@given(testing.case_reviews(), MOMENTS)
def test_days_and_timestamps_handed_to_orjson_are_written_as_the_standard_path_writes_them(
    case: Any, moment: dt.datetime
) -> None:
    # The generated histories carry days across the model's whole range.
    try:
        case = attrs.evolve(case, updated=moment)
    except ValidationError:  # an offset in seconds, or before the last change of status
        assume(False)
    standard_path, orjson_path = written_both_ways([case])
    assert standard_path == orjson_path
    assert json.loads(orjson_path.splitlines()[1])["updated"] == expected_timestamp(moment)


def expected_timestamp(moment: dt.datetime) -> str:
    """RFC 3339 as the documents write it, worked out by hand from the offset."""
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    zone = (
        "Z"
        if minutes == 0
        else f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02}:{abs(minutes) % 60:02}"
    )
    fraction = f".{moment.microsecond:06}" if moment.microsecond else ""
    return f"{moment:%Y-%m-%dT%H:%M:%S}{fraction}{zone}"


def test_a_batch_orjson_cannot_write_is_written_by_the_standard_path(path: str) -> None:
    review = london_2025().reviews[0]
    assert review.cases_under_review is not None
    huge = attrs.evolve(
        review,
        cases_under_review=attrs.evolve(review.cases_under_review, estimate=Estimate.about(2**70)),
    )
    buffer = io.BytesIO()
    write_jsonl([review, huge, review], buffer)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 4
    assert json.loads(lines[2])["cases_under_review"]["estimate"]["low"] == 2**70
    for record, line in zip([review, huge, review], lines[1:], strict=True):
        assert line == standard(CONVERTER.unstructure(record))


def test_orjson_refusing_anything_but_a_large_integer_is_an_error_not_a_fallback() -> None:
    native = _json._native_writers()
    assert native is not None
    write, write_lines = native
    # orjson's error is TypeError itself: a value it cannot write for any other
    # reason is a mistake in the library, and shows.
    with pytest.raises(TypeError, match="Type is not JSON serializable"):
        write_lines(as_they_are, [{"amount": Decimal(1)}])
    with pytest.raises(TypeError, match="Type is not JSON serializable"):
        write({"amount": Decimal(1)})
    for large in (2**64, -(2**70)):
        assert write_lines(as_they_are, [{"count": large}]) is None
        assert write({"count": large}) == standard({"count": large})
