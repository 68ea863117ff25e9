"""Money: exact pounds, never a float, never negative."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import Money, ValidationError, testing

from .examples import explained


def codes(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.code for problem in error.value.problems]


def test_the_package_total_formats_as_published() -> None:
    total = Money.of("2.4m")
    assert total.pounds == Decimal("2400000.00")
    assert str(total) == "£2,400,000.00"
    assert total.compact() == "£2.4m"
    assert Money.of(233_000_000).compact() == "£233m"


@pytest.mark.parametrize(
    ("text", "pounds"),
    [("£1,250.5", "1250.50"), ("950k", "950000.00"), ("0", "0.00"), ("12.34", "12.34")],
)
def test_text_is_read_exactly(text: str, pounds: str) -> None:
    assert Money.of(text).pounds == Decimal(pounds)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0.1, "type"),
        (True, "type"),
        (Decimal("NaN"), "not_finite"),
        (Decimal("Infinity"), "not_finite"),
        (Decimal("-1"), "negative_amount"),
        (Decimal("1.005"), "sub_penny"),
        ("1.005", "money_text"),
        ("twelve", "money_text"),
    ],
)
def test_invalid_amounts_are_refused_with_their_rule(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(value)  # type: ignore[arg-type]
    assert codes(error) == [code]


@pytest.mark.parametrize(
    ("text", "message", "code"),
    [
        ("infm", "must be a plain number before k or m, such as 2.4m", "money_text"),
        ("NaNk", "must be a plain number before k or m, such as 2.4m", "money_text"),
        ("twelvem", "must be a plain number before k or m, such as 2.4m", "money_text"),
        ("1e3k", "must be a plain number before k or m, such as 2.4m", "money_text"),
        ("1e3", "must be pounds with at most 2 decimal places", "money_text"),
        ("-5k", "must be a plain number before k or m, such as 2.4m", "money_text"),
        ("1.005", "must be pounds with at most 2 decimal places", "money_text"),
    ],
)
def test_text_with_a_suffix_is_checked_like_any_other(text: str, message: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(text)
    assert explained(error) == [("/pounds", message, code)]


@pytest.mark.parametrize("value", [1_100_000, "1100000"])
def test_money_made_directly_from_a_number_or_text_says_to_use_money_of(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        Money(value)  # type: ignore[arg-type]
    assert [(p.path, p.message) for p in error.value.problems] == [
        (
            "/pounds",
            "must be a Decimal amount in pounds, not "
            + ("an integer" if isinstance(value, int) else "a string")
            + ": Money.of() reads a whole number of pounds, or text such as '1.1m'",
        )
    ]
    assert Money.of(value) == Money(Decimal(1_100_000))  # type: ignore[arg-type]


def test_a_boolean_is_not_an_amount() -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(True)
    assert [(p.path, p.message) for p in error.value.problems] == [
        ("/pounds", "must be a Decimal amount in pounds, not a boolean")
    ]


def test_subtraction_below_zero_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(1) - Money.of(2)
    assert codes(error) == ["negative_amount"]


@given(testing.money(), testing.money())
def test_addition_is_exact_and_subtraction_undoes_it(a: Money, b: Money) -> None:
    # The largest amount the model holds: £999,999,999,999,999.99.
    if a.pounds + b.pounds > Decimal("999999999999999.99"):
        with pytest.raises(ValidationError) as error:
            a + b
        assert codes(error) == ["too_large"]
    else:
        total = a + b
        assert total.pounds == a.pounds + b.pounds
        assert total - b == a
        assert total.pence == a.pence + b.pence


@given(testing.money())
def test_formatting_keeps_every_penny(amount: Money) -> None:
    text = str(amount)
    assert text.startswith("£")
    assert Money.of(text) == amount


@given(st.integers(0, 10**12))
def test_whole_pounds_are_exact(pounds: int) -> None:
    assert Money.of(pounds).pounds == Decimal(pounds)


@pytest.mark.parametrize(
    ("pounds", "compact"),
    [
        ("2400000", "£2.4m"),
        ("1000000", "£1m"),
        ("1234567", "£1.23m"),
        ("950000", "£950k"),
        ("1000", "£1k"),
        ("1500.50", "£1.5k"),
        ("999", "£999"),
        ("12.50", "£12.50"),
        ("0", "£0"),
    ],
)
def test_compact_form(pounds: str, compact: str) -> None:
    assert Money.of(pounds).compact() == compact


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("2.4M", "2400000.00"),
        ("950K", "950000.00"),
        ("1.5k", "1500.00"),
        ("0.5m", "500000.00"),
        ("1.23456k", "1234.56"),
        (" £1,000 ", "1000.00"),
        ("1_000", "1000.00"),
    ],
)
def test_suffixes_and_separators(text: str, pounds: str) -> None:
    assert Money.of(text).pounds == Decimal(pounds)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            0.1,
            "must be a Decimal amount in pounds, not a floating-point number, which cannot hold"
            " most amounts exactly: give Money.of() text such as '12.50'",
        ),
        (Decimal("NaN"), "must be a finite amount"),
        (Decimal("-1"), "must not be negative"),
        (Decimal("1e16"), "must be below one quadrillion pounds"),
        (Decimal("1.005"), "must not have more than 2 decimal places"),
        ("1.005", "must be pounds with at most 2 decimal places"),
        ("1.234567k", "must not have more than 2 decimal places"),
        ("m", "must be a plain number before k or m, such as 2.4m"),
        ("", "must be pounds with at most 2 decimal places"),
    ],
)
def test_messages_name_the_rule(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(value)  # type: ignore[arg-type]
    (problem,) = error.value.problems
    assert (problem.path, problem.message) == ("/pounds", message)


def test_truthiness_and_pence() -> None:
    assert not Money.zero()
    assert Money.of("0.01")
    assert Money.of("12.34").pence == 1234


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        ("999.99", "£999.99"),
        ("1000", "£1k"),
        ("999994.99", "£999.99k"),
        # Rounds up to a thousand thousands: said in millions, never £1,000k.
        ("999995", "£1m"),
        ("999999.99", "£1m"),
        ("1000000", "£1m"),
        ("2400000", "£2.4m"),
    ],
)
def test_an_amount_is_said_in_the_unit_it_reaches_once_rounded(amount: str, said: str) -> None:
    assert Money.of(amount).compact() == said
