"""The Programme aggregate: unique ids, resolved references, read-only queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import (
    ALL_LONDON,
    AbuseContext,
    AgeRange,
    Area,
    AreaGroup,
    ClaimId,
    Eligibility,
    FundingPackageId,
    Organisation,
    OrganisationId,
    OrganisationKind,
    PoliceForceArea,
    Programme,
    ReportingRoute,
    ServiceId,
    SourceId,
    SupportKind,
    SupportService,
    SurvivorGroup,
    ValidationError,
    testing,
)
from cse_programme.analysis import find_routes, find_services
from cse_programme.datasets import london_2025

from .examples import explained, standalone_services


@given(testing.programmes())
def test_every_reference_in_a_programme_resolves(programme: Programme) -> None:
    for service in programme.services:
        if service.provider is not None:
            assert programme.organisation(service.provider).id == service.provider
    for claim in programme.claims:
        assert programme.source(claim.source).id == claim.source
        assert claim in programme.claims_for(claim.source)
    for package in programme.funding_packages:
        for allocation in package.allocations:
            if allocation.service is not None:
                assert (package, allocation) in programme.allocations_for(allocation.service)


def test_duplicate_ids_and_dangling_references_are_all_reported() -> None:
    london = london_2025()
    copy = attrs.evolve(london.organisations[0], name="Another name")
    orphan = attrs.evolve(london.claims[0], source=SourceId("src-nowhere"))
    with pytest.raises(ValidationError) as error:
        attrs.evolve(
            london,
            organisations=(*london.organisations, copy),
            claims=(*london.claims, attrs.evolve(orphan, id=ClaimId("claim-orphan"))),
        )
    found = {(p.path, p.code) for p in error.value.problems}
    assert (f"/organisations/{len(london.organisations)}/id", "duplicate_id") in found
    assert (f"/claims/{len(london.claims)}/source", "dangling_reference") in found


def test_a_service_provider_must_be_an_organisation_of_the_programme() -> None:
    london = london_2025()
    lighthouse = london.service(ServiceId("svc-lighthouse"))
    moved = attrs.evolve(lighthouse, provider=OrganisationId("org-somebody-else"))
    services = tuple(moved if s is lighthouse else s for s in london.services)
    with pytest.raises(ValidationError) as error:
        attrs.evolve(london, services=services)
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/services/0/provider", "dangling_reference")
    ]


def test_funding_package_parents_may_not_form_a_cycle() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    looped = attrs.evolve(vawg, parent=cse.id)
    with pytest.raises(ValidationError) as error:
        attrs.evolve(london, funding_packages=(looped, attrs.evolve(cse, parent=vawg.id)))
    assert {p.code for p in error.value.problems} == {"cycle"}


def test_a_15_year_old_in_camden_finds_the_lighthouse_first() -> None:
    found = london_2025().services_for(age=15, area=Area.lookup("Camden"))
    assert found[0].id == ServiceId("svc-lighthouse")


def test_a_30_year_old_in_croydon_finds_adult_routes_but_not_the_lighthouse() -> None:
    found = {s.id for s in london_2025().services_for(age=30, area=Area.lookup("Croydon"))}
    assert ServiceId("svc-lighthouse") not in found
    assert ServiceId("svc-london-survivors-gateway") in found
    assert ServiceId("svc-csa-centre-service-finder") not in found
    # A service for young people only, with no published age limit, is not offered.
    assert ServiceId("svc-violence-and-exploitation-support") not in found


def test_at_18_a_person_is_offered_adult_services() -> None:
    found = {s.id for s in london_2025().services_for(age=18, area=Area.lookup("Camden"))}
    assert found == {
        ServiceId("svc-lighthouse"),  # its published range is 0 to 18
        ServiceId("svc-isva"),
        ServiceId("svc-counselling"),
        ServiceId("svc-pan-london-sexual-violence"),
        ServiceId("svc-london-survivors-gateway"),
    }


def test_a_published_age_range_decides_before_the_group() -> None:
    lighthouse = london_2025().service(ServiceId("svc-lighthouse"))
    assert lighthouse.eligibility.admits_age(18)
    assert lighthouse.eligibility.conditions_for(18) == ()
    at_18 = london_2025().services_for(age=18, area=Area.lookup("Camden"))
    assert lighthouse in at_18
    # Without a published range, the group decides: this one is for children.
    at_18_ids = {s.id for s in at_18}
    assert ServiceId("svc-violence-and-exploitation-support") not in at_18_ids
    at_17 = london_2025().services_for(age=17, area=Area.lookup("Camden"))
    assert ServiceId("svc-violence-and-exploitation-support") in {s.id for s in at_17}


def test_a_service_covering_exactly_the_contexts_asked_for_is_found() -> None:
    found = london_2025().services_for(
        age=15,
        area=Area.lookup("Camden"),
        contexts=[AbuseContext.CHILD_SEXUAL_EXPLOITATION, AbuseContext.GROUP_BASED],
    )
    assert ServiceId("svc-violence-and-exploitation-support") in {s.id for s in found}
    narrow = london_2025().services_for(
        age=15, area=Area.lookup("Camden"), contexts=[AbuseContext.ONLINE]
    )
    assert ServiceId("svc-violence-and-exploitation-support") not in {s.id for s in narrow}


def test_a_20_year_old_in_camden_may_use_the_lighthouse_on_its_condition() -> None:
    found = london_2025().services_for(age=20, area=Area.lookup("Camden"))
    lighthouse = next(s for s in found if s.id == ServiceId("svc-lighthouse"))
    assert lighthouse.eligibility.conditions_for(20) == (
        "with learning disabilities or additional needs",
    )


def test_look_ups_of_unknown_ids_raise_key_error() -> None:
    with pytest.raises(KeyError):
        london_2025().organisation(OrganisationId("org-nobody"))


def test_programme_is_immutable() -> None:
    london = london_2025()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        london.name = "x"  # type: ignore[misc]
    extra = Organisation(id=OrganisationId("org-extra"), name="Extra", kind=OrganisationKind.OTHER)
    bigger = attrs.evolve(london, organisations=(*london.organisations, extra))
    assert bigger.organisation(extra.id) is extra
    assert len(london.organisations) == len(bigger.organisations) - 1


def test_problems_in_funding_packages_are_explained() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    dangling = attrs.evolve(cse, parent=FundingPackageId("pkg-nowhere"))
    with pytest.raises(ValidationError) as error:
        attrs.evolve(london, funding_packages=(vawg, dangling, cse))
    assert explained(error) == [
        ("/funding_packages/2/id", "must be unique among funding packages", "duplicate_id"),
        (
            "/funding_packages/1/parent",
            "must refer to one of the programme's funding packages",
            "dangling_reference",
        ),
    ]


def test_a_cycle_above_a_package_is_found_and_named_once_per_package() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    # cse -> vawg -> extra -> vawg: the loop does not pass through cse.
    extra = attrs.evolve(vawg, id=FundingPackageId("pkg-extra"), parent=vawg.id)
    looped = attrs.evolve(vawg, parent=extra.id)
    below = attrs.evolve(cse, parent=vawg.id)
    with pytest.raises(ValidationError) as error:
        attrs.evolve(london, funding_packages=(looped, below, extra))
    assert explained(error) == [
        (f"/funding_packages/{index}/parent", "must not lead back to the package itself", "cycle")
        for index in range(3)
    ]


@pytest.mark.parametrize(
    ("recipient", "field", "collection"),
    [
        ({"service": ServiceId("svc-nowhere")}, "service", "services"),
        (
            {"service": None, "organisation": OrganisationId("org-nobody")},
            "organisation",
            "organisations",
        ),
    ],
)
def test_a_dangling_allocation_is_reported_where_it_is(
    recipient: dict[str, Any], field: str, collection: str
) -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    allocation = attrs.evolve(cse.allocations[0], **recipient)
    broken = attrs.evolve(cse, allocations=(*cse.allocations[1:], allocation))
    with pytest.raises(ValidationError) as error:
        attrs.evolve(london, funding_packages=(vawg, broken))
    assert explained(error) == [
        (
            f"/funding_packages/1/allocations/{len(cse.allocations) - 1}/{field}",
            f"must refer to one of the programme's {collection}",
            "dangling_reference",
        )
    ]


def test_a_review_figure_must_cite_a_claim_of_the_programme() -> None:
    london = london_2025()
    review = london.reviews[0]
    assert review.cases_under_review is not None
    estimate = attrs.evolve(review.cases_under_review, claims=(ClaimId("claim-nowhere"),))
    with pytest.raises(ValidationError) as error:
        attrs.evolve(london, reviews=(attrs.evolve(review, cases_under_review=estimate),))
    assert explained(error) == [
        (
            "/reviews/0/cases_under_review/claims/0",
            "must refer to one of the programme's claims",
            "dangling_reference",
        )
    ]


def test_every_look_up_finds_what_the_programme_holds() -> None:
    london = london_2025()
    look_ups: dict[str, Callable[[Any], object]] = {
        "services": london.service,
        "funding_packages": london.funding_package,
        "indicators": london.indicator,
        "claims": london.claim,
        "organisations": london.organisation,
        "sources": london.source,
    }
    for collection, look_up in look_ups.items():
        for part in getattr(london, collection):
            assert look_up(part.id) is part


# One eligibility decision ------------------------------------------------------


def in_range(age: int, ages: AgeRange) -> bool:
    return ages.min <= age and (ages.max is None or age <= ages.max)


def eligible(
    service: SupportService,
    age: int,
    area: Area,
    contexts: frozenset[AbuseContext],
    group: SurvivorGroup | None,
) -> bool:
    """The rule as the documentation states it, written out on its own."""
    rules = service.eligibility
    person = group or (SurvivorGroup.CHILDREN if age < 18 else SurvivorGroup.ADULTS)
    if rules.age is None:
        admitted = person in rules.groups
    else:
        admitted = in_range(age, rules.age) or any(in_range(age, e.age) for e in rules.extended)
    return area in service.coverage and contexts <= service.contexts and admitted


@given(
    services=st.lists(standalone_services(), max_size=4, unique_by=lambda s: s.id),
    # Ages near 18, where children's and adults' services meet, come up often.
    age=st.integers(0, 120) | st.integers(16, 19),
    contexts=st.just(frozenset()) | st.frozensets(st.sampled_from(AbuseContext), max_size=2),
    group=st.none() | st.none() | st.sampled_from(SurvivorGroup),
    data=st.data(),
)
def test_the_model_and_the_finder_go_by_one_decision(
    services: list[SupportService],
    age: int,
    contexts: frozenset[AbuseContext],
    group: SurvivorGroup | None,
    data: st.DataObject,
) -> None:
    covered = sorted(frozenset().union(*(s.coverage for s in services)))
    area = data.draw(testing.areas() | st.sampled_from(covered) if covered else testing.areas())
    programme = Programme(name="Generated", services=tuple(services))
    found = programme.services_for(age=age, area=area, contexts=contexts, group=group)
    assert {s.id for s in found} == {
        s.id for s in services if eligible(s, age, area, contexts, group)
    }
    matches = find_services(programme, age=age, area=area, contexts=contexts, group=group)
    assert [m.service for m in matches] == list(found)
    for service in services:
        decision = service.eligibility_for(age=age, area=area, contexts=contexts, group=group)
        assert decision.eligible == eligible(service, age, area, contexts, group)
        assert decision.reasons
        assert (f"does not cover {area.name}" in decision.reasons) == (area not in service.coverage)
        if not decision.eligible:
            continue
        # A named group the service covers whole is named, never counted in districts.
        whole = [
            g for g in AreaGroup.named() if len(g) > 1 and area in g and g.areas <= service.coverage
        ]
        first = decision.reasons[0]
        if whole:
            assert first.endswith(f", including {area.name}"), first
            assert "districts" not in first
        else:
            assert first.startswith(f"covers {area.name}"), first


@given(
    routes=st.lists(testing.reporting_routes(), max_size=3, unique_by=lambda r: r.id),
    area=testing.areas(),
)
def test_routes_are_offered_wherever_they_cover_most_local_first(
    routes: list[ReportingRoute], area: Area
) -> None:
    organisations = tuple(
        Organisation(id=organisation, name="Takes reports", kind=OrganisationKind.OTHER)
        for organisation in {route.organisation for route in routes}
    )
    bare = [attrs.evolve(route, claims=(), sources=()) for route in routes]
    programme = Programme(
        name="Generated", organisations=organisations, reporting_routes=tuple(bare)
    )
    found = programme.routes_for(area)
    assert {r.id for r in found} == {r.id for r in bare if area in r.coverage}
    assert [len(r.coverage) for r in found] == sorted(len(r.coverage) for r in found)
    assert [m.route for m in find_routes(programme, area=area)] == list(found)


def _children_service(**changes: Any) -> SupportService:
    fields: dict[str, Any] = {
        "id": ServiceId("svc-example"),
        "name": "An example service",
        "support": frozenset({SupportKind.COUNSELLING}),
        "eligibility": Eligibility(groups=frozenset({SurvivorGroup.CHILDREN})),
        "contexts": frozenset({AbuseContext.CHILD_SEXUAL_EXPLOITATION, AbuseContext.ONLINE}),
        "coverage": ALL_LONDON.areas | {Area.lookup("Manchester"), Area.lookup("Salford")},
    }
    fields.update(changes)
    return SupportService(**fields)


CAMDEN, MANCHESTER, LEEDS = (Area.lookup(name) for name in ("Camden", "Manchester", "Leeds"))


@pytest.mark.parametrize(
    ("asked", "eligible", "reasons"),
    [
        (
            {"age": 15, "area": CAMDEN},
            True,
            (
                "covers all of London, including Camden",
                "publishes no age limits",
                "serves children and young people",
            ),
        ),
        (
            {"age": 15, "area": MANCHESTER, "contexts": {AbuseContext.ONLINE}},
            True,
            (
                "covers Manchester (one of 2 districts), and all of London",
                "publishes no age limits",
                "serves children and young people",
                "covers online exploitation",
            ),
        ),
        (
            {
                "age": 15,
                "area": CAMDEN,
                "contexts": {AbuseContext.ONLINE, AbuseContext.CHILD_SEXUAL_EXPLOITATION},
            },
            True,
            (
                "covers all of London, including Camden",
                "publishes no age limits",
                "serves children and young people",
                "covers child sexual exploitation, online exploitation",
            ),
        ),
        (
            {"age": 15, "area": CAMDEN, "group": SurvivorGroup.ADULTS},
            False,
            ("publishes no age limits and does not serve adult survivors",),
        ),
        (
            {
                "age": 30,
                "area": LEEDS,
                "contexts": {AbuseContext.INTRAFAMILIAL, AbuseContext.PEER_ON_PEER},
            },
            False,
            (
                "does not cover Leeds",
                "publishes no age limits and does not serve adult survivors",
                "does not cover intra-familial abuse, peer-on-peer abuse",
            ),
        ),
    ],
)
def test_a_service_says_in_words_why_it_can_or_cannot_help(
    asked: dict[str, Any], eligible: bool, reasons: tuple[str, ...]
) -> None:
    decision = _children_service().eligibility_for(**asked)
    assert (decision.eligible, decision.reasons) == (eligible, reasons)


@pytest.mark.parametrize(
    ("age", "eligible", "reasons"),
    [
        (15, True, ("admits ages 13-17", "serves children and young people")),
        (12, False, ("admits ages 13-17, not 12",)),
    ],
)
def test_a_published_age_range_decides_and_the_group_is_named_only_when_admitted(
    age: int, eligible: bool, reasons: tuple[str, ...]
) -> None:
    rule = Eligibility(age=AgeRange(13, 17), groups=frozenset({SurvivorGroup.CHILDREN}))
    decision = rule.decide(age)
    assert (decision.eligible, decision.reasons) == (eligible, reasons)


def test_a_service_covering_one_district_names_it_alone() -> None:
    service = _children_service(coverage=frozenset({MANCHESTER}))
    assert service.eligibility_for(age=15, area=MANCHESTER).reasons[0] == "covers Manchester"
    both = _children_service(coverage=ALL_LONDON.areas | PoliceForceArea.lookup("Kent").areas)
    reason = both.eligibility_for(age=15, area=CAMDEN).reasons[0]
    assert reason == "covers all of London, including Camden"
    alone = _children_service(
        coverage=ALL_LONDON.areas | PoliceForceArea.lookup("Kent").areas | {MANCHESTER}
    )
    assert alone.eligibility_for(age=15, area=MANCHESTER).reasons[0] in (
        "covers Manchester, and all of London and the Kent Police area",
        "covers Manchester, and the Kent Police area and all of London",
    )


def test_a_group_of_districts_is_looked_up_by_its_name_alone() -> None:
    assert AreaGroup.lookup("London") is ALL_LONDON
    for wrong, code in (("Atlantis", "unknown_group"), ("x" * 100, "unknown_group")):
        with pytest.raises(ValidationError) as error:
            AreaGroup.lookup(wrong)
        assert [(p.path, p.code) for p in error.value.problems] == [("/group", code)]
    with pytest.raises(ValidationError) as error:
        AreaGroup.lookup("x" * 101)
    assert [(p.path, p.code) for p in error.value.problems] == [("/group", "too_long")]
    with pytest.raises(ValidationError) as error:
        AreaGroup.lookup("Atlantis")
    assert error.value.problems[0].message == (
        "must name London, England, Wales, England and Wales or a police force area"
    )


def test_a_programme_finds_services_for_the_group_a_person_is_served_as() -> None:
    service = _children_service()
    programme = Programme(name="Example", services=(service,))
    assert programme.services_for(age=15, area=CAMDEN) == (service,)
    assert programme.services_for(age=15, area=CAMDEN, group=SurvivorGroup.ADULTS) == ()
    assert programme.services_for(age=30, area=CAMDEN, group=SurvivorGroup.CHILDREN) == (service,)
