"""The embedded London programme: every figure as its source states it, every fact linked."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from cse_programme import (
    ALL_LONDON,
    NORTH_CENTRAL_LONDON,
    AbuseContext,
    AgeRange,
    ClaimId,
    EstimateKind,
    FigureRole,
    FigureUnit,
    FundingPackageId,
    IndicatorId,
    MeasureId,
    Money,
    Occasion,
    OrganisationId,
    OutcomeMeasure,
    PartialDate,
    Precision,
    Qualifier,
    ReferralRoute,
    RouteId,
    ServiceId,
    SourceId,
    TotalKind,
    Unit,
)
from cse_programme.datasets import london_2025

from .standards import SOURCES, STANDARDS, needs_sources, needs_standards

PRESS_RELEASE = SourceId("src-mayor-press-release-2025-11")
ASSUMPTIONS = SourceId("src-cse-programme-assumptions")
PROGRAMME_PAGE = Path(__file__).resolve().parents[1] / "docs" / "explanation" / "programme.rst"


def document() -> Any:
    raw = resources.files("cse_programme.datasets").joinpath("data/london_2025.json")
    return json.loads(raw.read_text(encoding="utf-8"))["data"]


def citations(value: Any, *, top: bool = False) -> Iterator[tuple[str, str]]:
    """Every (key, id) a record of the raw document cites under "claims" or "sources"."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("claims", "sources") and not top:
                yield from ((key, item) for item in inner)
            elif not (top and key in ("claims", "sources")):
                yield from citations(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from citations(inner)


def cited(key: str) -> set[str]:
    return {item for kind, item in citations(document(), top=True) if kind == key}


def test_every_claim_is_cited_by_at_least_one_record() -> None:
    claims = {claim["id"] for claim in document()["claims"]}
    assert len(claims) > 40
    assert claims - cited("claims") == set()


def test_every_source_is_cited_by_a_record_or_through_a_cited_claim() -> None:
    data = document()
    through_claims = {claim["source"] for claim in data["claims"] if claim["id"] in cited("claims")}
    sources = {source["id"] for source in data["sources"]}
    assert sources - (through_claims | cited("sources")) == set()


def test_the_package_is_2_4m_from_the_mayor_with_no_invented_split() -> None:
    package = london_2025().funding_package(FundingPackageId("pkg-cse-support-2025"))
    assert package.total == Money.of("2400000")
    assert package.funder == OrganisationId("GB-LAE-GLA")
    assert package.announced == PartialDate(2025, 11)
    assert all(allocation.amount is None for allocation in package.allocations)
    assert package.unallocated() == package.total


def test_the_2_4m_is_not_placed_under_the_233m() -> None:
    # No source says the new package is part of the VAWG investment.
    assert all(package.parent is None for package in london_2025().funding_packages)


def test_the_vawg_investment_is_a_floor_of_233m_and_says_so() -> None:
    london = london_2025()
    vawg = london.funding_package(FundingPackageId("pkg-vawg-investment"))
    assert vawg.total == Money.of("233m")
    assert vawg.total_kind is TotalKind.MORE_THAN
    (figure,) = london.claim(ClaimId("claim-vawg-233m")).figures
    assert (figure.value, figure.qualifier) == (Decimal(233_000_000), Qualifier.MORE_THAN)


def test_the_9000_is_held_as_stated() -> None:
    london = london_2025()
    (review,) = london.reviews
    assert review.cases_under_review is not None
    estimate = review.cases_under_review.estimate
    assert (estimate.kind, estimate.low) == (EstimateKind.EXACT, 9_000)
    for claim_id in review.cases_under_review.claims:
        (figure,) = london.claim(claim_id).figures
        assert (figure.value, figure.qualifier) == (Decimal(9_000), None)
        assert "9,000" in london.claim(claim_id).quote
        assert "approximately 9,000" not in london.claim(claim_id).quote


def test_the_reinvestigations_are_a_maybe_range_not_a_number() -> None:
    london = london_2025()
    (review,) = london.reviews
    assert review.expected_reinvestigations is not None
    expected = review.expected_reinvestigations.estimate
    assert (expected.kind, expected.low, expected.high) == (EstimateKind.RANGE, 2_000, 3_000)
    (claim_id,) = review.expected_reinvestigations.claims
    stated = [(f.role, f.value, f.qualifier) for f in london.claim(claim_id).figures]
    assert stated == [
        (FigureRole.LOW, Decimal(2_000), Qualifier.MAYBE),
        (FigureRole.HIGH, Decimal(3_000), Qualifier.MAYBE),
    ]


@pytest.mark.parametrize(
    ("claim", "qualifier", "word"),
    [
        ("claim-vawg-233m", Qualifier.MORE_THAN, "more than £233m"),
        ("claim-lighthouse-supported", Qualifier.ABOUT, "approximately 3,000"),
        ("claim-training-11000-recognising-cse", Qualifier.MORE_THAN, "more than 11,000"),
        ("claim-training-11000-frontline", Qualifier.MORE_THAN, "over 11,000"),
        ("claim-reinvestigation-2000-3000", Qualifier.MAYBE, "maybe 2,000 or 3,000"),
    ],
)
def test_each_qualifier_is_the_word_the_source_uses(
    claim: str, qualifier: Qualifier, word: str
) -> None:
    found = london_2025().claim(ClaimId(claim))
    assert word in found.quote
    assert {f.qualifier for f in found.figures if f.role is not FigureRole.CONTEXT} == {qualifier}


def test_figures_stated_plainly_carry_no_qualifier() -> None:
    for claim in london_2025().claims_for(PRESS_RELEASE):
        for figure in claim.figures:
            if figure.qualifier is None:
                continue
            words = {
                Qualifier.MORE_THAN: ("more than", "over"),
                Qualifier.ABOUT: ("approximately", "about"),
                Qualifier.MAYBE: ("maybe",),
            }[figure.qualifier]
            assert any(word in claim.quote for word in words), claim.id


def test_the_review_covers_2010_onwards_and_seven_categories_each_named_by_a_claim() -> None:
    london = london_2025()
    (review,) = london.reviews
    assert review.scope.start == PartialDate(2010)
    assert review.categories == frozenset(AbuseContext)
    named = set().union(*(london.claim(c).contexts for c in review.claims))
    assert named == set(review.categories)


def measure_named(name: str) -> OutcomeMeasure:
    return next(m for m in london_2025().measures if m.id == MeasureId(name))


def test_suspects_charged_rose_from_63_to_207() -> None:
    measure = measure_named("measure-suspects-charged")
    assert measure.current.value == 207
    assert measure.baseline is not None
    assert measure.baseline.value == 63
    assert measure.difference() == 144


def test_positive_outcomes_are_a_stated_change_only() -> None:
    measure = measure_named("measure-positive-outcomes")
    assert measure.stated_change_percent == Decimal("6.2")
    assert measure.current.value is None
    assert measure.ratio() is None


@pytest.mark.parametrize(
    ("indicator", "kind", "value", "unit"),
    [
        ("ind-trained-adultification", EstimateKind.EXACT, 23_000, Unit.OFFICERS_AND_STAFF),
        ("ind-trained-trauma-informed", EstimateKind.EXACT, 23_000, Unit.PEOPLE),
        ("ind-trained-recognise-cse", EstimateKind.MORE_THAN, 11_000, Unit.OFFICERS),
        ("ind-trained-frontline-child-exploitation", EstimateKind.MORE_THAN, 11_000, Unit.OFFICERS),
        ("ind-lighthouse-supported", EstimateKind.ABOUT, 3_000, Unit.VICTIMS_AND_SURVIVORS),
    ],
)
def test_indicators_hold_the_published_figures(
    indicator: str, kind: EstimateKind, value: int, unit: Unit
) -> None:
    found = london_2025().indicator(IndicatorId(indicator))
    assert (found.value.kind, found.value.low, found.unit) == (kind, value, unit)


@pytest.mark.parametrize(
    ("claim", "own_record", "other_record"),
    [
        (
            "claim-training-23000-trauma-informed",
            "ind-trained-trauma-informed",
            "ind-trained-adultification",
        ),
        (
            "claim-training-11000-frontline",
            "ind-trained-frontline-child-exploitation",
            "ind-trained-recognise-cse",
        ),
    ],
)
def test_a_claim_about_another_topic_has_a_record_of_its_own(
    claim: str, own_record: str, other_record: str
) -> None:
    london = london_2025()
    citing = [i.id for i in london.indicators if ClaimId(claim) in i.claims]
    assert citing == [IndicatorId(own_record)]
    assert ClaimId(claim) not in london.indicator(IndicatorId(other_record)).claims


def test_the_lighthouse_is_a_child_house_set_up_in_2018_in_north_central_london() -> None:
    london = london_2025()
    lighthouse = london.service(ServiceId("svc-lighthouse"))
    assert lighthouse.established == PartialDate(2018)
    assert lighthouse.coverage == NORTH_CENTRAL_LONDON.areas
    assert lighthouse.eligibility.age == AgeRange(0, 18)
    assert [r.age for r in lighthouse.eligibility.extended] == [AgeRange(18, 25)]
    assert lighthouse.referral_routes == {ReferralRoute.SELF, ReferralRoute.PROFESSIONAL}
    assert london.service(ServiceId("svc-isva")).is_pan_london()


def test_the_lighthouse_facts_from_outside_the_release_cite_their_own_source() -> None:
    london = london_2025()
    lighthouse = london.service(ServiceId("svc-lighthouse"))
    outside = [
        london.claim(c) for c in lighthouse.claims if london.claim(c).source != PRESS_RELEASE
    ]
    assert {claim.source for claim in outside} == {SourceId("src-uclh-lighthouse")}
    words = " ".join(claim.quote for claim in outside)
    for fact in ("0-18", "18-25", "self-referrals", "professionals", *NORTH_CENTRAL_LONDON.names()):
        assert fact in words, fact
    assert london.source(SourceId("src-uclh-lighthouse")).url is not None


@pytest.mark.parametrize("organisation", ["GB-LAE-GLA", "GB-CHC-216401"])
def test_each_registered_org_id_carries_its_own_source(organisation: str) -> None:
    london = london_2025()
    found = london.organisation(OrganisationId(organisation))
    assert found.sources
    for source in found.sources:
        assert source != PRESS_RELEASE
        assert organisation.rsplit("-", 1)[-1] in london.source(source).title


def test_dates_that_rest_on_the_release_date_cite_that_assumption() -> None:
    london = london_2025()
    release_date = ClaimId("claim-assumption-release-date")
    assert london.source(PRESS_RELEASE).published == PartialDate(2025, 11)
    package = london.funding_package(FundingPackageId("pkg-cse-support-2025"))
    assert release_date in package.claims
    for indicator in london.indicators:
        assert indicator.as_of == PartialDate(2025, 11)
        assert release_date in indicator.claims


def normalised(text: str) -> str:
    return " ".join(text.split())


def assumptions_in_the_docs() -> list[str]:
    """The bullet points of the programme page's Assumptions section."""
    lines = PROGRAMME_PAGE.read_text(encoding="utf-8").split("\nAssumptions\n", 1)[1]
    items: list[str] = []
    for line in lines.splitlines()[1:]:
        if line.startswith("* "):
            items.append(line[2:])
        elif items and line.startswith("  "):
            items[-1] += " " + line
        elif items and line.strip():
            break
    return [normalised(item) for item in items]


def test_every_assumption_is_listed_on_the_programme_page_word_for_word() -> None:
    london = london_2025()
    claims = london.claims_for(ASSUMPTIONS)
    assert len(claims) >= 5
    listed = assumptions_in_the_docs()
    assert sorted(normalised(claim.quote) for claim in claims) == sorted(listed)
    url = london.source(ASSUMPTIONS).url
    assert url is not None
    assert url.endswith("explanation/programme.html#assumptions")


def test_years_and_dates_are_dates_and_ages_are_ages() -> None:
    for claim in london_2025().claims:
        stated_years = {date.year for date in claim.dates}
        for year in stated_years:
            assert str(year) in claim.quote, claim.id
        for figure in claim.figures:
            assert figure.value not in stated_years, claim.id
    london = london_2025()
    expected_dates = {
        "claim-lighthouse": (PartialDate(2018),),
        "claim-review-since-2010": (PartialDate(2010),),
        "claim-hmicfrs-2023": (PartialDate(2023),),
        "claim-commander-since-2022": (PartialDate(2022),),
    }
    for claim_id, dates in expected_dates.items():
        assert london.claim(ClaimId(claim_id)).dates == dates
    for claim_id in ("claim-under-18-finder", "claim-over-18-gateway"):
        (figure,) = london.claim(ClaimId(claim_id)).figures
        assert (figure.value, figure.unit) == (Decimal(18), FigureUnit.AGE)
    (years,) = london.claim(ClaimId("claim-review-15-years")).figures
    assert (years.value, years.unit) == (Decimal(15), FigureUnit.YEARS)


def test_the_commissioner_spoke_at_the_policing_plenary_meeting_on_13_november_2025() -> None:
    london = london_2025()
    plenary = Occasion(
        name="Policing Plenary Meeting", place="City Hall", on=PartialDate(2025, 11, 13)
    )
    spoken = [claim for claim in london.claims if claim.occasion == plenary]
    assert {claim.id for claim in spoken} == {
        ClaimId("claim-commissioner-catch-all"),
        ClaimId("claim-commissioner-ethnicity"),
        ClaimId("claim-reinvestigation-2000-3000"),
    }
    assert {claim.speaker for claim in spoken} == {"The Met Commissioner"}
    assert plenary.on is not None
    assert plenary.on.precision is Precision.DAY
    assert str(plenary) == "Policing Plenary Meeting, City Hall, 2025-11-13"
    assert str(Occasion(name="Policing Plenary Meeting")) == "Policing Plenary Meeting"
    catch_all = london.claim(ClaimId("claim-commissioner-catch-all"))
    assert "Policing Plenary Meeting at City Hall on Thursday, 13th November" in catch_all.quote
    assert '"grooming gangs" as a catch-all term' in catch_all.quote


def test_the_reporting_routes_are_structured_contacts() -> None:
    london = london_2025()
    met = london.route(RouteId("route-metropolitan-police"))
    crimestoppers = london.route(RouteId("route-crimestoppers"))
    assert (met.organisation, met.anonymous, met.phone) == (
        OrganisationId("org-metropolitan-police"),
        False,
        None,
    )
    assert (crimestoppers.organisation, crimestoppers.anonymous, crimestoppers.phone) == (
        OrganisationId("org-crimestoppers"),
        True,
        "0800 555 111",
    )
    for route in (met, crimestoppers):
        quote = london.claim(route.claims[0]).quote
        assert "report it to the Met, or anonymously through Crimestoppers online" in quote
        assert "0800 555 111" in quote


def test_the_met_route_covers_london_as_the_release_says() -> None:
    met = london_2025().route(RouteId("route-metropolitan-police"))
    # "an offence taking place in London": the 33 London areas, the City included.
    assert met.coverage == ALL_LONDON.areas
    assert met.claims == (ClaimId("claim-reporting-routes"),)


@needs_standards
def test_crimestoppers_is_a_national_route_resting_on_a_stated_assumption() -> None:
    london = london_2025()
    crimestoppers = london.route(RouteId("route-crimestoppers"))
    with (STANDARDS / "ons" / "lad_to_pfa_december_2024.csv").open(encoding="utf-8") as table:
        every_district = {row["lad_code"] for row in csv.DictReader(table)}
    assert len(every_district) == 318
    assert {area.code for area in crimestoppers.coverage} == every_district
    # Where the line takes reports beyond London is outside the release: an assumption.
    release, assumption = (london.claim(claim) for claim in crimestoppers.claims)
    assert release.source == PRESS_RELEASE
    assert assumption.source == ASSUMPTIONS
    assert "anywhere in England and Wales" in assumption.quote


@needs_standards
def test_the_met_carries_its_police_force_area() -> None:
    met = next(o for o in london_2025().organisations if o.id == "org-metropolitan-police")
    assert met.police_force_area is not None
    with (STANDARDS / "ons" / "lad_to_pfa_december_2024.csv").open(encoding="utf-8") as table:
        rows = [row for row in csv.DictReader(table) if row["pfa_name"] == "Metropolitan Police"]
    assert {row["pfa_code"] for row in rows} == {met.police_force_area.code} == {"E23000001"}
    assert {area.code for area in met.police_force_area.areas} == {r["lad_code"] for r in rows}
    # The City of London Police is not in the release, so the dataset has no such force.
    assert [o.police_force_area for o in london_2025().organisations if o.police_force_area] == [
        met.police_force_area
    ]


@pytest.mark.parametrize(
    ("claim", "words", "cited_by"),
    [
        (
            "claim-commander-case-types",
            ["online, intrafamilial, institutional, and peer-on-peer", "‘grooming gangs’"],  # noqa: RUF001
            "review-met-historic-cse",
        ),
        ("claim-commander-since-2022", ["since 2022"], "org-metropolitan-police"),
        ("claim-child-first", ["‘Child First’", "missing children"], "org-metropolitan-police"),  # noqa: RUF001
        ("claim-v100", ["V100", "most prolific offenders"], "org-metropolitan-police"),
        ("claim-specialist-teams", ["expanded specialist teams"], "org-metropolitan-police"),
        (
            "claim-partnership",
            ["Local Authorities, Children's Social Care, Health and Education"],
            "org-crown-prosecution-service",
        ),
    ],
)
def test_the_facts_the_release_adds_are_held_with_their_words(
    claim: str, words: list[str], cited_by: str
) -> None:
    london = london_2025()
    found = london.claim(ClaimId(claim))
    assert found.source == PRESS_RELEASE
    for word in words:
        assert word in found.quote
    records: list[Any] = [*london.organisations, *london.reviews]
    assert ClaimId(claim) in next(r for r in records if str(r.id) == cited_by).claims


def test_the_commanders_case_types_name_five_categories() -> None:
    contexts = london_2025().claim(ClaimId("claim-commander-case-types")).contexts
    assert contexts == {
        AbuseContext.ONLINE,
        AbuseContext.INTRAFAMILIAL,
        AbuseContext.INSTITUTIONAL,
        AbuseContext.PEER_ON_PEER,
        AbuseContext.GROUP_BASED,
    }


def test_the_134_claim_is_kept_beside_the_63_to_207_claim() -> None:
    london = london_2025()
    additional = london.claim(ClaimId("claim-134-additional-charged"))
    threefold = london.claim(ClaimId("claim-charged-63-207"))
    assert Decimal(134) in [f.value for f in additional.figures]
    assert [f.value for f in threefold.figures][-2:] == [Decimal(63), Decimal(207)]
    assert (additional.period_label, threefold.period_label) == (
        "over the past year",
        "the last six months",
    )


@needs_sources
def test_every_quote_from_the_press_release_is_verbatim() -> None:
    (release,) = SOURCES.glob("000_*.txt")
    text = release.read_text(encoding="utf-8")
    quotes = [c.quote for c in london_2025().claims_for(PRESS_RELEASE)]
    assert len(quotes) > 40
    for quote in quotes:
        assert quote in text
