"""Building objects in Python: text for identifiers, any collection, errors saying what to do."""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import cse_programme
import cse_programme.model
from cse_programme import (
    AbuseContext,
    AgeRange,
    Allocation,
    AllocationId,
    ClaimId,
    FundingPackage,
    FundingPackageId,
    Identifier,
    Money,
    OrganisationId,
    PartialDate,
    Programme,
    ReviewStatus,
    ServiceId,
    StatusChange,
    SupportKind,
    SupportService,
    TotalKind,
    ValidationError,
    Vocabulary,
    testing,
)
from cse_programme.model import _vocabulary
from cse_programme.model._construction import accept_plain_values
from cse_programme.model._ids import is_id
from cse_programme.model._rules import InstanceOf, TupleOf

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

#: How a test meets the records: as the model built them while the package was
#: imported, or built afresh by the test itself.  The model builds each record's
#: construction once, on import, before any test runs; building it again inside
#: the test lets the test watch that building as well as its result.
AS_IMPORTED = "as imported"
BUILT_AFRESH = "built afresh"
EITHER_WAY = pytest.mark.parametrize("built", [AS_IMPORTED, BUILT_AFRESH])


@contextlib.contextmanager
def records(built: str, *kinds: type) -> Iterator[None]:
    """Within the block, the records *kinds* as imported, or with their construction built afresh.

    Afresh, each record's ``__init__`` is attrs' own again, given the model's
    construction by :func:`accept_plain_values` here and now, and put back as
    imported when the block ends.
    """
    if built == AS_IMPORTED:
        yield
        return
    imported = {kind: kind.__init__ for kind in kinds}  # type: ignore[misc]
    try:
        for kind in kinds:
            kind.__init__ = inspect.unwrap(imported[kind])  # type: ignore[misc]
            accept_plain_values(kind)
        yield
    finally:
        for kind, init in imported.items():
            kind.__init__ = init  # type: ignore[misc]


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


@EITHER_WAY
@given(
    RECORDS,
    st.sampled_from([as_list, as_generator]),
    st.sampled_from([as_list, as_generator, as_set]),
)
def test_plain_text_and_any_collection_build_an_equal_object(
    built: str, record: Any, for_tuple: Loosen, for_set: Loosen
) -> None:
    with records(built, type(record)):
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


@attrs.frozen
class Meeting:
    """A record whose converted fields may be given in order, as no kind of the library has yet."""

    host: OrganisationId = attrs.field(validator=InstanceOf(OrganisationId, "an OrganisationId"))
    services: tuple[ServiceId, ...] = attrs.field(
        default=(), validator=TupleOf(ServiceId, "a ServiceId")
    )


accept_plain_values(Meeting)


@EITHER_WAY
def test_values_given_in_order_are_converted_as_those_given_by_name(built: str) -> None:
    exact = Meeting(OrganisationId("org-x"), (ServiceId("svc-a"),))
    build: Any = Meeting  # plain values, which the annotations do not show
    with records(built, Meeting):
        assert build("org-x", ["svc-a"]) == exact
        assert build("org-x") == attrs.evolve(exact, services=())
        assert build("org-x", services=["svc-a"]) == exact
        with pytest.raises(TypeError):
            build("org-x", ["svc-a"], services=["svc-b"])


def test_the_fields_stay_exact_for_the_loaders() -> None:
    # The compiled loaders build objects without calling __init__: a field
    # converter would be a rule they could not follow.
    kinds = [
        kind
        for name in PUBLIC
        if isinstance(kind := getattr(cse_programme, name), type) and attrs.has(kind)
    ]
    assert len(kinds) > 20
    for kind in kinds:
        assert all(field.converter is None for field in attrs.fields(kind)), kind


@EITHER_WAY
def test_signatures_say_what_construction_accepts(built: str) -> None:
    with records(built, FundingPackage, SupportService):
        package = {
            name: parameter.annotation
            for name, parameter in inspect.signature(FundingPackage).parameters.items()
        }
        service = inspect.signature(SupportService).parameters
        init = FundingPackage.__init__
    assert package == {
        "id": FundingPackageId | str,
        "name": str,
        "funder": OrganisationId | str,
        "total": Money,
        "total_kind": TotalKind,
        "announced": PartialDate | None,
        "purposes": Iterable[str],
        "allocations": Iterable[Allocation],
        "parent": FundingPackageId | str | None,
        "claims": Iterable[ClaimId | str],
    }
    # help() reads the same from the annotations, and self is left as it was.
    assert init.__annotations__ == {"return": type(None), **package}
    assert inspect.signature(init).parameters["self"].annotation is inspect.Parameter.empty
    # A set of identifiers whose rule also looks at the rest of the object.
    assert service["partners"].annotation == Iterable[OrganisationId | str]
    assert service["contexts"].annotation == Iterable[AbuseContext]


@EITHER_WAY
@given(testing.funding_packages(), st.text(max_size=20))
def test_text_that_is_not_an_identifier_is_refused_with_the_field(
    built: str, package: FundingPackage, text: str
) -> None:
    assume(not is_organisation_id(text))
    with records(built, FundingPackage), pytest.raises(ValidationError) as error:
        attrs.evolve(package, funder=text)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [("/funder", "identifier")]


def identifier_fields(record: Any) -> list[tuple[str, type[Identifier]]]:
    """The fields of *record* holding an identifier, with its kind."""
    return [
        (field.name, type(value))
        for field in attrs.fields(type(record))
        if field.init and isinstance(value := getattr(record, field.name), Identifier)
    ]


@EITHER_WAY
@given(RECORDS, st.data())
def test_text_of_the_wrong_form_is_refused_in_every_identifier_field(
    built: str, record: Any, data: st.DataObject
) -> None:
    fields = identifier_fields(record)
    assume(fields)
    name, kind = data.draw(st.sampled_from(fields))
    text = data.draw(st.text(max_size=30).filter(lambda t: not re.fullmatch(kind.pattern, t)))
    with records(built, type(record)), pytest.raises(ValidationError) as error:
        attrs.evolve(record, **{name: text})
    # The message states the rule and nothing of what was given.
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        (f"/{name}", f"must be {kind.rule}", "identifier")
    ]


@EITHER_WAY
@given(testing.funding_packages())
def test_an_identifier_of_another_kind_is_still_refused(
    built: str, package: FundingPackage
) -> None:
    with records(built, FundingPackage), pytest.raises(ValidationError) as error:
        attrs.evolve(package, funder=ServiceId("svc-lighthouse"))  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [("/funder", "type")]


@EITHER_WAY
@given(testing.funding_packages())
def test_each_bad_identifier_in_a_collection_is_named_by_its_position(
    built: str, package: FundingPackage
) -> None:
    with records(built, FundingPackage), pytest.raises(ValidationError) as error:
        attrs.evolve(package, claims=["claim-fine", "Claim 2", "claim-also-fine", "3"])  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/claims/1", "identifier"),
        ("/claims/3", "identifier"),
    ]


@EITHER_WAY
@given(testing.support_services())
def test_a_bad_identifier_in_a_set_is_named_by_its_field(
    built: str, service: SupportService
) -> None:
    # A set has no positions to name.
    with records(built, SupportService), pytest.raises(ValidationError) as error:
        attrs.evolve(service, partners=["org-fine", "Not an org"])  # type: ignore[arg-type]
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        (
            "/partners",
            "must be an org-id such as GB-LAE-GLA, or a local id such as org-nspcc",
            "identifier",
        )
    ]


@EITHER_WAY
@given(testing.support_services())
def test_text_and_mappings_are_not_collections(built: str, service: SupportService) -> None:
    for value, given_as in [
        ("online", "a string"),
        (b"online", "a bytes"),
        ({AbuseContext.ONLINE: True}, "a mapping"),
        (5, "an integer"),
    ]:
        with records(built, SupportService), pytest.raises(ValidationError) as error:
            attrs.evolve(service, contexts=value)  # type: ignore[arg-type]
        assert [(p.path, p.message, p.code) for p in error.value.problems] == [
            ("/contexts", f"must be a frozenset, not {given_as}", "type")
        ]


@EITHER_WAY
@given(testing.funding_packages())
def test_a_set_is_refused_where_order_is_kept(built: str, package: FundingPackage) -> None:
    with records(built, FundingPackage), pytest.raises(ValidationError) as error:
        attrs.evolve(package, claims={"claim-a", "claim-b"})  # type: ignore[arg-type]
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        (
            "/claims",
            "must be given in order (a tuple or a list), not a set, which has none",
            "unordered",
        )
    ]


@EITHER_WAY
@given(testing.support_services())
def test_members_of_a_collection_keep_their_own_rules(built: str, service: SupportService) -> None:
    with records(built, SupportService):
        with pytest.raises(ValidationError) as error:
            attrs.evolve(service, support=["advocacy"])  # type: ignore[arg-type]
        assert [p.path for p in error.value.problems] == ["/support"]
        changed = attrs.evolve(service, support=[SupportKind.ADVOCACY])  # type: ignore[arg-type]
    assert changed.support == {SupportKind.ADVOCACY}


@EITHER_WAY
@given(testing.support_services())
def test_an_exact_collection_is_kept_as_given(built: str, service: SupportService) -> None:
    contexts = frozenset({AbuseContext.ONLINE})
    claims = (ClaimId("claim-exact"),)
    with records(built, SupportService, FundingPackage):
        changed = attrs.evolve(service, contexts=contexts)
        package = FundingPackage(**package_arguments(claims=claims))
    assert changed.contexts is contexts
    assert package.claims is claims


@EITHER_WAY
def test_plain_text_in_an_exact_tuple_is_still_read_as_identifiers(built: str) -> None:
    with records(built, FundingPackage):
        package = FundingPackage(**package_arguments(claims=("claim-a", "claim-b")))
    assert package.claims == (ClaimId("claim-a"), ClaimId("claim-b"))
    assert all(type(claim) is ClaimId for claim in package.claims)


@EITHER_WAY
def test_an_optional_identifier_takes_text_none_or_nothing(built: str) -> None:
    with records(built, FundingPackage):
        child = FundingPackage(**package_arguments(parent="pkg-parent"))
        orphan = FundingPackage(**package_arguments())
        with pytest.raises(ValidationError) as error:
            FundingPackage(**package_arguments(parent="Parent package"))
    assert type(child.parent) is FundingPackageId
    assert child.parent == FundingPackageId("pkg-parent")
    assert orphan.parent is None
    assert [(p.path, p.code) for p in error.value.problems] == [("/parent", "identifier")]


@EITHER_WAY
def test_records_in_a_list_fill_a_field_whose_rule_looks_at_the_package(built: str) -> None:
    allocation = Allocation(
        id=AllocationId("alloc-isvas"),
        purpose="New Independent Sexual Violence Advocates",
        service=ServiceId("svc-isva"),
        amount=Money.of("400k"),
    )
    with records(built, FundingPackage, Allocation):
        package = FundingPackage(**package_arguments(allocations=[allocation]))
        by_text = Allocation(id="alloc-isvas", purpose="Counselling", organisation="org-x")  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as error:
            FundingPackage(**package_arguments(allocations=[allocation, allocation]))
    assert package.allocations == (allocation,)
    assert (by_text.id, by_text.service, by_text.organisation) == (
        AllocationId("alloc-isvas"),
        None,
        OrganisationId("org-x"),
    )
    # The package's own check still runs on what the list became.
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/allocations/1/id", "duplicate_id")
    ]


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


@EITHER_WAY
def test_a_package_without_claims_says_why_claims_are_needed_and_how_to_record_one(
    built: str,
) -> None:
    with records(built, FundingPackage), pytest.raises(ValidationError) as error:
        FundingPackage(**package_arguments(claims=None))
    (problem,) = error.value.problems
    assert (problem.path, problem.code) == ("/claims", "missing")
    assert "every figure cites at least one Claim" in problem.message
    assert "internal management information" in problem.message


@EITHER_WAY
def test_every_missing_argument_and_every_unknown_one_is_named(built: str) -> None:
    with records(built, FundingPackage), pytest.raises(ValidationError) as error:
        FundingPackage(**package_arguments(id=None, name=None, total=None, colour="red"))
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/id", "is required", "missing"),
        ("/name", "is required", "missing"),
        ("/total", "is required", "missing"),
        ("/colour", "is not a field of FundingPackage", "unknown_field"),
    ]


@EITHER_WAY
def test_arguments_given_in_order_count_as_given(built: str) -> None:
    # A record built from positional arguments, with nothing to convert.
    with records(built, StatusChange):
        with pytest.raises(ValidationError) as missing:
            StatusChange(ReviewStatus.IDENTIFIED)  # type: ignore[call-arg]
        with pytest.raises(ValidationError) as unknown:
            StatusChange(ReviewStatus.IDENTIFIED, dt.date(2025, 11, 4), note="x")  # type: ignore[call-arg]
    assert [(p.path, p.code) for p in missing.value.problems] == [("/on", "missing")]
    assert [(p.path, p.message, p.code) for p in unknown.value.problems] == [
        ("/note", "is not a field of StatusChange", "unknown_field")
    ]


@EITHER_WAY
def test_an_argument_error_never_repeats_a_value(built: str) -> None:
    with records(built, FundingPackage), pytest.raises(ValidationError) as error:
        FundingPackage(**package_arguments(colour="secret value"))
    assert "secret value" not in str(error.value)


@EITHER_WAY
@given(testing.support_services())
def test_members_that_cannot_be_in_a_set_get_the_library_error(
    built: str, service: SupportService
) -> None:
    with records(built, SupportService), pytest.raises(ValidationError) as error:
        attrs.evolve(service, contexts=[[AbuseContext.ONLINE]])  # type: ignore[arg-type]
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/contexts", "must hold only an AbuseContext", "type")
    ]


@EITHER_WAY
def test_plain_text_builds_a_whole_programme(built: str) -> None:
    with records(built, FundingPackage, Programme):
        package = FundingPackage(**package_arguments())
        with pytest.raises(ValidationError) as error:
            Programme(name="A programme", funding_packages=[package])  # type: ignore[arg-type]
    assert package.funder == OrganisationId("org-funder")
    assert package.claims == (ClaimId("claim-fund"),)
    # The programme still checks that the package's funder and claim exist.
    assert {p.code for p in error.value.problems} == {"dangling_reference"}


def test_a_record_naming_a_type_its_module_cannot_see_still_shows_what_it_accepts() -> None:
    # A type named only for type checkers cannot be looked up at run time: the
    # signature keeps its name as written.
    class Note(str):
        pass

    @attrs.frozen(kw_only=True)
    class Referral:
        service: ServiceId = attrs.field(validator=is_id(ServiceId))
        note: Note

    accept_plain_values(Referral)
    parameters = inspect.signature(Referral).parameters
    assert parameters["service"].annotation == ServiceId | str
    assert parameters["note"].annotation == "Note"
    assert Referral.__init__.__annotations__ == {
        "return": None,
        "service": ServiceId | str,
        "note": "Note",
    }
    referral = Referral(service="svc-lighthouse", note=Note("seen"))  # type: ignore[arg-type]
    assert type(referral.service) is ServiceId


def test_finishing_the_model_gives_its_records_their_types_and_construction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    @attrs.frozen(kw_only=True)
    class Referral:
        service: ServiceId = attrs.field(validator=is_id(ServiceId))

    # The model's public names, as they would stand before finishing: a record
    # whose field types are still text and whose __init__ is attrs' own, a
    # record already finished, an identifier and a function.
    model = cse_programme.model
    monkeypatch.setattr(model, "Referral", Referral, raising=False)
    monkeypatch.setattr(FundingPackage, "__init__", inspect.unwrap(FundingPackage.__init__))
    monkeypatch.setattr(
        model, "__all__", ["Referral", "FundingPackage", "OrganisationId", "describe_coverage"]
    )
    written: object = attrs.fields(Referral).service.type
    assert written == "ServiceId"
    with pytest.raises(TypeError):
        FundingPackage(**package_arguments(total=None))

    model._finish_records()

    assert attrs.fields(Referral).service.type is ServiceId
    assert Referral(service="svc-lighthouse").service == ServiceId("svc-lighthouse")  # type: ignore[arg-type]
    assert FundingPackage(**package_arguments()).funder == OrganisationId("org-funder")
    with pytest.raises(ValidationError) as error:
        FundingPackage(**package_arguments(total=None))
    assert [(p.path, p.code) for p in error.value.problems] == [("/total", "missing")]


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


def test_labels_named_beside_their_vocabulary_join_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = {
        AbuseContext.PEER_ON_PEER: "Peer-on-peer abuse",
        SupportKind.COUNSELLING: "Counselling",
    }
    monkeypatch.setattr(_vocabulary, "_LABELS", dict(before))
    with pytest.raises(KeyError):
        _ = ReviewStatus.IDENTIFIED.label
    _vocabulary.name_labels(
        {
            ReviewStatus.IDENTIFIED: "Identified",
            ReviewStatus.REINVESTIGATION: "Reinvestigation",
        }
    )
    assert ReviewStatus.IDENTIFIED.label == "Identified"
    assert ReviewStatus.REINVESTIGATION.label == "Reinvestigation"
    assert AbuseContext.PEER_ON_PEER.label == "Peer-on-peer abuse"
    assert SupportKind.COUNSELLING.label == "Counselling"


@EITHER_WAY
@given(package=testing.funding_packages())
def test_a_keyword_only_field_is_never_taken_in_order_or_overwritten(
    built: str, package: FundingPackage
) -> None:
    fields = {f.name: getattr(package, f.name) for f in attrs.fields(FundingPackage) if f.init}
    others = {name: value for name, value in fields.items() if name != "id"}
    make: Callable[..., FundingPackage] = FundingPackage
    with records(built, FundingPackage):
        with pytest.raises(TypeError, match="positional argument"):
            make(str(package.id), **others)
        # Given in order and by name, nothing is chosen between them in secret.
        with pytest.raises(TypeError, match="positional argument"):
            make("pkg-somewhere-else", **fields)
        assert FundingPackage(**fields) == package


@EITHER_WAY
def test_a_field_given_in_order_and_by_name_is_refused(built: str) -> None:
    make: Callable[..., StatusChange] = StatusChange
    day, status = dt.date(2025, 11, 4), ReviewStatus.IDENTIFIED
    with (
        records(built, StatusChange),
        pytest.raises(TypeError, match="multiple values for argument 'status'"),
    ):
        make(status, day, status=status)
