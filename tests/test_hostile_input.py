"""Hostile and careless input: bounded reading, clean refusals, and messages that tell nothing."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import os
import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, cast

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import (
    CaseReview,
    Money,
    PartialDate,
    Period,
    Source,
    SourceId,
    ValidationError,
    dumps,
    iter_jsonl,
    json_schema,
    load,
    loads,
    write_jsonl,
)
from cse_programme._serialisation import _jsonl
from cse_programme._serialisation._json import MAX_DOCUMENT_BYTES, read_limited
from cse_programme.analysis import find_services
from cse_programme.datasets import london_2025, synthetic_cases
from cse_programme.privacy import pseudonymise

from .documents import golden, places, replaced
from .examples import new_case
from .test_cli import cli
from .test_fuzz import CATCH_ALL_CODES
from .test_serialisation import EVERY_KIND

HEADER = b'{"kind": "case_review", "schema_version": 1}\n'
CASE_LINE = json.dumps(json.loads(dumps(new_case()))["data"]).encode() + b"\n"
#: Fields of a case record without a default: each one missing is one problem.
REQUIRED = [f.name for f in attrs.fields(CaseReview) if f.default is attrs.NOTHING]
DOCS = Path(__file__).resolve().parents[1] / "docs"


def problems_of(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in error.value.problems]


def line_problems(stream: IO[bytes]) -> list[tuple[int | None, str]]:
    found: list[ValidationError] = []
    list(iter_jsonl(stream, errors=found))
    return [(p.line, p.code) for error in found for p in error.problems]


# Reading with bounds -------------------------------------------------------


def test_an_over_long_line_is_an_error_even_when_blank_and_reading_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_jsonl, "MAX_LINE_BYTES", len(CASE_LINE))
    stream = io.BytesIO(HEADER + b" " * 500 + b"\n" + CASE_LINE + b"\n" + b"x" * 500)
    found: list[ValidationError] = []
    assert list(iter_jsonl(stream, errors=found)) == [new_case()]
    assert [(p.line, p.code) for e in found for p in e.problems] == [
        (2, "too_large"),
        (5, "too_large"),
    ]


class CountingStream(io.RawIOBase):
    """Bytes that remember the most any one read asked for and gave."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)
        self.largest = 0

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:
        assert size is not None
        assert size > 0, "a line must never be read without a limit"
        line = self.data.readline(size)
        self.largest = max(self.largest, len(line))
        return line


def test_no_line_is_held_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jsonl, "MAX_LINE_BYTES", 1000)
    stream = CountingStream(HEADER + b"[" + b" " * 100_000 + b"]\n" + CASE_LINE)
    assert line_problems(stream) == [(2, "too_large")]  # type: ignore[arg-type]
    assert stream.largest <= 1001


def test_blank_lines_before_the_header_are_skipped_and_it_is_read_as_the_header() -> None:
    wrong = b'{"kind": "programme", "schema_version": 1}\n'
    assert line_problems(io.BytesIO(b"\n  \r\n" + wrong + CASE_LINE)) == [(3, "wrong_kind")]
    assert list(iter_jsonl(io.BytesIO(b"\n\n" + HEADER + CASE_LINE))) == [new_case()]


def test_a_document_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as sparse:
        sparse.truncate(MAX_DOCUMENT_BYTES + 1)  # nothing is really stored

    class Unread(io.FileIO):
        def read(self, size: int | None = -1) -> bytes:
            raise AssertionError("read before its size was checked")

    with Unread(huge) as stream, pytest.raises(ValidationError) as error:
        read_limited(stream)
    assert problems_of(error) == [("", "too_large")]
    with pytest.raises(ValidationError) as error:
        load(huge)
    assert problems_of(error) == [("", "too_large")]
    result = cli("validate", str(huge))
    assert result.returncode == 2
    assert "[too_large]" in result.stdout


def test_a_pipe_is_read_no_further_than_one_byte_past_the_limit() -> None:
    reader, writer = os.pipe()
    sent = b"[" + b" " * 5000 + b"]"

    def write() -> None:
        with open(writer, "wb", buffering=0) as stream:
            for start in range(0, len(sent), 700):
                stream.write(sent[start : start + 700])

    thread = threading.Thread(target=write)
    thread.start()
    with open(reader, "rb", buffering=0) as stream:
        with pytest.raises(ValidationError) as error:
            read_limited(stream, limit=2000)
        rest = stream.read()
        while more := stream.read():
            rest += more
    thread.join()
    assert problems_of(error) == [("", "too_large")]
    assert len(rest) == len(sent) - 2001
    with open(os.devnull, "rb") as empty:
        assert read_limited(empty, limit=10) == b""


SOURCE = Source(id=SourceId("src-example"), title="An example", publisher="Example")


class _Trickle(io.RawIOBase):
    """A stream that gives at most three bytes a read, as a slow pipe may."""

    def __init__(self, data: bytes) -> None:
        self.rest = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        taken, self.rest = self.rest[:3], self.rest[3:]
        buffer[: len(taken)] = taken
        return len(taken)


def test_a_stream_that_gives_little_at_a_time_is_read_whole_and_to_its_limit() -> None:
    document = b'{"kind": "source", "schema_version": 2}'
    assert read_limited(cast(IO[bytes], _Trickle(document)), limit=len(document)) == document
    with pytest.raises(ValidationError) as error:
        read_limited(cast(IO[bytes], _Trickle(document)), limit=len(document) - 1)
    assert problems_of(error) == [("", "too_large")]


def test_load_keeps_to_the_limit_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "source.json"
    path.write_bytes(dumps(SOURCE))
    assert load(path, Source, limit=len(path.read_bytes())) == SOURCE
    for source in (lambda: path, lambda: io.BytesIO(path.read_bytes())):
        with pytest.raises(ValidationError) as error:
            load(source(), Source, limit=len(path.read_bytes()) - 1)
        assert problems_of(error) == [("", "too_large")]


class _Long(io.RawIOBase):
    """A mebibyte of spaces, at most 600 bytes a read, counting what it gives."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), 600, 2**20 - self.given)
        buffer[:size] = b" " * size
        self.given += size
        return size


def test_load_reads_no_further_than_its_own_limit_from_a_stream_or_a_named_pipe(
    tmp_path: Path,
) -> None:
    long = _Long()
    with pytest.raises(ValidationError) as error:
        load(cast(IO[bytes], long), Source, limit=1000)
    assert problems_of(error) == [("", "too_large")]
    assert long.given <= 1001

    # The pipe holds far less than is sent, so the writer is cut off only if
    # the reader stops at the limit and closes its end.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sent = b"[" + b" " * 2**20 + b"]"
    written: list[int] = []

    def write() -> None:
        with open(fifo, "wb", buffering=0) as stream:
            done = 0
            try:
                for start in range(0, len(sent), 4096):
                    done += stream.write(sent[start : start + 4096]) or 0
            except BrokenPipeError:
                pass
            written.append(done)

    # A writer left waiting for a reader that never came must not hang the run.
    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    with pytest.raises(ValidationError) as error:
        load(fifo, Source, limit=2000)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert problems_of(error) == [("", "too_large")]
    assert written[0] < len(sent)


# validate -------------------------------------------------------------------


def test_validate_shows_the_first_hundred_problems_then_a_count(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(HEADER + b"{}\n" * 250)
    total = 250 * len(REQUIRED)
    result = cli("validate", str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{bad}: invalid ({total:,} problems)"
    assert len(lines) == 1 + 100 + 1
    assert lines[1] == f"  line 2: /{REQUIRED[0]}: is required [missing]"
    assert lines[-1] == f"  ... and {total - 100:,} more problems"
    (machine,) = json.loads(cli("validate", "--format", "json", str(bad)).stdout)
    assert machine["problem_count"] == total
    assert len(machine["problems"]) == 100
    assert (machine["valid"], machine["status"]) == (False, "invalid")


def test_validate_reports_every_file_then_exits_with_the_worst(tmp_path: Path) -> None:
    (tmp_path / "good.json").write_bytes(dumps(london_2025()))
    (tmp_path / "bad.jsonl").write_bytes(HEADER + b"{}\n")
    result = cli("validate", "good.json", "missing.json", "bad.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert [line for line in result.stdout.splitlines() if not line.startswith(" ")] == [
        "good.json: valid",
        "missing.json: unreadable (1 problem)",
        f"bad.jsonl: invalid ({len(REQUIRED)} problems)",
    ]
    assert "no such file" in result.stdout
    assert cli("validate", "good.json", "bad.jsonl", cwd=tmp_path).returncode == 1
    assert cli("validate", "bad.jsonl", "good.json", cwd=tmp_path).returncode == 1
    machine = json.loads(
        cli("validate", "--format", "json", "missing.json", "good.json", cwd=tmp_path).stdout
    )
    assert [(r["file"], r["status"]) for r in machine] == [
        ("missing.json", "unreadable"),
        ("good.json", "valid"),
    ]


# Exit codes, exactly as the CLI reference gives them --------------------------


EXIT_CASES = {
    "valid document": (["validate", "good.json"], 0),
    "valid case file": (["validate", "cases.jsonl"], 0),
    "invalid document": (["validate", "bad.json"], 1),
    "invalid case record": (["funnel", "bad.jsonl"], 1),
    "a case out of the review's scope": (["funnel", "old.jsonl"], 1),
    "unknown option": (["validate", "--colour", "good.json"], 2),
    "missing file": (["report", "missing.json"], 2),
    "a directory": (["validate", "folder.json"], 2),
    "document not UTF-8": (["validate", "latin1.json"], 2),
    "case file not UTF-8": (["validate", "latin1.jsonl"], 2),
    "report of a file not UTF-8": (["report", "latin1.json"], 2),
    "funnel of a file not UTF-8": (["funnel", "latin1.jsonl"], 2),
    "byte-order mark": (["validate", "bom.json"], 2),
    "age below 0": (["find-service", "--age", "-1", "--area", "Camden"], 2),
    "age over 120": (["find-service", "--age", "121", "--area", "Camden"], 2),
    "age not a number": (["find-service", "--age", "ten", "--area", "Camden"], 2),
    "age 0": (["find-service", "--age", "0", "--area", "Camden"], 0),
    "age 120": (["find-service", "--age", "120", "--area", "Camden"], 0),
    "output into a missing folder": (["synthesise", "--cases", "1", "-o", "no/x.jsonl"], 2),
}


@pytest.fixture(scope="module")
def exit_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exits")
    (folder / "good.json").write_bytes(dumps(london_2025()))
    write_jsonl(synthetic_cases(20), folder / "cases.jsonl")
    (folder / "bad.json").write_bytes(dumps(london_2025()).replace(b'"2400000.00"', b"2400000"))
    (folder / "bad.jsonl").write_bytes(HEADER + b'{"suspects": 1}\n')
    old = json.loads(CASE_LINE)
    old["offence_period"] = {"start": "2001", "end": "2002"}
    (folder / "old.jsonl").write_bytes(HEADER + json.dumps(old).encode() + b"\n")
    (folder / "folder.json").mkdir()
    (folder / "latin1.json").write_bytes('{"name": "Caf\u00e9"}'.encode("latin-1"))
    (folder / "latin1.jsonl").write_bytes(HEADER + "{\u00e9}\n".encode("latin-1"))
    (folder / "bom.json").write_bytes(b"\xef\xbb\xbf" + dumps(london_2025()))
    return folder


@pytest.mark.parametrize("case", sorted(EXIT_CASES))
def test_each_exit_code(case: str, exit_folder: Path) -> None:
    arguments, code = EXIT_CASES[case]
    result = cli(*arguments, cwd=exit_folder)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr


def test_the_cli_reference_gives_the_same_exit_codes() -> None:
    reference = (DOCS / "reference" / "cli.rst").read_text(encoding="utf-8")
    table = reference.split("Exit codes", 1)[1].split("\n\n", 2)[1]
    rows = dict(re.findall(r"``(\d)``  (.*?)(?=\n``\d``|\n=====)", table, re.DOTALL))
    assert sorted(rows) == ["0", "1", "2"]
    for words in ("not UTF-8", "size limit", "written", "missing", "directory"):
        assert words in " ".join(rows["2"].split()), words


# The funnel reads as it counts -------------------------------------------------


def test_the_funnel_reads_each_case_once_and_keeps_none() -> None:
    (review,) = london_2025().reviews
    records = [json.loads(line) for line in _case_lines(300)]
    expected = Counter(record["history"][-1]["status"] for record in records)
    alive: list[weakref.ref[CaseReview]] = []

    def stream() -> Iterator[CaseReview]:
        for record in records:
            case = loads(json.dumps({"kind": "case_review", "schema_version": 1, "data": record}))
            alive.append(weakref.ref(case))
            yield case
            del case
            gc.collect(0)
            # The funnel's loop still names the case it has just counted; any
            # earlier one must be gone.
            if len(alive) > 1:
                assert alive[-2]() is None, "the funnel kept a case it had counted"

    funnel = review.funnel(stream())
    assert funnel.total == len(records)
    assert {status.value: count for status, count in funnel.by_status.items()} == expected


def _case_lines(count: int) -> list[bytes]:
    buffer = io.BytesIO()
    write_jsonl(synthetic_cases(count, seed=9), buffer)
    return buffer.getvalue().splitlines()[1:]


def test_the_funnel_reports_cases_out_of_scope_by_position_in_one_pass() -> None:
    (review,) = london_2025().reviews
    cases = [new_case() for _ in range(5)]
    cases[3] = new_case(offence_period=Period(PartialDate(2001)))
    with pytest.raises(ValidationError) as error:
        review.funnel(iter(cases))
    assert problems_of(error) == [("/3/offence_period", "out_of_scope")]


def test_the_funnel_command_shows_the_first_hundred_problems(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_bytes(HEADER + b"[]\n" * 150 + CASE_LINE)
    result = cli("funnel", "bad.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "cse-programme: bad.jsonl: 150 problems"
    assert len(lines) == 1 + 100 + 1
    assert lines[-1] == "  ... and 50 more problems"
    assert result.stdout == ""


# Text anywhere: any Unicode, or a lone surrogate ---------------------------------

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_places(value: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Where text is in a document: ("value", path) of each string, ("key", path) of each key."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for where in places(value):
        inner = value
        for step in where:
            inner = inner[step]
        if isinstance(inner, str):
            found.append((where, "value"))
        if isinstance(inner, dict):
            found += [((*where, key), "key") for key in inner]
    return found


def with_text(document: Any, where: tuple[str | int, ...], what: str, text: str) -> Any:
    if what == "value":
        return replaced(document, where, text)
    changed = replaced(document, where, None)
    container = changed
    for step in where[:-1]:
        container = container[step]
    container[text] = container.pop(where[-1])
    return changed


@given(EVERY_KIND, ANY_TEXT, st.data())
def test_text_anywhere_may_be_anything_without_a_crash(
    obj: object, text: str, data: st.DataObject
) -> None:
    document = json.loads(dumps(obj))
    where, what = data.draw(st.sampled_from(text_places(document)))
    changed = with_text(document, where, what, text)
    for raw in (json.dumps(changed), json.dumps(changed, ensure_ascii=False)):
        try:
            loaded = loads(raw)
        except ValidationError as error:
            codes = {problem.code for problem in error.problems}
            assert not codes & CATCH_ALL_CODES
            printable = "\n".join(map(str, error.problems)).encode("utf-8")
        else:
            assert not SURROGATE.search(text), "a lone surrogate was read"
            assert loads(dumps(loaded)) == loaded
            continue
        assert printable  # every message can be printed as UTF-8
        assert "surrogate" in codes or not SURROGATE.search(text)


@given(ANY_TEXT, st.booleans())
def test_a_lone_surrogate_in_a_case_file_is_refused_at_its_line(text: str, as_key: bool) -> None:
    record = json.loads(CASE_LINE)
    if as_key:
        record[text] = 1
    else:
        record["notes"] = text
    line = json.dumps(record).encode()
    found: list[ValidationError] = []
    read = list(iter_jsonl(io.BytesIO(HEADER + line + b"\n"), errors=found))
    problems = [p for error in found for p in error.problems]
    assert all(problem.line == 2 for problem in problems)
    if SURROGATE.search(text):
        assert read == []
        assert "surrogate" in {problem.code for problem in problems}


def test_a_lone_surrogate_is_refused_by_every_command(tmp_path: Path) -> None:
    record = json.loads(CASE_LINE)
    notes = tmp_path / "notes.jsonl"
    notes.write_bytes(HEADER + json.dumps({**record, "notes": "\ud800"}).encode() + b"\n")
    key = tmp_path / "key.jsonl"
    key.write_bytes(HEADER + json.dumps({**record, "\udc00": 1}).encode() + b"\n")
    document = json.loads(dumps(london_2025()))
    document["data"]["name"] = "London \udfff"
    programme = tmp_path / "programme.json"
    programme.write_text(json.dumps(document))
    for arguments in (
        ["validate", "notes.jsonl", "key.jsonl", "programme.json"],
        ["funnel", "notes.jsonl"],
        ["funnel", "key.jsonl"],
        ["report", "programme.json"],
        ["export", "programme.json", "--to", "jsonl"],
    ):
        result = cli(*arguments, cwd=tmp_path)
        assert result.returncode == 1, arguments
        assert "surrogate" in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def test_python_objects_refuse_a_lone_surrogate_too() -> None:
    with pytest.raises(ValidationError) as error:
        new_case(notes="a note \ud800")
    assert problems_of(error) == [("/notes", "surrogate")]
    package = loads(
        json.dumps(
            {"kind": "funding_package", "schema_version": 1, "data": golden("funding_package")}
        )
    )
    with pytest.raises(ValidationError) as error:
        attrs.evolve(package, purposes=("fine", "broken \udc00"))
    assert problems_of(error) == [("/purposes/1", "surrogate")]


# Money ----------------------------------------------------------------------------


def test_minus_zero_pounds_is_zero_and_round_trips() -> None:
    zero = Money(Decimal("-0"))
    assert zero == Money.zero()
    assert (str(zero), zero.compact()) == ("£0.00", "£0")
    package = loads(
        json.dumps(
            {"kind": "funding_package", "schema_version": 1, "data": golden("funding_package")}
        )
    )
    # Allocations of unknown amount fit any total, so only the total changes.
    changed = attrs.evolve(package, total=Money(Decimal("-0.00")))
    assert json.loads(dumps(changed))["data"]["total"] == "0.00"
    assert loads(dumps(changed)) == changed


@given(st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2))
def test_compact_money_reads_back_close_and_never_as_a_thousand_of_a_unit(
    pounds: Decimal,
) -> None:
    amount = Money(pounds)
    shown = amount.compact()
    number = Decimal(shown.removeprefix("£").rstrip("km").replace(",", ""))
    if shown.endswith("k"):
        assert number < 1000
    unit = {"m": Decimal(1_000_000), "k": Decimal(1_000)}.get(shown[-1], Decimal(1))
    assert abs(number * unit - pounds) <= unit / 200  # within half of the last place shown


def test_money_text_with_an_exponent_is_refused_with_or_without_a_suffix() -> None:
    for text in ("1e3", "1e3k", "1E3m", "1e-2k"):
        with pytest.raises(ValidationError) as error:
            Money.of(text)
        assert problems_of(error) == [("/pounds", "money_text")]


# Counts, timestamps, ages and keys ------------------------------------------------


@pytest.mark.parametrize("field", ["suspects", "victims"])
def test_counts_in_a_case_have_a_documented_upper_bound(field: str) -> None:
    record = json.loads(CASE_LINE)
    assert (
        json_schema("case_review")["$defs"]["CaseReview"]["properties"][field]["maximum"] == 10_000
    )
    assert getattr(new_case(**{field: 10_000}), field) == 10_000
    for count in (10_001, int("9" * 4299)):
        with pytest.raises(ValidationError) as error:
            new_case(**{field: count})
        assert problems_of(error) == [(f"/{field}", "maximum")]
        line = json.dumps({**record, field: count}).encode() + b"\n"
        assert line_problems(io.BytesIO(HEADER + line)) == [(2, "maximum")]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("9999-12-31T23:59:59-23:59", False),
        ("0001-01-01T00:00:00+00:01", False),
        ("9999-12-31T23:59:59+00:00", True),
        ("0001-01-01T00:30:00+00:01", True),
    ],
)
def test_timestamps_that_utc_cannot_express_are_refused(text: str, accepted: bool) -> None:
    record = {**json.loads(CASE_LINE), "updated": text}
    problems = line_problems(io.BytesIO(HEADER + json.dumps(record).encode()))
    assert problems == ([] if accepted else [(2, "timestamp")])
    moment = dt.datetime.fromisoformat(text)
    if accepted:
        assert new_case(updated=moment).updated == moment
    else:
        with pytest.raises(ValidationError) as error:
            new_case(updated=moment)
        assert problems_of(error) == [("/updated", "timestamp")]


@pytest.mark.parametrize(
    ("age", "code"),
    [("15", "type"), (15.0, "type"), (True, "type"), (-1, "age_range"), (121, "age_range")],
)
def test_the_finder_refuses_an_age_that_is_not_a_person_s(age: object, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        find_services(london_2025(), age=age, area="Camden")  # type: ignore[arg-type]
    assert problems_of(error) == [("/age", code)]


GOOD_KEY = bytes(range(7, 39))


@pytest.mark.parametrize(
    "key",
    [
        bytes(16),
        bytes(64),
        b"\x00" * 15,
        bytes(range(15)),
        b"k" * 32,
        "0123456789abcdef",
        1234,
        None,
        [1] * 16,
    ],
)
def test_keys_that_weaken_pseudonyms_are_refused_alike(key: object) -> None:
    with pytest.raises(ValidationError) as error:
        pseudonymise("MPS/01/2345/25", key)  # type: ignore[arg-type]
    assert problems_of(error) == [("/key", "weak_key")]
    assert error.value.problems[0].message == (
        "must be secret bytes, at least 16 long and not one byte repeated"
    )


def test_any_bytes_like_key_gives_the_same_pseudonym() -> None:
    token = pseudonymise("MPS/01/2345/25", GOOD_KEY)
    assert pseudonymise("MPS/01/2345/25", bytearray(GOOD_KEY)) == token
    assert pseudonymise("MPS/01/2345/25", memoryview(GOOD_KEY)) == token


# Messages --------------------------------------------------------------------------


def test_an_unknown_key_is_shown_short_and_escaped() -> None:
    key = "\x1b[31m/~" + "k" * 1000
    record = {**json.loads(CASE_LINE), key: 1}
    (problem,) = [p for e in _errors_of(HEADER + json.dumps(record).encode()) for p in e.problems]
    assert problem.code == "unknown_key"
    assert problem.path == "/\\u001b[31m~1~0" + "k" * 33 + "..."
    quoted = json.dumps(key).encode()
    twice = b'{"kind": "source", ' + quoted + b": 1, " + quoted + b": 2}"
    with pytest.raises(ValidationError) as error:
        loads(twice)
    assert error.value.problems[0].message == (
        'repeats the key "\\u001b[31m/~' + "k" * 33 + '..." in one object'
    )


def _errors_of(raw: bytes) -> list[ValidationError]:
    found: list[ValidationError] = []
    list(iter_jsonl(io.BytesIO(raw), errors=found))
    return found


CANARY = "§canary§"


@given(EVERY_KIND, st.data())
def test_no_message_repeats_a_value_from_the_input(obj: object, data: st.DataObject) -> None:
    document = json.loads(dumps(obj))
    where = data.draw(st.sampled_from([w for w in places(document) if w]))
    canary = CANARY + data.draw(st.sampled_from(["", "2025", "case-", "E09000007", " "]))
    try:
        loads(json.dumps(replaced(document, where, canary)))
    except ValidationError as error:
        for problem in error.problems:
            assert CANARY not in str(problem)
