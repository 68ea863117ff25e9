"""Synthetic case records: realistic in shape, never real, clearly labelled.

Every record carries ``synthetic=True``.  The share of assessed cases referred
for reinvestigation follows the published expectation (2,000 to 3,000 of about
9,000, taken at its midpoint); every other proportion is a plain assumption
made for demonstrations, tests and benchmarks, not a fact about the review.

Cases belong to the Metropolitan Police and lie in its 32 boroughs unless
another police force area is asked for.

The *varied* profile is made for measuring speed fairly: no value it writes
is shared by many records, as real data's are not.  Its cases belong to
several forces (unless one is asked for), were identified on any day of ten
years, changed at any second of the day, carry free-text notes about three
times in ten, and more of them (about one in eight) have reached an outcome.
These shares too are assumptions, not facts about the review.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
from collections.abc import Iterator
from functools import cache
from typing import Final

from cse_programme.model import (
    AbuseContext,
    Area,
    CaseReference,
    CaseReview,
    OrganisationId,
    Outcome,
    OutcomeType,
    PartialDate,
    Period,
    PoliceForceArea,
    ReviewStatus,
    StatusChange,
)

#: The force synthetic cases belong to unless another is asked for.
SYNTHETIC_FORCE: Final = OrganisationId("org-metropolitan-police")
#: Share of assessed cases referred for reinvestigation: 2,500 of 9,000.
REFERRAL_SHARE: Final = 2_500 / 9_000

_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")
_CONTEXTS: Final = tuple(AbuseContext)
_CONTEXT_WEIGHTS: Final = (30, 12, 18, 8, 14, 14, 4)
_OUTCOMES: Final = (
    OutcomeType.CHARGED_OR_SUMMONSED,
    OutcomeType.EVIDENTIAL_VICTIM_DOES_NOT_SUPPORT,
    OutcomeType.EVIDENTIAL_VICTIM_SUPPORTS_ACTION,
    OutcomeType.FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST,
    OutcomeType.CAUTION_ADULT,
    OutcomeType.NOT_YET_ASSIGNED,
)
_OUTCOME_WEIGHTS: Final = (30, 25, 20, 10, 5, 10)
_FIRST_DAY: Final = dt.date(2025, 1, 6)

#: The forces whose cases the varied profile mixes, by police force area.
VARIED_FORCES: Final = (
    "Metropolitan Police",
    "Greater Manchester",
    "West Midlands",
    "West Yorkshire",
    "Thames Valley",
    "South Wales",
)
_VARIED_FIRST_DAY: Final = dt.date(2015, 1, 1)
_VARIED_DAYS: Final = 3_650
_SECONDS_IN_A_DAY: Final = 86_400
_NOTE_SHARE: Final = 0.3
# Neutral phrases about the handling of a case, never about a person.
_NOTE_PHRASES: Final = (
    "records requested from the partner agency",
    "review meeting held",
    "awaiting disclosure from children's services",
    "file transferred to the reinvestigation team",
    "further enquiries with the local authority",
    "safeguarding referral confirmed",
    "digital evidence re-examined",
    "case conference booked",
    "update sent to the independent advocate",
    "“quality check” complete",
    "no further material located",
)


def _token(rng: random.Random) -> CaseReference:
    raw = rng.getrandbits(130).to_bytes(17, "big")
    return CaseReference("case-" + base64.b32encode(raw).decode("ascii").lower()[:26])


def _offence_period(rng: random.Random, last: int = 2024) -> Period:
    """Offending that began between 2010 and *last*, and ended by 2025."""
    year = rng.randint(2010, last)
    precision = rng.random()
    if precision < 0.6:
        start = PartialDate(year)
    elif precision < 0.9:
        start = PartialDate(year, rng.randint(1, 12))
    else:
        start = PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.5:
        return Period(start)
    return Period(start, PartialDate(min(last + 1, year + rng.randint(0, 3))))


def _history(rng: random.Random, *, varied: bool = False) -> tuple[StatusChange, ...]:
    if varied:
        day = _VARIED_FIRST_DAY + dt.timedelta(days=rng.randrange(_VARIED_DAYS))
    else:
        day = _FIRST_DAY + dt.timedelta(days=rng.randint(0, 280))
    reinvestigated = 0.8 if varied else 0.7
    recorded = 0.8 if varied else 0.4
    steps = [StatusChange(ReviewStatus.IDENTIFIED, day)]

    def step(status: ReviewStatus) -> None:
        nonlocal day
        day += dt.timedelta(days=rng.randint(7, 90))
        steps.append(StatusChange(status, day))

    if rng.random() < 0.85:
        step(ReviewStatus.INITIAL_ASSESSMENT)
        if rng.random() < REFERRAL_SHARE:
            step(ReviewStatus.REFERRED_FOR_REINVESTIGATION)
            if rng.random() < reinvestigated:
                step(ReviewStatus.REINVESTIGATION)
                if rng.random() < recorded:
                    step(ReviewStatus.OUTCOME_RECORDED)
        elif rng.random() < 0.9:
            step(ReviewStatus.CLOSED_NO_FURTHER_ACTION)
    return tuple(steps)


def _force_id(force: PoliceForceArea) -> OrganisationId:
    # Made from the area's readable name, so the Met's is SYNTHETIC_FORCE.
    name = force.display_name.removesuffix(" area").casefold().replace("&", "and")
    return OrganisationId("org-" + _NOT_SLUG.sub("-", name).strip("-"))


@cache
def _force(force: PoliceForceArea | str | None) -> tuple[OrganisationId, tuple[Area, ...]]:
    """The force's organisation id and its districts, in code order."""
    if force is None:
        force = PoliceForceArea.lookup("Metropolitan Police")
    elif not isinstance(force, PoliceForceArea):
        force = PoliceForceArea.lookup(force)
    return _force_id(force), tuple(sorted(force.areas))


def _notes(rng: random.Random) -> str | None:
    """Free text on some records: mostly short, now and then close to the limit."""
    if rng.random() >= _NOTE_SHARE:
        return None
    count = rng.randint(40, 70) if rng.random() < 0.05 else rng.randint(1, 8)
    text = "; ".join(rng.choices(_NOTE_PHRASES, k=count))
    if rng.random() < 0.2:
        text = text.replace("; ", ';\n"', 1) + '"'
    return text[:2000]


def _updated(rng: random.Random, day: dt.date) -> dt.datetime:
    """Any second of *day*, in London's offset from UTC (roughly: summer is +01:00)."""
    offset = dt.timezone(dt.timedelta(hours=1)) if 4 <= day.month <= 10 else dt.UTC
    moment = dt.datetime.combine(day, dt.time(), tzinfo=offset)
    return moment + dt.timedelta(seconds=rng.randrange(_SECONDS_IN_A_DAY))


def synthetic_case(
    rng: random.Random, *, force: PoliceForceArea | str | None = None, varied: bool = False
) -> CaseReview:
    """One synthetic case record drawn from *rng*, in the force area *force*.

    *force* is a :class:`~cse_programme.PoliceForceArea`, or its name or
    code; by default, the Metropolitan Police's, or for a *varied* record
    one of several forces.  A *varied* record follows the varied profile
    described in :func:`synthetic_cases`.  The same seed gives the same case.

    >>> import random
    >>> from cse_programme import PoliceForceArea
    >>> from cse_programme.datasets import synthetic_case
    >>> case = synthetic_case(random.Random(3), force="Dyfed-Powys")
    >>> case.synthetic, case == synthetic_case(random.Random(3), force="Dyfed-Powys")
    (True, True)
    >>> case.area is None or case.area in PoliceForceArea.lookup("Dyfed-Powys").areas
    True
    """
    if varied and force is None:
        force = rng.choice(VARIED_FORCES)
    force_id, areas = _force(force)
    contexts = frozenset(rng.choices(_CONTEXTS, _CONTEXT_WEIGHTS, k=rng.choice((1, 1, 2))))
    several = AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS in contexts
    suspects = rng.randint(2, 5) if several else rng.choice((0, 1, 1, 1, 2, 3))
    history = _history(rng, varied=varied)
    outcomes: tuple[Outcome, ...] = ()
    if history[-1].status is ReviewStatus.OUTCOME_RECORDED:
        outcomes = tuple(
            Outcome(
                suspect=number,
                type=rng.choices(_OUTCOMES, _OUTCOME_WEIGHTS)[0],
                recorded=history[-1].on,
            )
            for number in range(1, suspects + 1)
        )
    reference = _token(rng)
    area = None if rng.random() < 0.05 else rng.choice(areas)
    # A varied case was identified after the offending began.
    offence_period = _offence_period(rng, history[0].on.year if varied else 2024)
    victims = rng.choice((1, 1, 1, 2, 3))
    if varied:
        updated = _updated(rng, history[-1].on)
        notes = _notes(rng)
    else:
        updated = dt.datetime.combine(history[-1].on, dt.time(9, 0), tzinfo=dt.UTC)
        notes = None
    return CaseReview(
        reference=reference,
        force=force_id,
        area=area,
        offence_period=offence_period,
        contexts=contexts,
        suspects=suspects,
        victims=victims,
        history=history,
        outcomes=outcomes,
        synthetic=True,
        updated=updated,
        notes=notes,
    )


def synthetic_cases(
    count: int,
    *,
    seed: int = 0,
    force: PoliceForceArea | str | None = None,
    varied: bool = False,
) -> Iterator[CaseReview]:
    """Yield *count* SYNTHETIC case records, the same ones for the same *seed*.

    The cases belong to the force of the police force area *force* (a
    :class:`~cse_programme.PoliceForceArea`, or its name or code) and lie in
    its districts; by default, the Metropolitan Police's 32 boroughs.  The
    force's id is the local id made from its name, such as
    ``org-greater-manchester-police`` (``SYNTHETIC_FORCE`` for the
    Met).
    Records are made one at a time, so any number can be streamed to a file.

    *varied* records are made for measuring speed: their values repeat as
    little as real data's.  They belong to several forces (unless *force* is
    given), were identified on any day of ten years and changed at any second,
    about three in ten carry notes, and about one in eight has reached an
    outcome.  The default records are simpler and never change from one
    release to the next, so that files made from them can be kept.

    >>> from cse_programme import Area
    >>> from cse_programme.datasets import synthetic_cases
    >>> cases = list(synthetic_cases(3, seed=7))
    >>> all(case.synthetic for case in cases), len({case.reference for case in cases})
    (True, 3)
    >>> cases == list(synthetic_cases(3, seed=7))
    True
    >>> salford = list(synthetic_cases(50, force="Greater Manchester"))
    >>> {str(case.force) for case in salford}
    {'org-greater-manchester-police'}
    >>> Area.lookup("Salford") in {case.area for case in salford}
    True
    >>> mixed = list(synthetic_cases(200, seed=7, varied=True))
    >>> len({case.force for case in mixed}), len({case.updated for case in mixed})
    (6, 200)
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("count must be a whole number of at least 0")
    _force(force)  # an unknown force is refused before the first record
    rng = random.Random(seed)
    for _ in range(count):
        yield synthetic_case(rng, force=force, varied=varied)
