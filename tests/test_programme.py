"""The Programme aggregate: unique ids, resolved references, read-only queries."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

from cse_programme import (
    Area,
    ClaimId,
    Organisation,
    OrganisationId,
    OrganisationKind,
    Programme,
    ServiceId,
    SourceId,
    ValidationError,
    testing,
)
from cse_programme.datasets import london_2025


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
        attrs.evolve(london, funding_packages=(looped, cse))
    assert {p.code for p in error.value.problems} == {"cycle"}


def test_a_15_year_old_in_camden_finds_the_lighthouse_first() -> None:
    found = london_2025().services_for(age=15, area=Area.lookup("Camden"))
    assert found[0].id == ServiceId("svc-lighthouse")


def test_a_30_year_old_in_croydon_finds_adult_routes_but_not_the_lighthouse() -> None:
    found = {s.id for s in london_2025().services_for(age=30, area=Area.lookup("Croydon"))}
    assert ServiceId("svc-lighthouse") not in found
    assert ServiceId("svc-london-survivors-gateway") in found
    assert ServiceId("svc-csa-centre-service-finder") not in found


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
