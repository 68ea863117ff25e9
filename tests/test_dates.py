"""Partial dates and periods: known precision, never an invented day."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable

import pytest
from hypothesis import given

from cse_programme import PartialDate, Period, Precision, ValidationError, testing

from .examples import explained


def test_a_year_stands_for_the_whole_year() -> None:
    founded = PartialDate.parse("2018")
    assert founded.precision is Precision.YEAR
    assert (founded.earliest(), founded.latest()) == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert str(founded) == "2018"


def test_a_month_ends_on_its_last_day() -> None:
    assert PartialDate(2024, 2).latest() == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "code"),
    [("2018-13", "partial_date"), ("18", "partial_date"), ("2023-02-29", "day_range")],
)
def test_impossible_dates_are_refused(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        PartialDate.parse(text)
    assert [p.code for p in error.value.problems] == [code]


def test_a_day_needs_a_month() -> None:
    with pytest.raises(ValidationError) as error:
        PartialDate(2018, None, 5)
    assert error.value.problems[0].code == "no_month"


def test_a_datetime_is_not_a_day() -> None:
    with pytest.raises(ValidationError):
        PartialDate.of(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


@given(testing.partial_dates())
def test_text_round_trips(date: PartialDate) -> None:
    assert PartialDate.parse(str(date)) == date


@given(testing.partial_dates())
def test_text_is_the_iso_date_cut_to_the_precision_known(date: PartialDate) -> None:
    # The standard library's ISO format is the oracle: YYYY, YYYY-MM or YYYY-MM-DD.
    length = {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}[date.precision]
    assert str(date) == date.earliest().isoformat()[:length]


@given(testing.partial_dates())
def test_the_text_kept_is_the_text_written_and_not_in_the_repr(date: PartialDate) -> None:
    length = {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}[date.precision]
    assert date.text == date.earliest().isoformat()[:length]
    assert repr(date) == f"PartialDate(year={date.year}, month={date.month}, day={date.day})"


MONTHS = "January February March April May June July August September October November December"


@given(testing.partial_dates())
def test_words_name_the_month_in_english_at_the_precision_known(date: PartialDate) -> None:
    first = date.earliest()
    month = MONTHS.split()[first.month - 1]
    expected = {
        Precision.YEAR: f"{first.year}",
        Precision.MONTH: f"{month} {first.year}",
        Precision.DAY: f"{first.day} {month} {first.year}",
    }[date.precision]
    assert date.words == expected


@given(testing.partial_dates())
def test_a_partial_date_contains_its_own_span(date: PartialDate) -> None:
    assert date.earliest() <= date.latest()
    assert date.contains(date.earliest())
    assert date.contains(date.latest())


@given(testing.partial_dates(), testing.partial_dates())
def test_order_is_total_and_agrees_with_certainty(a: PartialDate, b: PartialDate) -> None:
    assert (a < b) + (a == b) + (a > b) == 1
    if a.certainly_before(b):
        assert a < b


@given(testing.periods())
def test_periods_never_end_before_they_start(period: Period) -> None:
    latest = period.latest()
    assert latest is None or period.earliest() <= latest
    assert period.covers(period)


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        Period(PartialDate(2020), PartialDate(2019))
    assert error.value.problems[0].path == "/end"


@pytest.mark.parametrize(
    ("build", "path", "message"),
    [
        (lambda: PartialDate(1899), "/year", "must be a year between 1900 and 2999"),
        (lambda: PartialDate(2020, 13), "/month", "must be a month from 1 to 12"),
        (lambda: PartialDate(2021, 2, 29), "/day", "is not a day of that month"),
        (
            lambda: PartialDate(2021, None, 3),
            "/day",
            "needs a month: a day cannot be known without it",
        ),
        (lambda: PartialDate.parse("2021-1"), "", "must be a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        (
            lambda: Period(PartialDate(2021, 5), PartialDate(2021, 4)),
            "/end",
            "must not be before the start of the period",
        ),
    ],
)
def test_messages_name_the_field_and_the_rule(build: object, path: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        build()  # type: ignore[operator]
    (problem,) = error.value.problems
    assert (problem.path, problem.message) == (path, message)


def test_spans_and_containment() -> None:
    may = PartialDate(2021, 5)
    assert (may.earliest(), may.latest()) == (dt.date(2021, 5, 1), dt.date(2021, 5, 31))
    assert may.contains(dt.date(2021, 5, 31))
    assert not may.contains(dt.date(2021, 6, 1))
    assert PartialDate(2021, 4).certainly_before(may)
    assert not may.certainly_before(PartialDate(2021))
    assert str(PartialDate(2021, 5, 7)) == "2021-05-07"
    assert Period(PartialDate(2010)).covers(Period(PartialDate(2012), PartialDate(2013)))
    assert not Period(PartialDate(2010), PartialDate(2011)).covers(Period(PartialDate(2012)))
    assert not Period(PartialDate(2012)).covers(Period(PartialDate(2010), PartialDate(2013)))
    assert str(Period(PartialDate(2010))) == "2010 to now"


def test_partial_dates_order_by_their_earliest_then_latest_day() -> None:
    year, june, first = PartialDate(2018), PartialDate(2018, 6), PartialDate(2018, 1, 1)
    assert first < year < june
    assert first <= year <= june
    assert june > year > first
    assert june >= year >= first
    assert year <= PartialDate(2018)
    assert year >= PartialDate(2018)
    assert not year < PartialDate(2018)
    assert not year > PartialDate(2018)
    assert not june <= year
    assert not first >= year
    assert sorted([june, year, first]) == [first, year, june]


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_partial_dates_do_not_order_against_other_types(
    compare: Callable[[object, object], bool],
) -> None:
    with pytest.raises(TypeError):
        compare(PartialDate(2018), dt.date(2018, 1, 1))


def test_certainly_before_needs_every_possible_day_to_be_earlier() -> None:
    assert PartialDate(2017).certainly_before(PartialDate(2018))
    assert PartialDate(2018, 5, 31).certainly_before(PartialDate(2018, 6))
    assert not PartialDate(2018, 6, 1).certainly_before(PartialDate(2018, 6))
    assert not PartialDate(2018).certainly_before(PartialDate(2018, 6))


def test_periods_read_as_text() -> None:
    assert str(Period(PartialDate(2010), PartialDate(2014, 3))) == "2010 to 2014-03"
    assert str(Period(PartialDate(2010))) == "2010 to now"


def test_a_known_day_keeps_every_part() -> None:
    assert PartialDate.of(dt.date(2025, 11, 13)) == PartialDate(2025, 11, 13)
    for wrong in (dt.datetime(2025, 11, 13, tzinfo=dt.UTC), "2025-11-13"):
        with pytest.raises(ValidationError) as error:
            PartialDate.of(wrong)  # type: ignore[arg-type]
        assert explained(error) == [("", "must be a datetime.date", "type")]
