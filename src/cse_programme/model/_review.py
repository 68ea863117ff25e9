"""The review of historic cases: each case's progress and the review as a whole."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Final

import attrs

from cse_programme._errors import Problem, ValidationError
from cse_programme.model._areas import Area
from cse_programme.model._dates import Period
from cse_programme.model._evidence import CITES_CLAIMS, MAY_CITE_CLAIMS
from cse_programme.model._ids import CaseReference, ClaimId, OrganisationId, ReviewId, is_id
from cse_programme.model._outcomes import MAX_PEOPLE_IN_A_CASE, Outcome
from cse_programme.model._quantities import Estimate
from cse_programme.model._rules import (
    SENSITIVE,
    AwareTimestamp,
    CalendarDay,
    InstanceOf,
    MemberOf,
    Optional,
    SetOf,
    Text,
    TupleOf,
    WholeNumber,
    fail,
)
from cse_programme.model._vocabulary import AbuseContext, Vocabulary, name_labels


class ReviewStatus(Vocabulary):
    """Where a case stands in the review.

    A case moves only forward::

        identified -> initial_assessment -> closed_no_further_action
                                         -> referred_for_reinvestigation
                                            -> reinvestigation -> outcome_recorded

    >>> from cse_programme import ReviewStatus
    >>> ReviewStatus.CLOSED_NO_FURTHER_ACTION.label
    'Closed with no further action'
    """

    IDENTIFIED = "identified"
    INITIAL_ASSESSMENT = "initial_assessment"
    CLOSED_NO_FURTHER_ACTION = "closed_no_further_action"
    REFERRED_FOR_REINVESTIGATION = "referred_for_reinvestigation"
    REINVESTIGATION = "reinvestigation"
    OUTCOME_RECORDED = "outcome_recorded"

    @property
    def next_steps(self) -> frozenset[ReviewStatus]:
        """The statuses a case may move to from this one.

        >>> from cse_programme import ReviewStatus
        >>> sorted(s.value for s in ReviewStatus.INITIAL_ASSESSMENT.next_steps)
        ['closed_no_further_action', 'referred_for_reinvestigation']
        """
        return TRANSITIONS[self]

    @property
    def is_final(self) -> bool:
        """Whether no further step is possible."""
        return not TRANSITIONS[self]


_S = ReviewStatus
name_labels(
    {
        _S.IDENTIFIED: "Identified",
        _S.INITIAL_ASSESSMENT: "Initial assessment",
        _S.CLOSED_NO_FURTHER_ACTION: "Closed with no further action",
        _S.REFERRED_FOR_REINVESTIGATION: "Referred for reinvestigation",
        _S.REINVESTIGATION: "Reinvestigation",
        _S.OUTCOME_RECORDED: "Outcome recorded",
    }
)
TRANSITIONS: Final[Mapping[ReviewStatus, frozenset[ReviewStatus]]] = {
    _S.IDENTIFIED: frozenset({_S.INITIAL_ASSESSMENT}),
    _S.INITIAL_ASSESSMENT: frozenset(
        {_S.CLOSED_NO_FURTHER_ACTION, _S.REFERRED_FOR_REINVESTIGATION}
    ),
    _S.CLOSED_NO_FURTHER_ACTION: frozenset(),
    _S.REFERRED_FOR_REINVESTIGATION: frozenset({_S.REINVESTIGATION}),
    _S.REINVESTIGATION: frozenset({_S.OUTCOME_RECORDED}),
    _S.OUTCOME_RECORDED: frozenset(),
}


#: Every allowed step by the values of its two statuses: strings hash in C,
#: while an enum member's hash is Python code, and histories are checked for
#: every record read.
_STEPS: Final = frozenset(
    (before._value_, after._value_) for before, nexts in TRANSITIONS.items() for after in nexts
)


@attrs.frozen
class StatusChange:
    """A case reaching *status* on the day *on*.

    >>> import datetime
    >>> from cse_programme import ReviewStatus, StatusChange
    >>> StatusChange(ReviewStatus.IDENTIFIED, datetime.date(2025, 6, 2)).status.value
    'identified'
    """

    status: ReviewStatus = attrs.field(validator=MemberOf(ReviewStatus))
    on: dt.date = attrs.field(validator=CalendarDay())


def check_history(history: tuple[StatusChange, ...]) -> list[Problem]:
    """Every problem with a status history, as paths under ``/history``."""
    problems: list[Problem] = []
    if not history:
        return [Problem("/history", "must record at least the case being identified", "empty")]
    if history[0].status is not ReviewStatus.IDENTIFIED:
        problems.append(
            Problem("/history/0/status", "must start with 'identified'", "invalid_start")
        )
    for index in range(1, len(history)):
        before, after = history[index - 1], history[index]
        if (before.status._value_, after.status._value_) not in _STEPS:
            problems.append(
                Problem(
                    f"/history/{index}/status",
                    f"cannot move from '{before.status.value}' to '{after.status.value}'",
                    "invalid_transition",
                )
            )
        if after.on < before.on:
            problems.append(
                Problem(
                    f"/history/{index}/on",
                    "must not be before the previous step",
                    "date_backwards",
                )
            )
    return problems


@attrs.frozen(kw_only=True)
class CaseReview:
    """One historic case under review, by its pseudonymous reference.

    The record holds no name, address or date of birth of anyone.  Its
    *history* is the dated path through :class:`ReviewStatus`; use
    :meth:`advance` to take the next step.  *updated* is when the record last
    changed, with its timezone.  *synthetic* marks a made-up record (from
    :func:`cse_programme.datasets.synthetic_cases`), never a real case.  The
    offence period and free-text *notes* are sensitive: they are kept out of
    ``repr`` and out of every public output.

    >>> import datetime
    >>> from cse_programme import (
    ...     AbuseContext, Area, CaseReference, CaseReview, OrganisationId, PartialDate, Period,
    ...     ReviewStatus, StatusChange, ValidationError,
    ... )
    >>> case = CaseReview(
    ...     reference=CaseReference("case-" + "b" * 26),
    ...     force=OrganisationId("org-metropolitan-police"),
    ...     area=Area.lookup("Camden"),
    ...     offence_period=Period(PartialDate(2012), PartialDate(2013)),
    ...     contexts=frozenset({AbuseContext.ONLINE}),
    ...     suspects=1,
    ...     victims=1,
    ...     history=(StatusChange(ReviewStatus.IDENTIFIED, datetime.date(2025, 6, 2)),),
    ... )
    >>> case = case.advance(ReviewStatus.INITIAL_ASSESSMENT, datetime.date(2025, 7, 1))
    >>> case.status
    <ReviewStatus.INITIAL_ASSESSMENT: 'initial_assessment'>
    >>> try:
    ...     case.advance(ReviewStatus.OUTCOME_RECORDED, datetime.date(2025, 8, 1))
    ... except ValidationError as error:
    ...     print(error.problems[0].message)
    cannot move from 'initial_assessment' to 'outcome_recorded'
    """

    reference: CaseReference = attrs.field(validator=is_id(CaseReference))
    force: OrganisationId = attrs.field(validator=is_id(OrganisationId))
    area: Area | None = attrs.field(default=None, validator=Optional(InstanceOf(Area, "an Area")))
    offence_period: Period = attrs.field(
        validator=InstanceOf(Period, "a Period"), repr=False, metadata=SENSITIVE
    )
    contexts: frozenset[AbuseContext] = attrs.field(
        validator=SetOf(AbuseContext, "an AbuseContext", non_empty=True)
    )
    suspects: int = attrs.field(validator=WholeNumber(0, MAX_PEOPLE_IN_A_CASE))
    victims: int = attrs.field(validator=WholeNumber(1, MAX_PEOPLE_IN_A_CASE))
    history: tuple[StatusChange, ...] = attrs.field(
        validator=TupleOf(StatusChange, "a StatusChange", non_empty=True)
    )
    outcomes: tuple[Outcome, ...] = attrs.field(
        default=(), validator=TupleOf(Outcome, "an Outcome")
    )
    synthetic: bool = attrs.field(default=False, validator=InstanceOf(bool, "true or false"))
    updated: dt.datetime | None = attrs.field(default=None, validator=Optional(AwareTimestamp()))
    notes: str | None = attrs.field(
        default=None, validator=Optional(Text(2000)), repr=False, metadata=SENSITIVE
    )

    def __attrs_post_init__(self) -> None:
        problems = check_history(self.history)
        if self.suspects < 2 and AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS in self.contexts:
            problems.append(
                Problem(
                    "/suspects",
                    "must be at least 2 for a single incident with more than one suspect",
                    "too_few_suspects",
                )
            )
        if self.outcomes:
            problems += self._outcome_problems()
        if problems:
            raise ValidationError(problems)

    def _outcome_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        seen: set[int] = set()
        for index, outcome in enumerate(self.outcomes):
            if outcome.suspect > self.suspects:
                problems.append(
                    Problem(
                        f"/outcomes/{index}/suspect",
                        "must number a suspect of the case (at most the count of suspects)",
                        "unknown_suspect",
                    )
                )
            if outcome.suspect in seen:
                problems.append(
                    Problem(
                        f"/outcomes/{index}/suspect",
                        "must not record a second outcome for the same suspect",
                        "duplicate_outcome",
                    )
                )
            seen.add(outcome.suspect)
        if self.status is not ReviewStatus.OUTCOME_RECORDED:
            problems.append(
                Problem("/outcomes", "must be empty until an outcome is recorded", "premature")
            )
        return problems

    @property
    def status(self) -> ReviewStatus:
        """The current status of the case, which is the last step of its history."""
        return self.history[-1].status

    def advance(self, status: ReviewStatus, on: dt.date) -> CaseReview:
        """Return the case moved on to *status* on day *on*.

        Raises :class:`ValidationError` naming both states when the step is
        not allowed, or when *on* is before the last step.
        """
        return attrs.evolve(self, history=(*self.history, StatusChange(status, on)))

    def with_outcomes(self, outcomes: Iterable[Outcome]) -> CaseReview:
        """Return the case with *outcomes* recorded for its suspects."""
        return attrs.evolve(self, outcomes=tuple(outcomes))


@attrs.frozen(kw_only=True)
class SourcedEstimate:
    """A published estimate together with the claims that state it.

    >>> from cse_programme import ClaimId, Estimate, SourcedEstimate
    >>> SourcedEstimate(estimate=Estimate.about(9_000), claims=(ClaimId("claim-9000"),)).estimate
    Estimate(kind=<EstimateKind.ABOUT: 'about'>, low=9000, high=9000)
    """

    estimate: Estimate = attrs.field(validator=InstanceOf(Estimate, "an Estimate"))
    claims: tuple[ClaimId, ...] = attrs.field(validator=CITES_CLAIMS)


@attrs.frozen(kw_only=True)
class ReviewFunnel:
    """How many cases stand at each point of a review, and by what.

    *reached* counts the cases that ever reached each status, so the
    conversion from one step to the next is a plain ratio.  A funnel is made
    by :meth:`ReviewProgramme.funnel` from case records.  One made by hand
    must add up as those do: its statuses, areas and years to the total, and
    its contexts each to at most the total and together to at least it (every
    case counts under one context or more); disclosure control relies on it.

    >>> from cse_programme import ReviewStatus
    >>> from cse_programme.datasets import london_2025, synthetic_cases
    >>> (review,) = london_2025().reviews
    >>> funnel = review.funnel(synthetic_cases(200, seed=7))
    >>> funnel.total, sum(funnel.by_status.values())
    (200, 200)
    >>> funnel.reached[ReviewStatus.IDENTIFIED]
    200
    >>> step = funnel.conversion(
    ...     ReviewStatus.INITIAL_ASSESSMENT, ReviewStatus.REFERRED_FOR_REINVESTIGATION
    ... )
    >>> 0 <= step <= 1
    True
    """

    total: int
    by_status: Mapping[ReviewStatus, int]
    reached: Mapping[ReviewStatus, int]
    by_context: Mapping[AbuseContext, int]
    by_area: Mapping[str, int]
    by_year: Mapping[int, int]

    def __attrs_post_init__(self) -> None:
        # Disclosure control reasons from these sums: a funnel that breaks them
        # could not be protected, so it cannot be made.  No count is repeated
        # in a message, since a count may be small.
        problems: list[Problem] = []
        if type(self.total) is not int or self.total < 0:
            problems.append(
                Problem("/total", "must be a whole number of cases, not negative", "type")
            )
        tables: dict[str, tuple[object, Callable[[object], bool], str, str]] = {
            "by_status": (
                self.by_status,
                _member_of(ReviewStatus),
                "statuses of the review",
                "type",
            ),
            "reached": (self.reached, _member_of(ReviewStatus), "statuses of the review", "type"),
            "by_context": (
                self.by_context,
                _member_of(AbuseContext),
                "contexts of abuse",
                "type",
            ),
            "by_area": (
                self.by_area,
                _area_row,
                f"districts' GSS codes, or '{AREA_NOT_RECORDED}'",
                "unknown_area",
            ),
            "by_year": (self.by_year, _whole_number, "years, as whole numbers", "type"),
        }
        for name, (table, fits, keys, code) in tables.items():
            if not isinstance(table, Mapping):
                problems.append(Problem(f"/{name}", "must be a mapping", "type"))
                continue
            if not all(fits(key) for key in table):
                problems.append(Problem(f"/{name}", f"must have rows of {keys}", code))
            if not all(_whole_number(count) and count >= 0 for count in table.values()):
                problems.append(
                    Problem(f"/{name}", "must count whole numbers of cases, not negative", "type")
                )
        if problems:
            raise ValidationError(problems)
        for name in ("by_status", "by_area", "by_year"):
            if sum(getattr(self, name).values()) != self.total:
                problems.append(Problem(f"/{name}", "must add up to the total", "total"))
        for name in ("reached", "by_context"):
            if any(count > self.total for count in getattr(self, name).values()):
                problems.append(
                    Problem(f"/{name}", "must not count more cases than the total", "total")
                )
        if sum(self.by_context.values()) < self.total:
            problems.append(
                Problem("/by_context", "must count every case under one context or more", "total")
            )
        if problems:
            raise ValidationError(problems)

    def conversion(self, before: ReviewStatus, after: ReviewStatus) -> Fraction | None:
        """The share of cases reaching *before* that went on to reach *after*."""
        if after not in before.next_steps:
            raise fail("", f"'{after.value}' does not follow '{before.value}'", "not_a_step")
        base = self.reached.get(before, 0)
        return None if base == 0 else Fraction(self.reached.get(after, 0), base)


def _member_of(kind: type[Vocabulary]) -> Callable[[object], bool]:
    return lambda key: isinstance(key, kind)


def _area_row(key: object) -> bool:
    return key == AREA_NOT_RECORDED or (type(key) is str and key in _district_codes())


@functools.cache
def _district_codes() -> frozenset[str]:
    return frozenset(area.code for area in Area.all())


def _whole_number(value: object) -> bool:
    return type(value) is int  # not a bool, which is an int to isinstance


#: Key used in :attr:`ReviewFunnel.by_area` for cases with no area recorded.
AREA_NOT_RECORDED: Final = "not_recorded"


@attrs.frozen(kw_only=True)
class ReviewProgramme:
    """The review of historic cases as a whole, with its published figures.

    *claims* are the claims that state the review's scope, categories and
    definition; each headline estimate cites its own.

    >>> from cse_programme import (
    ...     ClaimId, Estimate, OrganisationId, PartialDate, Period, ReviewId, ReviewProgramme,
    ...     SourcedEstimate,
    ... )
    >>> review = ReviewProgramme(
    ...     id=ReviewId("review-met-historic-cse"),
    ...     name="Met review of historic CSE cases",
    ...     lead_force=OrganisationId("org-metropolitan-police"),
    ...     scope=Period(PartialDate(2010)),
    ...     cases_under_review=SourcedEstimate(
    ...         estimate=Estimate.about(9_000), claims=(ClaimId("claim-9000"),)
    ...     ),
    ...     expected_reinvestigations=SourcedEstimate(
    ...         estimate=Estimate.between(2_000, 3_000), claims=(ClaimId("claim-2000-3000"),)
    ...     ),
    ... )
    >>> str(review.expected_reinvestigations.estimate)
    '2,000 to 3,000'
    """

    id: ReviewId = attrs.field(validator=is_id(ReviewId))
    name: str = attrs.field(validator=Text(200))
    lead_force: OrganisationId = attrs.field(validator=is_id(OrganisationId))
    oversight: frozenset[OrganisationId] = attrs.field(
        default=frozenset(), validator=SetOf(OrganisationId, "an OrganisationId")
    )
    scope: Period = attrs.field(validator=InstanceOf(Period, "a Period"))
    categories: frozenset[AbuseContext] = attrs.field(
        default=frozenset(), validator=SetOf(AbuseContext, "an AbuseContext")
    )
    definition: str | None = attrs.field(default=None, validator=Optional(Text(2000)))
    cases_under_review: SourcedEstimate | None = attrs.field(
        default=None, validator=Optional(InstanceOf(SourcedEstimate, "a SourcedEstimate"))
    )
    expected_reinvestigations: SourcedEstimate | None = attrs.field(
        default=None, validator=Optional(InstanceOf(SourcedEstimate, "a SourcedEstimate"))
    )
    claims: tuple[ClaimId, ...] = attrs.field(default=(), validator=MAY_CITE_CLAIMS)

    def check_scope(self, cases: Iterable[CaseReview]) -> None:
        """Refuse cases whose offences fall outside the review's scope.

        Every case out of scope is reported, by its position in *cases*.
        """
        problems = [
            self._out_of_scope(index) for index, case in enumerate(cases) if not self._covers(case)
        ]
        if problems:
            raise ValidationError(problems)

    def _covers(self, case: CaseReview) -> bool:
        return self.scope.covers(case.offence_period)

    def _out_of_scope(self, index: int) -> Problem:
        return Problem(
            f"/{index}/offence_period",
            f"must fall within the review's scope ({self.scope})",
            "out_of_scope",
        )

    def funnel(self, cases: Iterable[CaseReview]) -> ReviewFunnel:
        """Count *cases* by status, context, area and year the offending began.

        The cases are read once, one at a time, so *cases* may be a stream of
        any length.  They must lie within the review's scope: every case out
        of scope is reported, by its position, once all have been read.
        """
        out_of_scope: list[Problem] = []
        total = 0
        by_status: Counter[ReviewStatus] = Counter()
        reached: Counter[ReviewStatus] = Counter()
        by_context: Counter[AbuseContext] = Counter()
        by_area: Counter[str] = Counter()
        by_year: Counter[int] = Counter()
        for index, case in enumerate(cases):
            total += 1
            if not self._covers(case):
                out_of_scope.append(self._out_of_scope(index))
            by_status[case.status] += 1
            reached.update({change.status for change in case.history})
            by_context.update(case.contexts)
            by_area[case.area.code if case.area else AREA_NOT_RECORDED] += 1
            by_year[case.offence_period.start.year] += 1
        if out_of_scope:
            raise ValidationError(out_of_scope)
        return ReviewFunnel(
            total=total,
            by_status=dict(by_status),
            reached=dict(reached),
            by_context=dict(by_context),
            by_area=dict(by_area),
            by_year=dict(by_year),
        )
