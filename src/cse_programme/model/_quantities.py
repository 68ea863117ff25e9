"""Ages, estimates and other quantities as sources state them."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from cse_programme.model._rules import (
    AndThen,
    MemberOf,
    Optional,
    WholeNumber,
    expect_type,
    fail,
)


def _check_max_age(instance: AgeRange, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < instance.min:
        raise fail(attribute.name, "must not be below the minimum age", "max_below_min")


@attrs.frozen
class AgeRange:
    """Ages in whole years, both ends inclusive; no *max* means no upper limit.

    >>> children = AgeRange(0, 18)
    >>> str(children), children.contains(15), children.contains(19)
    ('0-18', True, False)
    >>> str(AgeRange(18))
    '18+'
    """

    min: int = attrs.field(validator=WholeNumber(0, 130))
    max: int | None = attrs.field(
        default=None, validator=Optional(AndThen(WholeNumber(0, 130), _check_max_age))
    )

    def contains(self, age: int) -> bool:
        """Whether a person of *age* full years is in the range."""
        expect_type("age", age, int, "a whole number")
        return self.min <= age and (self.max is None or age <= self.max)

    def overlaps(self, other: AgeRange) -> bool:
        """Whether some age is in both ranges.

        >>> AgeRange(0, 18).overlaps(AgeRange(18, 25))
        True
        """
        low = max(self.min, other.min)
        highs = [m for m in (self.max, other.max) if m is not None]
        return not highs or low <= min(highs)

    def __str__(self) -> str:
        return f"{self.min}+" if self.max is None else f"{self.min}-{self.max}"


class EstimateKind(enum.Enum):
    """How a stated figure relates to the true value."""

    EXACT = "exact"
    """The figure is the value: "207 suspects charged"."""
    ABOUT = "about"
    """The figure is a rounded or approximate value: "about 9,000 cases"."""
    MORE_THAN = "more_than"
    """The value is above the figure, by an unstated amount: "more than 11,000"."""
    RANGE = "range"
    """The value is expected between two figures: "maybe 2,000 or 3,000 cases"."""


def _check_high(instance: Estimate, attribute: attrs.Attribute[Any], value: Any) -> None:
    kind = instance.kind
    if kind is EstimateKind.MORE_THAN:
        if value is not None:
            raise fail(attribute.name, "must be absent for a 'more than' figure", "unexpected")
        return
    if value is None:
        raise fail(attribute.name, "is required unless the figure is a floor", "missing")
    if kind is EstimateKind.RANGE and value <= instance.low:
        raise fail(attribute.name, "must be above the low end of a range", "range_order")
    if kind in (EstimateKind.EXACT, EstimateKind.ABOUT) and value != instance.low:
        raise fail(attribute.name, "must equal low for a single figure", "single_value")


@attrs.frozen
class Estimate:
    """A count as a source states it: exact, approximate, a floor, or a range.

    Build one with :meth:`exact`, :meth:`about`, :meth:`more_than` or
    :meth:`between`; an estimate is never rounded into a single number.

    >>> expected = Estimate.between(2_000, 3_000)
    >>> str(expected), expected.midpoint()
    ('2,000 to 3,000', 2500)
    >>> str(Estimate.about(9_000)), str(Estimate.more_than(11_000))
    ('about 9,000', 'more than 11,000')
    """

    kind: EstimateKind = attrs.field(validator=MemberOf(EstimateKind))
    low: int = attrs.field(validator=WholeNumber())
    high: int | None = attrs.field(validator=AndThen(Optional(WholeNumber()), _check_high))

    @classmethod
    def exact(cls, value: int) -> Estimate:
        """A figure stated exactly."""
        return cls(EstimateKind.EXACT, value, value)

    @classmethod
    def about(cls, value: int) -> Estimate:
        """A figure stated as approximate."""
        return cls(EstimateKind.ABOUT, value, value)

    @classmethod
    def more_than(cls, value: int) -> Estimate:
        """A figure stated as a floor ("more than")."""
        return cls(EstimateKind.MORE_THAN, value, None)

    @classmethod
    def between(cls, low: int, high: int) -> Estimate:
        """A figure stated as a range."""
        return cls(EstimateKind.RANGE, low, high)

    def midpoint(self) -> int | None:
        """The middle of the range, the figure itself, or ``None`` for a floor."""
        if self.high is None:
            return None
        return (self.low + self.high) // 2

    def __str__(self) -> str:
        if self.kind is EstimateKind.EXACT:
            return f"{self.low:,}"
        if self.kind is EstimateKind.ABOUT:
            return f"about {self.low:,}"
        if self.kind is EstimateKind.MORE_THAN:
            return f"more than {self.low:,}"
        return f"{self.low:,} to {self.high:,}"
