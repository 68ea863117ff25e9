"""Every rule of the model explains itself: the path, the message and the code.

People read the message; programs, translations and tests rely on the path
and the code.  Each is pinned here, rule by rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from cse_programme import (
    AbuseContext,
    Area,
    Estimate,
    EstimateKind,
    Figure,
    FigureUnit,
    Money,
    OrganisationId,
    Outcome,
    OutcomeType,
    PartialDate,
    Period,
    ReviewStatus,
    StatusChange,
    ValidationError,
)
from cse_programme.datasets import london_2025
from cse_programme.model._review import check_history

from .examples import DAY, explained, new_case

MEASURE = london_2025().measures[0]
LIGHTHOUSE = london_2025().services[0]
UCLH = OrganisationId("org-uclh")


CHARGED_2 = Outcome(suspect=2, type=OutcomeType.CHARGED_OR_SUMMONSED, recorded=DAY)


def step(status: ReviewStatus, days: int = 0) -> StatusChange:
    return StatusChange(status, DAY + dt.timedelta(days=days))


RULES: list[tuple[str, Callable[[], object], list[tuple[str, str, str]]]] = [
    (
        "figure not a Decimal",
        lambda: Figure(value=7, unit=FigureUnit.COUNT),  # type: ignore[arg-type]
        [("/value", "must be a Decimal", "type")],
    ),
    (
        "figure not finite",
        lambda: Figure(value=Decimal("NaN"), unit=FigureUnit.COUNT),
        [("/value", "must be a finite number", "not_finite")],
    ),
    (
        "stated change not a Decimal",
        lambda: attrs.evolve(MEASURE, stated_change_percent=6.2),  # type: ignore[arg-type]
        [("/stated_change_percent", "must be a Decimal percentage", "type")],
    ),
    (
        "stated change not finite",
        lambda: attrs.evolve(MEASURE, stated_change_percent=Decimal("Infinity")),
        [("/stated_change_percent", "must be a finite number", "not_finite")],
    ),
    (
        "money too large",
        lambda: Money(Decimal("1000000000000000.00")),
        [("/pounds", "must be below one quadrillion pounds", "too_large")],
    ),
    (
        "money sub-penny",
        lambda: Money(Decimal("1.005")),
        [("/pounds", "must not have more than 2 decimal places", "sub_penny")],
    ),
    (
        "money negative",
        lambda: Money(Decimal("-0.01")),
        [("/pounds", "must not be negative", "negative_amount")],
    ),
    (
        "estimate without a high end",
        lambda: Estimate(EstimateKind.RANGE, 2_000, None),
        [("/high", "is required unless the figure is a floor", "missing")],
    ),
    (
        "estimate floor with a high end",
        lambda: Estimate(EstimateKind.MORE_THAN, 2_000, 3_000),
        [("/high", "must be absent for a 'more than' figure", "unexpected")],
    ),
    (
        "estimate range the wrong way round",
        lambda: Estimate(EstimateKind.RANGE, 3_000, 3_000),
        [("/high", "must be above the low end of a range", "range_order")],
    ),
    (
        "estimate single figure with two values",
        lambda: Estimate(EstimateKind.ABOUT, 9_000, 9_001),
        [("/high", "must equal low for a single figure", "single_value")],
    ),
    (
        "provider named again as a partner",
        lambda: attrs.evolve(LIGHTHOUSE, partners=LIGHTHOUSE.partners | {UCLH}),
        [("/partners", "must not repeat the provider", "provider_as_partner")],
    ),
    (
        "area code not text",
        lambda: Area(7),  # type: ignore[arg-type]
        [("/code", "must be text, not an integer", "type")],
    ),
    (
        "area code unknown",
        lambda: Area("E09000034"),
        [
            (
                "/code",
                "must be the GSS code of a local authority district of England or Wales",
                "unknown_area",
            )
        ],
    ),
    (
        "period start not a partial date",
        lambda: Period("2010"),  # type: ignore[arg-type]
        [("/start", "must be a PartialDate, not a string", "type")],
    ),
    (
        "period end not a partial date",
        lambda: Period(PartialDate(2010), dt.date(2012, 1, 1)),  # type: ignore[arg-type]
        [("/end", "must be a PartialDate, not a date", "type")],
    ),
    (
        "period ending before it starts",
        lambda: Period(PartialDate(2010, 5), PartialDate(2010, 4, 30)),
        [("/end", "must not be before the start of the period", "end_before_start")],
    ),
    (
        "single incident with one suspect",
        lambda: new_case(
            contexts=frozenset({AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS}), suspects=1
        ),
        [
            (
                "/suspects",
                "must be at least 2 for a single incident with more than one suspect",
                "too_few_suspects",
            )
        ],
    ),
    (
        "outcomes before an outcome is recorded, for unknown and repeated suspects",
        lambda: new_case(
            suspects=1,
            outcomes=(CHARGED_2, CHARGED_2),
        ),
        [
            (
                "/outcomes/0/suspect",
                "must number a suspect of the case (at most the count of suspects)",
                "unknown_suspect",
            ),
            (
                "/outcomes/1/suspect",
                "must number a suspect of the case (at most the count of suspects)",
                "unknown_suspect",
            ),
            (
                "/outcomes/1/suspect",
                "must not record a second outcome for the same suspect",
                "duplicate_outcome",
            ),
            ("/outcomes", "must be empty until an outcome is recorded", "premature"),
        ],
    ),
    (
        "year not a whole number",
        lambda: PartialDate(2025.0),  # type: ignore[arg-type]
        [("/year", "must be a whole number, not a floating-point number", "type")],
    ),
    (
        "year too early",
        lambda: PartialDate(1899),
        [("/year", "must be a year between 1900 and 2999", "year_range")],
    ),
    (
        "year too late",
        lambda: PartialDate(3000),
        [("/year", "must be a year between 1900 and 2999", "year_range")],
    ),
    (
        "month not a whole number",
        lambda: PartialDate(2025, "11"),  # type: ignore[arg-type]
        [("/month", "must be a whole number, not a string", "type")],
    ),
    (
        "month out of range",
        lambda: PartialDate(2025, 13),
        [("/month", "must be a month from 1 to 12", "month_range")],
    ),
    (
        "day not a whole number",
        lambda: PartialDate(2025, 11, True),
        [("/day", "must be a whole number, not a boolean", "type")],
    ),
    (
        "day without a month",
        lambda: PartialDate(2025, None, 1),
        [("/day", "needs a month: a day cannot be known without it", "no_month")],
    ),
    (
        "day not in the month",
        lambda: PartialDate(2025, 2, 29),
        [("/day", "is not a day of that month", "day_range")],
    ),
    (
        "partial date not text",
        lambda: PartialDate.parse(2025),  # type: ignore[arg-type]
        [("", "must be text, not an integer", "type")],
    ),
    (
        "partial date badly written",
        lambda: PartialDate.parse("11/2025"),
        [("", "must be a date as YYYY, YYYY-MM or YYYY-MM-DD", "partial_date")],
    ),
]


@pytest.mark.parametrize(
    ("build", "expected"),
    [(build, expected) for _, build, expected in RULES],
    ids=[name for name, _, _ in RULES],
)
def test_each_rule_names_its_path_message_and_code(
    build: Callable[[], object], expected: list[tuple[str, str, str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        build()
    assert explained(error) == expected


def test_a_period_may_end_where_it_starts() -> None:
    day = PartialDate(2010, 5, 1)
    assert Period(day, day).end == day
    assert Period(PartialDate(2010, 5), PartialDate(2010, 5, 1)).start == PartialDate(2010, 5)


def test_the_years_at_the_ends_of_the_range_are_allowed() -> None:
    assert PartialDate(1900).year == 1900
    assert PartialDate(2999, 12, 31).day == 31
    assert PartialDate(2024, 2, 29).day == 29


def test_the_largest_amount_is_allowed() -> None:
    assert Money(Decimal("999999999999999.99")).pounds == Decimal("999999999999999.99")


def test_status_history_problems_are_explained() -> None:
    assert [(p.path, p.message, p.code) for p in check_history(())] == [
        ("/history", "must record at least the case being identified", "empty")
    ]
    history = (
        step(ReviewStatus.INITIAL_ASSESSMENT, 1),
        step(ReviewStatus.REINVESTIGATION, 0),
    )
    assert [(p.path, p.message, p.code) for p in check_history(history)] == [
        ("/history/0/status", "must start with 'identified'", "invalid_start"),
        (
            "/history/1/status",
            "cannot move from 'initial_assessment' to 'reinvestigation'",
            "invalid_transition",
        ),
        ("/history/1/on", "must not be before the previous step", "date_backwards"),
    ]
    assert check_history((step(ReviewStatus.IDENTIFIED),)) == []
