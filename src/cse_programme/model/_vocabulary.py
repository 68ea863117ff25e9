"""The programme's controlled vocabularies.

Each is an :class:`enum.Enum` whose values are the stable, lower-case words
used in documents; :attr:`~Vocabulary.label` gives the words for people.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class Vocabulary(enum.Enum):
    """Base of the controlled vocabularies: a wire value and a label."""

    @property
    def label(self) -> str:
        """The term as people read it.

        >>> from cse_programme import AbuseContext
        >>> AbuseContext.PEER_ON_PEER.label
        'Peer-on-peer abuse'
        """
        return _LABELS[self]


class OrganisationKind(Vocabulary):
    """What kind of body an organisation is."""

    POLICE_FORCE = "police_force"
    NATIONAL_AGENCY = "national_agency"
    NATIONAL_POLICING_BODY = "national_policing_body"
    INSPECTORATE = "inspectorate"
    PROSECUTOR = "prosecutor"
    MAYORAL_OFFICE = "mayoral_office"
    LOCAL_AUTHORITY = "local_authority"
    NHS_TRUST = "nhs_trust"
    CHARITY = "charity"
    PUBLIC_INQUIRY = "public_inquiry"
    PARTNERSHIP = "partnership"
    OTHER = "other"


class SupportKind(Vocabulary):
    """A kind of help a service gives."""

    ADVOCACY = "advocacy"
    """Advocacy, including Independent Sexual Violence Advocates (ISVAs)."""
    COUNSELLING = "counselling"
    THERAPY = "therapy"
    WELLBEING = "wellbeing"
    """Emotional and physical wellbeing support."""
    MEDICAL = "medical"
    FORENSIC_INTERVIEW = "forensic_interview"
    INFORMATION = "information"
    """Information, signposting and routes into other services."""
    CHILD_HOUSE = "child_house"
    """Multi-agency support in one child-friendly place (the Barnahus model)."""


class AbuseContext(Vocabulary):
    """A context in which child sexual abuse or exploitation happens.

    One case or service can span several, so the model always holds a set.
    """

    CHILD_SEXUAL_EXPLOITATION = "cse"
    """Child sexual exploitation not placed in a narrower context."""
    GROUP_BASED = "group_based"
    """Gang-related or group-based exploitation, including "grooming gangs"."""
    INTRAFAMILIAL = "intrafamilial"
    INSTITUTIONAL = "institutional"
    """Abuse within institutions such as schools and care homes."""
    PEER_ON_PEER = "peer_on_peer"
    ONLINE = "online"
    SINGLE_INCIDENT_MULTIPLE_SUSPECTS = "single_incident_multiple_suspects"
    """A single incident with more than one suspect."""


class ReferralRoute(Vocabulary):
    """How a person can be referred to a service."""

    SELF = "self"
    PARENT_OR_CARER = "parent_or_carer"
    POLICE = "police"
    SOCIAL_CARE = "social_care"
    HEALTH = "health"
    EDUCATION = "education"
    PROFESSIONAL = "professional"
    """Any other professional."""


class SurvivorGroup(Vocabulary):
    """Whether a service is for children or for adult survivors."""

    CHILDREN = "children"
    """Children and young people, for abuse that is happening or recent."""
    ADULTS = "adults"
    """Adult survivors, including of abuse suffered as a child."""


class Unit(Vocabulary):
    """What an indicator or measure counts."""

    PEOPLE = "people"
    VICTIMS_AND_SURVIVORS = "victims_and_survivors"
    OFFICERS = "officers"
    OFFICERS_AND_STAFF = "officers_and_staff"
    CASES = "cases"
    SUSPECTS = "suspects"
    OUTCOMES = "outcomes"


class FigureUnit(Vocabulary):
    """What a figure in a claim is a number of.

    Years and dates a claim states are dates, not figures: a
    :class:`~cse_programme.Claim` holds them in ``dates``, at the precision
    stated.
    """

    COUNT = "count"
    GBP = "gbp"
    PERCENT = "percent"
    RATIO = "ratio"
    AGE = "age"
    """An age in whole years: the 18 of "under 18"."""
    YEARS = "years"
    """A length of time in years: the 15 of "over the past 15 years"."""


class Qualifier(Vocabulary):
    """The word a source puts before a figure, which says how the figure holds.

    A figure stated plainly has no qualifier.

    >>> from cse_programme import Qualifier
    >>> Qualifier.MORE_THAN.label
    'more than'
    """

    ABOUT = "about"
    """An approximate figure: "approximately 3,000"."""
    MORE_THAN = "more_than"
    """A floor: "more than £233m", "over 11,000"."""
    MAYBE = "maybe"
    """An expectation, not a count: "maybe 2,000 or 3,000 cases"."""


class FigureRole(Vocabulary):
    """What a figure in a claim says about the thing the claim is cited for."""

    VALUE = "value"
    """The value itself: a total, a count, an indicator's figure."""
    BASELINE = "baseline"
    """The value it is compared with, such as the same period a year earlier."""
    DIFFERENCE = "difference"
    """How much the value changed: "134 additional suspects"."""
    RATIO = "ratio"
    """How many times the baseline the value is: "three times"."""
    PERCENT_CHANGE = "percent_change"
    """The change as a percentage of the baseline: "rising by 6.2%"."""
    LOW = "low"
    """The low end of a stated range."""
    HIGH = "high"
    """The high end of a stated range."""
    CONTEXT = "context"
    """A number that sets the scene (a year, a number of boroughs) and is not tested."""


def name_labels(labels: Mapping[Vocabulary, str]) -> None:
    """Give the members of a vocabulary defined beside the concept it belongs to their labels."""
    _LABELS.update(labels)


_LABELS: dict[Vocabulary, str] = {
    OrganisationKind.POLICE_FORCE: "Police force",
    OrganisationKind.NATIONAL_AGENCY: "National agency",
    OrganisationKind.NATIONAL_POLICING_BODY: "National policing body",
    OrganisationKind.INSPECTORATE: "Inspectorate",
    OrganisationKind.PROSECUTOR: "Prosecutor",
    OrganisationKind.MAYORAL_OFFICE: "Mayoral office",
    OrganisationKind.LOCAL_AUTHORITY: "Local authority",
    OrganisationKind.NHS_TRUST: "NHS trust",
    OrganisationKind.CHARITY: "Charity",
    OrganisationKind.PUBLIC_INQUIRY: "Public inquiry",
    OrganisationKind.PARTNERSHIP: "Partnership",
    OrganisationKind.OTHER: "Other",
    SupportKind.ADVOCACY: "Advocacy (including ISVAs)",
    SupportKind.COUNSELLING: "Counselling",
    SupportKind.THERAPY: "Therapy",
    SupportKind.WELLBEING: "Emotional and physical wellbeing",
    SupportKind.MEDICAL: "Medical care",
    SupportKind.FORENSIC_INTERVIEW: "Forensic interview",
    SupportKind.INFORMATION: "Information and signposting",
    SupportKind.CHILD_HOUSE: "Child House (multi-agency, one place)",
    AbuseContext.CHILD_SEXUAL_EXPLOITATION: "Child sexual exploitation",
    AbuseContext.GROUP_BASED: "Gang-related or group-based exploitation",
    AbuseContext.INTRAFAMILIAL: "Intra-familial abuse",
    AbuseContext.INSTITUTIONAL: "Institutional abuse",
    AbuseContext.PEER_ON_PEER: "Peer-on-peer abuse",
    AbuseContext.ONLINE: "Online exploitation",
    AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS: "Single incident, more than one suspect",
    ReferralRoute.SELF: "Self-referral",
    ReferralRoute.PARENT_OR_CARER: "Parent or carer",
    ReferralRoute.POLICE: "Police",
    ReferralRoute.SOCIAL_CARE: "Children's social care",
    ReferralRoute.HEALTH: "Health",
    ReferralRoute.EDUCATION: "Education",
    ReferralRoute.PROFESSIONAL: "Other professional",
    SurvivorGroup.CHILDREN: "Children and young people",
    SurvivorGroup.ADULTS: "Adult survivors",
    Unit.PEOPLE: "people",
    Unit.VICTIMS_AND_SURVIVORS: "victims and survivors",
    Unit.OFFICERS: "officers",
    Unit.OFFICERS_AND_STAFF: "officers and staff",
    Unit.CASES: "cases",
    Unit.SUSPECTS: "suspects",
    Unit.OUTCOMES: "outcomes",
    FigureUnit.COUNT: "count",
    FigureUnit.GBP: "pounds sterling",
    FigureUnit.PERCENT: "per cent",
    FigureUnit.RATIO: "times",
    FigureUnit.AGE: "years of age",
    FigureUnit.YEARS: "years",
    Qualifier.ABOUT: "about",
    Qualifier.MORE_THAN: "more than",
    Qualifier.MAYBE: "maybe",
    FigureRole.VALUE: "Value",
    FigureRole.BASELINE: "Baseline",
    FigureRole.DIFFERENCE: "Difference",
    FigureRole.RATIO: "Ratio",
    FigureRole.PERCENT_CHANGE: "Percentage change",
    FigureRole.LOW: "Low end of a range",
    FigureRole.HIGH: "High end of a range",
    FigureRole.CONTEXT: "Context",
}
