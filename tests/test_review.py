"""Case reviews: forward-only, dated status histories and per-suspect outcomes."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cse_programme import (
    AbuseContext,
    CaseReference,
    CaseReview,
    ClaimId,
    Estimate,
    Outcome,
    OutcomeType,
    PartialDate,
    Period,
    ReviewFunnel,
    ReviewId,
    ReviewProgramme,
    ReviewStatus,
    SourcedEstimate,
    StatusChange,
    ValidationError,
    testing,
)

from .examples import DAY, MET, explained, new_case


def walk(case: CaseReview, *steps: ReviewStatus) -> CaseReview:
    for offset, status in enumerate(steps, start=1):
        case = case.advance(status, DAY + dt.timedelta(days=offset))
    return case


def test_a_case_walks_the_whole_review() -> None:
    case = walk(
        new_case(),
        ReviewStatus.INITIAL_ASSESSMENT,
        ReviewStatus.REFERRED_FOR_REINVESTIGATION,
        ReviewStatus.REINVESTIGATION,
        ReviewStatus.OUTCOME_RECORDED,
    )
    assert case.status is ReviewStatus.OUTCOME_RECORDED
    assert case.status.is_final
    charged = Outcome(suspect=1, type=OutcomeType.CHARGED_OR_SUMMONSED, recorded=DAY)
    assert case.with_outcomes([charged]).outcomes == (charged,)


@given(testing.case_reviews(), st.sampled_from(ReviewStatus))
def test_only_allowed_steps_are_accepted(case: CaseReview, status: ReviewStatus) -> None:
    later = case.history[-1].on + dt.timedelta(days=1)
    if status in case.status.next_steps:
        assert case.advance(status, later).status is status
    else:
        with pytest.raises(ValidationError) as error:
            case.advance(status, later)
        # A case with outcomes also reports them as premature once it leaves
        # the outcome step; the transition itself is always named.
        (problem,) = [p for p in error.value.problems if p.code == "invalid_transition"]
        assert case.status.value in problem.message
        assert status.value in problem.message


@given(testing.case_reviews())
def test_generated_histories_move_forward_in_time(case: CaseReview) -> None:
    assert case.history[0].status is ReviewStatus.IDENTIFIED
    for before, after in zip(case.history, case.history[1:], strict=False):
        assert after.status in before.status.next_steps
        assert before.on <= after.on


@given(testing.case_reviews(), st.integers(1, 1000))
def test_a_step_dated_before_the_last_is_refused(case: CaseReview, days: int) -> None:
    assume(not case.status.is_final)
    status = sorted(case.status.next_steps, key=lambda s: s.value)[0]
    with pytest.raises(ValidationError) as error:
        case.advance(status, case.history[-1].on - dt.timedelta(days=days))
    assert [p.code for p in error.value.problems] == ["date_backwards"]


def test_a_history_must_start_with_identification() -> None:
    with pytest.raises(ValidationError) as error:
        new_case(history=(StatusChange(ReviewStatus.REINVESTIGATION, DAY),))
    assert error.value.problems[0].code == "invalid_start"


def test_single_incident_with_several_suspects_needs_two() -> None:
    with pytest.raises(ValidationError) as error:
        new_case(contexts=frozenset({AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS}), suspects=1)
    assert [p.path for p in error.value.problems] == ["/suspects"]


def test_outcomes_wait_for_the_outcome_step_and_name_real_suspects() -> None:
    outcome = Outcome(suspect=3, type=OutcomeType.CHARGED_OR_SUMMONSED, recorded=DAY)
    with pytest.raises(ValidationError) as error:
        new_case(outcomes=(outcome, outcome))
    assert sorted(p.code for p in error.value.problems) == [
        "duplicate_outcome",
        "premature",
        "unknown_suspect",
        "unknown_suspect",
    ]


def test_contexts_are_a_non_empty_set() -> None:
    with pytest.raises(ValidationError) as error:
        new_case(contexts=frozenset())
    assert error.value.problems[0].code == "empty"
    with pytest.raises(ValidationError):
        new_case(contexts="online")
    assert new_case(contexts=[AbuseContext.ONLINE]).contexts == frozenset({AbuseContext.ONLINE})


def test_a_naive_timestamp_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        new_case(updated=dt.datetime(2025, 6, 2, 9, 0))
    assert error.value.problems[0].code == "naive_timestamp"


def test_raw_crime_reference_numbers_are_refused() -> None:
    with pytest.raises(ValidationError):
        CaseReference("CRIS/1234567/25")


def test_notes_and_offence_dates_never_appear_in_repr() -> None:
    case = new_case(notes="a private marker", offence_period=Period(PartialDate(2011, 4, 9)))
    text = repr(case)
    assert "private marker" not in text
    assert "2011" not in text


def review(scope: Period) -> ReviewProgramme:
    sourced = SourcedEstimate(estimate=Estimate.about(9_000), claims=(ClaimId("claim-x"),))
    return ReviewProgramme(
        id=ReviewId("review-test"),
        name="Test review",
        lead_force=MET,
        scope=scope,
        cases_under_review=sourced,
    )


def test_cases_outside_the_review_scope_are_all_reported() -> None:
    inside = new_case()
    early = new_case(offence_period=Period(PartialDate(2005)))
    with pytest.raises(ValidationError) as error:
        review(Period(PartialDate(2010))).funnel([inside, early, early])
    assert [p.path for p in error.value.problems] == ["/1/offence_period", "/2/offence_period"]


@given(st.lists(testing.case_reviews(forces=st.just(MET), min_year=2010), max_size=30))
def test_funnel_counts_add_up(cases: list[CaseReview]) -> None:
    funnel = review(Period(PartialDate(2010))).funnel(cases)
    assert funnel.total == len(cases) == sum(funnel.by_status.values())
    assert sum(funnel.by_area.values()) == len(cases)
    assert sum(funnel.by_year.values()) == len(cases)
    assert funnel.reached.get(ReviewStatus.IDENTIFIED, 0) == len(cases)
    for status in ReviewStatus:
        for following in status.next_steps:
            rate = funnel.conversion(status, following)
            assert rate is None or 0 <= rate <= 1


def test_conversion_between_statuses_that_do_not_follow_is_refused() -> None:
    funnel = review(Period(PartialDate(2010))).funnel([new_case()])
    with pytest.raises(ValidationError):
        funnel.conversion(ReviewStatus.IDENTIFIED, ReviewStatus.OUTCOME_RECORDED)


def test_evolving_into_an_invalid_state_is_refused() -> None:
    with pytest.raises(ValidationError):
        attrs.evolve(new_case(), victims=0)


def steps(*statuses: ReviewStatus) -> tuple[StatusChange, ...]:
    return tuple(
        StatusChange(status, DAY + dt.timedelta(days=index))
        for index, status in enumerate(statuses)
    )


def test_a_small_funnel_counted_by_hand() -> None:
    assessed = (ReviewStatus.IDENTIFIED, ReviewStatus.INITIAL_ASSESSMENT)
    cases = [
        new_case(),
        new_case(
            area=None,
            offence_period=Period(PartialDate(2015)),
            contexts=frozenset({AbuseContext.ONLINE, AbuseContext.PEER_ON_PEER}),
            history=steps(*assessed),
        ),
        new_case(history=steps(*assessed, ReviewStatus.CLOSED_NO_FURTHER_ACTION)),
    ]
    funnel = review(Period(PartialDate(2010))).funnel(cases)
    assert funnel.total == 3
    assert funnel.by_status == {
        ReviewStatus.IDENTIFIED: 1,
        ReviewStatus.INITIAL_ASSESSMENT: 1,
        ReviewStatus.CLOSED_NO_FURTHER_ACTION: 1,
    }
    assert funnel.reached == {
        ReviewStatus.IDENTIFIED: 3,
        ReviewStatus.INITIAL_ASSESSMENT: 2,
        ReviewStatus.CLOSED_NO_FURTHER_ACTION: 1,
    }
    assert funnel.by_context == {AbuseContext.ONLINE: 3, AbuseContext.PEER_ON_PEER: 1}
    assert funnel.by_area == {"E09000007": 2, "not_recorded": 1}
    assert funnel.by_year == {2012: 2, 2015: 1}
    assess = funnel.conversion(ReviewStatus.IDENTIFIED, ReviewStatus.INITIAL_ASSESSMENT)
    assert assess == Fraction(2, 3)
    closed = funnel.conversion(
        ReviewStatus.INITIAL_ASSESSMENT, ReviewStatus.CLOSED_NO_FURTHER_ACTION
    )
    assert closed == Fraction(1, 2)
    referred = funnel.conversion(
        ReviewStatus.INITIAL_ASSESSMENT, ReviewStatus.REFERRED_FOR_REINVESTIGATION
    )
    assert referred == 0
    # No case reached reinvestigation, so no rate onward from it exists.
    assert funnel.conversion(ReviewStatus.REINVESTIGATION, ReviewStatus.OUTCOME_RECORDED) is None


def test_conversion_problems_are_explained() -> None:
    funnel = review(Period(PartialDate(2010))).funnel([new_case()])
    with pytest.raises(ValidationError) as error:
        funnel.conversion(ReviewStatus.IDENTIFIED, ReviewStatus.OUTCOME_RECORDED)
    assert explained(error) == [
        ("", "'outcome_recorded' does not follow 'identified'", "not_a_step")
    ]


def test_out_of_scope_cases_are_explained() -> None:
    with pytest.raises(ValidationError) as error:
        review(Period(PartialDate(2010))).check_scope(
            [new_case(offence_period=Period(PartialDate(2005)))]
        )
    assert explained(error) == [
        ("/0/offence_period", "must fall within the review's scope (2010 to now)", "out_of_scope")
    ]


def funnel_of(**changes: Any) -> ReviewFunnel:
    """A funnel of 8 cases whose tables add up, with *changes*."""
    fields: dict[str, Any] = {
        "total": 8,
        "by_status": {ReviewStatus.IDENTIFIED: 5, ReviewStatus.INITIAL_ASSESSMENT: 3},
        "reached": {ReviewStatus.IDENTIFIED: 8, ReviewStatus.INITIAL_ASSESSMENT: 3},
        "by_context": {AbuseContext.ONLINE: 6, AbuseContext.PEER_ON_PEER: 3},
        "by_area": {"E09000007": 7, "not_recorded": 1},
        "by_year": {2012: 8},
    }
    return ReviewFunnel(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"total": -1}, [("/total", "type")]),
        ({"total": True}, [("/total", "type")]),
        ({"by_year": {2012: 8.0}}, [("/by_year", "type")]),
        ({"by_year": {True: 8}}, [("/by_year", "type")]),
        ({"by_area": {"E09000007": -1, "not_recorded": 9}}, [("/by_area", "type")]),
        ({"by_context": {"online": 8}}, [("/by_context", "type")]),
        ({"by_area": {"Camden": 8}}, [("/by_area", "unknown_area")]),
        ({"by_area": {"E23000001": 8}}, [("/by_area", "unknown_area")]),
        ({"by_area": {7: 8}}, [("/by_area", "unknown_area")]),
        ({"by_status": [(ReviewStatus.IDENTIFIED, 8)]}, [("/by_status", "type")]),
        ({"by_status": {ReviewStatus.IDENTIFIED: 7}}, [("/by_status", "total")]),
        ({"by_area": {"E09000007": 9}}, [("/by_area", "total")]),
        ({"by_year": {2012: 5, 2013: 2}}, [("/by_year", "total")]),
        ({"reached": {ReviewStatus.IDENTIFIED: 9}}, [("/reached", "total")]),
        ({"by_context": {AbuseContext.ONLINE: 9}}, [("/by_context", "total")]),
        ({"by_context": {AbuseContext.ONLINE: 7}}, [("/by_context", "total")]),
        (
            {"total": 9},
            [("/by_status", "total"), ("/by_area", "total"), ("/by_year", "total")],
        ),
    ],
)
def test_a_funnel_whose_tables_do_not_add_up_cannot_be_made(
    changes: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        funnel_of(**changes)
    assert [(p.path, p.code) for p in error.value.problems] == problems
    assert not any(char.isdigit() for p in error.value.problems for char in p.message)


def test_a_funnel_whose_tables_add_up_is_made() -> None:
    assert funnel_of().total == 8
    empty = funnel_of(total=0, by_status={}, reached={}, by_context={}, by_area={}, by_year={})
    assert (empty.total, dict(empty.by_area)) == (0, {})


def test_every_part_of_a_funnel_is_told_what_it_must_be() -> None:
    with pytest.raises(ValidationError) as error:
        funnel_of(
            total=-1,
            by_status=[],
            reached={"identified": 8},
            by_context={ReviewStatus.IDENTIFIED: 8},
            by_year={"2012": 8},
        )
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/total", "must be a whole number of cases, not negative", "type"),
        ("/by_status", "must be a mapping", "type"),
        ("/reached", "must have rows of statuses of the review", "type"),
        ("/by_context", "must have rows of contexts of abuse", "type"),
        ("/by_year", "must have rows of years, as whole numbers", "type"),
    ]
    with pytest.raises(ValidationError) as error:
        funnel_of(by_year={2012: 7})
    assert [(p.path, p.message) for p in error.value.problems] == [
        ("/by_year", "must add up to the total")
    ]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {"by_status": {"identified": 8}},
            ("/by_status", "must have rows of statuses of the review", "type"),
        ),
        (
            {"reached": {ReviewStatus.IDENTIFIED: 9}},
            ("/reached", "must not count more cases than the total", "total"),
        ),
        (
            {"by_context": {AbuseContext.ONLINE: 9}},
            ("/by_context", "must not count more cases than the total", "total"),
        ),
        (
            {"by_context": {AbuseContext.ONLINE: 7}},
            ("/by_context", "must count every case under one context or more", "total"),
        ),
    ],
)
def test_a_funnels_tables_are_told_what_they_must_hold(
    changes: dict[str, Any], problem: tuple[str, str, str]
) -> None:
    with pytest.raises(ValidationError) as error:
        funnel_of(**changes)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [problem]


def test_a_row_of_no_cases_is_a_row() -> None:
    funnel = funnel_of(by_status={ReviewStatus.IDENTIFIED: 8, ReviewStatus.INITIAL_ASSESSMENT: 0})
    assert funnel.by_status[ReviewStatus.INITIAL_ASSESSMENT] == 0


def test_a_funnels_rows_and_counts_are_each_told_what_they_must_be() -> None:
    with pytest.raises(ValidationError) as error:
        funnel_of(by_area={"Camden": 8}, by_year={2012: -8})
    assert [(p.path, p.message) for p in error.value.problems] == [
        ("/by_area", "must have rows of districts' GSS codes, or 'not_recorded'"),
        ("/by_year", "must count whole numbers of cases, not negative"),
    ]
