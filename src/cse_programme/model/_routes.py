"""Reporting routes: where to report an offence or pass on information, and how."""

from __future__ import annotations

from typing import Final

import attrs

from cse_programme.model._areas import Area
from cse_programme.model._eligibility import EligibilityDecision, coverage_reason
from cse_programme.model._evidence import MAY_CITE_CLAIMS, MAY_LIST_SOURCES, URL_PATTERN
from cse_programme.model._ids import ClaimId, OrganisationId, RouteId, SourceId, is_id
from cse_programme.model._rules import InstanceOf, Matching, Optional, SetOf, Text

#: A telephone number as people dial it: digits, spaces, and a leading ``+``.
PHONE_PATTERN: Final = r"^\+?[0-9][0-9 ]{1,28}[0-9]$"


@attrs.frozen(kw_only=True)
class ReportingRoute:
    """A way to report an offence or pass on information about one.

    The route names the *organisation* that takes the report, how to reach
    it (a *phone* number as it is dialled, a web address, or both, when the
    sources give them), whether a report can be made *anonymously*, and the
    areas whose offences it takes reports of.  *coverage* is a set of areas,
    as a service's is, so a national route holds every area it serves.

    >>> from cse_programme.model import ALL_LONDON
    >>> crimestoppers = ReportingRoute(
    ...     id=RouteId("route-crimestoppers"),
    ...     name="Crimestoppers",
    ...     organisation=OrganisationId("org-crimestoppers"),
    ...     anonymous=True,
    ...     phone="0800 555 111",
    ...     coverage=ALL_LONDON.areas,
    ...     claims=(ClaimId("claim-reporting-routes"),),
    ... )
    >>> print(crimestoppers)
    Crimestoppers (anonymous): 0800 555 111
    >>> crimestoppers.covers(Area.lookup("Croydon"))
    True
    """

    id: RouteId = attrs.field(validator=is_id(RouteId))
    name: str = attrs.field(validator=Text(200))
    organisation: OrganisationId = attrs.field(validator=is_id(OrganisationId))
    anonymous: bool = attrs.field(validator=InstanceOf(bool, "true or false"))
    phone: str | None = attrs.field(
        default=None, validator=Optional(Matching(PHONE_PATTERN, "a telephone number"))
    )
    url: str | None = attrs.field(
        default=None, validator=Optional(Matching(URL_PATTERN, "an https:// address"))
    )
    coverage: frozenset[Area] = attrs.field(validator=SetOf(Area, "an Area", non_empty=True))
    description: str | None = attrs.field(default=None, validator=Optional(Text(2000)))
    claims: tuple[ClaimId, ...] = attrs.field(default=(), validator=MAY_CITE_CLAIMS)
    sources: tuple[SourceId, ...] = attrs.field(default=(), validator=MAY_LIST_SOURCES)

    def covers(self, area: Area) -> bool:
        """Whether the route takes reports of offences in *area*."""
        return area in self.coverage

    def eligibility_for(self, *, area: Area) -> EligibilityDecision:
        """Whether a person in *area* can use the route, and why.

        Anyone may report an offence or pass on information, so only the
        area decides.

        >>> from cse_programme import Area, RouteId
        >>> from cse_programme.datasets import london_2025
        >>> crimestoppers = london_2025().route(RouteId("route-crimestoppers"))
        >>> crimestoppers.eligibility_for(area=Area.lookup("Manchester")).reasons
        ('covers England and Wales, including Manchester', 'takes anonymous reports')
        >>> met = london_2025().route(RouteId("route-metropolitan-police"))
        >>> met.eligibility_for(area=Area.lookup("Manchester")).reasons
        ('does not cover Manchester',)
        """
        if not self.covers(area):
            return EligibilityDecision(eligible=False, reasons=(f"does not cover {area.name}",))
        reasons = [coverage_reason(self.coverage, area)]
        if self.anonymous:
            reasons.append("takes anonymous reports")
        return EligibilityDecision(eligible=True, reasons=tuple(reasons))

    def __str__(self) -> str:
        ways = ", ".join(way for way in (self.phone, self.url) if way)
        name = f"{self.name} (anonymous)" if self.anonymous else self.name
        return f"{name}: {ways or 'no number or address published'}"
