"""A programme outside London, end to end: the Greater Manchester illustration.

The fund, the services, their ages and the review are the illustration of
the how-to guide "Model a programme outside London": made up, and cited to a
source that says so.  The districts come from the ONS table; Crimestoppers'
line and what it covers come from the London dataset, with their sources.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from cse_programme import (
    AbuseContext,
    AgeRange,
    Allocation,
    AllocationId,
    Area,
    Claim,
    ClaimId,
    Eligibility,
    Estimate,
    Figure,
    FigureRole,
    FigureUnit,
    FundingPackage,
    FundingPackageId,
    Money,
    Organisation,
    OrganisationId,
    OrganisationKind,
    PartialDate,
    Period,
    PoliceForceArea,
    Programme,
    ReviewId,
    ReviewProgramme,
    RouteId,
    ServiceId,
    Source,
    SourcedEstimate,
    SourceId,
    SupportKind,
    SupportService,
    SurvivorGroup,
    dumps,
    loads,
)
from cse_programme.analysis import Verdict, audit, build_report, find_routes, find_services, render
from cse_programme.datasets import london_2025
from cse_programme.interop import to_360giving, to_hsds

from .standards import (
    STANDARDS,
    hsds_service_validator,
    needs_standards,
    threesixtygiving_validator,
)
from .test_cli import cli

PLACES = ("Manchester", "Salford", "Oldham")


def ons_rows() -> list[dict[str, str]]:
    with (STANDARDS / "ons" / "lad_to_pfa_december_2024.csv").open(encoding="utf-8") as table:
        return list(csv.DictReader(table))


def greater_manchester() -> Programme:
    """The how-to guide's illustrative programme, with a provider for each service."""
    illustration = Source(
        id=SourceId("src-illustration"),
        title="An illustrative programme (made-up figures)",
        publisher="cse-programme documentation",
    )
    fund_claim = Claim(
        id=ClaimId("claim-illustrative-fund"),
        source=illustration.id,
        quote="An illustrative fund of £1.1m.",
        figures=(Figure(Decimal(1_100_000), FigureUnit.GBP, FigureRole.VALUE),),
    )
    review_claim = Claim(
        id=ClaimId("claim-illustrative-review"),
        source=illustration.id,
        quote="An illustrative review of 1,200 historic cases.",
        figures=(Figure(Decimal(1_200), FigureUnit.COUNT, FigureRole.VALUE),),
    )
    funder = Organisation(
        id=OrganisationId("org-illustrative-funder"),
        name="An illustrative funder",
        kind=OrganisationKind.OTHER,
    )
    charity = Organisation(
        id=OrganisationId("org-illustrative-charity"),
        name="An illustrative charity",
        kind=OrganisationKind.CHARITY,
    )
    police = Organisation(
        id=OrganisationId("org-greater-manchester-police"),
        name="Greater Manchester Police",
        kind=OrganisationKind.POLICE_FORCE,
        police_force_area=PoliceForceArea.lookup("Greater Manchester"),
    )
    places = frozenset(Area.lookup(name) for name in PLACES)

    def service(id: str, name: str, kind: SupportKind, rules: Eligibility) -> SupportService:
        return SupportService(
            id=ServiceId(id),
            name=name,
            provider=charity.id,
            support=frozenset({kind}),
            eligibility=rules,
            contexts=frozenset(AbuseContext),
            coverage=places,
            sources=(illustration.id,),
        )

    advocacy = service(
        "svc-illustrative-advocacy",
        "Advocacy for young people (illustration)",
        SupportKind.ADVOCACY,
        Eligibility(
            age=AgeRange(11, 25),
            groups=frozenset({SurvivorGroup.CHILDREN, SurvivorGroup.ADULTS}),
        ),
    )
    counselling = service(
        "svc-illustrative-counselling",
        "Counselling for adult survivors (illustration)",
        SupportKind.COUNSELLING,
        Eligibility(age=AgeRange(18), groups=frozenset({SurvivorGroup.ADULTS})),
    )
    fund = FundingPackage(
        id=FundingPackageId("pkg-illustrative"),
        name="Illustrative fund",
        funder=funder.id,
        total=Money.of("1.1m"),
        announced=PartialDate(2026, 1),
        allocations=tuple(
            Allocation(id=AllocationId(f"alloc-{s.id}"), purpose=s.name, service=s.id)
            for s in (advocacy, counselling)
        ),
        claims=(fund_claim.id,),
    )
    review = ReviewProgramme(
        id=ReviewId("review-illustrative"),
        name="Illustrative review of historic cases",
        lead_force=police.id,
        scope=Period(PartialDate(2010)),
        cases_under_review=SourcedEstimate(
            estimate=Estimate.exact(1_200), claims=(review_claim.id,)
        ),
    )
    # Crimestoppers' national line, with the claims and sources it rests on.
    london = london_2025()
    crimestoppers = london.route(RouteId("route-crimestoppers"))
    borrowed = tuple(london.claim(claim) for claim in crimestoppers.claims)
    line_owner = attrs.evolve(
        london.organisation(crimestoppers.organisation), claims=crimestoppers.claims
    )
    return Programme(
        name="An illustrative Greater Manchester programme",
        organisations=(funder, charity, police, line_owner),
        services=(advocacy, counselling),
        reporting_routes=(crimestoppers,),
        funding_packages=(fund,),
        reviews=(review,),
        sources=(illustration, *dict.fromkeys(london.source(c.source) for c in borrowed)),
        claims=(fund_claim, review_claim, *borrowed),
    )


def test_the_programme_is_saved_and_loaded_unchanged() -> None:
    programme = greater_manchester()
    assert loads(dumps(programme), Programme) == programme


def test_the_report_names_the_districts_and_the_national_route() -> None:
    text = render(build_report(greater_manchester()), "text")
    assert "£1,100,000.00" in text
    assert "1,200" in text
    rows = [line for line in text.splitlines() if "(illustration)  " in line]
    assert [row.split("  ")[0] for row in rows] == [
        "Advocacy for young people (illustration)",
        "Counselling for adult survivors (illustration)",
    ]
    assert all("  Manchester, Oldham, Salford  " in row for row in rows)
    assert "Crimestoppers (Crimestoppers, anonymous): 0800 555 111; England and Wales" in text
    assert "All of London" not in text


def test_the_audit_finds_the_illustrative_figures_held() -> None:
    findings = {(str(f.claim), f.check): f.verdict for f in audit(greater_manchester())}
    assert findings == {
        ("claim-illustrative-fund", "value"): Verdict.CONSISTENT,
        ("claim-illustrative-review", "value"): Verdict.CONSISTENT,
    }


def test_the_finder_offers_each_person_their_service_and_everyone_the_route() -> None:
    programme = greater_manchester()
    young = find_services(programme, age=15, area="Manchester")
    assert [m.service.name for m in young] == ["Advocacy for young people (illustration)"]
    assert young[0].reasons[0] == "covers Manchester (one of 3 districts)"
    adult = find_services(programme, age=30, area="Oldham")
    assert [m.service.name for m in adult] == ["Counselling for adult survivors (illustration)"]
    assert find_services(programme, age=15, area="Bolton") == ()
    for place in ("Bolton", "Cardiff", "Camden"):
        (route,) = find_routes(programme, area=place)
        assert route.reasons[0] == f"covers England and Wales, including {place}"


@needs_standards
def test_the_exports_are_valid_and_place_the_services_in_their_districts() -> None:
    programme = greater_manchester()
    codes = {row["lad_name"]: row["lad_code"] for row in ons_rows()}
    documents = to_hsds(programme)
    for document in documents:
        hsds_service_validator().validate(document)
    advocacy, _, crimestoppers = documents
    assert sorted(area["uri"].rsplit("/", 1)[1] for area in advocacy["service_areas"]) == sorted(
        codes[place] for place in PLACES
    )
    assert [area["name"] for area in crimestoppers["service_areas"]] == ["England and Wales"]
    grants = to_360giving(programme, prefix="360G-example")
    threesixtygiving_validator().validate(grants)
    (grant,) = grants["grants"]
    assert grant["amountAwarded"] == 1_100_000
    # Manchester, Salford and Oldham are metropolitan districts: "MD" in 360Giving.
    assert sorted((loc["geoCode"], loc["geoCodeType"]) for loc in grant["beneficiaryLocation"]) == (
        sorted((codes[place], "MD") for place in PLACES)
    )


@needs_standards
def test_the_command_line_works_on_the_saved_programme(tmp_path: Path) -> None:
    path = tmp_path / "greater-manchester.json"
    path.write_bytes(dumps(greater_manchester()))
    report = cli("report", str(path))
    assert report.returncode == 0, report.stderr
    assert "England and Wales" in report.stdout
    found = cli("find-service", "--input", str(path), "--age", "15", "--area", "Salford")
    assert found.stdout.splitlines()[0] == "Advocacy for young people (illustration)"
    assert "Crimestoppers (anonymous): 0800 555 111" in found.stdout
    for standard, options in (("hsds", []), ("360giving", ["--prefix", "360G-example"])):
        exported = cli("export", str(path), "--to", standard, *options)
        assert exported.returncode == 0, exported.stderr
    for document in json.loads(cli("export", str(path), "--to", "hsds").stdout):
        hsds_service_validator().validate(document)


@needs_standards
@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_a_funnel_of_greater_manchester_cases_lists_its_ten_districts(
    tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "cases.jsonl"
    made = cli("synthesise", "--cases", "300", "--force", "Greater Manchester", "-o", str(path))
    assert made.returncode == 0, made.stderr
    assert cli("validate", str(path)).returncode == 0
    result = cli("funnel", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["tables"]["area"]["rows"]
    expected = [row["lad_name"] for row in ons_rows() if row["pfa_name"] == "Greater Manchester"]
    assert len(expected) == 10
    assert rows == [*expected, "Not recorded", "Total"]
    shown = cli("funnel", str(path), "--format", fmt)
    assert shown.returncode == 0
    for district in (*expected, "Not recorded"):
        assert district in shown.stdout
    assert "Camden" not in shown.stdout
