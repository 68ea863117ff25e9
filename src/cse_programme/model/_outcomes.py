"""Police outcomes for suspects, what counts as positive, and measured change."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from cse_programme.model._dates import Period
from cse_programme.model._evidence import CITES_CLAIMS
from cse_programme.model._ids import ClaimId, MeasureId, is_id
from cse_programme.model._rules import (
    calendar_day,
    fail,
    instance_of,
    member_of,
    optional,
    set_of,
    text,
    whole_number,
)
from cse_programme.model._vocabulary import Unit


class OutcomeGroup(enum.Enum):
    """The groups the Home Office uses to summarise crime outcomes."""

    NOT_YET_ASSIGNED = "not_yet_assigned"
    CHARGED_OR_SUMMONSED = "charged_or_summonsed"
    OUT_OF_COURT_FORMAL = "out_of_court_formal"
    OUT_OF_COURT_INFORMAL = "out_of_court_informal"
    TAKEN_INTO_CONSIDERATION = "taken_into_consideration"
    PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST = "prosecution_prevented"
    EVIDENTIAL_DIFFICULTIES = "evidential_difficulties"
    INVESTIGATION_COMPLETE_NO_SUSPECT = "no_suspect_identified"
    ACTION_BY_ANOTHER_BODY = "action_by_another_body"
    FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST = "further_investigation_not_in_public_interest"


class OutcomeType(enum.Enum):
    """A Home Office crime outcome type, by its official code.

    The codes are those of the Home Office crime outcomes framework; ``0``
    marks an outcome not yet assigned.  Each has its official wording as
    :attr:`label` and its summary :attr:`group`.

    >>> from cse_programme import OutcomeType
    >>> OutcomeType("1A").label
    'Charged or summonsed: alternative offence'
    >>> OutcomeType.CHARGED_OR_SUMMONSED.group
    <OutcomeGroup.CHARGED_OR_SUMMONSED: 'charged_or_summonsed'>
    """

    NOT_YET_ASSIGNED = "0"
    CHARGED_OR_SUMMONSED = "1"
    CHARGED_ALTERNATIVE_OFFENCE = "1A"
    CAUTION_YOUTH = "2"
    CAUTION_ADULT = "3"
    TAKEN_INTO_CONSIDERATION = "4"
    OFFENDER_DIED = "5"
    PENALTY_NOTICE_FOR_DISORDER = "6"
    CANNABIS_OR_KHAT_WARNING = "7"
    COMMUNITY_RESOLUTION = "8"
    PROSECUTION_NOT_IN_PUBLIC_INTEREST_CPS = "9"
    FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST_POLICE = "10"
    PREVENTED_SUSPECT_UNDER_AGE = "11"
    PREVENTED_SUSPECT_TOO_ILL = "12"
    PREVENTED_VICTIM_OR_WITNESS_UNABLE = "13"
    EVIDENTIAL_NO_SUSPECT_VICTIM_DOES_NOT_SUPPORT = "14"
    EVIDENTIAL_VICTIM_SUPPORTS_ACTION = "15"
    EVIDENTIAL_VICTIM_DOES_NOT_SUPPORT = "16"
    TIME_LIMIT_EXPIRED = "17"
    INVESTIGATION_COMPLETE_NO_SUSPECT = "18"
    NATIONAL_FRAUD_INTELLIGENCE_BUREAU_FILED = "19"
    ACTION_BY_ANOTHER_BODY = "20"
    FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST = "21"
    DIVERSIONARY_ACTIVITY = "22"

    @property
    def label(self) -> str:
        """The outcome's wording."""
        return _OUTCOME_LABELS[self][0]

    @property
    def group(self) -> OutcomeGroup:
        """The summary group the Home Office reports the outcome under."""
        return _OUTCOME_LABELS[self][1]


_G = OutcomeGroup
_OUTCOME_LABELS: Final[dict[OutcomeType, tuple[str, OutcomeGroup]]] = {
    OutcomeType.NOT_YET_ASSIGNED: ("Outcome not yet assigned", _G.NOT_YET_ASSIGNED),
    OutcomeType.CHARGED_OR_SUMMONSED: ("Charged or summonsed", _G.CHARGED_OR_SUMMONSED),
    OutcomeType.CHARGED_ALTERNATIVE_OFFENCE: (
        "Charged or summonsed: alternative offence",
        _G.CHARGED_OR_SUMMONSED,
    ),
    OutcomeType.CAUTION_YOUTH: ("Caution: youth", _G.OUT_OF_COURT_FORMAL),
    OutcomeType.CAUTION_ADULT: ("Caution: adult", _G.OUT_OF_COURT_FORMAL),
    OutcomeType.TAKEN_INTO_CONSIDERATION: (
        "Taken into consideration",
        _G.TAKEN_INTO_CONSIDERATION,
    ),
    OutcomeType.OFFENDER_DIED: (
        "Prosecution prevented: the offender has died",
        _G.PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.PENALTY_NOTICE_FOR_DISORDER: (
        "Penalty notice for disorder",
        _G.OUT_OF_COURT_FORMAL,
    ),
    OutcomeType.CANNABIS_OR_KHAT_WARNING: ("Cannabis or khat warning", _G.OUT_OF_COURT_FORMAL),
    OutcomeType.COMMUNITY_RESOLUTION: ("Community resolution", _G.OUT_OF_COURT_INFORMAL),
    OutcomeType.PROSECUTION_NOT_IN_PUBLIC_INTEREST_CPS: (
        "Prosecution not in the public interest (CPS decision)",
        _G.PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST_POLICE: (
        "Formal action not in the public interest (police decision)",
        _G.PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.PREVENTED_SUSPECT_UNDER_AGE: (
        "Prosecution prevented: suspect below the age of criminal responsibility",
        _G.PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.PREVENTED_SUSPECT_TOO_ILL: (
        "Prosecution prevented: suspect too ill to prosecute",
        _G.PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.PREVENTED_VICTIM_OR_WITNESS_UNABLE: (
        "Prosecution prevented: victim or key witness dead or too ill to give evidence",
        _G.PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.EVIDENTIAL_NO_SUSPECT_VICTIM_DOES_NOT_SUPPORT: (
        "Evidential difficulties: suspect not identified; victim does not support action",
        _G.EVIDENTIAL_DIFFICULTIES,
    ),
    OutcomeType.EVIDENTIAL_VICTIM_SUPPORTS_ACTION: (
        "Evidential difficulties: suspect identified; victim supports action",
        _G.EVIDENTIAL_DIFFICULTIES,
    ),
    OutcomeType.EVIDENTIAL_VICTIM_DOES_NOT_SUPPORT: (
        "Evidential difficulties: suspect identified; victim does not support action",
        _G.EVIDENTIAL_DIFFICULTIES,
    ),
    OutcomeType.TIME_LIMIT_EXPIRED: (
        "Prosecution time limit expired",
        _G.PROSECUTION_PREVENTED_OR_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.INVESTIGATION_COMPLETE_NO_SUSPECT: (
        "Investigation complete: no suspect identified",
        _G.INVESTIGATION_COMPLETE_NO_SUSPECT,
    ),
    OutcomeType.NATIONAL_FRAUD_INTELLIGENCE_BUREAU_FILED: (
        "Filed by the National Fraud Intelligence Bureau",
        _G.INVESTIGATION_COMPLETE_NO_SUSPECT,
    ),
    OutcomeType.ACTION_BY_ANOTHER_BODY: (
        "Further action to be taken by another body or agency",
        _G.ACTION_BY_ANOTHER_BODY,
    ),
    OutcomeType.FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST: (
        "Further investigation to support formal action not in the public interest",
        _G.FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST,
    ),
    OutcomeType.DIVERSIONARY_ACTIVITY: (
        "Diversionary, educational or intervention activity; no further action in the "
        "public interest",
        _G.OUT_OF_COURT_INFORMAL,
    ),
}


@attrs.frozen(kw_only=True)
class OutcomePolicy:
    """A named, documented rule saying which outcome types count as "positive".

    There is no national definition of a positive outcome, so figures such as
    "positive outcomes rising by 6.2%" mean only what their policy says.  The
    library ships :data:`SANCTION_OR_COMMUNITY_RESOLUTION` and
    :data:`CHARGED_ONLY`; make your own for other definitions.

    >>> from cse_programme import CHARGED_ONLY, OutcomeType, SANCTION_OR_COMMUNITY_RESOLUTION
    >>> SANCTION_OR_COMMUNITY_RESOLUTION.is_positive(OutcomeType.COMMUNITY_RESOLUTION)
    True
    >>> CHARGED_ONLY.is_positive(OutcomeType.COMMUNITY_RESOLUTION)
    False
    """

    name: str = attrs.field(validator=text(100))
    description: str = attrs.field(validator=text(2000))
    positive: frozenset[OutcomeType] = attrs.field(
        validator=set_of(OutcomeType, "an OutcomeType", non_empty=True)
    )

    def is_positive(self, outcome: OutcomeType) -> bool:
        """Whether *outcome* counts as positive under this policy."""
        return outcome in self.positive


SANCTION_OR_COMMUNITY_RESOLUTION: Final = OutcomePolicy(
    name="Sanction or community resolution",
    description=(
        "Charge or summons (1, 1A), cautions (2, 3), offences taken into consideration (4), "
        "penalty notices for disorder (6), cannabis or khat warnings (7) and community "
        "resolutions (8): the outcomes in which the police took formal or informal action "
        "against a named offender."
    ),
    positive=frozenset(
        {
            OutcomeType.CHARGED_OR_SUMMONSED,
            OutcomeType.CHARGED_ALTERNATIVE_OFFENCE,
            OutcomeType.CAUTION_YOUTH,
            OutcomeType.CAUTION_ADULT,
            OutcomeType.TAKEN_INTO_CONSIDERATION,
            OutcomeType.PENALTY_NOTICE_FOR_DISORDER,
            OutcomeType.CANNABIS_OR_KHAT_WARNING,
            OutcomeType.COMMUNITY_RESOLUTION,
        }
    ),
)
CHARGED_ONLY: Final = OutcomePolicy(
    name="Charged or summonsed",
    description="Only a charge or summons (1, 1A) counts as positive.",
    positive=frozenset({OutcomeType.CHARGED_OR_SUMMONSED, OutcomeType.CHARGED_ALTERNATIVE_OFFENCE}),
)


#: The most suspects, or victims, one case record may count.  A case counts the
#: people of one investigation; the bound is above the number of cases in the
#: whole Met review (about 9,000), far above any one case, and it keeps a
#: mistyped or hostile count (thousands of digits) out of tables and sums.
MAX_PEOPLE_IN_A_CASE: Final = 10_000


@attrs.frozen(kw_only=True)
class Outcome:
    """The outcome recorded for one suspect in a reviewed case.

    *suspect* is the suspect's number within the case (1, 2, ...): never a
    name.

    >>> import datetime
    >>> from cse_programme import Outcome, OutcomeType
    >>> outcome = Outcome(
    ...     suspect=1, type=OutcomeType.CHARGED_OR_SUMMONSED, recorded=datetime.date(2025, 9, 1)
    ... )
    >>> outcome.type.group.value
    'charged_or_summonsed'

    """

    suspect: int = attrs.field(validator=whole_number(1, MAX_PEOPLE_IN_A_CASE))
    type: OutcomeType = attrs.field(validator=member_of(OutcomeType))
    recorded: dt.date = attrs.field(validator=calendar_day())


def _check_stated_change(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if type(value) is not Decimal:
        raise fail(attribute.name, "must be a Decimal percentage", "type")
    if not value.is_finite():
        raise fail(attribute.name, "must be a finite number", "not_finite")


@attrs.frozen(kw_only=True)
class Observation:
    """A value measured over a period.

    *period_label* keeps the source's own words ("the last six months");
    *period* holds dates only where they were published.

    >>> from cse_programme import Observation
    >>> Observation(value=207, period_label="the last six months").period is None
    True
    """

    value: int | None = attrs.field(default=None, validator=optional(whole_number()))
    period_label: str = attrs.field(validator=text(200))
    period: Period | None = attrs.field(
        default=None, validator=optional(instance_of(Period, "a Period"))
    )


@attrs.frozen(kw_only=True)
class OutcomeMeasure:
    """A measured outcome compared with its baseline, with exact comparisons.

    >>> from cse_programme import ClaimId, MeasureId, Observation, OutcomeMeasure, Unit
    >>> charged = OutcomeMeasure(
    ...     id=MeasureId("measure-suspects-charged"),
    ...     name="Suspects charged for CSE",
    ...     unit=Unit.SUSPECTS,
    ...     current=Observation(value=207, period_label="the last six months"),
    ...     baseline=Observation(value=63, period_label="the same period a year earlier"),
    ...     claims=(ClaimId("claim-suspects-charged"),),
    ... )
    >>> charged.difference(), charged.ratio(), round(float(charged.ratio()), 2)
    (144, Fraction(23, 7), 3.29)
    >>> charged.percent_change()
    Fraction(1600, 7)
    """

    id: MeasureId = attrs.field(validator=is_id(MeasureId))
    name: str = attrs.field(validator=text(200))
    unit: Unit = attrs.field(validator=member_of(Unit))
    current: Observation = attrs.field(validator=instance_of(Observation, "an Observation"))
    baseline: Observation | None = attrs.field(
        default=None, validator=optional(instance_of(Observation, "an Observation"))
    )
    stated_change_percent: Decimal | None = attrs.field(
        default=None, validator=_check_stated_change
    )
    claims: tuple[ClaimId, ...] = attrs.field(validator=CITES_CLAIMS)
    description: str | None = attrs.field(default=None, validator=optional(text(2000)))

    def _values(self) -> tuple[int, int] | None:
        if self.baseline is None or self.baseline.value is None or self.current.value is None:
            return None
        return self.current.value, self.baseline.value

    def difference(self) -> int | None:
        """Current minus baseline, or ``None`` when either is unknown."""
        values = self._values()
        return None if values is None else values[0] - values[1]

    def ratio(self) -> Fraction | None:
        """Current over baseline, exactly; ``None`` when unknown or the baseline is 0."""
        values = self._values()
        if values is None or values[1] == 0:
            return None
        return Fraction(values[0], values[1])

    def percent_change(self) -> Fraction | None:
        """The change as a percentage of the baseline, exactly.

        Falls back to nothing: a stated percentage without values stays in
        ``stated_change_percent`` and is not recomputed.
        """
        ratio = self.ratio()
        return None if ratio is None else (ratio - 1) * 100
