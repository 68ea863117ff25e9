"""The programme as a whole: every part, with each reference resolved."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

import attrs

from cse_programme._errors import Problem, ValidationError
from cse_programme.model._areas import Area
from cse_programme.model._evidence import Claim, Indicator, Source
from cse_programme.model._funding import Allocation, FundingPackage
from cse_programme.model._ids import (
    ClaimId,
    FundingPackageId,
    Identifier,
    IndicatorId,
    OrganisationId,
    RouteId,
    ServiceId,
    SourceId,
)
from cse_programme.model._outcomes import OutcomeMeasure
from cse_programme.model._review import ReviewProgramme
from cse_programme.model._routes import ReportingRoute
from cse_programme.model._rules import (
    Text,
    TupleOf,
)
from cse_programme.model._services import Organisation, SupportService
from cse_programme.model._vocabulary import AbuseContext, SurvivorGroup


def _citations(path: str, part: object) -> Iterator[tuple[str, Identifier, str]]:
    """The claims and sources a record cites, for records that may cite them."""
    for j, claim in enumerate(getattr(part, "claims", ())):
        yield f"{path}/claims/{j}", claim, "claims"
    for j, source in enumerate(getattr(part, "sources", ())):
        yield f"{path}/sources/{j}", source, "sources"


def _references(programme: Programme) -> Iterator[tuple[str, Identifier, str]]:
    """Yield (path, referenced id, collection it must be in) for every reference."""
    for i, organisation in enumerate(programme.organisations):
        yield from _citations(f"/organisations/{i}", organisation)
    for i, service in enumerate(programme.services):
        if service.provider is not None:
            yield f"/services/{i}/provider", service.provider, "organisations"
        for partner in sorted(service.partners):
            yield f"/services/{i}/partners", partner, "organisations"
        yield from _citations(f"/services/{i}", service)
        if service.people_supported is not None:
            yield f"/services/{i}/people_supported", service.people_supported, "indicators"
    for i, route in enumerate(programme.reporting_routes):
        yield f"/reporting_routes/{i}/organisation", route.organisation, "organisations"
        yield from _citations(f"/reporting_routes/{i}", route)
    for i, package in enumerate(programme.funding_packages):
        yield f"/funding_packages/{i}/funder", package.funder, "organisations"
        if package.parent is not None:
            yield f"/funding_packages/{i}/parent", package.parent, "funding_packages"
        for j, allocation in enumerate(package.allocations):
            if allocation.service is not None:
                path = f"/funding_packages/{i}/allocations/{j}/service"
                yield path, allocation.service, "services"
            if allocation.organisation is not None:
                path = f"/funding_packages/{i}/allocations/{j}/organisation"
                yield path, allocation.organisation, "organisations"
        yield from _citations(f"/funding_packages/{i}", package)
    for i, review in enumerate(programme.reviews):
        yield f"/reviews/{i}/lead_force", review.lead_force, "organisations"
        for body in sorted(review.oversight):
            yield f"/reviews/{i}/oversight", body, "organisations"
        yield from _citations(f"/reviews/{i}", review)
        for name in ("cases_under_review", "expected_reinvestigations"):
            estimate = getattr(review, name)
            for j, claim in enumerate(estimate.claims if estimate else ()):
                yield f"/reviews/{i}/{name}/claims/{j}", claim, "claims"
    for collection in ("measures", "indicators"):
        for i, part in enumerate(getattr(programme, collection)):
            yield from _citations(f"/{collection}/{i}", part)
    for i, claim_ in enumerate(programme.claims):
        yield f"/claims/{i}/source", claim_.source, "sources"


_COLLECTIONS = (
    "organisations",
    "services",
    "reporting_routes",
    "funding_packages",
    "reviews",
    "measures",
    "indicators",
    "sources",
    "claims",
)


def _check_parents(programme: Programme) -> list[Problem]:
    parents = {p.id: p.parent for p in programme.funding_packages}
    problems = []
    for index, package in enumerate(programme.funding_packages):
        seen = {package.id}
        parent = package.parent
        while parent is not None and parent in parents:
            if parent in seen:
                problems.append(
                    Problem(
                        f"/funding_packages/{index}/parent",
                        "must not lead back to the package itself",
                        "cycle",
                    )
                )
                break
            seen.add(parent)
            parent = parents[parent]
    return problems


@attrs.frozen(kw_only=True)
class Programme:
    """The whole programme: organisations, services, funding, review, outcomes, sources.

    *reporting_routes* are the ways the sources give to report an offence or
    pass on information, such as Crimestoppers' anonymous line.

    Identifiers are unique within each collection and every reference
    resolves; all problems are reported together.  Look-ups and queries are
    read-only views.

    >>> from cse_programme.datasets import london_2025
    >>> london = london_2025()
    >>> [s.name for s in london.services_for(age=15, area=Area.lookup("Camden"))][0]
    'The Lighthouse'
    """

    name: str = attrs.field(validator=Text(200))
    organisations: tuple[Organisation, ...] = attrs.field(
        default=(), validator=TupleOf(Organisation, "an Organisation")
    )
    services: tuple[SupportService, ...] = attrs.field(
        default=(), validator=TupleOf(SupportService, "a SupportService")
    )
    reporting_routes: tuple[ReportingRoute, ...] = attrs.field(
        default=(), validator=TupleOf(ReportingRoute, "a ReportingRoute")
    )
    funding_packages: tuple[FundingPackage, ...] = attrs.field(
        default=(), validator=TupleOf(FundingPackage, "a FundingPackage")
    )
    reviews: tuple[ReviewProgramme, ...] = attrs.field(
        default=(), validator=TupleOf(ReviewProgramme, "a ReviewProgramme")
    )
    measures: tuple[OutcomeMeasure, ...] = attrs.field(
        default=(), validator=TupleOf(OutcomeMeasure, "an OutcomeMeasure")
    )
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), validator=TupleOf(Indicator, "an Indicator")
    )
    sources: tuple[Source, ...] = attrs.field(default=(), validator=TupleOf(Source, "a Source"))
    claims: tuple[Claim, ...] = attrs.field(default=(), validator=TupleOf(Claim, "a Claim"))
    _tables: _Tables = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        known: dict[str, set[Identifier]] = {}
        for collection in _COLLECTIONS:
            ids: set[Identifier] = set()
            for index, part in enumerate(getattr(self, collection)):
                if part.id in ids:
                    problems.append(
                        Problem(
                            f"/{collection}/{index}/id",
                            f"must be unique among {collection.replace('_', ' ')}",
                            "duplicate_id",
                        )
                    )
                ids.add(part.id)
            known[collection] = ids
        for path, ref, collection in _references(self):
            if ref not in known[collection]:
                problems.append(
                    Problem(
                        path,
                        f"must refer to one of the programme's {collection.replace('_', ' ')}",
                        "dangling_reference",
                    )
                )
        problems.extend(_check_parents(self))
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "_tables", _Tables.of(self))

    # Look-ups.

    def organisation(self, id: OrganisationId) -> Organisation:
        """The organisation with *id* (a :class:`KeyError` if there is none)."""
        return self._tables.organisations[id]

    def service(self, id: ServiceId) -> SupportService:
        """The service with *id* (a :class:`KeyError` if there is none)."""
        return self._tables.services[id]

    def route(self, id: RouteId) -> ReportingRoute:
        """The reporting route with *id* (a :class:`KeyError` if there is none)."""
        return self._tables.routes[id]

    def funding_package(self, id: FundingPackageId) -> FundingPackage:
        """The funding package with *id* (a :class:`KeyError` if there is none)."""
        return self._tables.funding_packages[id]

    def indicator(self, id: IndicatorId) -> Indicator:
        """The indicator with *id* (a :class:`KeyError` if there is none)."""
        return self._tables.indicators[id]

    def claim(self, id: ClaimId) -> Claim:
        """The claim with *id* (a :class:`KeyError` if there is none)."""
        return self._tables.claims[id]

    def source(self, id: SourceId) -> Source:
        """The source with *id* (a :class:`KeyError` if there is none)."""
        return self._tables.sources[id]

    # Queries.

    def services_for(
        self,
        *,
        age: int,
        area: Area,
        contexts: Iterable[AbuseContext] = (),
        group: SurvivorGroup | None = None,
    ) -> tuple[SupportService, ...]:
        """Services a person of *age* in *area* can use, most local first.

        A service matches when :meth:`SupportService.eligibility_for` says
        the person is eligible: it covers *area* and every context in
        *contexts*, and admits the person by its published age range, or,
        when it publishes none, by serving *group* (by default children under
        18 and adults from 18).  A service whose conditional range admits the
        age matches too, and its decision says on what condition.  Services
        covering fewer districts come first: the local service before the
        pan-London one, and that before a national one.
        """
        wanted = frozenset(contexts)
        matches = [
            service
            for service in self.services
            if service.eligibility_for(age=age, area=area, contexts=wanted, group=group).eligible
        ]
        return _most_local_first(matches)

    def routes_for(self, area: Area) -> tuple[ReportingRoute, ...]:
        """Reporting routes that take reports of offences in *area*, most local first.

        >>> from cse_programme import Area
        >>> from cse_programme.datasets import london_2025
        >>> [route.name for route in london_2025().routes_for(Area.lookup("Camden"))]
        ['Report to the Met', 'Crimestoppers']
        >>> [route.name for route in london_2025().routes_for(Area.lookup("Manchester"))]
        ['Crimestoppers']
        """
        found = [
            route for route in self.reporting_routes if route.eligibility_for(area=area).eligible
        ]
        return _most_local_first(found)

    def allocations_for(self, service: ServiceId) -> tuple[tuple[FundingPackage, Allocation], ...]:
        """Every allocation to *service*, with the package it comes from."""
        return tuple(
            (package, allocation)
            for package in self.funding_packages
            for allocation in package.allocations_to(service)
        )

    def claims_for(self, source: SourceId) -> tuple[Claim, ...]:
        """The claims taken from *source*, in the programme's order."""
        return tuple(claim for claim in self.claims if claim.source == source)


_Covering = TypeVar("_Covering", SupportService, ReportingRoute)


def _most_local_first(parts: Iterable[_Covering]) -> tuple[_Covering, ...]:
    """Services or routes covering fewer districts first, then by name."""
    return tuple(sorted(parts, key=lambda part: (len(part.coverage), part.name)))


@attrs.frozen
class _Tables:
    organisations: Mapping[OrganisationId, Organisation]
    services: Mapping[ServiceId, SupportService]
    routes: Mapping[RouteId, ReportingRoute]
    funding_packages: Mapping[FundingPackageId, FundingPackage]
    indicators: Mapping[IndicatorId, Indicator]
    claims: Mapping[ClaimId, Claim]
    sources: Mapping[SourceId, Source]

    @classmethod
    def of(cls, programme: Programme) -> _Tables:
        return cls(
            organisations={part.id: part for part in programme.organisations},
            services={part.id: part for part in programme.services},
            routes={part.id: part for part in programme.reporting_routes},
            funding_packages={part.id: part for part in programme.funding_packages},
            indicators={part.id: part for part in programme.indicators},
            claims={part.id: part for part in programme.claims},
            sources={part.id: part for part in programme.sources},
        )
