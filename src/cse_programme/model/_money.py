"""Exact amounts of money in pounds sterling."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar, Final

import attrs

from cse_programme.model._rules import (
    fail,
    type_name,
)

_PENCE: Final = Decimal("0.01")
#: How money travels in documents: pounds with exactly two decimal places.
MONEY_PATTERN: Final = r"^(0|[1-9][0-9]{0,14})\.[0-9]{2}$"
_MONEY_TEXT = re.compile(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?")
#: Before a ``k`` or ``m``: a plain decimal, more places allowed ("1.234k").
_SCALED_TEXT = re.compile(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,8})?")
_MAX: Final = Decimal("999999999999999.99")
_THOUSAND: Final = Decimal(1_000)
_MILLION: Final = Decimal(1_000_000)


def _check_amount(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    name = attribute.name
    if type(value) is not Decimal:
        raise fail(
            name,
            f"must be a Decimal amount in pounds, not {type_name(value)}{_hint(value)}",
            "type",
        )
    if not value.is_finite():
        raise fail(name, "must be a finite amount", "not_finite")
    if value < 0:
        raise fail(name, "must not be negative", "negative_amount")
    if value > _MAX:
        raise fail(name, "must be below one quadrillion pounds", "too_large")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite decimals have int exponents
    if exponent < -2 and value != value.quantize(_PENCE):
        raise fail(name, "must not have more than 2 decimal places", "sub_penny")


def _hint(value: object) -> str:
    # What to do instead, for the values a newcomer reaches for first.
    if isinstance(value, float):
        return ", which cannot hold most amounts exactly: give Money.of() text such as '12.50'"
    if isinstance(value, int | str) and not isinstance(value, bool):
        return ": Money.of() reads a whole number of pounds, or text such as '1.1m'"
    return ""


@attrs.frozen(order=True)
class Money:
    """An exact, non-negative amount in pounds sterling (GBP).

    Amounts are :class:`~decimal.Decimal` pounds with at most two decimal
    places; floats are refused because they cannot hold most amounts exactly.
    Arithmetic stays exact, and an amount can never go below zero.

    >>> from cse_programme import Money
    >>> total = Money.of("2.4m")
    >>> total
    Money(pounds=Decimal('2400000.00'))
    >>> str(total), total.compact()
    ('£2,400,000.00', '£2.4m')
    >>> Money.of(233_000_000).compact()
    '£233m'
    >>> total - Money.of("400000")
    Money(pounds=Decimal('2000000.00'))
    >>> Money.of(0.1)
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /pounds: must be a Decimal amount in pounds, not a floating-point number, which
      cannot hold most amounts exactly: give Money.of() text such as '12.50' [type]
    >>> Money(1_100_000)
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /pounds: must be a Decimal amount in pounds, not an integer: Money.of() reads a
      whole number of pounds, or text such as '1.1m' [type]
    >>> Money.of(1_100_000).compact()
    '£1.1m'
    """

    currency: ClassVar[str] = "GBP"

    pounds: Decimal = attrs.field(validator=_check_amount)

    def __attrs_post_init__(self) -> None:
        # One canonical scale and sign, so equal amounts print and serialise
        # alike: minus zero is zero.
        object.__setattr__(self, "pounds", self.pounds.quantize(_PENCE).copy_abs())

    @classmethod
    def of(cls, amount: Decimal | int | str) -> Money:
        """Build an amount from a Decimal, a whole number of pounds, or text.

        Text may use thousands separators, a leading ``£`` and the suffixes
        ``k`` (thousand) and ``m`` (million).

        >>> from cse_programme import Money
        >>> Money.of("£1,250.5")
        Money(pounds=Decimal('1250.50'))
        >>> Money.of("950k").compact()
        '£950k'
        """
        if isinstance(amount, bool):
            return cls(amount)  # type: ignore[arg-type]  # refused by the validator
        if isinstance(amount, int):
            return cls(Decimal(amount))
        if isinstance(amount, str):
            return cls(_parse(amount))
        return cls(amount)

    @classmethod
    def zero(cls) -> Money:
        """No money at all.

        >>> from cse_programme import Money
        >>> Money.zero()
        Money(pounds=Decimal('0.00'))
        """
        return cls(Decimal(0))

    @property
    def pence(self) -> int:
        """The amount in whole pence.

        >>> from cse_programme import Money
        >>> Money.of("12.34").pence
        1234
        """
        return int(self.pounds * 100)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.pounds + other.pounds)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.pounds - other.pounds)

    def __bool__(self) -> bool:
        return bool(self.pounds)

    def __str__(self) -> str:
        return f"£{self.pounds:,.2f}"

    def compact(self) -> str:
        """The amount as people say it in prose: ``£2.4m``, ``£950k``, ``£12.50``.

        Millions and thousands keep up to two decimal places of the unit, so
        the compact form is for reading, not for sums.  An amount that rounds
        up to a thousand of its unit is shown in the next unit: never
        ``£1,000k``.

        >>> from cse_programme import Money
        >>> Money.of("2450000").compact(), Money.of("1234567").compact()
        ('£2.45m', '£1.23m')
        >>> Money.of("999999.99").compact(), Money.of("999994.99").compact()
        ('£1m', '£999.99k')
        """
        thousands = (self.pounds / _THOUSAND).quantize(_PENCE)
        if self.pounds >= _MILLION or thousands >= 1_000:
            return f"£{(self.pounds / _MILLION).quantize(_PENCE).normalize():,f}m"
        if self.pounds >= _THOUSAND:
            return f"£{thousands.normalize():,f}k"
        if self.pounds == self.pounds.to_integral_value():
            return f"£{self.pounds:,.0f}"
        return str(self)


def _parse(text: str) -> Decimal:
    cleaned = text.strip().removeprefix("£").replace(",", "").replace("_", "")
    multiplier = Decimal(1)
    if cleaned[-1:].lower() == "m":
        multiplier, cleaned = Decimal(1_000_000), cleaned[:-1]
    elif cleaned[-1:].lower() == "k":
        multiplier, cleaned = Decimal(1_000), cleaned[:-1]
    if multiplier == 1 and not _MONEY_TEXT.fullmatch(cleaned):
        raise fail("pounds", "must be pounds with at most 2 decimal places", "money_text")
    if multiplier != 1 and not _SCALED_TEXT.fullmatch(cleaned):
        raise fail("pounds", "must be a plain number before k or m, such as 2.4m", "money_text")
    return Decimal(cleaned) * multiplier
