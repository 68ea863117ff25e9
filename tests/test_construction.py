"""Building objects in Python: text for identifiers, any collection, errors saying what to do."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import cse_programme
from cse_programme import (
    AbuseContext,
    AgeRange,
    ClaimId,
    FundingPackage,
    Identifier,
    Money,
    OrganisationId,
    Programme,
    ReviewStatus,
    ServiceId,
    SupportKind,
    SupportService,
    ValidationError,
    Vocabulary,
    testing,
)

#: The public names; cse_programme lists them on first use.
PUBLIC: list[str] = getattr(cse_programme, "__all__")  # noqa: B009

# The strategies for every record whose fields take identifiers or collections.
RECORDS = st.one_of(
    testing.organisations(),
    testing.support_services(),
    testing.reporting_routes(),
    testing.funding_packages(),
    testing.claims(),
    testing.sources(),
    testing.indicators(),
    testing.outcome_measures(),
    testing.outcome_policies(),
    testing.review_programmes(),
    testing.case_reviews(),
    testing.programmes(),
)

Loosen = Callable[[Any], Any]


def plain(value: Any) -> Any:
    """An identifier as the plain text it holds; anything else unchanged."""
    return str.__str__(value) if isinstance(value, Identifier) else value


def as_list(items: Any) -> list[Any]:
    return [plain(item) for item in items]


def as_generator(items: Any) -> Iterator[Any]:
    return (plain(item) for item in items)


def as_set(items: Any) -> set[Any]:
    return {plain(item) for item in items}


def loosened(record: Any, for_tuple: Loosen, for_set: Loosen) -> dict[str, Any]:
    """The arguments that built *record*, in the looser forms a newcomer might type."""
    arguments: dict[str, Any] = {}
    for field in attrs.fields(type(record)):
        if not field.init:
            continue
        value = getattr(record, field.name)
        if type(value) is tuple:
            value = for_tuple(value)
        elif type(value) is frozenset:
            value = for_set(value)
        else:
            value = plain(value)
        arguments[field.alias or field.name] = value
    return arguments


@given(
    RECORDS,
    st.sampled_from([as_list, as_generator]),
    st.sampled_from([as_list, as_generator, as_set]),
)
def test_plain_text_and_any_collection_build_an_equal_object(
    record: Any, for_tuple: Loosen, for_set: Loosen
) -> None:
    rebuilt = type(record)(**loosened(record, for_tuple, for_set))
    assert rebuilt == record
    for field in attrs.fields(type(record)):
        # Each field holds the exact type again, not the looser form given.
        assert type(getattr(rebuilt, field.name)) is type(getattr(record, field.name))


def is_organisation_id(text: str) -> bool:
    try:
        OrganisationId(text)
    except ValidationError:
        return False
    return True


def test_the_fields_stay_exact_for_the_loaders() -> None:
    # The compiled loaders build objects without calling __init__: a field
    # converter would be a rule they could not follow.
    records = [
        kind
        for name in PUBLIC
        if isinstance(kind := getattr(cse_programme, name), type) and attrs.has(kind)
    ]
    assert len(records) > 20
    for kind in records:
        assert all(field.converter is None for field in attrs.fields(kind)), kind


def test_signatures_say_what_construction_accepts() -> None:
    parameters = inspect.signature(FundingPackage).parameters
    assert str(parameters["funder"].annotation) == str(OrganisationId | str)
    assert "Iterable" in str(parameters["claims"].annotation)
    assert parameters["total"].annotation is Money


@given(testing.funding_packages(), st.text(max_size=20))
def test_text_that_is_not_an_identifier_is_refused_with_the_field(
    package: FundingPackage, text: str
) -> None:
    assume(not is_organisation_id(text))
    with pytest.raises(ValidationError) as error:
        attrs.evolve(package, funder=text)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [("/funder", "identifier")]


def identifier_fields(record: Any) -> list[tuple[str, type[Identifier]]]:
    """The fields of *record* holding an identifier, with its kind."""
    return [
        (field.name, type(value))
        for field in attrs.fields(type(record))
        if field.init and isinstance(value := getattr(record, field.name), Identifier)
    ]


@given(RECORDS, st.data())
def test_text_of_the_wrong_form_is_refused_in_every_identifier_field(
    record: Any, data: st.DataObject
) -> None:
    fields = identifier_fields(record)
    assume(fields)
    name, kind = data.draw(st.sampled_from(fields))
    text = data.draw(st.text(max_size=30).filter(lambda t: not re.fullmatch(kind.pattern, t)))
    with pytest.raises(ValidationError) as error:
        attrs.evolve(record, **{name: text})
    # The message states the rule and nothing of what was given.
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        (f"/{name}", f"must be {kind.rule}", "identifier")
    ]


@given(testing.funding_packages())
def test_an_identifier_of_another_kind_is_still_refused(package: FundingPackage) -> None:
    with pytest.raises(ValidationError) as error:
        attrs.evolve(package, funder=ServiceId("svc-lighthouse"))  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [("/funder", "type")]


@given(testing.funding_packages())
def test_each_bad_identifier_in_a_collection_is_named_by_its_position(
    package: FundingPackage,
) -> None:
    with pytest.raises(ValidationError) as error:
        attrs.evolve(package, claims=["claim-fine", "Claim 2", "claim-also-fine", "3"])  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/claims/1", "identifier"),
        ("/claims/3", "identifier"),
    ]


@given(testing.support_services())
def test_text_and_mappings_are_not_collections(service: SupportService) -> None:
    for value in ("online", b"online", {AbuseContext.ONLINE: True}):
        with pytest.raises(ValidationError) as error:
            attrs.evolve(service, contexts=value)  # type: ignore[arg-type]
        assert [(p.path, p.code) for p in error.value.problems] == [("/contexts", "type")]


@given(testing.funding_packages())
def test_a_set_is_refused_where_order_is_kept(package: FundingPackage) -> None:
    with pytest.raises(ValidationError) as error:
        attrs.evolve(package, claims={"claim-a", "claim-b"})  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [("/claims", "unordered")]


@given(testing.support_services())
def test_members_of_a_collection_keep_their_own_rules(service: SupportService) -> None:
    with pytest.raises(ValidationError) as error:
        attrs.evolve(service, support=["advocacy"])  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["/support"]
    assert attrs.evolve(service, support=[SupportKind.ADVOCACY]).support == {SupportKind.ADVOCACY}  # type: ignore[arg-type]


def test_strictness_elsewhere_is_kept() -> None:
    with pytest.raises(ValidationError):
        Money(1_100_000.0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Money(Decimal("0.001"))
    with pytest.raises(ValidationError) as error:
        AgeRange(True, 5)
    assert error.value.problems[0].code == "type"


def package_arguments(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "id": "pkg-fund",
        "name": "A fund",
        "funder": "org-funder",
        "total": Money.of("1m"),
        "claims": ["claim-fund"],
    }
    arguments.update(changes)
    return {name: value for name, value in arguments.items() if value is not None}


def test_a_package_without_claims_says_why_claims_are_needed_and_how_to_record_one() -> None:
    with pytest.raises(ValidationError) as error:
        FundingPackage(**package_arguments(claims=None))
    (problem,) = error.value.problems
    assert (problem.path, problem.code) == ("/claims", "missing")
    assert "every figure cites at least one Claim" in problem.message
    assert "internal management information" in problem.message


def test_every_missing_argument_and_every_unknown_one_is_named() -> None:
    with pytest.raises(ValidationError) as error:
        FundingPackage(**package_arguments(name=None, total=None, colour="red"))
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/name", "missing"),
        ("/total", "missing"),
        ("/colour", "unknown_field"),
    ]


def test_an_argument_error_never_repeats_a_value() -> None:
    with pytest.raises(ValidationError) as error:
        FundingPackage(**package_arguments(colour="secret value"))
    assert "secret value" not in str(error.value)


@given(testing.support_services())
def test_members_that_cannot_be_in_a_set_get_the_library_error(service: SupportService) -> None:
    with pytest.raises(ValidationError) as error:
        attrs.evolve(service, contexts=[[AbuseContext.ONLINE]])  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [("/contexts", "type")]


def test_plain_text_builds_a_whole_programme() -> None:
    package = FundingPackage(**package_arguments())
    assert package.funder == OrganisationId("org-funder")
    assert package.claims == (ClaimId("claim-fund"),)
    with pytest.raises(ValidationError) as error:
        Programme(name="A programme", funding_packages=[package])  # type: ignore[arg-type]
    # The programme still checks that the package's funder and claim exist.
    assert {p.code for p in error.value.problems} == {"dangling_reference"}


VOCABULARIES = sorted(
    {
        kind
        for name in PUBLIC
        if isinstance(kind := getattr(cse_programme, name), type)
        and issubclass(kind, Vocabulary)
        and kind is not Vocabulary
    },
    key=lambda kind: kind.__name__,
)


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda kind: kind.__name__)
def test_every_vocabulary_member_has_a_label(vocabulary: type[Vocabulary]) -> None:
    for member in vocabulary:
        assert member.label.strip()


def test_review_statuses_are_a_vocabulary() -> None:
    assert ReviewStatus in VOCABULARIES
    assert ReviewStatus.REFERRED_FOR_REINVESTIGATION.label == "Referred for reinvestigation"
