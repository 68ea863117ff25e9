"""Hypothesis strategies for every public type, valid by construction.

Install with the ``testing`` extra (``pip install "cse-programme[testing]"``)
and use them to test your own code against realistic programme data::

    from hypothesis import given
    from cse_programme import testing

    @given(testing.programmes())
    def test_my_report_never_crashes(programme):
        my_report(programme)

Every strategy reaches the edges the model allows: unicode text up to each
field's longest, dates known only to the year from 1900 to 2999, amounts from
£0.00 to the largest the model holds, zero and the largest counts, empty
optional collections, funding packages within packages.  Where a strategy
stops short of what the model accepts, its docstring and
:doc:`/explanation/testing` say where and why.
"""

from __future__ import annotations

import datetime as dt
import decimal
import string
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from cse_programme._serialisation import KINDS, json_schema
from cse_programme.model import (
    ALL_LONDON,
    CASE_TOKEN_LENGTH,
    PHONE_PATTERN,
    AbuseContext,
    AgeRange,
    Allocation,
    AllocationId,
    Area,
    CaseReference,
    CaseReview,
    Claim,
    ClaimId,
    Eligibility,
    Estimate,
    EstimateKind,
    ExtendedEligibility,
    Figure,
    FigureRole,
    FigureUnit,
    FundingPackage,
    FundingPackageId,
    Identifier,
    Indicator,
    IndicatorId,
    MeasureId,
    Money,
    Observation,
    Occasion,
    Organisation,
    OrganisationId,
    OrganisationKind,
    Outcome,
    OutcomeMeasure,
    OutcomePolicy,
    OutcomeType,
    PartialDate,
    Period,
    PoliceForceArea,
    Programme,
    Qualifier,
    ReferralRoute,
    ReportingRoute,
    ReviewId,
    ReviewProgramme,
    ReviewStatus,
    RouteId,
    ServiceId,
    Source,
    SourcedEstimate,
    SourceId,
    StatusChange,
    SupportKind,
    SupportService,
    SurvivorGroup,
    TotalKind,
    Unit,
    converts_to_utc,
)

__all__ = [
    "FIRST_YEAR",
    "LARGEST_COUNT",
    "LAST_YEAR",
    "age_ranges",
    "areas",
    "case_references",
    "case_reviews",
    "claims",
    "estimates",
    "figures",
    "funding_packages",
    "identifiers",
    "indicators",
    "money",
    "occasions",
    "organisations",
    "outcome_measures",
    "outcome_policies",
    "outcomes",
    "partial_dates",
    "periods",
    "police_force_areas",
    "programmes",
    "reporting_routes",
    "review_programmes",
    "sources",
    "support_services",
    "texts",
]

T = TypeVar("T")
IdT = TypeVar("IdT", bound=Identifier)

_SLUG_ALPHABET = string.ascii_lowercase + string.digits


_CHARACTERS = st.characters(codec="utf-8")


def texts(max_size: int = 500) -> SearchStrategy[str]:
    """Non-blank unicode text of at most *max_size* characters, as names and quotes allow.

    Short text most often, and text of exactly *max_size* characters as often
    as any other length: the longest is made by repeating a short text, so it
    costs little to draw.  Surrogates are left out: the model refuses them,
    since they cannot be written as UTF-8.
    """
    short = st.text(_CHARACTERS, min_size=1, max_size=min(max_size, 40)).filter(str.strip)
    longest = short.map(lambda text: (text * (max_size // len(text) + 1))[:max_size])
    any_length = st.text(_CHARACTERS, min_size=1, max_size=max_size)
    return st.one_of(short, longest.filter(str.strip), any_length.filter(str.strip))


@cache
def _definitions() -> dict[str, Any]:
    """The JSON Schema of every class of the model, by name: where its rules are published."""
    found: dict[str, Any] = {}
    for kind in KINDS:
        found.update(json_schema(kind)["$defs"])
    return found


def _rule_of(cls: type, field: str, keyword: str) -> Any:
    """The value of a JSON Schema *keyword* for *field* of *cls*, such as its ``maxLength``."""
    schema = _definitions()[cls.__name__]["properties"][field]
    for option in schema.get("anyOf", [schema]):
        if keyword in option:
            return option[keyword]
    raise LookupError(f"{cls.__name__}.{field} has no {keyword}")


def _text_of(cls: type, field: str) -> SearchStrategy[str]:
    """Text for *field* of *cls*, up to the longest its rule allows."""
    return texts(_rule_of(cls, field, "maxLength"))


#: The largest whole number drawn for a count the model sets no maximum for:
#: the largest that most JSON readers (those using 64-bit integers) hold exactly.
LARGEST_COUNT = 2**63 - 1


def _slugs() -> SearchStrategy[str]:
    word = st.text(_SLUG_ALPHABET, min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=4).map("-".join)


_PREFIXES: dict[type[Identifier], str] = {
    ServiceId: "svc",
    FundingPackageId: "pkg",
    AllocationId: "alloc",
    SourceId: "src",
    ClaimId: "claim",
    IndicatorId: "ind",
    MeasureId: "measure",
    ReviewId: "review",
    RouteId: "route",
}


def identifiers(kind: type[IdT]) -> SearchStrategy[IdT]:
    """Identifiers of *kind*, such as ``identifiers(ServiceId)``."""
    if kind is OrganisationId:
        alphanumeric = string.ascii_letters + string.digits
        registered = st.builds(
            lambda country, register, first, rest: f"{country}-{register}-{first}{rest}",
            st.text(string.ascii_uppercase, min_size=2, max_size=2),
            st.text(string.ascii_uppercase + string.digits, min_size=2, max_size=10),
            st.sampled_from(alphanumeric),
            st.text(alphanumeric + "._-", max_size=60),
        )
        return st.one_of(registered, _slugs().map("org-{}".format)).map(kind)
    if kind is CaseReference:
        return case_references()  # type: ignore[return-value]
    return _slugs().map(lambda slug: kind(f"{_PREFIXES[kind]}-{slug}"))


def case_references() -> SearchStrategy[CaseReference]:
    """Pseudonymous case tokens."""
    return st.text("abcdefghijklmnopqrstuvwxyz234567", min_size=CASE_TOKEN_LENGTH).map(
        lambda token: CaseReference("case-" + token[:CASE_TOKEN_LENGTH])
    )


#: The most pence an amount holds: £999,999,999,999,999.99, below one quadrillion pounds.
_MOST_PENCE = 10**17 - 1


def money(max_pounds: int | None = None) -> SearchStrategy[Money]:
    """Exact amounts from £0.00 up to *max_pounds*, or the largest the model holds.

    Both ends are drawn as often as any amount.  The pounds are given to
    :class:`~cse_programme.Money` in every form it accepts: two decimal
    places, fewer or more (``Decimal("5")``, ``Decimal("5E+2")``,
    ``Decimal("5.000")``), and zero with a minus sign.
    """
    most = _MOST_PENCE if max_pounds is None else max_pounds * 100
    pence = st.one_of(st.integers(0, most), st.sampled_from([0, most]))
    return st.builds(_amount, pence, st.sampled_from(["places", "normal", "more", "minus"]))


def _amount(pence: int, form: str) -> Money:
    pounds = Decimal(pence).scaleb(-2)
    if form == "normal":
        pounds = pounds.normalize()
    elif form == "more":
        pounds = pounds.quantize(Decimal("0.001"))
    elif form == "minus" and not pence:
        pounds = -pounds
    return Money(pounds)


#: The first year a :class:`~cse_programme.PartialDate` may have, and the
#: first of the days the strategies draw.
FIRST_YEAR = 1900
#: The last year a :class:`~cse_programme.PartialDate` may have, and the last
#: of the days the strategies draw.
LAST_YEAR = 2999


def partial_dates(
    min_year: int = FIRST_YEAR, max_year: int = LAST_YEAR
) -> SearchStrategy[PartialDate]:
    """Dates known to the year, the month or the day, from *min_year* to *max_year*."""
    first, last = dt.date(min_year, 1, 1), dt.date(max_year, 12, 31)
    days = st.one_of(st.dates(first, last), st.sampled_from([first, last]))
    return st.one_of(
        days.map(lambda d: PartialDate(d.year)),
        days.map(lambda d: PartialDate(d.year, d.month)),
        days.map(PartialDate.of),
    )


def periods(min_year: int = FIRST_YEAR, max_year: int = LAST_YEAR) -> SearchStrategy[Period]:
    """Periods whose end, when there is one, is not before their start."""
    dates = partial_dates(min_year, max_year)
    return st.tuples(dates, st.none() | dates).map(_ordered_period)


def _ordered_period(ends: tuple[PartialDate, PartialDate | None]) -> Period:
    start, end = ends
    if end is not None and end.latest() < start.earliest():
        start, end = end, start
    return Period(start, end)


def age_ranges() -> SearchStrategy[AgeRange]:
    """Age ranges, open-ended or not."""
    oldest = _rule_of(AgeRange, "min", "maximum")
    return st.integers(0, oldest).flatmap(
        lambda low: st.builds(AgeRange, st.just(low), st.none() | st.integers(low, oldest))
    )


def estimates(max_value: int = LARGEST_COUNT) -> SearchStrategy[Estimate]:
    """Estimates of every kind, of counts from 0 to *max_value*."""
    values = st.integers(0, max_value)
    return st.one_of(
        values.map(Estimate.exact),
        values.map(Estimate.about),
        values.map(Estimate.more_than),
        st.tuples(values, values)
        .filter(lambda p: p[0] != p[1])
        .map(lambda p: Estimate.between(min(p), max(p))),
    )


def areas() -> SearchStrategy[Area]:
    """Local authority districts of England and Wales, London's half the time."""
    return st.one_of(st.sampled_from(tuple(ALL_LONDON)), st.sampled_from(Area.all()))


def police_force_areas() -> SearchStrategy[PoliceForceArea]:
    """Police force areas of England and Wales."""
    return st.sampled_from(PoliceForceArea.all())


def _sets(elements: SearchStrategy[T], min_size: int = 0) -> SearchStrategy[frozenset[T]]:
    return st.frozensets(elements, min_size=min_size, max_size=6)


def _citing(
    kind: type[IdT], ids: SearchStrategy[IdT] | None, max_size: int = 3
) -> SearchStrategy[tuple[IdT, ...]]:
    """Zero or more distinct ids of *kind* that a record cites."""
    return st.lists(identifiers(kind) if ids is None else ids, max_size=max_size, unique=True).map(
        tuple
    )


def organisations(
    *,
    ids: SearchStrategy[OrganisationId] | None = None,
    claim_ids: SearchStrategy[ClaimId] | None = None,
    source_ids: SearchStrategy[SourceId] | None = None,
) -> SearchStrategy[Organisation]:
    """Organisations citing claims and sources; a police force may carry the police force
    area it polices."""
    return st.builds(
        _organisation,
        id=identifiers(OrganisationId) if ids is None else ids,
        name=_text_of(Organisation, "name"),
        kind=st.sampled_from(OrganisationKind),
        short_name=st.none() | _text_of(Organisation, "short_name"),
        police_force_area=st.none() | police_force_areas(),
        claims=_citing(ClaimId, claim_ids),
        sources=_citing(SourceId, source_ids),
    )


def _organisation(**fields: Any) -> Organisation:
    # Only a police force polices an area.
    if fields["kind"] is not OrganisationKind.POLICE_FORCE:
        fields["police_force_area"] = None
    return Organisation(**fields)


def _eligibility() -> SearchStrategy[Eligibility]:
    return st.builds(
        Eligibility,
        groups=_sets(st.sampled_from(SurvivorGroup), 1),
        age=st.none() | age_ranges(),
        extended=st.lists(
            st.builds(
                ExtendedEligibility,
                age=age_ranges(),
                condition=_text_of(ExtendedEligibility, "condition"),
            ),
            max_size=2,
        ).map(tuple),
        notes=st.none() | _text_of(Eligibility, "notes"),
    )


def _urls() -> SearchStrategy[str]:
    return _slugs().map("https://example.org/{}".format)


def support_services(
    *,
    ids: SearchStrategy[ServiceId] | None = None,
    organisation_ids: SearchStrategy[OrganisationId] | None = None,
    indicator_ids: SearchStrategy[IndicatorId | None] | None = None,
    source_ids: SearchStrategy[SourceId] | None = None,
    claim_ids: SearchStrategy[ClaimId] | None = None,
) -> SearchStrategy[SupportService]:
    """Support services; pass id strategies to tie references to a programme."""
    org_ids = identifiers(OrganisationId) if organisation_ids is None else organisation_ids
    return st.builds(
        _service,
        id=identifiers(ServiceId) if ids is None else ids,
        name=_text_of(SupportService, "name"),
        provider=st.none() | org_ids,
        partners=_sets(org_ids),
        support=_sets(st.sampled_from(SupportKind), 1),
        eligibility=_eligibility(),
        contexts=_sets(st.sampled_from(AbuseContext), 1),
        coverage=_sets(areas(), 1),
        referral_routes=_sets(st.sampled_from(ReferralRoute)),
        established=st.none() | partial_dates(),
        people_supported=indicator_ids if indicator_ids is not None else st.none(),
        description=st.none() | _text_of(SupportService, "description"),
        sources=_citing(SourceId, source_ids),
        url=st.none() | _urls(),
        claims=_citing(ClaimId, claim_ids),
    )


def _phones() -> SearchStrategy[str]:
    return st.from_regex(PHONE_PATTERN, fullmatch=True)


def reporting_routes(
    *,
    ids: SearchStrategy[RouteId] | None = None,
    organisation_ids: SearchStrategy[OrganisationId] | None = None,
    claim_ids: SearchStrategy[ClaimId] | None = None,
    source_ids: SearchStrategy[SourceId] | None = None,
) -> SearchStrategy[ReportingRoute]:
    """Reporting routes, anonymous or not, with or without a number or address."""
    return st.builds(
        ReportingRoute,
        id=identifiers(RouteId) if ids is None else ids,
        name=_text_of(ReportingRoute, "name"),
        organisation=identifiers(OrganisationId) if organisation_ids is None else organisation_ids,
        anonymous=st.booleans(),
        phone=st.none() | _phones(),
        url=st.none() | _urls(),
        coverage=_sets(areas(), 1),
        description=st.none() | _text_of(ReportingRoute, "description"),
        claims=_citing(ClaimId, claim_ids),
        sources=_citing(SourceId, source_ids),
    )


def _service(**fields: Any) -> SupportService:
    # A provider is never also listed among its own partners.
    fields["partners"] = fields["partners"] - {fields["provider"]}
    return SupportService(**fields)


def _claim_refs(
    claim_ids: SearchStrategy[ClaimId] | None,
) -> SearchStrategy[tuple[ClaimId, ...]]:
    return st.lists(
        identifiers(ClaimId) if claim_ids is None else claim_ids,
        min_size=1,
        max_size=3,
        unique=True,
    ).map(tuple)


def funding_packages(
    *,
    ids: SearchStrategy[FundingPackageId] | None = None,
    organisation_ids: SearchStrategy[OrganisationId] | None = None,
    service_ids: SearchStrategy[ServiceId] | None = None,
    claim_ids: SearchStrategy[ClaimId] | None = None,
    parent_ids: SearchStrategy[FundingPackageId | None] | None = None,
) -> SearchStrategy[FundingPackage]:
    """Funding packages whose known allocations never exceed the total.

    *parent_ids* draws the package each one is part of, or ``None``.
    """
    parents = st.none() | identifiers(FundingPackageId) if parent_ids is None else parent_ids
    org_ids = identifiers(OrganisationId) if organisation_ids is None else organisation_ids
    svc_ids = identifiers(ServiceId) if service_ids is None else service_ids
    return st.builds(
        _package,
        id=identifiers(FundingPackageId) if ids is None else ids,
        name=_text_of(FundingPackage, "name"),
        funder=org_ids,
        total=money(),
        total_kind=st.sampled_from(TotalKind),
        announced=st.none() | partial_dates(),
        # A purpose is any text the model takes: the empty string too.
        purposes=st.lists(st.text(_CHARACTERS), max_size=3).map(tuple),
        allocations=st.lists(
            st.tuples(
                identifiers(AllocationId),
                _text_of(Allocation, "purpose"),
                st.one_of(svc_ids.map(lambda s: (s, None)), org_ids.map(lambda o: (None, o))),
                st.none() | st.integers(0, 100),
            ),
            max_size=5,
            unique_by=lambda a: a[0],
        ),
        claims=_claim_refs(claim_ids),
        parent=parents,
    )


def _package(allocations: list[Any], total: Money, **fields: Any) -> FundingPackage:
    # Share out at most the whole total, by the drawn weights.
    weights = [w for *_, w in allocations if w is not None]
    scale = sum(weights) or 1
    built = []
    for allocation_id, purpose, (service, organisation), weight in allocations:
        amount = None
        if weight is not None:
            pence = total.pence * weight // scale
            amount = Money(Decimal(pence) / 100)
        built.append(
            Allocation(
                id=allocation_id,
                purpose=purpose,
                service=service,
                organisation=organisation,
                amount=amount,
            )
        )
    return FundingPackage(total=total, allocations=tuple(built), **fields)


_FIRST_DAY, _LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)


def _days() -> SearchStrategy[dt.date]:
    """Calendar days in the years a PartialDate may have, the first and last as often as any."""
    return st.one_of(st.dates(_FIRST_DAY, _LAST_DAY), st.sampled_from([_FIRST_DAY, _LAST_DAY]))


@st.composite
def _histories(draw: st.DrawFn) -> tuple[StatusChange, ...]:
    # A random walk through the allowed transitions, never back in time.
    day = draw(_days())
    status = ReviewStatus.IDENTIFIED
    history = [StatusChange(status, day)]
    while status.next_steps:
        if not draw(st.booleans()):
            break
        status = draw(st.sampled_from(sorted(status.next_steps, key=lambda s: s.value)))
        day += dt.timedelta(days=draw(st.integers(0, min(400, (_LAST_DAY - day).days))))
        history.append(StatusChange(status, day))
    return tuple(history)


def _aware_timestamps() -> SearchStrategy[dt.datetime]:
    # Any moment UTC can express, at any offset in whole minutes; the first
    # and last moments of the calendar as often as any.
    offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
        lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
    )
    moments = st.one_of(st.datetimes(), st.sampled_from([dt.datetime.min, dt.datetime.max]))
    return st.builds(lambda moment, zone: moment.replace(tzinfo=zone), moments, offsets).filter(
        converts_to_utc
    )


def case_reviews(
    *,
    forces: SearchStrategy[OrganisationId] | None = None,
    min_year: int = FIRST_YEAR,
    max_year: int = LAST_YEAR,
) -> SearchStrategy[CaseReview]:
    """Case records with valid status histories and outcomes.

    *forces* draws the force of each case; an offence period lies within
    *min_year* and *max_year* (to fit a review's scope, say).  Counts of
    suspects and victims reach the most the model allows in one case.
    """
    return _case_reviews(
        identifiers(OrganisationId) if forces is None else forces, min_year, max_year
    )


@st.composite
def _case_reviews(
    draw: st.DrawFn, forces: SearchStrategy[OrganisationId], min_year: int, max_year: int
) -> CaseReview:
    contexts = draw(_sets(st.sampled_from(AbuseContext), 1))
    low = 2 if AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS in contexts else 0
    suspects = draw(st.integers(low, _most_people()))
    history = draw(_histories())
    outcomes: tuple[Outcome, ...] = ()
    if history[-1].status is ReviewStatus.OUTCOME_RECORDED and suspects:
        numbers = draw(st.lists(st.integers(1, suspects), unique=True, max_size=suspects))
        outcomes = tuple(
            Outcome(
                suspect=number,
                type=draw(st.sampled_from(OutcomeType)),
                recorded=history[-1].on,
            )
            for number in numbers
        )
    return CaseReview(
        reference=draw(case_references()),
        force=draw(forces),
        area=draw(st.none() | areas()),
        offence_period=draw(periods(min_year, max_year)),
        contexts=contexts,
        suspects=suspects,
        victims=draw(st.integers(1, _most_people())),
        history=history,
        outcomes=outcomes,
        updated=draw(st.none() | _aware_timestamps()),
        notes=draw(st.none() | _text_of(CaseReview, "notes")),
    )


def _most_people() -> int:
    """The most suspects, or victims, one case may have."""
    most: int = _rule_of(CaseReview, "suspects", "maximum")
    return most


def outcomes() -> SearchStrategy[Outcome]:
    """Outcomes for one suspect."""
    return st.builds(
        Outcome,
        suspect=st.integers(1, _most_people()),
        type=st.sampled_from(OutcomeType),
        recorded=_days(),
    )


def outcome_policies() -> SearchStrategy[OutcomePolicy]:
    """Named policies of which outcomes count as positive."""
    return st.builds(
        OutcomePolicy,
        name=_text_of(OutcomePolicy, "name"),
        description=_text_of(OutcomePolicy, "description"),
        positive=_sets(st.sampled_from(OutcomeType), 1),
    )


def _observations(labels: SearchStrategy[str] | None = None) -> SearchStrategy[Observation]:
    return st.builds(
        Observation,
        value=st.none() | st.integers(0, LARGEST_COUNT),
        period_label=_text_of(Observation, "period_label") if labels is None else labels,
        period=st.none() | periods(),
    )


def _decimals() -> SearchStrategy[Decimal]:
    """Exact decimals as documents carry them: at most 31 digits before the point and 30 after.

    Half are drawn in their shortest form (``1E+2`` for a hundred), which
    documents write in plain notation.
    """
    plain = st.builds(
        _decimal,
        st.booleans(),
        st.integers(0, 10**31 - 1),
        st.integers(0, 30),
        st.integers(0, 10**30 - 1),
    )
    return plain | plain.map(_shortest)


def _shortest(value: Decimal) -> Decimal:
    # Wide enough for every digit, so the value itself never changes.
    return decimal.Context(prec=64).normalize(value)


def _decimal(negative: bool, whole: int, places: int, fraction: int) -> Decimal:
    digits = str(fraction % 10**places).rjust(places, "0") if places else ""
    return Decimal(("-" if negative else "") + str(whole) + ("." + digits if digits else ""))


def outcome_measures(
    *,
    ids: SearchStrategy[MeasureId] | None = None,
    claim_ids: SearchStrategy[ClaimId] | None = None,
    period_labels: SearchStrategy[str] | None = None,
) -> SearchStrategy[OutcomeMeasure]:
    """Measured outcomes with baselines; *period_labels* draws the periods' words."""
    return st.builds(
        OutcomeMeasure,
        id=identifiers(MeasureId) if ids is None else ids,
        name=_text_of(OutcomeMeasure, "name"),
        unit=st.sampled_from(Unit),
        current=_observations(period_labels),
        baseline=st.none() | _observations(period_labels),
        stated_change_percent=st.none() | _decimals(),
        claims=_claim_refs(claim_ids),
        description=st.none() | _text_of(OutcomeMeasure, "description"),
    )


def indicators(
    *,
    ids: SearchStrategy[IndicatorId] | None = None,
    claim_ids: SearchStrategy[ClaimId] | None = None,
) -> SearchStrategy[Indicator]:
    """Programme indicators."""
    return st.builds(
        Indicator,
        id=identifiers(IndicatorId) if ids is None else ids,
        name=_text_of(Indicator, "name"),
        value=estimates(),
        unit=st.sampled_from(Unit),
        as_of=partial_dates(),
        claims=_claim_refs(claim_ids),
        description=st.none() | _text_of(Indicator, "description"),
    )


def sources(*, ids: SearchStrategy[SourceId] | None = None) -> SearchStrategy[Source]:
    """Published sources."""
    return st.builds(
        Source,
        id=identifiers(SourceId) if ids is None else ids,
        title=_text_of(Source, "title"),
        publisher=_text_of(Source, "publisher"),
        published=st.none() | partial_dates(),
        url=st.none() | _urls(),
    )


def figures() -> SearchStrategy[Figure]:
    """Figures of every unit and role, stated plainly or with a qualifier."""
    return st.builds(
        Figure,
        _decimals(),
        st.sampled_from(FigureUnit),
        st.sampled_from(FigureRole),
        st.none() | st.sampled_from(Qualifier),
    )


def occasions() -> SearchStrategy[Occasion]:
    """Meetings and events where reported words were said."""
    return st.builds(
        Occasion,
        name=_text_of(Occasion, "name"),
        place=st.none() | _text_of(Occasion, "place"),
        on=st.none() | partial_dates(),
    )


def claims(
    *,
    ids: SearchStrategy[ClaimId] | None = None,
    source_ids: SearchStrategy[SourceId] | None = None,
    period_labels: SearchStrategy[str | None] | None = None,
    figure_lists: SearchStrategy[tuple[Figure, ...]] | None = None,
    contexts: SearchStrategy[frozenset[AbuseContext]] | None = None,
) -> SearchStrategy[Claim]:
    """Claims with their quoted words, figures with roles and qualifiers, periods and dates.

    *period_labels* draws the period a claim speaks of, or ``None`` (from a
    small pool, so that claims and measures share periods); *figure_lists*
    and *contexts* draw what the claim states, such as figures true of a
    record.
    """
    return st.builds(
        Claim,
        id=identifiers(ClaimId) if ids is None else ids,
        source=identifiers(SourceId) if source_ids is None else source_ids,
        quote=_text_of(Claim, "quote"),
        speaker=st.none() | _text_of(Claim, "speaker"),
        occasion=st.none() | occasions(),
        period_label=st.none() | _text_of(Claim, "period_label")
        if period_labels is None
        else period_labels,
        figures=st.lists(figures(), max_size=3).map(tuple)
        if figure_lists is None
        else figure_lists,
        dates=st.lists(partial_dates(), max_size=2).map(tuple),
        contexts=_sets(st.sampled_from(AbuseContext)) if contexts is None else contexts,
    )


def review_programmes(
    *,
    ids: SearchStrategy[ReviewId] | None = None,
    organisation_ids: SearchStrategy[OrganisationId] | None = None,
    claim_ids: SearchStrategy[ClaimId] | None = None,
) -> SearchStrategy[ReviewProgramme]:
    """Case review programmes with sourced headline estimates."""
    org_ids = identifiers(OrganisationId) if organisation_ids is None else organisation_ids
    sourced = st.builds(SourcedEstimate, estimate=estimates(), claims=_claim_refs(claim_ids))
    return st.builds(
        ReviewProgramme,
        id=identifiers(ReviewId) if ids is None else ids,
        name=_text_of(ReviewProgramme, "name"),
        lead_force=org_ids,
        oversight=_sets(org_ids),
        scope=periods(),
        categories=_sets(st.sampled_from(AbuseContext)),
        definition=st.none() | _text_of(ReviewProgramme, "definition"),
        cases_under_review=st.none() | sourced,
        expected_reinvestigations=st.none() | sourced,
        claims=_citing(ClaimId, claim_ids),
    )


def programmes() -> SearchStrategy[Programme]:
    """Whole programmes in which every reference resolves.

    Claims are drawn after the records that cite them.  A claim's figures
    are drawn freely, stated truly of the first record that cites them, or
    stated falsely of it; claims and measures share a small pool of sources
    and periods, so that an audit of generated programmes meets every verdict.
    A funding package may be part of one drawn before it, so packages nest
    without ever forming a cycle.
    """
    return _programmes()


_CitingRecord = FundingPackage | SourcedEstimate | OutcomeMeasure | Indicator


def _tenths(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"))


def _true_figures(record: _CitingRecord) -> list[Figure]:
    """The figures of a claim that states *record*'s own figures, in its own form."""
    if isinstance(record, FundingPackage):
        floor = record.total_kind is TotalKind.MORE_THAN
        qualifier = Qualifier.MORE_THAN if floor else None
        return [Figure(record.total.pounds, FigureUnit.GBP, FigureRole.VALUE, qualifier)]
    if isinstance(record, OutcomeMeasure):
        found = []
        baseline = record.baseline.value if record.baseline is not None else None
        for value, role in (
            (record.current.value, FigureRole.VALUE),
            (baseline, FigureRole.BASELINE),
            (record.difference(), FigureRole.DIFFERENCE),
        ):
            if value is not None:
                found.append(Figure(Decimal(value), FigureUnit.COUNT, role))
        ratio, change = record.ratio(), record.percent_change()
        if ratio is not None:
            found.append(Figure(Decimal(round(ratio)), FigureUnit.RATIO, FigureRole.RATIO))
        if change is not None:
            found.append(Figure(_tenths(change), FigureUnit.PERCENT, FigureRole.PERCENT_CHANGE))
        return found
    estimate = record.value if isinstance(record, Indicator) else record.estimate
    if estimate.kind is EstimateKind.RANGE:
        assert estimate.high is not None
        return [
            Figure(Decimal(estimate.low), FigureUnit.COUNT, FigureRole.LOW, Qualifier.MAYBE),
            Figure(Decimal(estimate.high), FigureUnit.COUNT, FigureRole.HIGH, Qualifier.MAYBE),
        ]
    forms = {EstimateKind.ABOUT: Qualifier.ABOUT, EstimateKind.MORE_THAN: Qualifier.MORE_THAN}
    return [
        Figure(Decimal(estimate.low), FigureUnit.COUNT, FigureRole.VALUE, forms.get(estimate.kind))
    ]


def _figure_lists(record: _CitingRecord | None) -> SearchStrategy[tuple[Figure, ...]]:
    free = st.lists(figures(), max_size=3).map(tuple)
    true = tuple(_true_figures(record)) if record is not None else ()
    if not true:
        return free
    shifted = st.integers(1, 10**6).map(
        lambda step: tuple(Figure(f.value + step, f.unit, f.role, f.qualifier) for f in true)
    )
    return st.one_of(free, st.just(true), shifted)


def _citing_records(
    packages: list[FundingPackage],
    reviews: tuple[ReviewProgramme, ...],
    measures: tuple[OutcomeMeasure, ...],
    indicators_: tuple[Indicator, ...],
) -> dict[ClaimId, _CitingRecord]:
    """The first record citing each claim for its figures, measures first.

    Measures come first because comparing two claims about one measure needs
    both to state that measure's figures.
    """
    records: list[_CitingRecord] = [*measures, *packages]
    for review in reviews:
        records += [s for s in (review.cases_under_review, review.expected_reinvestigations) if s]
    records += [*indicators_]
    found: dict[ClaimId, _CitingRecord] = {}
    for record in records:
        for claim_id in record.claims:
            found.setdefault(claim_id, record)
    return found


def _contexts_for(
    claim_id: ClaimId, reviews: tuple[ReviewProgramme, ...]
) -> SearchStrategy[frozenset[AbuseContext]]:
    """Contexts of a claim: drawn freely, or among the categories of a review citing it."""
    free = _sets(st.sampled_from(AbuseContext))
    for review in reviews:
        if claim_id in review.claims and review.categories:
            named = st.frozensets(st.sampled_from(sorted(review.categories, key=str)))
            return st.one_of(free, named)
    return free


@st.composite
def _programmes(draw: st.DrawFn) -> Programme:

    def pool(kind: type[IdT], min_size: int) -> list[IdT]:
        return draw(st.lists(identifiers(kind), min_size=min_size, max_size=4, unique=True))

    org_ids, source_ids, claim_ids = (
        pool(OrganisationId, 1),
        pool(SourceId, 1),
        pool(ClaimId, 1),
    )
    indicator_ids, service_ids = pool(IndicatorId, 0), pool(ServiceId, 0)
    package_ids, measure_ids = pool(FundingPackageId, 0), pool(MeasureId, 0)
    review_ids, route_ids = pool(ReviewId, 0), pool(RouteId, 0)
    periods_ = draw(
        st.lists(_text_of(Observation, "period_label"), min_size=2, max_size=2, unique=True)
    )
    labels = st.sampled_from(periods_)

    def pick(values: list[IdT]) -> SearchStrategy[IdT]:
        return st.sampled_from(values)

    cites, lists = pick(claim_ids), pick(source_ids)
    orgs = [draw(organisations(ids=st.just(i), claim_ids=cites, source_ids=lists)) for i in org_ids]
    sources_ = [draw(sources(ids=st.just(i))) for i in source_ids]
    indicator_refs = st.none() | pick(indicator_ids) if indicator_ids else st.none()
    services = [
        draw(
            support_services(
                ids=st.just(i),
                organisation_ids=pick(org_ids),
                indicator_ids=indicator_refs,
                claim_ids=cites,
                source_ids=lists,
            )
        )
        for i in service_ids
    ]
    routes = [
        draw(
            reporting_routes(
                ids=st.just(i), organisation_ids=pick(org_ids), claim_ids=cites, source_ids=lists
            )
        )
        for i in route_ids
    ]
    packages = [
        draw(
            funding_packages(
                ids=st.just(i),
                organisation_ids=pick(org_ids),
                service_ids=pick(service_ids) if service_ids else st.nothing(),
                claim_ids=pick(claim_ids),
                # Part of a package drawn before it, if any: never a cycle.
                parent_ids=st.none() | pick(package_ids[:index]) if index else st.none(),
            )
        )
        for index, i in enumerate(package_ids)
    ]
    reviews = tuple(
        draw(
            review_programmes(
                ids=st.just(i), organisation_ids=pick(org_ids), claim_ids=pick(claim_ids)
            )
        )
        for i in review_ids
    )
    measures = tuple(
        draw(outcome_measures(ids=st.just(i), claim_ids=pick(claim_ids), period_labels=labels))
        for i in measure_ids
    )
    indicators_ = tuple(
        draw(indicators(ids=st.just(i), claim_ids=pick(claim_ids))) for i in indicator_ids
    )
    measures, restatements = _restated(draw, measures, source_ids, claim_ids, periods_)
    records = _citing_records(packages, reviews, measures, indicators_)
    claims_ = [
        draw(
            claims(
                ids=st.just(i),
                source_ids=pick(source_ids),
                period_labels=st.sampled_from([None, *periods_]),
                figure_lists=_figure_lists(records.get(i)),
                contexts=_contexts_for(i, reviews),
            )
        )
        for i in claim_ids
    ]
    return Programme(
        name=draw(_text_of(Programme, "name")),
        organisations=tuple(orgs),
        services=tuple(services),
        reporting_routes=tuple(routes),
        funding_packages=tuple(packages),
        reviews=reviews,
        measures=measures,
        indicators=indicators_,
        sources=tuple(sources_),
        claims=(*claims_, *restatements),
    )


def _restated(
    draw: st.DrawFn,
    measures: tuple[OutcomeMeasure, ...],
    source_ids: list[SourceId],
    claim_ids: list[ClaimId],
    periods_: list[str],
) -> tuple[tuple[OutcomeMeasure, ...], list[Claim]]:
    """Measures some of which a source states twice: over their own period, and over another.

    The second statement gives the measure's figures truly, falsely or not at
    all, as "134 additional suspects charged over the past year" restates
    "from 63 to 207 in the last six months".
    """
    result, restatements = [], []
    for measure in measures:
        true = _true_figures(measure)
        own = measure.id.removeprefix("measure-")
        ids = [ClaimId(f"claim-{own}-stated"), ClaimId(f"claim-{own}-restated")]
        if not true or set(ids) & set(claim_ids) or not draw(st.booleans()):
            result.append(measure)
            continue
        source = st.just(draw(st.sampled_from(source_ids)))
        other = next(label for label in periods_ if label != measure.current.period_label)
        for claim_id, period, figure_lists in (
            (ids[0], measure.current.period_label, st.just(tuple(true))),
            (ids[1], other, _figure_lists(measure)),
        ):
            restatements.append(
                draw(
                    claims(
                        ids=st.just(claim_id),
                        source_ids=source,
                        period_labels=st.just(period),
                        figure_lists=figure_lists,
                    )
                )
            )
        result.append(attrs.evolve(measure, claims=(*measure.claims, *ids)))
    return tuple(result), restatements
