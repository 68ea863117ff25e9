"""Whether a person can use a service or a reporting route, and the reasons, in words."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from cse_programme.model._areas import Area, AreaGroup, describe_coverage


@attrs.frozen(kw_only=True)
class EligibilityDecision:
    """Whether a person can use a service or a reporting route, and why.

    *reasons* say why the person is offered it or, when *eligible* is false,
    every reason they are not.  *conditions* are what the person must also
    meet, such as having learning disabilities for a young adult at a
    children's service; it is empty when they are admitted outright.

    Build one with :meth:`SupportService.eligibility_for` or
    :meth:`ReportingRoute.eligibility_for`.

    >>> from cse_programme import Area, ServiceId
    >>> from cse_programme.datasets import london_2025
    >>> lighthouse = london_2025().service(ServiceId("svc-lighthouse"))
    >>> decision = lighthouse.eligibility_for(age=30, area=Area.lookup("Croydon"))
    >>> decision.eligible
    False
    >>> for reason in decision.reasons:
    ...     print(reason)
    does not cover Croydon
    admits ages 0-18, not 30
    """

    eligible: bool
    reasons: tuple[str, ...]
    conditions: tuple[str, ...] = ()


def _phrase(group: AreaGroup) -> str:
    """The group as words in a sentence: "all of London", "the Kent Police area"."""
    if group.police_force_area is not None:
        return f"the {group.name}"
    first, rest = group.name[0], group.name[1:]
    return first.lower() + rest if group.name.startswith("All ") else group.name


def coverage_reason(coverage: Iterable[Area], area: Area) -> str:
    """Why *coverage* reaches *area*, naming the named group it lies in where there is one.

    >>> from cse_programme.model import ALL_LONDON, ENGLAND_AND_WALES, Area, PoliceForceArea
    >>> camden = Area.lookup("Camden")
    >>> coverage_reason(ALL_LONDON.areas, camden)
    'covers all of London, including Camden'
    >>> coverage_reason(ENGLAND_AND_WALES.areas, Area.lookup("Manchester"))
    'covers England and Wales, including Manchester'
    >>> coverage_reason(PoliceForceArea.lookup("Kent").areas, Area.lookup("Medway"))
    'covers the Kent Police area, including Medway'
    >>> coverage_reason({camden, Area.lookup("Barnet")}, camden)
    'covers Camden (one of 2 districts)'
    """
    parts = describe_coverage(coverage)
    groups = [part for part in parts if isinstance(part, AreaGroup)]
    for group in groups:
        if area in group:
            return f"covers {_phrase(group)}, including {area.name}"
    districts = len(parts) - len(groups)
    said = f"covers {area.name}"
    if districts > 1:
        said += f" (one of {districts} districts)"
    if groups:
        said += ", and " + " and ".join(_phrase(group) for group in groups)
    return said
