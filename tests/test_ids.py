"""Identifiers: text of a checked form, one type for each kind of thing."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import (
    AllocationId,
    CaseReference,
    ClaimId,
    FundingPackageId,
    Identifier,
    IndicatorId,
    MeasureId,
    OrganisationId,
    ReviewId,
    ServiceId,
    SourceId,
    ValidationError,
)
from cse_programme.model._ids import CASE_TOKEN_LENGTH, is_id

from .examples import explained

PREFIXED: list[tuple[type[Identifier], str, str]] = [
    (ServiceId, "svc", "svc-lighthouse"),
    (FundingPackageId, "pkg", "pkg-cse-support-2025"),
    (AllocationId, "alloc", "alloc-isvas"),
    (SourceId, "src", "src-mayor-press-release-2025-11"),
    (ClaimId, "claim", "claim-suspects-charged"),
    (IndicatorId, "ind", "ind-officers-trained-cse"),
    (MeasureId, "measure", "measure-suspects-charged"),
    (ReviewId, "review", "review-met-historic-cse"),
]


def refusal(kind: type[Identifier], value: object) -> tuple[str, str, str]:
    with pytest.raises(ValidationError) as error:
        kind(value)  # type: ignore[arg-type]
    (problem,) = error.value.problems
    return problem.path, problem.message, problem.code


@pytest.mark.parametrize(("kind", "prefix", "example"), PREFIXED)
def test_each_prefixed_id_accepts_its_example_and_names_its_form(
    kind: type[Identifier], prefix: str, example: str
) -> None:
    assert kind(example) == example
    assert type(kind(example)) is kind
    assert repr(kind(example)) == f"{kind.__name__}('{example}')"
    form = f"'{prefix}-' and lower-case words joined by hyphens, such as {example}"
    for wrong in (f"{prefix}-", f"{prefix}-A", f"{prefix}--a", f"{prefix}-a-", f"x{prefix}-a"):
        assert refusal(kind, wrong) == ("", f"must be {form}", "identifier")
    assert kind(f"{prefix}-a-2") == f"{prefix}-a-2"


@pytest.mark.parametrize("kind", [kind for kind, _, _ in PREFIXED] + [OrganisationId])
def test_an_id_is_text(kind: type[Identifier]) -> None:
    assert refusal(kind, 7) == ("", "must be text, not an integer", "type")
    assert refusal(kind, None) == ("", "must be text, not null", "type")


def test_an_id_of_its_own_type_is_kept_as_it_is() -> None:
    service = ServiceId("svc-lighthouse")
    assert ServiceId(service) is service
    # Another id type is checked again, as text, against this one's form.
    assert refusal(ServiceId, SourceId("src-a"))[2] == "identifier"


def test_organisation_ids_registered_and_local() -> None:
    assert OrganisationId("GB-LAE-GLA").registered
    assert OrganisationId("GB-CHC-216401").registered
    assert not OrganisationId("org-metropolitan-police").registered
    form = "an org-id such as GB-LAE-GLA, or a local id such as org-nspcc"
    for wrong in ("Met Police", "gb-lae-gla", "GB-L-GLA", "org-", "org-Met"):
        assert refusal(OrganisationId, wrong) == ("", f"must be {form}", "identifier")


def test_case_references_are_tokens_and_never_crime_numbers() -> None:
    token = "case-" + "a2" * (CASE_TOKEN_LENGTH // 2)
    assert CaseReference(token) == token
    form = f"a pseudonymous token: 'case-' and {CASE_TOKEN_LENGTH} letters a-z or digits 2-7"
    for wrong in ("01/123456/25", token[:-1], token + "a", token.replace("2", "1")):
        assert refusal(CaseReference, wrong) == ("", f"must be {form}", "identifier")
    assert CASE_TOKEN_LENGTH == 26


SLUGS = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)


@given(st.sampled_from(PREFIXED), SLUGS)
def test_any_slug_after_the_prefix_is_an_id(
    entry: tuple[type[Identifier], str, str], slug: str
) -> None:
    kind, prefix, _ = entry
    made = kind(f"{prefix}-{slug}")
    assert made == f"{prefix}-{slug}"
    assert isinstance(made, str)


def test_an_id_field_takes_only_its_own_id_type() -> None:
    @attrs.define
    class Record:
        service: ServiceId = attrs.field(validator=is_id(ServiceId))

    assert Record(ServiceId("svc-a")).service == "svc-a"
    for wrong, named in (("svc-a", "a string"), (SourceId("src-a"), "a SourceId")):
        with pytest.raises(ValidationError) as error:
            Record(wrong)  # type: ignore[arg-type]
        assert explained(error) == [("/service", f"must be a ServiceId, not {named}", "type")]


def test_a_new_kind_of_id_checks_its_own_form() -> None:
    class TicketId(Identifier):
        __slots__ = ()
        pattern = r"T[0-9]{3}"
        rule = "'T' and three digits"

    assert TicketId("T123") == "T123"
    assert refusal(TicketId, "T12") == ("", "must be 'T' and three digits", "identifier")
    # Each kind keeps its own form.
    assert refusal(ServiceId, "T123")[2] == "identifier"
