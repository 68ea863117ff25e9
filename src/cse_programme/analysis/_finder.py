"""The service finder: which services and reporting routes a person can use, and why."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from cse_programme._errors import ValidationError
from cse_programme.model import (
    AbuseContext,
    Area,
    Programme,
    ReportingRoute,
    SupportService,
    SurvivorGroup,
)
from cse_programme.model._rules import type_name

#: The oldest age the finder takes for a person.
MAX_AGE: Final = 120


def check_age(age: object) -> int:
    """*age* as a whole number of years from 0 to :data:`MAX_AGE`, or the library's error.

    >>> check_age(15)
    15
    >>> check_age("15")
    Traceback (most recent call last):
    ...
    cse_programme.ValidationError: 1 problem:
      /age: must be a whole number of years, not a string [type]
    """
    if type(age) is not int:
        raise ValidationError.single(
            "/age", f"must be a whole number of years, not {type_name(age)}", "type"
        )
    if not 0 <= age <= MAX_AGE:
        raise ValidationError.single("/age", f"must be from 0 to {MAX_AGE} years", "age_range")
    return age


@attrs.frozen(kw_only=True)
class ServiceMatch:
    """A service a person can use, with the reasons it matches.

    *conditions* lists what the person must also meet (for example having
    learning disabilities, for a young adult at a children's service); it is
    empty when the service admits them outright.
    """

    service: SupportService
    reasons: tuple[str, ...]
    conditions: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class RouteMatch:
    """A way for a person to report an offence or pass on information, with why it is offered."""

    route: ReportingRoute
    reasons: tuple[str, ...]


def _where(area: Area | str) -> Area:
    return area if isinstance(area, Area) else Area.lookup(area)


def find_services(
    programme: Programme,
    *,
    age: int,
    area: Area | str,
    contexts: Iterable[AbuseContext] = (),
    group: SurvivorGroup | None = None,
) -> tuple[ServiceMatch, ...]:
    """Services for a person of *age* in *area*, most local first, each with why.

    *area* is an :class:`~cse_programme.Area`, or a district's GSS code or name;
    *age* is a whole number of years from 0 to 120 (anything else raises
    :class:`~cse_programme.ValidationError`).  The decision and its reasons
    are the service's own (:meth:`~cse_programme.SupportService.eligibility_for`),
    the same that :meth:`~cse_programme.Programme.services_for` goes by.
    Reporting routes are found by :func:`find_routes`.

    >>> from cse_programme.datasets import london_2025
    >>> first = find_services(london_2025(), age=15, area="Camden")[0]
    >>> first.service.name
    'The Lighthouse'
    >>> for reason in first.reasons:
    ...     print(reason)
    covers Camden (one of 5 districts)
    admits ages 0-18
    serves children and young people
    >>> find_services(london_2025(), age=15, area="Manchester")
    ()
    """
    check_age(age)
    where = _where(area)
    wanted = frozenset(contexts)
    matches = []
    for service in programme.services_for(age=age, area=where, contexts=wanted, group=group):
        decision = service.eligibility_for(age=age, area=where, contexts=wanted, group=group)
        matches.append(
            ServiceMatch(service=service, reasons=decision.reasons, conditions=decision.conditions)
        )
    return tuple(matches)


def find_routes(programme: Programme, *, area: Area | str) -> tuple[RouteMatch, ...]:
    """Ways for a person in *area* to report an offence or pass on information, most local first.

    Routes are offered to anyone, whatever their age, wherever they cover
    *area*: a national route everywhere, a force's own route in its
    districts.

    >>> from cse_programme.datasets import london_2025
    >>> for match in find_routes(london_2025(), area="Manchester"):
    ...     print(match.route)
    ...     for reason in match.reasons:
    ...         print(f"  {reason}")
    Crimestoppers (anonymous): 0800 555 111
      covers England and Wales, including Manchester
      takes anonymous reports
    >>> [match.route.name for match in find_routes(london_2025(), area="Camden")]
    ['Report to the Met', 'Crimestoppers']
    """
    where = _where(area)
    return tuple(
        RouteMatch(route=route, reasons=route.eligibility_for(area=where).reasons)
        for route in programme.routes_for(where)
    )
