"""The service finder: which services a person can use, and why each matches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from cse_programme._errors import ValidationError
from cse_programme.model import (
    AbuseContext,
    Area,
    Programme,
    SupportService,
    SurvivorGroup,
    type_name,
)

#: The oldest age the finder takes for a person.
MAX_AGE: Final = 120


def check_age(age: object) -> int:
    """*age* as a whole number of years from 0 to :data:`MAX_AGE`, or the library's error.

    >>> from cse_programme.analysis._finder import check_age
    >>> check_age(15)
    15
    >>> check_age("15")
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
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
    :class:`~cse_programme.ValidationError`).

    >>> from cse_programme.datasets import london_2025
    >>> from cse_programme.analysis import find_services
    >>> first = find_services(london_2025(), age=15, area="Camden")[0]
    >>> first.service.name
    'The Lighthouse'
    >>> for reason in first.reasons:
    ...     print(reason)
    covers Camden (one of 5 areas)
    admits ages 0-18
    serves children and young people
    """
    check_age(age)
    where = area if isinstance(area, Area) else Area.lookup(area)
    wanted = frozenset(contexts)
    person = group or (SurvivorGroup.CHILDREN if age < 18 else SurvivorGroup.ADULTS)
    matches = []
    for service in programme.services_for(age=age, area=where, contexts=wanted, group=group):
        rules = service.eligibility
        if service.is_pan_london():
            reasons = [f"covers all of London, including {where.name}"]
        else:
            reasons = [f"covers {where.name} (one of {len(service.coverage)} areas)"]
        conditions = rules.conditions_for(age)
        if conditions:
            reasons.append(f"admits age {age} on a condition")
        elif rules.age is None:
            reasons.append("publishes no age limits")
        else:
            reasons.append(f"admits ages {rules.age}")
        if person in rules.groups:
            reasons.append(f"serves {person.label.lower()}")
        if wanted:
            covered = ", ".join(sorted(context.label.lower() for context in wanted))
            reasons.append(f"covers {covered}")
        matches.append(ServiceMatch(service=service, reasons=tuple(reasons), conditions=conditions))
    return tuple(matches)
