"""Privacy: pseudonyms, and a canary proving sensitive values never leak."""

from __future__ import annotations

import base64
import hmac
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cse_programme import CaseReview, ValidationError, dumps, testing, write_jsonl
from cse_programme.datasets import london_2025, synthetic_cases
from cse_programme.model._rules import SENSITIVE
from cse_programme.privacy import protect, pseudonymise, public_document
from cse_programme.privacy._redaction import _strip

CANARY = "ZQXJ-canary-7731"


def with_canary(case: CaseReview, marker: str) -> CaseReview:
    return attrs.evolve(case, notes=f"private note {marker} about the child")


def test_pseudonyms_are_stable_keyed_and_hide_the_reference() -> None:
    key = bytes(range(32))
    token = pseudonymise("MPS/01/2345/25", key)
    assert token == pseudonymise("MPS/01/2345/25", key)
    assert token != pseudonymise("MPS/01/2345/25", bytes(range(1, 33)))
    assert "2345" not in str(token)


def test_a_pseudonym_is_the_keyed_hash_of_the_reference_as_documented() -> None:
    key = bytes(range(32))
    # HMAC-SHA-256 of the reference's UTF-8 bytes, in lower-case base 32, cut to 26 letters.
    digest = hmac.new(key, "MPS/01/2345/25 é".encode(), "sha256").digest()
    expected = "case-" + base64.b32encode(digest).decode().lower()[:26]
    assert str(pseudonymise("MPS/01/2345/25 é", key)) == expected
    assert str(pseudonymise("  MPS/01/2345/25 é\n", key)) == expected  # spaces around are not part
    assert pseudonymise("MPS/01/2345/26 é", key) != pseudonymise("MPS/01/2345/25 é", key)


@pytest.mark.parametrize("reference", ["", "   ", "\n", None, 12345, b"MPS/01/2345/25"])
def test_a_blank_reference_or_one_that_is_not_text_is_refused(reference: object) -> None:
    with pytest.raises(ValidationError) as error:
        pseudonymise(reference, bytes(range(32)))  # type: ignore[arg-type]
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/internal_reference", "must be non-blank text", "type")
    ]


@pytest.mark.parametrize("key", [b"", b"short", "a string key" * 3])
def test_a_weak_or_missing_key_is_refused(key: object) -> None:
    with pytest.raises(ValidationError) as error:
        pseudonymise("MPS/01/2345/25", key)  # type: ignore[arg-type]
    assert error.value.problems[0].code == "weak_key"


def test_a_key_of_exactly_16_bytes_is_strong_enough_and_one_of_15_is_not() -> None:
    assert str(pseudonymise("MPS/01/2345/25", bytes(range(16)))).startswith("case-")
    assert str(pseudonymise("MPS/01/2345/25", bytearray(range(16)))).startswith("case-")
    with pytest.raises(ValidationError) as error:
        pseudonymise("MPS/01/2345/25", bytes(range(15)))
    assert [(p.path, p.code) for p in error.value.problems] == [("/key", "weak_key")]


STRONG_KEYS = st.binary(min_size=16, max_size=64).filter(lambda key: len(set(key)) > 1)


@given(st.text(min_size=1).filter(str.strip), STRONG_KEYS)
def test_every_pseudonym_is_a_valid_case_reference(reference: str, key: bytes) -> None:
    assert str(pseudonymise(reference, key)).startswith("case-")


#: How many cases the canary is tried on: many, except in a mutation run, where
#: every property draws the profile's ten and the other tests catch what the
#: canary would (this property passes however few it draws).
CANARY_CASES = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "mutation" else 2000


@settings(max_examples=CANARY_CASES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=testing.case_reviews(),
    marker=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=12, max_size=12),
)
def test_sensitive_values_never_leak(
    case: CaseReview, marker: str, caplog: pytest.LogCaptureFixture
) -> None:
    # "§" appears in no identifier, code or label, so only the notes can hold it.
    marker = f"§{marker}§"
    marked = with_canary(case, marker)
    caplog.set_level(logging.DEBUG)
    assert marker not in repr(marked)
    assert marker not in str(marked)
    assert marker not in json.dumps(public_document(marked))
    # The full document keeps the notes (it is the case file), the public view does not.
    assert marker in dumps(marked).decode()
    # An invalid change to a sensitive field is refused without repeating it.
    with pytest.raises(ValidationError) as error:
        attrs.evolve(marked, notes=marker * 400)
    assert marker not in str(error.value)
    assert marker not in repr(error.value)
    # Aggregates of the cases never carry case text.
    table = protect(["cases"], ["count"], {("cases", "count"): 1})
    assert marker not in table.to_csv() + table.to_json()
    assert marker not in caplog.text


def test_cli_outputs_never_carry_case_notes(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    with open(cases, "wb") as stream:
        records = [with_canary(case, CANARY) for case in synthetic(40)]
        write_jsonl(records, stream)
    assert CANARY in cases.read_text()
    for arguments in (
        ["funnel", str(cases)],
        ["funnel", str(cases), "--format", "json"],
        ["funnel", str(cases), "--format", "csv"],
        ["validate", str(cases)],
    ):
        result = run_cli(*arguments)
        assert CANARY not in result.stdout + result.stderr


def test_validation_errors_on_a_case_file_never_repeat_the_notes(tmp_path: Path) -> None:
    record = json.loads(dumps(with_canary(next(iter(synthetic(1))), CANARY)))["data"]
    record["notes"] = CANARY * 500
    record["suspects"] = "many " + CANARY
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert CANARY not in result.stdout + result.stderr
    assert "/notes" in result.stdout


def synthetic(count: int) -> list[CaseReview]:
    return list(synthetic_cases(count, seed=11))


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cse_programme", *arguments],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@given(testing.case_reviews())
def test_a_public_case_document_is_the_written_one_without_period_and_notes(
    case: CaseReview,
) -> None:
    written = json.loads(dumps(case))
    expected = {
        "kind": "case_review",
        "schema_version": written["schema_version"],
        "view": "public",
        "data": {
            key: value
            for key, value in written["data"].items()
            if key not in {"offence_period", "notes"}
        },
    }
    assert public_document(case) == expected


@attrs.frozen
class Visit:
    """A record with a sensitive field, for nesting where no kind of the library does yet."""

    place: str
    note: str = attrs.field(metadata=SENSITIVE)


@attrs.frozen
class Round:
    first: Visit
    visits: tuple[Visit, ...]


def test_a_sensitive_field_is_taken_out_at_any_depth() -> None:
    visits = (Visit("Camden", "said x"), Visit("Barnet", "said y"))
    data = {
        "first": {"place": "Camden", "note": "said x"},
        "visits": [{"place": "Camden", "note": "said x"}, {"place": "Barnet", "note": "said y"}],
    }
    assert _strip(Round(visits[0], visits), data) == {
        "first": {"place": "Camden"},
        "visits": [{"place": "Camden"}, {"place": "Barnet"}],
    }


def test_public_documents_of_other_kinds_are_complete() -> None:
    london = london_2025()
    assert public_document(london)["data"] == json.loads(dumps(london))["data"]
