"""Funding packages: allocations within the total, remainder always computed."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given

from cse_programme import (
    Allocation,
    AllocationId,
    ClaimId,
    FundingPackage,
    FundingPackageId,
    Money,
    OrganisationId,
    ServiceId,
    TotalKind,
    ValidationError,
    testing,
)

from .examples import explained

GLA = OrganisationId("GB-LAE-GLA")


def package(*allocations: Allocation, total: str = "2.4m", **changes: object) -> FundingPackage:
    return FundingPackage(
        id=FundingPackageId("pkg-test"),
        name="Test package",
        funder=GLA,
        total=Money.of(total),
        allocations=allocations,
        claims=(ClaimId("claim-test"),),
        **changes,  # type: ignore[arg-type]
    )


def allocation(name: str, amount: str | None) -> Allocation:
    return Allocation(
        id=AllocationId(f"alloc-{name}"),
        purpose=name,
        service=ServiceId(f"svc-{name}"),
        amount=None if amount is None else Money.of(amount),
    )


@given(testing.funding_packages())
def test_remainder_and_known_allocations_make_the_total(pkg: FundingPackage) -> None:
    if pkg.total_kind is TotalKind.EXACT or pkg.allocated() <= pkg.total:
        assert pkg.unallocated() + pkg.allocated() == pkg.total
    else:
        assert pkg.unallocated() == Money.zero()


def test_unknown_amounts_are_not_zero() -> None:
    pkg = package(allocation("isvas", None), allocation("counselling", "400000"))
    assert pkg.has_unknown_allocations()
    assert pkg.allocated() == Money.of("400000")
    assert pkg.unallocated() == Money.of("2000000")
    assert pkg.allocations[0].amount is None


def test_allocations_over_an_exact_total_are_refused() -> None:
    with pytest.raises(ValidationError) as error:
        package(allocation("a", "2m"), allocation("b", "500k"))
    assert explained(error) == [
        ("/allocations", "must not add up to more than the total", "over_allocated")
    ]


def test_allocations_may_exceed_a_floor() -> None:
    pkg = package(allocation("a", "300m"), total="233m", total_kind=TotalKind.MORE_THAN)
    assert pkg.allocated().pounds == Decimal("300000000.00")
    assert pkg.unallocated() == Money.zero()


def test_allocation_ids_are_unique_within_a_package() -> None:
    with pytest.raises(ValidationError) as error:
        package(allocation("a", None), allocation("a", None), allocation("a", "1"))
    assert explained(error) == [
        ("/allocations/1/id", "must be unique in the package", "duplicate_id"),
        ("/allocations/2/id", "must be unique in the package", "duplicate_id"),
    ]


def test_an_allocation_has_exactly_one_recipient() -> None:
    expected = [("", "must name exactly one of service and organisation", "one_recipient")]
    with pytest.raises(ValidationError) as error:
        Allocation(id=AllocationId("alloc-x"), purpose="x")
    assert explained(error) == expected
    with pytest.raises(ValidationError) as error:
        Allocation(
            id=AllocationId("alloc-x"),
            purpose="x",
            service=ServiceId("svc-x"),
            organisation=GLA,
        )
    assert explained(error) == expected


def test_a_float_total_is_refused() -> None:
    with pytest.raises(ValidationError):
        attrs.evolve(package(), total=2.4e6)  # type: ignore[arg-type]


def test_a_plain_string_id_is_converted_and_an_id_of_another_kind_refused() -> None:
    converted = attrs.evolve(package(), funder="GB-LAE-GLA")  # type: ignore[arg-type]
    assert type(converted.funder) is OrganisationId
    with pytest.raises(ValidationError) as error:
        attrs.evolve(package(), funder=ServiceId("svc-lighthouse"))  # type: ignore[arg-type]
    assert error.value.problems[0].path == "/funder"


def test_unknown_allocations_are_noticed_only_when_there_are_some() -> None:
    assert not package(allocation("a", "1m"), allocation("b", "400k")).has_unknown_allocations()
    assert not package().has_unknown_allocations()
    assert package(allocation("a", "1m"), allocation("b", None)).has_unknown_allocations()
    assert package(allocation("a", None), allocation("b", None)).has_unknown_allocations()


def test_a_fully_allocated_package_has_nothing_left() -> None:
    pkg = package(allocation("a", "2m"), allocation("b", "400k"))
    assert pkg.unallocated() == Money.zero()
    assert pkg.allocated() == pkg.total
