"""Organisations and the support services they run."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from cse_programme.model._areas import Area, AreaGroup, PoliceForceArea, all_of_london
from cse_programme.model._dates import PartialDate
from cse_programme.model._eligibility import EligibilityDecision, coverage_reason
from cse_programme.model._evidence import MAY_CITE_CLAIMS, MAY_LIST_SOURCES, URL_PATTERN
from cse_programme.model._ids import (
    ClaimId,
    IndicatorId,
    OrganisationId,
    ServiceId,
    SourceId,
    is_id,
)
from cse_programme.model._quantities import AgeRange
from cse_programme.model._rules import (
    WRITTEN_WHEN_SET,
    AndThen,
    InstanceOf,
    Matching,
    MemberOf,
    Optional,
    SetOf,
    Text,
    TupleOf,
    fail,
)
from cse_programme.model._vocabulary import (
    AbuseContext,
    OrganisationKind,
    ReferralRoute,
    SupportKind,
    SurvivorGroup,
)


def _check_police_force_area(
    instance: Organisation, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value is not None and instance.kind is not OrganisationKind.POLICE_FORCE:
        raise fail(
            attribute.name,
            "must be empty unless the organisation is a police force",
            "not_a_police_force",
        )


@attrs.frozen(kw_only=True)
class Organisation:
    """A body that funds, runs, oversees or works in the programme.

    A police force carries the :class:`PoliceForceArea` it polices, so that
    case records naming the force (the ``force`` of a :class:`CaseReview`) can be placed
    in its districts.

    *claims* are the claims that say what the organisation does in the
    programme; *sources* are where its identifier or name come from when no
    claim quotes them (a register, for an org-id).

    >>> gla = Organisation(
    ...     id=OrganisationId("GB-LAE-GLA"),
    ...     name="Mayor of London",
    ...     kind=OrganisationKind.MAYORAL_OFFICE,
    ... )
    >>> gla.kind.label
    'Mayoral office'
    >>> gmp = Organisation(
    ...     id=OrganisationId("org-greater-manchester-police"),
    ...     name="Greater Manchester Police",
    ...     kind=OrganisationKind.POLICE_FORCE,
    ...     police_force_area=PoliceForceArea.lookup("Greater Manchester"),
    ... )
    >>> Area.lookup("Oldham") in gmp.police_force_area.areas
    True
    """

    id: OrganisationId = attrs.field(validator=is_id(OrganisationId))
    name: str = attrs.field(validator=Text(200))
    kind: OrganisationKind = attrs.field(validator=MemberOf(OrganisationKind))
    short_name: str | None = attrs.field(default=None, validator=Optional(Text(40)))
    police_force_area: PoliceForceArea | None = attrs.field(
        default=None,
        validator=AndThen(
            Optional(InstanceOf(PoliceForceArea, "a PoliceForceArea")), _check_police_force_area
        ),
        metadata=WRITTEN_WHEN_SET,
    )
    claims: tuple[ClaimId, ...] = attrs.field(default=(), validator=MAY_CITE_CLAIMS)
    sources: tuple[SourceId, ...] = attrs.field(default=(), validator=MAY_LIST_SOURCES)


@attrs.frozen(kw_only=True)
class ExtendedEligibility:
    """A further age range a service accepts under a stated condition.

    >>> ExtendedEligibility(
    ...     age=AgeRange(18, 25), condition="with learning disabilities or additional needs"
    ... ).age
    AgeRange(min=18, max=25)
    """

    age: AgeRange = attrs.field(validator=InstanceOf(AgeRange, "an AgeRange"))
    condition: str = attrs.field(validator=Text())


@attrs.frozen(kw_only=True)
class Eligibility:
    """Who a service is for.

    *age* is the main age range, or ``None`` where no age limits have been
    published; *extended* lists further ranges accepted under a condition
    (for example 18-25 with learning disabilities); *notes* says anything
    else a person should know about who can use the service.

    >>> rule = Eligibility(age=AgeRange(0, 18), groups=frozenset({SurvivorGroup.CHILDREN}))
    >>> rule.admits_age(17), rule.admits_age(30)
    (True, False)
    """

    groups: frozenset[SurvivorGroup] = attrs.field(
        validator=SetOf(SurvivorGroup, "a SurvivorGroup", non_empty=True)
    )
    age: AgeRange | None = attrs.field(
        default=None, validator=Optional(InstanceOf(AgeRange, "an AgeRange"))
    )
    extended: tuple[ExtendedEligibility, ...] = attrs.field(
        default=(), validator=TupleOf(ExtendedEligibility, "an ExtendedEligibility")
    )
    notes: str | None = attrs.field(default=None, validator=Optional(Text(500)))

    def admits_age(self, age: int) -> bool:
        """Whether a person of *age* meets the main age range (no conditions).

        With no published age range, every age is admitted.
        """
        return self.age is None or self.age.contains(age)

    def conditions_for(self, age: int) -> tuple[str, ...]:
        """The conditions under which a person of *age* could be accepted.

        Empty when the main age range admits them outright or nothing does.
        """
        if self.admits_age(age):
            return ()
        return tuple(rule.condition for rule in self.extended if rule.age.contains(age))

    def decide(self, age: int, group: SurvivorGroup | None = None) -> EligibilityDecision:
        """Whether a person of *age* is admitted, with the reasons and any conditions.

        A published age range is the service's own word on whom it serves,
        and it may cross 18: the person's *group* decides only where no
        range is published.  By default a person is a child under 18 and an
        adult from 18.

        >>> from cse_programme import Eligibility, SurvivorGroup
        >>> rule = Eligibility(groups=frozenset({SurvivorGroup.CHILDREN}))
        >>> rule.decide(15).reasons
        ('publishes no age limits', 'serves children and young people')
        >>> decision = rule.decide(30)
        >>> decision.eligible, decision.reasons
        (False, ('publishes no age limits and does not serve adult survivors',))
        """
        person = group or (SurvivorGroup.CHILDREN if age < 18 else SurvivorGroup.ADULTS)
        serves = person in self.groups
        conditions = self.conditions_for(age)
        if conditions:
            admitted, reason = True, f"admits age {age} on a condition"
        elif self.age is None:
            admitted, reason = serves, "publishes no age limits"
            if not serves:
                reason += f" and does not serve {person.label.lower()}"
        elif self.age.contains(age):
            admitted, reason = True, f"admits ages {self.age}"
        else:
            admitted, reason = False, f"admits ages {self.age}, not {age}"
        reasons = (reason, f"serves {person.label.lower()}") if admitted and serves else (reason,)
        return EligibilityDecision(eligible=admitted, reasons=reasons, conditions=conditions)


def _check_partners(instance: SupportService, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.provider is not None and instance.provider in value:
        raise fail(attribute.name, "must not repeat the provider", "provider_as_partner")


@attrs.frozen(kw_only=True)
class SupportService:
    """A service that supports victims and survivors of child sexual abuse and exploitation.

    *provider* is ``None`` where the sources do not name who runs the
    service; *coverage* is the set of districts where people can use it (a
    service for a whole group, such as a police force area or England and
    Wales, covers every district of the group); *claims* are the quoted
    words the description rests on, and *sources* lists where the
    description of the service comes from.

    >>> from cse_programme.model import NORTH_CENTRAL_LONDON
    >>> lighthouse = SupportService(
    ...     id=ServiceId("svc-lighthouse"),
    ...     name="The Lighthouse",
    ...     provider=OrganisationId("GB-NHS-RRV"),
    ...     partners=frozenset({OrganisationId("org-metropolitan-police")}),
    ...     support=frozenset({SupportKind.CHILD_HOUSE, SupportKind.ADVOCACY}),
    ...     eligibility=Eligibility(
    ...         age=AgeRange(0, 18), groups=frozenset({SurvivorGroup.CHILDREN})
    ...     ),
    ...     contexts=frozenset(AbuseContext),
    ...     coverage=NORTH_CENTRAL_LONDON.areas,
    ...     referral_routes=frozenset({ReferralRoute.SELF, ReferralRoute.PROFESSIONAL}),
    ...     established=PartialDate(2018),
    ... )
    >>> lighthouse.covers(Area.lookup("Camden")), lighthouse.covers(Area.lookup("Croydon"))
    (True, False)
    """

    id: ServiceId = attrs.field(validator=is_id(ServiceId))
    name: str = attrs.field(validator=Text(200))
    provider: OrganisationId | None = attrs.field(
        default=None, validator=Optional(is_id(OrganisationId))
    )
    partners: frozenset[OrganisationId] = attrs.field(
        default=frozenset(),
        validator=AndThen(SetOf(OrganisationId, "an OrganisationId"), _check_partners),
    )
    support: frozenset[SupportKind] = attrs.field(
        validator=SetOf(SupportKind, "a SupportKind", non_empty=True)
    )
    eligibility: Eligibility = attrs.field(validator=InstanceOf(Eligibility, "an Eligibility"))
    contexts: frozenset[AbuseContext] = attrs.field(
        validator=SetOf(AbuseContext, "an AbuseContext", non_empty=True)
    )
    coverage: frozenset[Area] = attrs.field(validator=SetOf(Area, "an Area", non_empty=True))
    referral_routes: frozenset[ReferralRoute] = attrs.field(
        default=frozenset(), validator=SetOf(ReferralRoute, "a ReferralRoute")
    )
    established: PartialDate | None = attrs.field(
        default=None, validator=Optional(InstanceOf(PartialDate, "a PartialDate"))
    )
    people_supported: IndicatorId | None = attrs.field(
        default=None, validator=Optional(is_id(IndicatorId))
    )
    description: str | None = attrs.field(default=None, validator=Optional(Text(2000)))
    sources: tuple[SourceId, ...] = attrs.field(default=(), validator=MAY_LIST_SOURCES)
    url: str | None = attrs.field(
        default=None, validator=Optional(Matching(URL_PATTERN, "an https:// address"))
    )
    claims: tuple[ClaimId, ...] = attrs.field(default=(), validator=MAY_CITE_CLAIMS)

    def covers(self, area: Area) -> bool:
        """Whether the service is available to people in *area*."""
        return area in self.coverage

    def eligibility_for(
        self,
        *,
        age: int,
        area: Area,
        contexts: Iterable[AbuseContext] = (),
        group: SurvivorGroup | None = None,
    ) -> EligibilityDecision:
        """Whether a person of *age* in *area* can use the service, and why.

        The person can when the service covers *area* and every context in
        *contexts*, and its eligibility admits them (see
        :meth:`Eligibility.decide`; *group* says whether they are served as
        a child or an adult where no age range is published).  Otherwise the
        reasons say every check they fail.

        >>> from cse_programme import Area, ServiceId
        >>> from cse_programme.datasets import london_2025
        >>> isva = london_2025().service(ServiceId("svc-isva"))
        >>> for reason in isva.eligibility_for(age=15, area=Area.lookup("Camden")).reasons:
        ...     print(reason)
        covers all of London, including Camden
        publishes no age limits
        serves children and young people
        """
        wanted = frozenset(contexts)
        admits = self.eligibility.decide(age, group)
        missing = wanted - self.contexts
        covered = self.covers(area)
        if covered and admits.eligible and not missing:
            reasons = [coverage_reason(self.coverage, area), *admits.reasons]
            if wanted:
                labels = ", ".join(sorted(context.label.lower() for context in wanted))
                reasons.append(f"covers {labels}")
            return attrs.evolve(admits, reasons=tuple(reasons))
        refusals = [] if covered else [f"does not cover {area.name}"]
        if not admits.eligible:
            refusals.extend(admits.reasons)
        if missing:
            labels = ", ".join(sorted(context.label.lower() for context in missing))
            refusals.append(f"does not cover {labels}")
        return EligibilityDecision(eligible=False, reasons=tuple(refusals))

    def covers_whole(self, group: AreaGroup | PoliceForceArea) -> bool:
        """Whether the service covers every district of *group*.

        >>> service = SupportService(
        ...     id=ServiceId("svc-national"),
        ...     name="A national line",
        ...     support=frozenset({SupportKind.INFORMATION}),
        ...     eligibility=Eligibility(groups=frozenset({SurvivorGroup.ADULTS})),
        ...     contexts=frozenset(AbuseContext),
        ...     coverage=ENGLAND_AND_WALES.areas,
        ... )
        >>> service.covers_whole(WALES), service.covers_whole(PoliceForceArea.lookup("Kent"))
        (True, True)
        """
        return group.areas <= self.coverage

    def is_pan_london(self) -> bool:
        """Whether the service covers exactly London's 33 districts, no more and no less.

        A service covering more (a national line, say) is not a London service:
        use :meth:`covers_whole` to ask whether it covers all of London.
        """
        return self.coverage == all_of_london().areas
