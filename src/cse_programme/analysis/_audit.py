"""The claims audit: test every published figure against the data and the other claims."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from cse_programme.model import (
    Claim,
    ClaimId,
    Estimate,
    EstimateKind,
    FigureRole,
    FigureUnit,
    FundingPackage,
    Indicator,
    OutcomeMeasure,
    Programme,
    ReviewProgramme,
    TotalKind,
)

#: How close a stated whole-number multiple ("three times") must be to the exact
#: ratio: it is consistent when the ratio rounds to it, i.e. lies within a half.
RATIO_TOLERANCE: Final = Fraction(1, 2)
#: How close a stated percentage must be to the exact one: within rounding
#: to the precision it was stated with.
PERCENT_ROUNDING: Final = "the precision it was stated with"


class Verdict(enum.Enum):
    """What the audit concluded about one figure of a claim."""

    CONSISTENT = "consistent"
    """The figure agrees with the data, within the stated tolerance."""
    INCONSISTENT = "inconsistent"
    """The figure disagrees with the data over the same thing and period."""
    NOT_COMPARABLE = "not_comparable"
    """The figure is about a different period or basis than the data."""
    NOT_CHECKABLE = "not_checkable"
    """The data needed to test the figure has not been published."""


@attrs.frozen(kw_only=True)
class Finding:
    """The audit's conclusion about one figure of one claim.

    *expected* is what the data says; *found* is what the claim says.
    """

    claim: ClaimId
    subject: str
    check: str
    expected: str
    found: str
    verdict: Verdict
    why: str


def _number(value: Decimal | Fraction | int) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value):,.2f}"
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def _within_stated_precision(exact: Fraction, stated: Decimal) -> bool:
    exponent = stated.as_tuple().exponent
    assert isinstance(exponent, int)
    half_step = Fraction(1, 2) * Fraction(10) ** exponent
    return abs(exact - Fraction(stated)) <= half_step


def _audit_measure(measure: OutcomeMeasure, claim: Claim) -> Iterator[Finding]:
    own_period = measure.current.period_label
    other_period = claim.period_label is not None and claim.period_label != own_period
    subject = measure.name

    def finding(check: str, expected: str, found: str, agrees: bool, why: str) -> Finding:
        if other_period:
            verdict = Verdict.NOT_COMPARABLE
            why = (
                f"the claim speaks of {claim.period_label!r}, the measure of {own_period!r}"
                + (f" against {measure.baseline.period_label!r}" if measure.baseline else "")
                + f"; {why}"
            )
        else:
            verdict = Verdict.CONSISTENT if agrees else Verdict.INCONSISTENT
        return Finding(
            claim=claim.id,
            subject=subject,
            check=check,
            expected=expected,
            found=found,
            verdict=verdict,
            why=why,
        )

    for figure in claim.figures:
        stated = figure.value
        if figure.role is FigureRole.VALUE and measure.current.value is not None:
            actual = measure.current.value
            yield finding("value", _number(actual), _number(stated), stated == actual, "")
        elif figure.role is FigureRole.BASELINE and measure.baseline is not None:
            base = measure.baseline.value
            if base is not None:
                yield finding("baseline", _number(base), _number(stated), stated == base, "")
        elif figure.role is FigureRole.DIFFERENCE:
            difference = measure.difference()
            if difference is None:
                yield _unknown(claim, subject, "difference", stated)
                continue
            values = (
                f"{measure.current.value} - {measure.baseline.value if measure.baseline else '?'}"
            )
            agrees = stated == difference
            why = f"on the measure's own figures the change is {values} = {difference:,}" + (
                "" if agrees else f", not {_number(stated)}"
            )
            yield finding("difference", f"{difference:,}", _number(stated), agrees, why)
        elif figure.role is FigureRole.RATIO:
            ratio = measure.ratio()
            if ratio is None:
                yield _unknown(claim, subject, "ratio", stated)
                continue
            agrees = abs(ratio - Fraction(stated)) <= RATIO_TOLERANCE
            why = (
                f"the exact ratio is {_values(measure, '/')} = {float(ratio):.2f}; "
                "a stated multiple is consistent when the ratio rounds to it"
            )
            yield finding("ratio", f"{float(ratio):.2f}", f"{_number(stated)} times", agrees, why)
        elif figure.role is FigureRole.PERCENT_CHANGE:
            change = measure.percent_change()
            if change is None:
                yield _unknown(claim, subject, "percentage change", stated, percent=True)
                continue
            agrees = _within_stated_precision(change, stated)
            why = f"the exact change is {float(change):.2f}%, compared to {PERCENT_ROUNDING}"
            yield finding("percentage change", f"{float(change):.2f}%", f"{stated}%", agrees, why)


def _values(measure: OutcomeMeasure, operator: str) -> str:
    baseline = measure.baseline.value if measure.baseline is not None else None
    return f"{measure.current.value} {operator} {baseline}"


def _unknown(
    claim: Claim, subject: str, check: str, stated: Decimal, *, percent: bool = False
) -> Finding:
    return Finding(
        claim=claim.id,
        subject=subject,
        check=check,
        expected="not published",
        found=f"{stated}%" if percent else _number(stated),
        verdict=Verdict.NOT_CHECKABLE,
        why="the values, periods or definition needed to test this figure were not published",
    )


def _audit_estimate(subject: str, estimate: Estimate, claim: Claim) -> Iterator[Finding]:
    bounds = {
        FigureRole.VALUE: estimate.low,
        FigureRole.LOW: estimate.low,
        FigureRole.HIGH: estimate.high,
    }
    for figure in claim.figures:
        if figure.role not in bounds or figure.unit is not FigureUnit.COUNT:
            continue
        held = bounds[figure.role]
        if figure.role is FigureRole.VALUE and estimate.kind is EstimateKind.RANGE:
            held = None
        agrees = held is not None and figure.value == held
        yield Finding(
            claim=claim.id,
            subject=subject,
            check=figure.role.label.lower(),
            expected=str(estimate),
            found=_number(figure.value),
            verdict=Verdict.CONSISTENT if agrees else Verdict.INCONSISTENT,
            why="the data holds the figure as the claim states it"
            if agrees
            else "the data holds a different figure than the claim states",
        )


def _audit_package(package: FundingPackage, claims: dict[ClaimId, Claim]) -> Iterator[Finding]:
    for claim_id in package.claims:
        claim = claims[claim_id]
        for figure in claim.figures:
            if figure.role is not FigureRole.VALUE or figure.unit is not FigureUnit.GBP:
                continue
            agrees = figure.value == package.total.pounds
            yield Finding(
                claim=claim.id,
                subject=package.name,
                check="total",
                expected=str(package.total),
                found=f"£{figure.value:,.2f}",
                verdict=Verdict.CONSISTENT if agrees else Verdict.INCONSISTENT,
                why="the package total is the stated amount"
                if agrees
                else "the package total differs from the stated amount",
            )
    unknown = sum(1 for a in package.allocations if a.amount is None)
    if not package.allocations:
        return
    first = package.claims[0]
    if unknown:
        yield Finding(
            claim=first,
            subject=package.name,
            check="allocations within the total",
            expected=str(package.total),
            found=f"{unknown} of {len(package.allocations)} allocations without a published amount",
            verdict=Verdict.NOT_CHECKABLE,
            why="no split of the total between allocations has been published; the known "
            f"allocations add up to {package.allocated()}",
        )
    else:
        within = package.total_kind is TotalKind.MORE_THAN or package.allocated() <= package.total
        yield Finding(
            claim=first,
            subject=package.name,
            check="allocations within the total",
            expected=str(package.total),
            found=str(package.allocated()),
            verdict=Verdict.CONSISTENT if within else Verdict.INCONSISTENT,
            why="the allocations add up to no more than the total",
        )


def _audit_indicator(indicator: Indicator, claims: dict[ClaimId, Claim]) -> Iterator[Finding]:
    for claim_id in indicator.claims:
        yield from _audit_estimate(indicator.name, indicator.value, claims[claim_id])


def _audit_review(review: ReviewProgramme, claims: dict[ClaimId, Claim]) -> Iterator[Finding]:
    for label, sourced in (
        ("Cases under review", review.cases_under_review),
        ("Cases expected to be considered for reinvestigation", review.expected_reinvestigations),
    ):
        if sourced is None:
            continue
        for claim_id in sourced.claims:
            yield from _audit_estimate(label, sourced.estimate, claims[claim_id])


def audit(programme: Programme) -> tuple[Finding, ...]:
    """Test every claim whose figures can be tested against the data and each other.

    Each finding says what the data holds (*expected*), what the claim states
    (*found*), the verdict and why.

    >>> from cse_programme.datasets import london_2025
    >>> findings = audit(london_2025())
    >>> mismatch = next(f for f in findings if f.check == "difference")
    >>> mismatch.found, mismatch.expected, mismatch.verdict.value
    ('134', '144', 'not_comparable')
    """
    claims = {claim.id: claim for claim in programme.claims}
    findings: list[Finding] = []
    for package in programme.funding_packages:
        findings.extend(_audit_package(package, claims))
    for review in programme.reviews:
        findings.extend(_audit_review(review, claims))
    for measure in programme.measures:
        for claim_id in measure.claims:
            findings.extend(_audit_measure(measure, claims[claim_id]))
    for indicator in programme.indicators:
        findings.extend(_audit_indicator(indicator, claims))
    return tuple(findings)
