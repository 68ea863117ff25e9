"""Outcome types, positive-outcome policies and measured change."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cse_programme import (
    CHARGED_ONLY,
    SANCTION_OR_COMMUNITY_RESOLUTION,
    ClaimId,
    MeasureId,
    Observation,
    OutcomeGroup,
    OutcomeMeasure,
    OutcomePolicy,
    OutcomeType,
    Unit,
    testing,
)


def test_every_home_office_outcome_type_has_a_label_and_group() -> None:
    codes = [member.value for member in OutcomeType]
    assert codes == ["0", "1", "1A", *[str(n) for n in range(2, 23)]]
    for member in OutcomeType:
        assert member.label
        assert isinstance(member.group, OutcomeGroup)


def test_shipped_policies_differ_on_out_of_court_outcomes() -> None:
    assert SANCTION_OR_COMMUNITY_RESOLUTION.is_positive(OutcomeType.CAUTION_ADULT)
    assert not CHARGED_ONLY.is_positive(OutcomeType.CAUTION_ADULT)
    assert CHARGED_ONLY.positive < SANCTION_OR_COMMUNITY_RESOLUTION.positive


@given(testing.outcome_policies(), st.sampled_from(OutcomeType))
def test_a_policy_counts_exactly_its_own_types(policy: OutcomePolicy, kind: OutcomeType) -> None:
    assert policy.is_positive(kind) is (kind in policy.positive)


def charged(current: int | None, baseline: int | None) -> OutcomeMeasure:
    return OutcomeMeasure(
        id=MeasureId("measure-charged"),
        name="Suspects charged",
        unit=Unit.SUSPECTS,
        current=Observation(value=current, period_label="the last six months"),
        baseline=Observation(value=baseline, period_label="the same period last year"),
        claims=(ClaimId("claim-charged"),),
    )


def test_the_published_comparison_is_exact() -> None:
    measure = charged(207, 63)
    assert measure.difference() == 144
    assert measure.ratio() == Fraction(207, 63)
    assert round(float(measure.ratio() or 0), 2) == 3.29
    assert measure.percent_change() == Fraction(1600, 7)


def test_unknown_values_give_no_comparison() -> None:
    measure = charged(None, 63)
    assert measure.difference() is None
    assert measure.ratio() is None
    assert measure.percent_change() is None
    assert charged(5, 0).ratio() is None
    assert charged(5, 0).percent_change() is None


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_comparisons_agree_with_each_other(current: int, baseline: int) -> None:
    measure = charged(current, baseline)
    assert measure.difference() == current - baseline
    assert measure.ratio() * baseline == current  # type: ignore[operator]
    assert measure.percent_change() == Fraction(current - baseline, baseline) * 100
