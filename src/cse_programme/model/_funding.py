"""Funding packages and how they are allocated."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from cse_programme._errors import Problem, ValidationError
from cse_programme.model._dates import PartialDate
from cse_programme.model._evidence import CITES_CLAIMS
from cse_programme.model._ids import (
    AllocationId,
    ClaimId,
    FundingPackageId,
    OrganisationId,
    ServiceId,
    is_id,
)
from cse_programme.model._money import Money
from cse_programme.model._rules import (
    and_then,
    fail,
    instance_of,
    member_of,
    optional,
    text,
    tuple_of,
)


@attrs.frozen(kw_only=True)
class Allocation:
    """Part of a funding package given to one service or one organisation.

    Exactly one of *service* and *organisation* is set.  *amount* is ``None``
    while the amount has not been published: an unknown amount is never 0.

    >>> from cse_programme import Allocation, AllocationId, ServiceId
    >>> isvas = Allocation(
    ...     id=AllocationId("alloc-isvas"),
    ...     purpose="New Independent Sexual Violence Advocates",
    ...     service=ServiceId("svc-isva"),
    ... )
    >>> isvas.amount is None
    True
    """

    id: AllocationId = attrs.field(validator=is_id(AllocationId))
    purpose: str = attrs.field(validator=text())
    service: ServiceId | None = attrs.field(default=None, validator=optional(is_id(ServiceId)))
    organisation: OrganisationId | None = attrs.field(
        default=None, validator=optional(is_id(OrganisationId))
    )
    amount: Money | None = attrs.field(
        default=None, validator=optional(instance_of(Money, "a Money amount"))
    )

    def __attrs_post_init__(self) -> None:
        if (self.service is None) == (self.organisation is None):
            raise fail("", "must name exactly one of service and organisation", "one_recipient")


class TotalKind(enum.Enum):
    """Whether a package's total is the exact sum or a floor ("more than")."""

    EXACT = "exact"
    MORE_THAN = "more_than"


def _check_allocations(
    instance: FundingPackage, attribute: attrs.Attribute[Any], value: Any
) -> None:
    problems: list[Problem] = []
    seen: set[AllocationId] = set()
    for index, allocation in enumerate(value):
        if allocation.id in seen:
            problems.append(
                Problem(f"/allocations/{index}/id", "must be unique in the package", "duplicate_id")
            )
        seen.add(allocation.id)
    if problems:
        raise ValidationError(problems)
    known = sum((a.amount for a in value if a.amount is not None), Money.zero())
    if instance.total_kind is TotalKind.EXACT and known > instance.total:
        raise fail(attribute.name, "must not add up to more than the total", "over_allocated")


@attrs.frozen(kw_only=True)
class FundingPackage:
    """Money a funder has committed, what it is for, and where it goes.

    The unallocated remainder is always computed from the total and the
    allocations whose amounts are known, never stored, so the two cannot
    disagree.  When the total is a floor ("more than £233m") allocations may
    exceed it.

    >>> from cse_programme import (
    ...     ClaimId, FundingPackage, FundingPackageId, Money, OrganisationId, PartialDate,
    ... )
    >>> package = FundingPackage(
    ...     id=FundingPackageId("pkg-cse-support-2025"),
    ...     name="CSE victims and survivors support package",
    ...     funder=OrganisationId("GB-LAE-GLA"),
    ...     total=Money.of("2.4m"),
    ...     announced=PartialDate(2025, 11),
    ...     purposes=("Fund new ISVAs", "Expand counselling for all survivors of CSE"),
    ...     claims=(ClaimId("claim-package-2-4m"),),
    ... )
    >>> package.unallocated()
    Money(pounds=Decimal('2400000.00'))
    >>> package.has_unknown_allocations()
    False
    """

    id: FundingPackageId = attrs.field(validator=is_id(FundingPackageId))
    name: str = attrs.field(validator=text(200))
    funder: OrganisationId = attrs.field(validator=is_id(OrganisationId))
    total: Money = attrs.field(validator=instance_of(Money, "a Money amount"))
    total_kind: TotalKind = attrs.field(default=TotalKind.EXACT, validator=member_of(TotalKind))
    announced: PartialDate | None = attrs.field(
        default=None, validator=optional(instance_of(PartialDate, "a PartialDate"))
    )
    purposes: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str, "text"))
    allocations: tuple[Allocation, ...] = attrs.field(
        default=(), validator=and_then(tuple_of(Allocation, "an Allocation"), _check_allocations)
    )
    parent: FundingPackageId | None = attrs.field(
        default=None, validator=optional(is_id(FundingPackageId))
    )
    claims: tuple[ClaimId, ...] = attrs.field(validator=CITES_CLAIMS)

    def allocated(self) -> Money:
        """The sum of the allocations whose amounts are known."""
        return sum((a.amount for a in self.allocations if a.amount is not None), Money.zero())

    def unallocated(self) -> Money:
        """The part of the total not yet given to an allocation of known amount.

        For a "more than" total this is what remains of the floor.
        """
        allocated = self.allocated()
        return self.total - allocated if allocated <= self.total else Money.zero()

    def has_unknown_allocations(self) -> bool:
        """Whether some allocation's amount has not been published."""
        return any(a.amount is None for a in self.allocations)

    def allocations_to(self, service: ServiceId) -> tuple[Allocation, ...]:
        """The allocations made to *service*."""
        return tuple(a for a in self.allocations if a.service == service)
