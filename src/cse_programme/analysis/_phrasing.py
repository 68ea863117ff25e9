"""How the report words dates, periods and money for people.

Dates are written as people write them ("November 2025", "13 November
2025"), at the precision they are known; a period takes the preposition its
shape needs ("since 2010", "from 2010 to 2025", "in 2018"); a period in a
source's own words is given a preposition only where it lacks one ("in the
last six months", but "this year" and "over the past year" as they are).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from cse_programme.model import Money, PartialDate, Period, Precision

#: Words a period in a source's own words may start with that already say how
#: it relates to the figure ("over the past year", "since 2022").
_PREPOSITIONS: Final = frozenset(
    {
        "across",
        "after",
        "as",
        "at",
        "before",
        "between",
        "by",
        "during",
        "for",
        "from",
        "in",
        "on",
        "over",
        "since",
        "through",
        "throughout",
        "to",
        "until",
        "up",
        "within",
    }
)
#: Words that point at a period from now and take no preposition ("this
#: year", "last month", "so far").
_DEICTIC: Final = frozenset(
    {"this", "last", "next", "so", "today", "yesterday", "tomorrow", "now", "currently"}
)


def at_date(date: PartialDate) -> str:
    """*date* with its preposition: "in" a year or month, "on" a day.

    >>> from cse_programme import PartialDate
    >>> from cse_programme.analysis._phrasing import at_date
    >>> at_date(PartialDate(2018)), at_date(PartialDate(2025, 11, 13))
    ('in 2018', 'on 13 November 2025')
    """
    preposition = "on" if date.precision is Precision.DAY else "in"
    return f"{preposition} {date.words}"


def period_words(period: Period) -> str:
    """*period* without a leading preposition, as a parenthesis gives it.

    >>> from cse_programme import PartialDate, Period
    >>> from cse_programme.analysis._phrasing import period_words
    >>> period_words(Period(PartialDate(2010)))
    'since 2010'
    >>> period_words(Period(PartialDate(2025, 4), PartialDate(2025, 9)))
    'April 2025 to September 2025'
    """
    if period.end is None:
        return f"since {period.start.words}"
    if period.end == period.start:
        return period.start.words
    return f"{period.start.words} to {period.end.words}"


def during_period(period: Period) -> str:
    """*period* with the preposition its shape needs.

    >>> from cse_programme import PartialDate, Period
    >>> from cse_programme.analysis._phrasing import during_period
    >>> during_period(Period(PartialDate(2010)))
    'since 2010'
    >>> during_period(Period(PartialDate(2010, 1, 1), PartialDate(2025, 3, 31)))
    'from 1 January 2010 to 31 March 2025'
    >>> during_period(Period(PartialDate(2018), PartialDate(2018)))
    'in 2018'
    """
    if period.end is None:
        return period_words(period)
    if period.end == period.start:
        return at_date(period.start)
    return f"from {period_words(period)}"


def during_label(label: str) -> str:
    """A period in a source's own words, with "in" before it where it needs one.

    >>> from cse_programme.analysis._phrasing import during_label
    >>> during_label("the last six months"), during_label("2024")
    ('in the last six months', 'in 2024')
    >>> during_label("this year"), during_label("over the past year")
    ('this year', 'over the past year')
    """
    first = label.split(maxsplit=1)[0].lower() if label.strip() else ""
    if first in _PREPOSITIONS or first in _DEICTIC:
        return label
    return f"in {label}"


def money_from_pence(pence: int) -> Money:
    """The amount held as a whole number of pence.

    >>> from cse_programme.analysis._phrasing import money_from_pence
    >>> money_from_pence(240_000_000).compact()
    '£2.4m'
    """
    return Money(Decimal(pence).scaleb(-2))


__all__ = [
    "at_date",
    "during_label",
    "during_period",
    "money_from_pence",
    "period_words",
]
