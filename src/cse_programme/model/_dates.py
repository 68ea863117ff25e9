"""Dates known to a year, a month or a day, and periods between them."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from typing import Any, Final

import attrs

from cse_programme.model._rules import (
    AndThen,
    InstanceOf,
    Optional,
    expect_type,
    fail,
)

#: How a partial date travels in documents: ISO 8601 at reduced precision.
PARTIAL_DATE_PATTERN: Final = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_PARTIAL_DATE = re.compile(PARTIAL_DATE_PATTERN)


class Precision(enum.Enum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def _check_year(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    expect_type(attribute.name, value, int, "a whole number")
    if not 1900 <= value <= 2999:
        raise fail(attribute.name, "must be a year between 1900 and 2999", "year_range")


def _check_month(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    expect_type(attribute.name, value, int, "a whole number")
    if not 1 <= value <= 12:
        raise fail(attribute.name, "must be a month from 1 to 12", "month_range")


def _check_day(instance: PartialDate, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    expect_type(attribute.name, value, int, "a whole number")
    if instance.month is None:
        raise fail(attribute.name, "needs a month: a day cannot be known without it", "no_month")
    if not 1 <= value <= calendar.monthrange(instance.year, instance.month)[1]:
        raise fail(attribute.name, "is not a day of that month", "day_range")


#: A month or a day written in two digits, by its number.
_TWO_DIGITS: Final = tuple(f"{number:02d}" for number in range(32))

# In English whatever the locale, unlike calendar.month_name.
_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@attrs.frozen(eq=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day, and no further.

    Sources often say "set up in 2018" or "since 2010"; such a date is held at
    that precision and never given an invented day.  It stands for a span of
    days, from :meth:`earliest` to :meth:`latest`.  Partial dates sort by the
    start of their span, then by its end, so ``2018`` comes before ``2018-05``
    and after ``2018-01``; :meth:`certainly_before` answers the question
    people usually mean.

    >>> from cse_programme import PartialDate
    >>> founded = PartialDate.parse("2018")
    >>> founded.precision, founded.earliest(), founded.latest()
    (<Precision.YEAR: 'year'>, datetime.date(2018, 1, 1), datetime.date(2018, 12, 31))
    >>> PartialDate(2025, 11).text
    '2025-11'
    >>> PartialDate(2018).certainly_before(PartialDate(2018, 5))
    False
    >>> [str(d) for d in sorted([PartialDate(2018, 5), PartialDate(2018), PartialDate(2018, 1)])]
    ['2018-01', '2018', '2018-05']
    """

    year: int = attrs.field(validator=_check_year)
    month: int | None = attrs.field(default=None, validator=_check_month)
    day: int | None = attrs.field(default=None, validator=_check_day)
    #: The date as documents write it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
    #: (also its ``str()``).
    text: str = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # Written once, when the date is made, since every record's dates are
        # written this way and a date read from a file is shared by the
        # records that hold it.  A year has four digits already (it is from
        # 1900 to 2999), and months and days are looked up, which is three
        # times as fast as formatting them.
        month, day = self.month, self.day
        if month is None:
            text = str(self.year)
        elif day is None:
            text = f"{self.year}-{_TWO_DIGITS[month]}"
        else:
            text = f"{self.year}-{_TWO_DIGITS[month]}-{_TWO_DIGITS[day]}"
        object.__setattr__(self, "text", text)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        >>> from cse_programme import PartialDate
        >>> PartialDate.parse("2010-03-01").precision
        <Precision.DAY: 'day'>
        """
        expect_type("", text, str, "text")
        if not _PARTIAL_DATE.fullmatch(text):
            raise fail("", "must be a date as YYYY, YYYY-MM or YYYY-MM-DD", "partial_date")
        parts = [int(part) for part in text.split("-")]
        return cls(*parts)

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        """The partial date for a day that is known exactly.

        >>> import datetime
        >>> from cse_programme import PartialDate
        >>> PartialDate.of(datetime.date(2025, 11, 13))
        PartialDate(year=2025, month=11, day=13)
        """
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise fail("", "must be a datetime.date", "type")
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> Precision:
        """The finest part of the date that is known."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def earliest(self) -> dt.date:
        """The first day the partial date could be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day the partial date could be."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        last = calendar.monthrange(self.year, self.month)[1]
        return dt.date(self.year, self.month, self.day or last)

    def certainly_before(self, other: PartialDate) -> bool:
        """Whether every day this could be is before every day *other* could be."""
        return self.latest() < other.earliest()

    def contains(self, day: dt.date) -> bool:
        """Whether *day* falls within this partial date.

        >>> import datetime
        >>> from cse_programme import PartialDate
        >>> PartialDate(2018).contains(datetime.date(2018, 7, 1))
        True
        """
        return self.earliest() <= day <= self.latest()

    def _key(self) -> tuple[dt.date, dt.date]:
        return (self.earliest(), self.latest())

    def __lt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()

    @property
    def words(self) -> str:
        """The date as people write it, at the precision it is known.

        >>> from cse_programme import PartialDate
        >>> PartialDate(2018).words, PartialDate(2025, 11).words
        ('2018', 'November 2025')
        >>> PartialDate(2025, 11, 13).words
        '13 November 2025'
        """
        if self.month is None:
            return str(self.year)
        month = f"{_MONTH_NAMES[self.month - 1]} {self.year}"
        return month if self.day is None else f"{self.day} {month}"

    def __str__(self) -> str:
        return self.text


def _check_end(instance: Period, attribute: attrs.Attribute[Any], value: PartialDate) -> None:
    if value.latest() < instance.start.earliest():
        raise fail(attribute.name, "must not be before the start of the period", "end_before_start")


@attrs.frozen
class Period:
    """A span of time from *start* to an optional *end*, both inclusive.

    An open period (no end) is still running.  Either end may be a partial
    date; the period is refused only when it must end before it starts.

    >>> from cse_programme import PartialDate, Period
    >>> scope = Period(PartialDate(2010, 1, 1), PartialDate(2025, 3, 31))
    >>> str(scope)
    '2010-01-01 to 2025-03-31'
    >>> scope.covers(Period(PartialDate(2012), PartialDate(2013, 6)))
    True
    >>> Period(PartialDate(2020), PartialDate(2019))
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /end: must not be before the start of the period [end_before_start]
    """

    start: PartialDate = attrs.field(validator=InstanceOf(PartialDate, "a PartialDate"))
    end: PartialDate | None = attrs.field(
        default=None,
        validator=Optional(AndThen(InstanceOf(PartialDate, "a PartialDate"), _check_end)),
    )

    def earliest(self) -> dt.date:
        """The first day the period could start."""
        return self.start.earliest()

    def latest(self) -> dt.date | None:
        """The last day the period could end, or ``None`` while it is open."""
        return None if self.end is None else self.end.latest()

    def covers(self, other: Period) -> bool:
        """Whether *other* certainly lies within this period.

        An open *other* lies within only an open period.
        """
        if other.earliest() < self.earliest():
            return False
        mine, theirs = self.latest(), other.latest()
        if mine is None:
            return True
        return theirs is not None and theirs <= mine

    def __str__(self) -> str:
        return f"{self.start} to {self.end if self.end is not None else 'now'}"


__all__ = ["PARTIAL_DATE_PATTERN", "PartialDate", "Period", "Precision"]
