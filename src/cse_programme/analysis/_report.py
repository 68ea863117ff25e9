"""The programme report as typed, JSON-ready data: funding, services, review, outcomes, audit.

The report is built once as data; text, Markdown, JSON and HTML are
renderings of that same data, so the formats never disagree.  Every part is
a :class:`~typing.TypedDict`, so a type checker knows each key.  Money is
held exactly, as a whole number of pence with its currency; an estimate as
its kind and bounds; a date as ISO 8601 text at the precision it is known
("2018", "2025-11").
"""

from __future__ import annotations

from typing import TypedDict, cast

from cse_programme.analysis._audit import audit
from cse_programme.model import (
    Allocation,
    Area,
    Estimate,
    FundingPackage,
    Money,
    Observation,
    OrganisationId,
    OutcomeMeasure,
    PartialDate,
    Period,
    Programme,
    ReportingRoute,
    ReviewProgramme,
    SupportService,
    describe_coverage,
)


class ReportAmount(TypedDict):
    """An exact amount of money: whole *pence* and the ISO 4217 *currency*.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> build_report(london_2025())["funding"][1]["total"]
    {'pence': 240000000, 'currency': 'GBP'}
    """

    #: The amount in whole pence (240000000 is £2.4m).
    pence: int
    #: The ISO 4217 code of the currency, always ``GBP``.
    currency: str


class ReportEstimate(TypedDict):
    """A figure as it was stated: *kind* (``exact``, ``about``, ``more_than``
    or ``range``), its *low* end and its *high* end (``None`` for "more than").

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> build_report(london_2025())["review"][0]["expected_reinvestigations"]
    {'kind': 'range', 'low': 2000, 'high': 3000}
    """

    #: How it was stated, ``exact``, ``about``, ``more_than`` or ``range``.
    kind: str
    #: The figure, or the low end of its range.
    low: int
    #: The high end of the range, the figure itself, or ``None`` for "more than".
    high: int | None


class ReportPeriod(TypedDict):
    """A span of time: its *start* and *end* as ISO 8601 dates at their
    precision; *end* is ``None`` while the period is still running.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> build_report(london_2025())["review"][0]["scope"]
    {'start': '2010', 'end': None}
    """

    #: The first day, month or year of the period, as ``2010`` or ``2010-03-01``.
    start: str
    #: The last day, month or year, or ``None`` while the period runs.
    end: str | None


class ReportAllocation(TypedDict):
    """Where part of a package goes: its *purpose*, the service or
    organisation it goes *to*, and its *amount* (``None`` when not published).

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> build_report(london_2025())["funding"][1]["allocations"][2]
    {'purpose': 'Enhanced provision at the Lighthouse', 'to': 'The Lighthouse', 'amount': None}
    """

    #: What the allocation is for.
    purpose: str
    #: The name of the service or organisation it goes to.
    to: str
    #: The amount, or ``None`` where it has not been published.
    amount: ReportAmount | None


class ReportPackage(TypedDict):
    """A funding package: its *total* (``total_kind`` ``exact`` or
    ``more_than``), when it was *announced*, its *allocations*, and what is
    *unallocated*: the part of the total that no allocation of published
    amount accounts for, whose split the sources do not give.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> package = build_report(london_2025())["funding"][1]
    >>> package["announced"], package["unallocated"]["pence"]
    ('2025-11', 240000000)
    """

    #: The package's name.
    name: str
    #: The name of the organisation that funds it.
    funder: str
    #: The total, exact or the floor of a "more than" total.
    total: ReportAmount
    #: ``exact``, or ``more_than`` where the total is a floor.
    total_kind: str
    #: When it was announced, or ``None`` if that is not published.
    announced: str | None
    #: What the package is for, in the sources' words.
    purposes: list[str]
    #: Where it goes, each amount where published.
    allocations: list[ReportAllocation]
    #: The part of the total that no allocation of published amount accounts for.
    unallocated: ReportAmount
    #: The name of the package it is part of, if any.
    part_of: str | None


class ReportService(TypedDict):
    """A support service: who provides it, the *support* it gives, the
    *ages* and *survivor_groups* it serves, its *areas* in one line and the
    same areas as a list (*coverage*), the year it was
    *established* and the *people_supported* where published.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> lighthouse = build_report(london_2025())["services"][0]
    >>> lighthouse["name"], lighthouse["established"], lighthouse["people_supported"]
    ('The Lighthouse', '2018', {'kind': 'about', 'low': 3000, 'high': 3000})
    """

    #: The service's name.
    name: str
    #: The name of the organisation that runs it, or ``None`` if not published.
    provider: str | None
    #: The kinds of support it gives.
    support: list[str]
    #: The ages it serves, with any further ages and their conditions.
    ages: str
    #: The groups of survivors it serves.
    survivor_groups: list[str]
    #: Its areas in one line, by the largest named groups they hold whole.
    areas: str
    #: The same areas as a list.
    coverage: list[str]
    #: When it was set up, or ``None`` if not published.
    established: str | None
    #: How many people it has supported, where published.
    people_supported: ReportEstimate | None


class ReportRoute(TypedDict):
    """A way to report an offence or pass on information.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> route = build_report(london_2025())["reporting_routes"][1]
    >>> route["name"], route["anonymous"], route["phone"], route["areas"]
    ('Crimestoppers', True, '0800 555 111', 'England and Wales')
    """

    #: The route's name.
    name: str
    #: The name of the organisation that takes the reports.
    organisation: str
    #: Whether a report can be made without giving a name.
    anonymous: bool
    #: The number to call, where published.
    phone: str | None
    #: The web address, where published.
    url: str | None
    #: The areas it takes reports for.
    areas: str
    #: The claims the route rests on.
    claims: list[str]


class ReportReview(TypedDict):
    """A review of historic cases: who leads it, its *scope*, the cases
    under review and those expected to be considered for reinvestigation.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> build_report(london_2025())["review"][0]["cases_under_review"]
    {'kind': 'exact', 'low': 9000, 'high': 9000}
    """

    #: The review's name.
    name: str
    #: The name of the force that leads it.
    lead: str
    #: The names of the bodies that oversee it.
    oversight: list[str]
    #: The period the reviewed cases come from.
    scope: ReportPeriod
    #: How many cases are under review, where published.
    cases_under_review: ReportEstimate | None
    #: How many are expected to be considered for reinvestigation, where published.
    expected_reinvestigations: ReportEstimate | None


class ReportMeasure(TypedDict):
    """An outcome measure: the current *value* and the *baseline*, each with
    its period in the source's words and its dates where published, and the
    exact comparisons between them.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> charged = build_report(london_2025())["outcomes"][0]
    >>> charged["baseline"], charged["value"], charged["difference"], charged["ratio"]
    (63, 207, 144, 3.29)
    """

    #: The measure's name.
    name: str
    #: What is counted, such as ``suspects``.
    unit: str
    #: The current value, or ``None`` if not published.
    value: int | None
    #: The current period in the source's words.
    period: str
    #: The current period's dates, where published.
    period_dates: ReportPeriod | None
    #: The baseline value, or ``None``.
    baseline: int | None
    #: The baseline's period in the source's words, or ``None`` without a baseline.
    baseline_period: str | None
    #: The baseline period's dates, where published.
    baseline_dates: ReportPeriod | None
    #: The value minus the baseline, exactly.
    difference: int | None
    #: The value over the baseline, to two decimal places.
    ratio: float | None
    #: The change as a percentage of the baseline, to one decimal place.
    percent_change: float | None
    #: A percentage change stated without its values, as exact decimal text.
    stated_percent_change: str | None


class ReportIndicator(TypedDict):
    """A published figure about the programme, with its unit and date.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> trained = build_report(london_2025())["indicators"][1]
    >>> trained["value"], trained["as_of"]
    ({'kind': 'exact', 'low': 23000, 'high': 23000}, '2025-11')
    """

    #: The indicator's name.
    name: str
    #: The figure, as it was stated.
    value: ReportEstimate
    #: What is counted, such as ``officers``.
    unit: str
    #: When the figure held, at its precision.
    as_of: str


class ReportFinding(TypedDict):
    """One row of the audit: the *claim* and the start of its *quote*, the
    *record* and its *subject*, the *check* made, what the claim says and
    what the data holds, the *verdict* and *why*.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> row = next(r for r in build_report(london_2025())["audit"] if r["verdict"] == "conflicting")
    >>> row["claim"], row["check"], row["claim_says"], row["data_holds"]
    ('claim-134-additional-charged', 'difference', '134', '144 (207 - 63)')
    """

    #: The verdict's value, such as ``consistent``.
    verdict: str
    #: The claim's identifier.
    claim: str
    #: The start of the claim's words.
    quote: str
    #: The identifier of the record tested.
    record: str
    #: The record's name.
    subject: str
    #: Which figure is tested, such as ``value`` or ``low end of a range``.
    check: str
    #: What the claim says, with its qualifier.
    claim_says: str
    #: What the data holds, with its qualifier.
    data_holds: str
    #: The reason for the verdict.
    why: str


class ReportSource(TypedDict):
    """A source the programme's figures are taken from.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> build_report(london_2025())["sources"][0]["publisher"]
    'Mayor of London'
    """

    #: The source's title.
    title: str
    #: Who published it.
    publisher: str
    #: Its https address, where it has one.
    url: str | None


class Report(TypedDict):
    """The report on a programme, as :func:`build_report` builds it.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> sorted(build_report(london_2025()))  # doctest: +NORMALIZE_WHITESPACE
    ['audit', 'funding', 'indicators', 'outcomes', 'programme', 'reporting_routes',
     'review', 'services', 'sources']
    """

    #: The programme's name.
    programme: str
    #: Each funding package.
    funding: list[ReportPackage]
    #: Each support service.
    services: list[ReportService]
    #: Each way to report an offence or pass on information.
    reporting_routes: list[ReportRoute]
    #: Each review of historic cases.
    review: list[ReportReview]
    #: Each outcome measure.
    outcomes: list[ReportMeasure]
    #: Each indicator.
    indicators: list[ReportIndicator]
    #: Each finding of the claims audit.
    audit: list[ReportFinding]
    #: Each source.
    sources: list[ReportSource]


def _amount(money: Money) -> ReportAmount:
    return {"pence": money.pence, "currency": Money.currency}


def _estimate(estimate: Estimate) -> ReportEstimate:
    return {"kind": estimate.kind.value, "low": estimate.low, "high": estimate.high}


def _date(date: PartialDate | None) -> str | None:
    return None if date is None else str(date)


def _period(period: Period | None) -> ReportPeriod | None:
    if period is None:
        return None
    return {"start": str(period.start), "end": _date(period.end)}


def _package(programme: Programme, package: FundingPackage) -> ReportPackage:
    return {
        "name": package.name,
        "funder": programme.organisation(package.funder).name,
        "total": _amount(package.total),
        "total_kind": package.total_kind.value,
        "announced": _date(package.announced),
        "purposes": list(package.purposes),
        "allocations": [
            {
                "purpose": allocation.purpose,
                "to": _recipient(programme, allocation),
                "amount": None if allocation.amount is None else _amount(allocation.amount),
            }
            for allocation in package.allocations
        ],
        "unallocated": _amount(package.unallocated()),
        "part_of": None
        if package.parent is None
        else programme.funding_package(package.parent).name,
    }


def _recipient(programme: Programme, allocation: Allocation) -> str:
    if allocation.service is not None:
        return programme.service(allocation.service).name
    # An allocation names exactly one recipient: without a service, it names an organisation.
    return programme.organisation(cast(OrganisationId, allocation.organisation)).name


def _coverage(areas: frozenset[Area]) -> str:
    """The areas by the largest named groups they hold whole, then the districts left over."""
    return ", ".join(part.name for part in describe_coverage(areas))


def _route(programme: Programme, route: ReportingRoute) -> ReportRoute:
    return {
        "name": route.name,
        "organisation": programme.organisation(route.organisation).name,
        "anonymous": route.anonymous,
        "phone": route.phone,
        "url": route.url,
        "areas": _coverage(route.coverage),
        "claims": [str(claim) for claim in route.claims],
    }


def _service(programme: Programme, service: SupportService) -> ReportService:
    rules = service.eligibility
    ages = "not published" if rules.age is None else str(rules.age)
    ages += "".join(f"; {rule.age} {rule.condition}" for rule in rules.extended)
    return {
        "name": service.name,
        "provider": None
        if service.provider is None
        else programme.organisation(service.provider).name,
        "support": sorted(kind.label for kind in service.support),
        "ages": ages,
        "survivor_groups": sorted(group.label for group in rules.groups),
        "areas": _coverage(service.coverage),
        "coverage": [part.name for part in describe_coverage(service.coverage)],
        "established": _date(service.established),
        "people_supported": None
        if service.people_supported is None
        else _estimate(programme.indicator(service.people_supported).value),
    }


def _review(programme: Programme, review: ReviewProgramme) -> ReportReview:
    cases, expected = review.cases_under_review, review.expected_reinvestigations
    return {
        "name": review.name,
        "lead": programme.organisation(review.lead_force).name,
        "oversight": sorted(programme.organisation(o).name for o in review.oversight),
        "scope": {"start": str(review.scope.start), "end": _date(review.scope.end)},
        "cases_under_review": None if cases is None else _estimate(cases.estimate),
        "expected_reinvestigations": None if expected is None else _estimate(expected.estimate),
    }


def _measure(measure: OutcomeMeasure) -> ReportMeasure:
    ratio, change = measure.ratio(), measure.percent_change()
    baseline: Observation | None = measure.baseline
    return {
        "name": measure.name,
        "unit": measure.unit.label,
        "value": measure.current.value,
        "period": measure.current.period_label,
        "period_dates": _period(measure.current.period),
        "baseline": None if baseline is None else baseline.value,
        "baseline_period": None if baseline is None else baseline.period_label,
        "baseline_dates": None if baseline is None else _period(baseline.period),
        "difference": measure.difference(),
        "ratio": None if ratio is None else round(float(ratio), 2),
        "percent_change": None if change is None else round(float(change), 1),
        "stated_percent_change": None
        if measure.stated_change_percent is None
        else str(measure.stated_change_percent),
    }


def build_report(programme: Programme) -> Report:
    """The report on *programme* as typed, JSON-ready data.

    Money is exact, in pence with its currency; estimates keep their kind
    and bounds; dates are ISO 8601 text at the precision they are known.

    >>> from cse_programme.analysis import build_report
    >>> from cse_programme.datasets import london_2025
    >>> report = build_report(london_2025())
    >>> report["funding"][1]["total"], report["review"][0]["expected_reinvestigations"]
    ({'pence': 240000000, 'currency': 'GBP'}, {'kind': 'range', 'low': 2000, 'high': 3000})
    """
    return {
        "programme": programme.name,
        "funding": [_package(programme, p) for p in programme.funding_packages],
        "services": [_service(programme, s) for s in programme.services],
        "reporting_routes": [_route(programme, r) for r in programme.reporting_routes],
        "review": [_review(programme, review) for review in programme.reviews],
        "outcomes": [_measure(m) for m in programme.measures],
        "indicators": [
            {
                "name": i.name,
                "value": _estimate(i.value),
                "unit": i.unit.label,
                "as_of": str(i.as_of),
            }
            for i in programme.indicators
        ],
        "audit": [
            {
                "verdict": f.verdict.value,
                "claim": str(f.claim),
                "quote": f.quote,
                "record": f.record,
                "subject": f.subject,
                "check": f.check,
                "claim_says": f.stated,
                "data_holds": f.held,
                "why": f.why,
            }
            for f in audit(programme)
        ],
        "sources": [
            {"title": s.title, "publisher": s.publisher, "url": s.url} for s in programme.sources
        ],
    }
