"""The embedded London programme: every figure as its source states it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cse_programme import (
    ClaimId,
    EstimateKind,
    FundingPackageId,
    IndicatorId,
    MeasureId,
    Money,
    OrganisationId,
    OutcomeMeasure,
    ServiceId,
    SourceId,
    TotalKind,
)
from cse_programme.datasets import london_2025

from .standards import SOURCES

PRESS_RELEASE = SourceId("src-mayor-press-release-2025-11")


def test_the_package_is_2_4m_from_the_mayor_with_no_invented_split() -> None:
    package = london_2025().funding_package(FundingPackageId("pkg-cse-support-2025"))
    assert package.total == Money.of("2400000")
    assert package.funder == OrganisationId("GB-LAE-GLA")
    assert str(package.announced) == "2025-11"
    assert all(allocation.amount is None for allocation in package.allocations)
    assert package.unallocated() == package.total
    assert package.parent == FundingPackageId("pkg-vawg-investment")


def test_the_vawg_investment_is_a_floor_of_233m() -> None:
    vawg = london_2025().funding_package(FundingPackageId("pkg-vawg-investment"))
    assert vawg.total == Money.of("233m")
    assert vawg.total_kind is TotalKind.MORE_THAN


def test_the_review_figures_are_estimates_not_numbers() -> None:
    (review,) = london_2025().reviews
    assert review.cases_under_review is not None
    assert review.expected_reinvestigations is not None
    under_review = review.cases_under_review.estimate
    expected = review.expected_reinvestigations.estimate
    assert (under_review.kind, under_review.low) == (EstimateKind.ABOUT, 9_000)
    assert (expected.kind, expected.low, expected.high) == (EstimateKind.RANGE, 2_000, 3_000)
    assert review.scope.start.year == 2010


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
    ("indicator", "kind", "value"),
    [
        ("ind-trained-adultification", EstimateKind.EXACT, 23_000),
        ("ind-trained-recognise-cse", EstimateKind.MORE_THAN, 11_000),
        ("ind-lighthouse-supported", EstimateKind.ABOUT, 3_000),
    ],
)
def test_indicators_hold_the_published_figures(
    indicator: str, kind: EstimateKind, value: int
) -> None:
    found = london_2025().indicator(IndicatorId(indicator))
    assert (found.value.kind, found.value.low) == (kind, value)


def test_the_lighthouse_is_a_child_house_set_up_in_2018_in_north_central_london() -> None:
    lighthouse = london_2025().service(ServiceId("svc-lighthouse"))
    assert str(lighthouse.established) == "2018"
    assert sorted(area.name for area in lighthouse.coverage) == [
        "Barnet",
        "Camden",
        "Enfield",
        "Haringey",
        "Islington",
    ]
    assert not lighthouse.is_pan_london()
    assert london_2025().service(ServiceId("svc-isva")).is_pan_london()


def test_the_134_claim_is_kept_beside_the_63_to_207_claim() -> None:
    london = london_2025()
    additional = london.claim(ClaimId("claim-134-additional-charged"))
    threefold = london.claim(ClaimId("claim-charged-63-207"))
    assert Decimal(134) in [f.value for f in additional.figures]
    assert [f.value for f in threefold.figures][-2:] == [Decimal(63), Decimal(207)]


def test_every_figure_cites_a_claim_of_a_recorded_source() -> None:
    london = london_2025()
    cited = [c for p in london.funding_packages for c in p.claims]
    cited += [c for m in london.measures for c in m.claims]
    cited += [c for i in london.indicators for c in i.claims]
    assert cited
    for claim_id in cited:
        assert london.claim(claim_id).source in {s.id for s in london.sources}


@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"the source documents are not at {SOURCES}")
def test_every_quote_from_the_press_release_is_verbatim() -> None:
    (release,) = SOURCES.glob("000_*.txt")
    text = release.read_text(encoding="utf-8")
    quotes = [c.quote for c in london_2025().claims_for(PRESS_RELEASE)]
    assert len(quotes) > 20
    for quote in quotes:
        assert quote in text
