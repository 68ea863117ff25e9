"""360Giving and HSDS exports validate against the official schemas, and come back."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from cse_programme import Money, Programme, ServiceId, ValidationError, testing
from cse_programme.datasets import london_2025
from cse_programme.interop import (
    from_360giving,
    from_hsds,
    hsds_id,
    to_360giving,
    to_hsds,
    to_hsds_service,
)

from .standards import (
    STANDARDS,
    hsds_service_validator,
    needs_standards,
    threesixtygiving_validator,
)

PREFIX = "360G-example"


def round_trip_json(value: Any) -> Any:
    return json.loads(json.dumps(value), parse_float=Decimal)


@needs_standards
def test_the_london_grants_validate_against_360giving() -> None:
    document = to_360giving(london_2025(), prefix=PREFIX)
    threesixtygiving_validator().validate(document)


@needs_standards
@given(testing.programmes())
def test_generated_programmes_export_valid_360giving(programme: Programme) -> None:
    exportable = all(p.announced is not None for p in programme.funding_packages)
    if not programme.funding_packages or not exportable:
        return
    document = to_360giving(programme, prefix=PREFIX)
    if document["grants"]:
        threesixtygiving_validator().validate(document)


def test_unknown_amounts_are_described_never_zero() -> None:
    (grant,) = to_360giving(london_2025(), prefix=PREFIX)["grants"]
    assert grant["amountAwarded"] == 2_400_000
    assert "has not been published" in grant["description"]
    assert "first day" in grant["description"]
    assert grant["fundingOrganization"] == [
        {"id": "GB-LAE-GLA", "name": "Mayor of London (Greater London Authority)"}
    ]


def test_a_prefix_is_required_and_never_invented() -> None:
    with pytest.raises(ValidationError):
        to_360giving(london_2025(), prefix="GLA")


def test_360giving_round_trip_keeps_what_the_standard_carries() -> None:
    exported = round_trip_json(to_360giving(london_2025(), prefix=PREFIX))
    packages, organisations, source, claims, _ = from_360giving(exported)
    (package,) = packages
    (grant,) = exported["grants"]
    assert package.total == Money.of("2.4m")
    assert str(package.funder) == "GB-LAE-GLA"
    assert package.name == grant["title"]
    assert str(package.announced) == grant["awardDate"]
    assert {o.id for o in organisations} >= {package.funder}
    programme = Programme(
        name="imported",
        organisations=organisations,
        funding_packages=packages,
        sources=(source,),
        claims=claims,
    )
    assert programme.funding_packages == packages


@needs_standards
@pytest.mark.parametrize("name", ["broken_grants", "fixed_2_grants"])
def test_the_broken_360giving_examples_are_refused_with_paths(name: str) -> None:
    path = STANDARDS / "360giving" / "examples" / f"fundingproviders-grants_{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    with pytest.raises(ValidationError) as error:
        from_360giving(document)
    assert all(p.path.startswith("/grants/") for p in error.value.problems)
    assert any(p.code == "date" for p in error.value.problems)


@needs_standards
def test_every_london_service_validates_against_hsds() -> None:
    validator = hsds_service_validator()
    for document in to_hsds(london_2025()):
        validator.validate(document)


@needs_standards
@given(testing.programmes())
def test_generated_services_validate_against_hsds(programme: Programme) -> None:
    validator = hsds_service_validator()
    for document in to_hsds(programme):
        validator.validate(document)


def test_hsds_ids_are_stable_uuids() -> None:
    first = to_hsds(london_2025())
    assert first == to_hsds(london_2025())
    assert first[0]["id"] == hsds_id("service", "svc-lighthouse")
    assert first[0]["service_areas"][1]["uri"].endswith("E09000007")


@given(testing.programmes())
def test_hsds_round_trip_keeps_what_the_standard_carries(programme: Programme) -> None:
    for service in programme.services:
        document = round_trip_json(to_hsds_service(programme, service))
        back, provider, _ = from_hsds(document)
        assert back.name == service.name
        assert back.support == service.support
        assert back.contexts == service.contexts
        assert back.coverage == service.coverage
        assert back.referral_routes == service.referral_routes
        assert back.eligibility.groups == service.eligibility.groups
        assert back.eligibility.age == service.eligibility.age
        assert back.description == service.description
        assert back.url == service.url
        if service.provider is not None and service.provider.registered:
            assert provider is not None
            assert provider.id == service.provider


def test_the_lighthouse_comes_back_from_hsds() -> None:
    london = london_2025()
    lighthouse = london.service(ServiceId("svc-lighthouse"))
    back, _, notes = from_hsds(round_trip_json(to_hsds_service(london, lighthouse)))
    assert back.coverage == lighthouse.coverage
    assert not [n for n in notes if "assumed" in n]


def services_in(document: Any) -> list[dict[str, Any]]:
    """Every HSDS service object anywhere in an example document."""
    found = []
    if isinstance(document, dict):
        if "name" in document and "status" in document:
            found.append(document)
        for key in ("contents", "services"):
            for item in document.get(key) or []:
                found.extend(services_in(item))
        if isinstance(document.get("service"), dict):
            found.extend(services_in(document["service"]))
    return found


@needs_standards
def test_every_service_in_the_official_hsds_examples_imports() -> None:
    examples = sorted((STANDARDS / "hsds" / "examples").glob("*.json"))
    services = [
        service
        for path in examples
        for service in services_in(json.loads(path.read_text(encoding="utf-8")))
    ]
    assert len(services) >= 4
    for document in services:
        service, _, notes = from_hsds(document)
        assert service.name == document["name"]
        assert any("not carried over" in note for note in notes)
