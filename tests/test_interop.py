"""360Giving and HSDS: exports valid against the official schemas, imports that never invent."""

from __future__ import annotations

import copy
import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cse_programme import (
    AbuseContext,
    Area,
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
    PoliceForceArea,
    Precision,
    Programme,
    Qualifier,
    ReportingRoute,
    ServiceId,
    SupportKind,
    SupportService,
    SurvivorGroup,
    TotalKind,
    ValidationError,
    load,
    testing,
)
from cse_programme.analysis import find_services
from cse_programme.cli import main
from cse_programme.datasets import london_2025
from cse_programme.interop import (
    Imported,
    from_360giving,
    from_hsds,
    hsds_id,
    to_360giving,
    to_hsds,
    to_hsds_service,
)
from cse_programme.interop._hsds import GSS_URI, _ended, _organisation
from cse_programme.interop._imported import slug

from .examples import standalone_services
from .standards import (
    STANDARDS,
    hsds_service_validator,
    needs_standards,
    threesixtygiving_validator,
)

PREFIX = "360G-example"
HSDS_EXAMPLES = STANDARDS / "hsds" / "examples"
GRANT_EXAMPLES = STANDARDS / "360giving" / "examples"


def ons_districts() -> dict[str, str]:
    """Every district's name with its police force area's, from the ONS table."""
    with (STANDARDS / "ons" / "lad_to_pfa_december_2024.csv").open(encoding="utf-8") as table:
        return {row["lad_name"]: row["pfa_name"] for row in csv.DictReader(table)}


def districts_of(force_area: str) -> list[str]:
    return [name for name, force in ons_districts().items() if force == force_area]


def round_trip_json(value: Any) -> Any:
    return json.loads(json.dumps(value), parse_float=Decimal)


def problems_of(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    """Each problem's path and code, once its message is seen to continue the path in words.

    A message reads after its path ("/grants/0/currency: must be GBP ..."), so
    it starts with a lower-case word and ends without a full stop.
    """
    for problem in error.value.problems:
        message = problem.message
        assert re.match(r"[a-z]+ ", message), message
        assert not message.endswith("."), message
    return [(p.path, p.code) for p in error.value.problems]


# 360Giving: export ---------------------------------------------------------


def recipients_of(programme: Programme, package: FundingPackage) -> dict[OrganisationId, Any]:
    """Who receives part of a package, and how much where every part is known (the oracle)."""
    shares: dict[OrganisationId, list[Money | None]] = {}
    for allocation in package.allocations:
        owner = allocation.organisation
        if allocation.service is not None:
            owner = programme.service(allocation.service).provider
        if owner is not None:
            shares.setdefault(owner, []).append(allocation.amount)
    return {
        owner: None
        if any(amount is None for amount in amounts)
        else Money(sum((a.pounds for a in amounts if a is not None), Decimal(0)))
        for owner, amounts in shares.items()
    }


def grants_of(programme: Programme) -> list[FundingPackage]:
    parents = {p.parent for p in programme.funding_packages}
    return [
        p for p in programme.funding_packages if p.id not in parents and recipients_of(programme, p)
    ]


def json_number_holds(amount: Money) -> bool:
    """Whether a 360Giving amount (a JSON number) can say *amount* exactly.

    Whole pounds are written as integers; an amount with pence as the
    shortest text of the nearest double, which must read back as the amount.
    """
    pounds = amount.pounds
    return pounds == int(pounds) or Decimal(json.dumps(float(pounds))) == pounds


def written_exactly(programme: Programme, package: FundingPackage) -> bool:
    shares = recipients_of(programme, package).values()
    return all(json_number_holds(a) for a in (package.total, *shares) if a is not None)


@needs_standards
def test_the_london_grants_validate_against_360giving() -> None:
    document = to_360giving(london_2025(), prefix=PREFIX)
    threesixtygiving_validator().validate(document)


@needs_standards
@given(testing.programmes())
def test_generated_programmes_export_valid_360giving(programme: Programme) -> None:
    exported = grants_of(programme)
    assume(exported and all(p.announced is not None for p in exported))
    assume(all(written_exactly(programme, p) for p in exported))
    document = to_360giving(programme, prefix=PREFIX)
    threesixtygiving_validator().validate(document)
    assert [g["id"] for g in document["grants"]] == [f"{PREFIX}-{p.id}" for p in exported]


@given(testing.money().filter(lambda amount: not json_number_holds(amount)))
def test_an_amount_no_json_number_can_say_exactly_is_refused(amount: Money) -> None:
    london = london_2025()
    packages = tuple(attrs.evolve(p, total=amount) for p in london.funding_packages)
    with pytest.raises(ValidationError) as error:
        to_360giving(attrs.evolve(london, funding_packages=packages), prefix=PREFIX)
    assert "inexact_amount" in {p.code for p in error.value.problems}


def test_an_inexact_amount_is_refused_at_its_packages_total() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    # Seventeen significant figures: a JSON number, read as a double, cannot keep them all.
    huge = attrs.evolve(cse, total=Money.of(Decimal("987654321098765.43")))
    with pytest.raises(ValidationError) as error:
        to_360giving(attrs.evolve(london, funding_packages=(vawg, huge)), prefix=PREFIX)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        (
            "/funding_packages/1/total",
            "must be an amount a JSON number holds exactly",
            "inexact_amount",
        )
    ]


def test_a_grant_says_what_each_recipient_receives_where_it_is_known() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    # Illustrative amounts, in the order of the allocations: ISVAs, counselling, the
    # Lighthouse and the pan-London service.
    amounts = iter([Money.of(100_000), Money.of(250_000), Money.of(50_000), Money.of(75_000)])
    known = attrs.evolve(
        cse, allocations=tuple(attrs.evolve(a, amount=next(amounts)) for a in cse.allocations)
    )
    (grant,) = to_360giving(attrs.evolve(london, funding_packages=(vawg, known)), prefix=PREFIX)[
        "grants"
    ]
    # The Lighthouse is UCLH's; the ISVAs and counselling name no provider.
    assert grant["description"].split(". ")[1] == (
        "University College London Hospitals NHS Foundation Trust receives £50,000.00, "
        "The organisations delivering the pan-London sexual violence support service "
        "receives £75,000.00"
    )


def test_the_london_grant_keeps_both_recipients_and_gives_neither_an_amount() -> None:
    (grant,) = to_360giving(london_2025(), prefix=PREFIX)["grants"]
    assert grant["amountAwarded"] == 2_400_000
    assert [r["id"] for r in grant["recipientOrganization"]] == [
        "org-uclh",
        "org-pan-london-sv-providers",
    ]
    assert grant["cseProgramme"]["recipientAmounts"] == [None, None]
    assert "has not been published" in grant["description"]
    assert "No recipient has been published for: New Independent Sexual" in grant["description"]
    assert grant["fundingOrganization"] == [
        {"id": "GB-LAE-GLA", "name": "Mayor of London (Greater London Authority)"}
    ]
    assert "grantProgramme" not in grant


def test_a_month_is_written_as_its_first_day_and_kept_at_its_precision() -> None:
    (grant,) = to_360giving(london_2025(), prefix=PREFIX)["grants"]
    assert grant["awardDate"] == "2025-11-01"
    assert grant["cseProgramme"]["announced"] == "2025-11"
    assert "first day of that period" in grant["description"]


def test_a_day_is_written_as_itself_and_its_grant_claims_no_missing_day() -> None:
    london = london_2025()
    (announced,) = [p for p in london.funding_packages if p.announced is not None]
    on_a_day = attrs.evolve(announced, announced=PartialDate.parse("2025-11-14"))
    packages = tuple(on_a_day if p is announced else p for p in london.funding_packages)
    (grant,) = to_360giving(attrs.evolve(london, funding_packages=packages), prefix=PREFIX)[
        "grants"
    ]
    assert grant["awardDate"] == "2025-11-14"
    assert grant["cseProgramme"]["announced"] == "2025-11-14"
    assert "Announced in" not in grant["description"]
    assert "exact day" not in grant["description"]


def test_a_package_with_no_recipient_is_left_out_and_the_file_says_so() -> None:
    document = to_360giving(london_2025(), prefix=PREFIX)
    assert all("vawg" not in grant["id"] for grant in document["grants"])
    assert document["description"] == (
        "Not published as grants, because no recipient organisation is known: "
        "Mayor of London investment to tackle violence against women and girls."
    )


def test_a_programme_with_no_grant_to_publish_is_refused() -> None:
    london = london_2025()
    bare = attrs.evolve(london, funding_packages=london.funding_packages[:1])
    with pytest.raises(ValidationError) as error:
        to_360giving(bare, prefix=PREFIX)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        (
            "/funding_packages",
            "must include a package with a recipient organisation: 360Giving publishes grants",
            "no_grants",
        )
    ]


def test_a_grant_needs_a_known_award_date() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    undated = attrs.evolve(london, funding_packages=(vawg, attrs.evolve(cse, announced=None)))
    with pytest.raises(ValidationError) as error:
        to_360giving(undated, prefix=PREFIX)
    assert [(p.path, p.message) for p in error.value.problems] == [
        (
            "/funding_packages/1/announced",
            "must be known to export a grant: 360Giving needs an award date",
        )
    ]


def test_a_prefix_is_required_and_never_invented() -> None:
    with pytest.raises(ValidationError) as error:
        to_360giving(london_2025(), prefix="GLA")
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/prefix", "must be your 360Giving prefix, such as 360G-GLA", "prefix")
    ]


def test_every_problem_that_stops_an_export_is_reported_at_once() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    huge = Money.of(Decimal("987654321098765.43"))
    unfit = attrs.evolve(cse, announced=None, total=huge)
    with pytest.raises(ValidationError) as error:
        to_360giving(attrs.evolve(london, funding_packages=(vawg, unfit)), prefix="GLA")
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/prefix", "prefix"),
        ("/funding_packages/1/announced", "no_award_date"),
        ("/funding_packages/1/total", "inexact_amount"),
    ]


@given(testing.programmes(), st.sampled_from([PREFIX, "GLA", ""]))
def test_an_export_refuses_exactly_what_stops_it_each_at_its_path(
    programme: Programme, prefix: str
) -> None:
    expected = [] if prefix == PREFIX else ["/prefix"]
    grants = grants_of(programme)
    for index, package in enumerate(programme.funding_packages):
        if package in grants:
            if package.announced is None:
                expected.append(f"/funding_packages/{index}/announced")
            if not json_number_holds(package.total):
                expected.append(f"/funding_packages/{index}/total")
    if not grants:
        expected.append("/funding_packages")
    if not expected:
        to_360giving(programme, prefix=prefix)
        return
    with pytest.raises(ValidationError) as error:
        to_360giving(programme, prefix=prefix)
    assert [p.path for p in error.value.problems] == expected


def test_a_package_within_a_larger_one_names_it_as_its_grant_programme() -> None:
    # A hand-made programme: the London package placed within the Mayor's wider investment.
    london = london_2025()
    vawg, cse = london.funding_packages
    within = attrs.evolve(cse, parent=vawg.id)
    (grant,) = to_360giving(attrs.evolve(london, funding_packages=(vawg, within)), prefix=PREFIX)[
        "grants"
    ]
    assert grant["grantProgramme"] == [
        {
            "code": "pkg-vawg-investment",
            "title": "Mayor of London investment to tackle violence against women and girls",
        }
    ]


def test_every_package_left_out_for_want_of_a_recipient_is_named() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    other = attrs.evolve(
        vawg, id=FundingPackageId("pkg-other"), name="Another package with no recipient"
    )
    document = to_360giving(
        attrs.evolve(london, funding_packages=(vawg, other, cse)), prefix=PREFIX
    )
    assert document["description"] == (
        "Not published as grants, because no recipient organisation is known: "
        "Mayor of London investment to tackle violence against women and girls; "
        "Another package with no recipient."
    )


# 360Giving: import ---------------------------------------------------------


@given(testing.programmes())
def test_360giving_round_trip_gives_back_the_same_packages(programme: Programme) -> None:
    exported = grants_of(programme)
    assume(exported and all(p.announced is not None for p in exported))
    assume(all(written_exactly(programme, p) for p in exported))
    imported = from_360giving(round_trip_json(to_360giving(programme, prefix=PREFIX)))
    back = {package.id: package for package in imported.funding_packages}
    assert set(back) == {package.id for package in exported}
    names = {o.id: o.name for o in imported.organisations}
    for package in exported:
        found = back[package.id]
        assert (found.name, found.funder, found.total, found.total_kind) == (
            package.name,
            package.funder,
            package.total,
            package.total_kind,
        )
        assert found.announced == package.announced
        assert found.purposes == package.purposes
        assert {a.organisation: a.amount for a in found.allocations} == recipients_of(
            programme, package
        )
        assert names[package.funder] == programme.organisation(package.funder).name
    imported.programme("imported")


def test_the_london_export_comes_back_unchanged() -> None:
    london = london_2025()
    imported = from_360giving(round_trip_json(to_360giving(london, prefix=PREFIX)))
    (package,) = imported.funding_packages
    original = london.funding_packages[1]
    assert (package.id, package.total, package.announced) == (
        original.id,
        Money.of("2.4m"),
        PartialDate(2025, 11),
    )
    assert package.announced is not None
    assert package.announced.precision is Precision.MONTH
    assert [(str(a.organisation), a.amount) for a in package.allocations] == [
        ("org-uclh", None),
        ("org-pan-london-sv-providers", None),
    ]
    assert package.purposes == original.purposes
    programme = imported.programme("imported")
    assert programme.funding_packages == (package,)


def test_a_known_share_is_written_and_read_back_for_its_recipient_only() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    lighthouse = cse.allocations[2]
    assert str(lighthouse.service) == "svc-lighthouse"
    known = attrs.evolve(lighthouse, amount=Money.of(400_000))
    shared = attrs.evolve(cse, allocations=(*cse.allocations[:2], known, cse.allocations[3]))
    programme = attrs.evolve(london, funding_packages=(vawg, shared))
    (grant_,) = to_360giving(programme, prefix=PREFIX)["grants"]
    assert grant_["amountAwarded"] == 2_400_000
    assert grant_["cseProgramme"]["recipientAmounts"] == ["400000.00", None]
    assert (
        "University College London Hospitals NHS Foundation Trust receives £400,000.00"
        in (grant_["description"])
    )
    (package,) = from_360giving(round_trip_json({"grants": [grant_]})).funding_packages
    assert [(str(a.organisation), a.amount) for a in package.allocations] == [
        ("org-uclh", Money.of(400_000)),
        ("org-pan-london-sv-providers", None),
    ]


def test_a_package_described_at_length_comes_back_whole() -> None:
    london = london_2025()
    vawg, cse = london.funding_packages
    purposes = tuple(f"Purpose {n}: " + "support for survivors " * 60 for n in range(3))
    programme = attrs.evolve(london, funding_packages=(vawg, attrs.evolve(cse, purposes=purposes)))
    (grant_,) = to_360giving(programme, prefix=PREFIX)["grants"]
    assert len(grant_["description"]) > 3_000
    (package,) = from_360giving(round_trip_json({"grants": [grant_]})).funding_packages
    assert package.purposes == purposes


def test_a_long_description_from_another_publisher_is_the_packages_purpose() -> None:
    description = "Advocacy for survivors of exploitation. " * 100
    (package,) = from_360giving({"grants": [grant(description=description)]}).funding_packages
    assert package.purposes == (description,)


def test_a_blank_description_is_allowed_and_a_name_of_200_characters_is_a_name() -> None:
    # 360Giving allows a blank description; a recipient's name may be 200 long.
    named = [{"id": "GB-CHC-1", "name": "x" * 200}]
    imported = from_360giving({"grants": [grant(description=" ", recipientOrganization=named)]})
    (package,) = imported.funding_packages
    assert package.purposes == ()
    assert {o.id: o.name for o in imported.organisations}[OrganisationId("GB-CHC-1")] == "x" * 200


def test_recipients_whose_ids_differ_only_in_case_get_allocations_of_their_own() -> None:
    recipients = [
        {"id": "GB-COH-AB1", "name": "A"},
        {"id": "GB-COH-ab1", "name": "B"},
        {"id": "GB-COH-Ab1", "name": "C"},
    ]
    imported = from_360giving({"grants": [grant(recipientOrganization=recipients)]})
    (package,) = imported.funding_packages
    assert [(a.id, a.organisation) for a in package.allocations] == [
        ("alloc-gb-coh-ab1", "GB-COH-AB1"),
        ("alloc-gb-coh-ab1-2", "GB-COH-ab1"),
        ("alloc-gb-coh-ab1-3", "GB-COH-Ab1"),
    ]


def test_a_grants_text_fields_say_what_they_must_be() -> None:
    with pytest.raises(ValidationError) as error:
        from_360giving({"grants": [grant(title="x" * 201, description=7)]})
    assert [(p.path, p.message) for p in error.value.problems] == [
        ("/grants/0/title", "must be text of at most 200 characters"),
        ("/grants/0/description", "must be text"),
    ]
    with pytest.raises(ValidationError) as error:
        from_360giving({"grants": [grant(cseProgramme={"announced": "November 2025"})]})
    assert [(p.path, p.message) for p in error.value.problems] == [
        ("/grants/0/cseProgramme/announced", "must be a date as YYYY, YYYY-MM or YYYY-MM-DD"),
    ]


def grant(**changes: Any) -> dict[str, Any]:
    """A plain 360Giving grant with every required field, as another publisher writes it."""
    plain: dict[str, Any] = {
        "id": "360G-other-1",
        "title": "Advocacy for survivors",
        "description": "Independent advocates",
        "currency": "GBP",
        "amountAwarded": 120_000,
        "awardDate": "2025-03-14",
        "recipientOrganization": [{"id": "GB-CHC-216401", "name": "NSPCC"}],
        "fundingOrganization": [{"id": "GB-LAE-GLA", "name": "Greater London Authority"}],
    }
    plain.update(changes)
    return {key: value for key, value in plain.items() if value is not None}


def test_an_organisation_named_two_ways_in_a_file_keeps_its_first_name_and_says_so() -> None:
    renamed = [{"id": "GB-CHC-216401", "name": "The NSPCC"}]
    imported = from_360giving(
        {"grants": [grant(), grant(id="360G-other-2", recipientOrganization=renamed)]}
    )
    assert {(str(o.id), o.name) for o in imported.organisations} == {
        ("GB-CHC-216401", "NSPCC"),
        ("GB-LAE-GLA", "Greater London Authority"),
    }
    assert imported.notes[0] == (
        "/grants/1/recipientOrganization/0: GB-CHC-216401 is named differently here: its "
        "first name is kept"
    )


def test_a_plain_award_date_stays_a_day() -> None:
    (package,) = from_360giving({"grants": [grant()]}).funding_packages
    assert package.announced == PartialDate(2025, 3, 14)
    (timed,) = from_360giving(
        {"grants": [grant(awardDate="2025-03-14T09:30:00+00:00")]}
    ).funding_packages
    assert timed.announced == PartialDate(2025, 3, 14)


def test_one_recipient_receives_the_grant_and_several_share_it_unsaid() -> None:
    (alone,) = from_360giving({"grants": [grant()]}).funding_packages
    assert [a.amount for a in alone.allocations] == [Money.of(120_000)]
    two = [{"id": "GB-CHC-216401", "name": "NSPCC"}, {"id": "org-uclh", "name": "UCLH"}]
    (shared,) = from_360giving({"grants": [grant(recipientOrganization=two)]}).funding_packages
    assert [(str(a.organisation), a.amount) for a in shared.allocations] == [
        ("GB-CHC-216401", None),
        ("org-uclh", None),
    ]
    assert shared.total == Money.of(120_000)


def test_amounts_may_be_floats_or_decimals_but_never_fractions_of_a_penny() -> None:
    # A float is read as the number its JSON text wrote, not its binary value.
    for amount, pounds in ((1250.5, "1250.50"), (12.34, "12.34"), (Decimal("1250.5"), "1250.50")):
        (package,) = from_360giving({"grants": [grant(amountAwarded=amount)]}).funding_packages
        assert package.total == Money.of(pounds)
    for bad in (12.345, -5, True, "100"):
        with pytest.raises(ValidationError) as error:
            from_360giving({"grants": [grant(amountAwarded=bad)]})
        assert problems_of(error) == [("/grants/0/amountAwarded", "amount")]


def required_grant_fields() -> list[str]:
    schema = json.loads(
        (STANDARDS / "360giving" / "schema" / "360-giving-schema.json").read_text("utf-8")
    )
    first, second = (option["required"] for option in schema["oneOf"])
    assert set(second) - set(first) == {"recipientIndividual"}
    return list(first)


@needs_standards
@pytest.mark.parametrize(
    "field",
    # Without the standards, one placeholder reports them missing (never an empty set).
    required_grant_fields() if STANDARDS.is_dir() else [pytest.param("", id="no-standards")],
)
def test_every_field_the_360giving_schema_requires_is_required(field: str) -> None:
    document = {"grants": [grant(**{field: None})]}
    with pytest.raises(ValidationError) as error:
        from_360giving(document)
    assert problems_of(error) == [(f"/grants/0/{field}", "missing")]


def test_a_grant_to_an_individual_is_refused_without_reading_it() -> None:
    person = {"id": "360G-other-IND-1", "name": "a name that must not be repeated"}
    document = {"grants": [grant(recipientOrganization=None, recipientIndividual=person)]}
    with pytest.raises(ValidationError) as error:
        from_360giving(document)
    assert problems_of(error) == [("/grants/0/recipientIndividual", "individual")]
    assert "a name that must not be repeated" not in str(error.value)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        (
            {"currency": "EUR"},
            "/grants/0/currency: must be GBP: the library holds pounds sterling [currency]",
        ),
        (
            {"awardDate": "14/03/2025"},
            "/grants/0/awardDate: must be a date as YYYY-MM-DD, or a date and time [date]",
        ),
    ],
)
def test_a_grants_currency_and_award_date_are_refused_in_words_a_publisher_can_act_on(
    changes: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        from_360giving({"grants": [grant(**changes)]})
    assert [str(problem) for problem in error.value.problems] == [words]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"currency": "EUR"}, [("/grants/0/currency", "currency")]),
        ({"awardDate": "14/03/2025"}, [("/grants/0/awardDate", "date")]),
        ({"awardDate": "2025-02-30"}, [("/grants/0/awardDate", "date")]),
        ({"awardDate": "2025-03-14 and later"}, [("/grants/0/awardDate", "date")]),
        ({"title": ""}, [("/grants/0/title", "text")]),
        ({"title": "x" * 201}, [("/grants/0/title", "text")]),
        ({"description": 7}, [("/grants/0/description", "text")]),
        ({"id": 7}, [("/grants/0/id", "type")]),
        ({"recipientOrganization": []}, [("/grants/0/recipientOrganization", "missing")]),
        (
            {"recipientOrganization": [{"id": "RUBBISH-COH-1", "name": "x"}]},
            [("/grants/0/recipientOrganization/0/id", "identifier")],
        ),
        (
            {"recipientOrganization": [{"id": "GB-CHC-1"}]},
            [("/grants/0/recipientOrganization/0/name", "text")],
        ),
        (
            {"recipientOrganization": [{"name": "No id"}]},
            [("/grants/0/recipientOrganization/0/id", "missing")],
        ),
        (
            {"recipientOrganization": [{"id": "GB-CHC-1", "name": "x" * 201}]},
            [("/grants/0/recipientOrganization/0/name", "text")],
        ),
        (
            {"recipientOrganization": [{"id": "GB-CHC-1", "name": " "}]},
            [("/grants/0/recipientOrganization/0/name", "text")],
        ),
        (
            {"recipientOrganization": ["GB-CHC-1", {"id": "GB-CHC-2", "name": "B"}, 7]},
            [
                ("/grants/0/recipientOrganization/0", "type"),
                ("/grants/0/recipientOrganization/2", "type"),
            ],
        ),
        (
            {
                "recipientOrganization": [
                    {"id": "GB-CHC-1", "name": "A"},
                    {"id": "GB-CHC-1", "name": "A"},
                    {"id": "RUBBISH-1", "name": "C"},
                ]
            },
            [
                ("/grants/0/recipientOrganization/1/id", "duplicate"),
                ("/grants/0/recipientOrganization/2/id", "identifier"),
            ],
        ),
        (
            {
                "recipientOrganization": [
                    {"id": "GB-CHC-1", "name": "A"},
                    {"id": "GB-CHC-1", "name": "A"},
                ]
            },
            [("/grants/0/recipientOrganization/1/id", "duplicate")],
        ),
        (
            {
                "fundingOrganization": [
                    {"id": "GB-CHC-1", "name": "A"},
                    {"id": "GB-CHC-2", "name": "B"},
                ]
            },
            [("/grants/0/fundingOrganization", "funders")],
        ),
        (
            {"cseProgramme": {"announced": "2024-11"}},
            [("/grants/0/cseProgramme/announced", "date")],
        ),
        (
            {"cseProgramme": {"announced": "November 2025"}},
            [("/grants/0/cseProgramme/announced", "date")],
        ),
        (
            {"cseProgramme": {"purposes": "Counselling"}},
            [("/grants/0/cseProgramme/purposes", "type")],
        ),
        (
            {"cseProgramme": {"purposes": ["Counselling", 2]}},
            [("/grants/0/cseProgramme/purposes", "type")],
        ),
        (
            {"cseProgramme": {"recipientAmounts": ["1.00", None]}},
            [("/grants/0/cseProgramme/recipientAmounts", "recipient_amounts")],
        ),
        (
            {"cseProgramme": {"recipientAmounts": ["120000.01"]}},
            [("/grants/0/cseProgramme/recipientAmounts", "over_allocated")],
        ),
        (
            {"cseProgramme": {"recipientAmounts": [120000]}},
            [("/grants/0/cseProgramme/recipientAmounts/0", "money")],
        ),
        (
            {"cseProgramme": {"totalKind": "about"}},
            [("/grants/0/cseProgramme/totalKind", "unknown_value")],
        ),
        (
            {"cseProgramme": {"package": "not an id"}},
            [("/grants/0/cseProgramme/package", "identifier")],
        ),
        ({"cseProgramme": {"colour": "red"}}, [("/grants/0/cseProgramme/colour", "unknown_key")]),
        ({"cseProgramme": []}, [("/grants/0/cseProgramme", "type")]),
    ],
)
def test_each_problem_of_a_grant_is_reported_at_its_path(
    changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        from_360giving({"grants": [grant(**changes)]})
    assert problems_of(error) == expected


@pytest.mark.parametrize(
    ("kind", "qualifier"), [("exact", None), ("more_than", Qualifier.MORE_THAN)]
)
def test_a_grants_claim_says_more_than_where_its_total_is_a_floor(
    kind: str, qualifier: Qualifier | None
) -> None:
    programme = from_360giving({"grants": [grant(cseProgramme={"totalKind": kind})]})
    (package,) = programme.funding_packages
    (claim,) = programme.claims
    assert package.total_kind is TotalKind(kind)
    assert (package.id, claim.id) == ("pkg-360g-other-1", "claim-360g-other-1")
    assert claim.figures == (
        Figure(Decimal("120000.00"), FigureUnit.GBP, FigureRole.VALUE, qualifier),
    )


def test_every_problem_of_every_grant_is_reported_together() -> None:
    document = {
        "grants": [
            grant(currency="USD"),
            grant(),
            grant(id="360G-other-2", awardDate="yesterday"),
            "not a grant",
        ]
    }
    with pytest.raises(ValidationError) as error:
        from_360giving(document)
    assert problems_of(error) == [
        ("/grants/0/currency", "currency"),
        ("/grants/1/id", "duplicate_id"),
        ("/grants/2/awardDate", "date"),
        ("/grants/3", "type"),
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], [("/grants", "not_360giving")]),
        ({"grants": {}}, [("/grants", "not_360giving")]),
        ({"grants": []}, [("/grants", "empty")]),
    ],
)
def test_a_file_that_is_not_a_grants_package_is_refused(
    document: Any, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        from_360giving(document)
    assert problems_of(error) == expected


BROKEN_FIXTURE = [
    ("/grants/0/description", "missing"),
    ("/grants/0/awardDate", "date"),
    ("/grants/0/recipientOrganization/0/id", "missing"),
    ("/grants/1/description", "missing"),
    ("/grants/1/id", "duplicate_id"),
    ("/grants/1/awardDate", "date"),
    ("/grants/1/fundingOrganization/0/id", "identifier"),
    ("/grants/1/recipientOrganization/0/id", "identifier"),
    ("/grants/2/description", "missing"),
    ("/grants/2/awardDate", "date"),
    ("/grants/3/description", "missing"),
    ("/grants/3/id", "duplicate_id"),
    ("/grants/3/awardDate", "date"),
]


@needs_standards
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broken_grants", BROKEN_FIXTURE),
        (
            "fixed_2_grants",
            [
                p
                for p in BROKEN_FIXTURE
                if p != ("/grants/1/fundingOrganization/0/id", "identifier")
            ],
        ),
    ],
)
def test_the_quality_tool_fixtures_report_every_problem_at_the_files_paths(
    name: str, expected: list[tuple[str, str]]
) -> None:
    path = GRANT_EXAMPLES / f"fundingproviders-grants_{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    with pytest.raises(ValidationError) as error:
        from_360giving(document)
    assert problems_of(error) == expected
    # The fixtures hold people's names: no message repeats them.
    assert "Roe" not in str(error.value)


def test_an_imported_file_is_one_source_named_by_its_title_and_publisher() -> None:
    imported = from_360giving(
        {
            "title": "London grants, 2025",
            "publisher": {"name": "Greater London Authority", "prefix": "360G-GLA"},
            "grants": [grant(), grant(id="360G-other-2")],
        }
    )
    (source,) = imported.sources
    assert (str(source.id), source.title, source.publisher) == (
        "src-360giving-london-grants-2025",
        "London grants, 2025",
        "Greater London Authority",
    )
    assert {claim.source for claim in imported.claims} == {source.id}


TITLE_LIMIT, PUBLISHER_LIMIT = ("London " * 72)[:500], "p" * 200
# An identifier keeps the title's words while they fit in 60 characters.
EIGHT_WORDS = "london-london-london-london-london-london-london-london"


@pytest.mark.parametrize(
    ("title", "source_id", "kept"),
    [
        (None, "src-360giving-grants", "360Giving grants data"),
        (2025, "src-360giving-grants", "360Giving grants data"),
        ("   ", "src-360giving-unnamed", "360Giving grants data"),
        (TITLE_LIMIT, f"src-360giving-{EIGHT_WORDS}", TITLE_LIMIT),
        (TITLE_LIMIT + "n", f"src-360giving-{EIGHT_WORDS}", "360Giving grants data"),
    ],
)
def test_a_file_with_no_usable_title_is_given_a_plain_one(
    title: object, source_id: str, kept: str
) -> None:
    document = {"grants": [grant()]} | ({} if title is None else {"title": title})
    (source,) = from_360giving(document).sources
    assert (str(source.id), source.title) == (source_id, kept)


@pytest.mark.parametrize(
    ("publisher", "kept"),
    [
        (None, "Not named in the file"),
        ("Greater London Authority", "Not named in the file"),
        ({"prefix": "360G-GLA"}, "Not named in the file"),
        ({"name": 7}, "Not named in the file"),
        ({"name": " "}, "Not named in the file"),
        ({"name": PUBLISHER_LIMIT}, PUBLISHER_LIMIT),
        ({"name": PUBLISHER_LIMIT + "p"}, "Not named in the file"),
    ],
)
def test_a_file_with_no_usable_publisher_says_it_names_none(publisher: object, kept: str) -> None:
    document = {"grants": [grant()]} | ({} if publisher is None else {"publisher": publisher})
    (source,) = from_360giving(document).sources
    assert source.publisher == kept


def test_the_notes_of_an_import_say_what_was_left_and_what_was_assumed() -> None:
    imported = from_360giving({"grants": [grant(plannedDates=[], dataSource="https://x.test")]})
    assert imported.notes == (
        "/grants/0: not carried over: dataSource, plannedDates",
        "360Giving does not say what kind of body an organisation is: each is recorded as other",
    )


def test_what_is_not_carried_over_is_named_by_its_key_alone() -> None:
    imported = from_360giving({"grants": [grant(**{"Full name of applicant": "Miss Jane Roe"})]})
    assert imported.notes[0] == "/grants/0: not carried over: Full name of applicant"
    assert not any("Roe" in note for note in imported.notes)


@needs_standards
def test_beneficiary_locations_carry_the_codelists_type_of_each_district() -> None:
    # The 360Giving codelist names the ONS entity (E06, W06...) each geoCodeType stands for.
    with (STANDARDS / "360giving" / "codelists" / "geoCodeType.csv").open(encoding="utf-8") as f:
        types = {
            row["Documentation (URL)"].rsplit("/", 1)[1]: row["Code"] for row in csv.DictReader(f)
        }
    london = london_2025()
    package = next(p for p in london.funding_packages if p.allocations)
    service = next(s for s in london.services if s.id == package.allocations[0].service)
    # One district of each kind: a unitary authority, a non-metropolitan district, a
    # metropolitan district, a London borough and a Welsh principal area.
    places = ("Bristol", "Ashford", "Manchester", "Camden", "Cardiff")
    everywhere = attrs.evolve(service, coverage=frozenset(Area.lookup(p) for p in places))
    programme = attrs.evolve(
        london, services=tuple(everywhere if s is service else s for s in london.services)
    )
    document = to_360giving(programme, prefix=PREFIX)
    threesixtygiving_validator().validate(document)
    found = {
        location["geoCode"]: location["geoCodeType"]
        for grant in document["grants"]
        for location in grant["beneficiaryLocation"]
    }
    for place in places:
        code = Area.lookup(place).code
        assert found[code] == types[code[:3]], place
    assert sorted(set(found.values())) == ["LONB", "MD", "NMD", "UA"]


# HSDS: export --------------------------------------------------------------


@needs_standards
def test_every_london_service_and_route_validates_against_hsds() -> None:
    validator = hsds_service_validator()
    for document in to_hsds(london_2025()):
        validator.validate(document)


@needs_standards
@given(testing.programmes())
def test_generated_services_validate_against_hsds(programme: Programme) -> None:
    validator = hsds_service_validator()
    for document in to_hsds(programme):
        validator.validate(document)


def test_hsds_ids_are_stable_uuids() -> None:
    first = to_hsds(london_2025())
    assert first == to_hsds(london_2025())
    assert first[0]["id"] == hsds_id("service", "svc-lighthouse")
    assert first[0]["service_areas"][1]["uri"].endswith("E09000007")


def test_the_reporting_routes_are_exported_with_their_phone_numbers() -> None:
    *_, met, crimestoppers = to_hsds(london_2025())
    assert met["name"] == "Report to the Met"
    assert "phones" not in met
    assert crimestoppers["organization"]["name"] == "Crimestoppers"
    (phone,) = crimestoppers["phones"]
    assert (phone["number"], phone["type"], phone["service_id"]) == (
        "0800 555 111",
        "voice",
        crimestoppers["id"],
    )
    assert "anonymous" in phone["description"]


def test_a_routes_published_ids_stay_the_same_from_release_to_release() -> None:
    *_, crimestoppers = to_hsds(london_2025())
    (phone,) = crimestoppers["phones"]
    assert phone["id"] == "fd5f4344-97a8-55e1-8d75-adaa63ebc2cf"
    (anonymity,) = [
        a for a in crimestoppers["attributes"] if a["taxonomy_term"]["code"] == "anonymous:yes"
    ]
    assert anonymity["id"] == "62c210fc-cc90-53d4-a6dd-3b74eda91ee4"
    assert anonymity["label"] == "reports can be anonymous"


def test_an_organisation_is_published_with_its_stable_id_kind_and_identifier() -> None:
    *_, crimestoppers = to_hsds(london_2025())
    organisation = crimestoppers["organization"]
    assert organisation["id"] == "e59a843a-944d-55e1-b668-c71c9bec1fb1"
    assert organisation["description"] == "Crimestoppers. Kind of organisation: Charity."
    assert organisation["organization_identifiers"] == [
        {
            "id": "7cb8ffa2-001f-5521-ae6e-a89ec4fb9b70",
            "organization_id": "e59a843a-944d-55e1-b668-c71c9bec1fb1",
            "identifier_scheme": "cse-programme",
            "identifier_type": "local",
            "identifier": "org-crimestoppers",
        }
    ]
    (kind,) = organisation["attributes"]
    assert kind["link_id"] == organisation["id"]
    assert kind["id"] == "35aff233-2c88-5981-af30-37cd4515ca54"
    assert (kind["link_type"], kind["link_entity"]) == ("organization", "organization")
    assert kind["taxonomy_term"]["code"] == "organisation:charity"


def test_an_organisation_from_a_register_is_published_under_the_org_id_scheme() -> None:
    registered = Organisation(
        id=OrganisationId("GB-CHC-0000001"),
        name="A registered charity",
        kind=OrganisationKind.CHARITY,
    )
    (identifier,) = _organisation(registered)["organization_identifiers"]
    assert (identifier["identifier_scheme"], identifier["identifier_type"]) == ("org-id", "org-id")
    assert identifier["identifier"] == "GB-CHC-0000001"


def test_a_route_that_cannot_take_anonymous_reports_says_so() -> None:
    london = london_2025()
    *_, crimestoppers = london.reporting_routes
    named = attrs.evolve(crimestoppers, anonymous=False)
    programme = attrs.evolve(london, reporting_routes=(named,))
    (document,) = [d for d in to_hsds(programme) if d["name"] == "Crimestoppers"]
    (anonymity,) = [
        a for a in document["attributes"] if a["taxonomy_term"]["code"].startswith("anonymous:")
    ]
    assert (anonymity["value"], anonymity["label"]) == ("no", "reports are not anonymous")
    assert anonymity["taxonomy_term"]["code"] == "anonymous:no"


@pytest.mark.parametrize(
    ("document", "path", "message", "code"),
    [
        ({"contents": 3}, "/contents", "must be a list of services", "type"),
        (
            42,
            "",
            "must be an HSDS service, a list of services or a service_list page",
            "not_hsds",
        ),
        ([], "", "must hold at least one service", "empty"),
    ],
)
def test_a_file_that_holds_no_hsds_services_is_refused_by_path(
    document: Any, path: str, message: str, code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        from_hsds(document)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [(path, message, code)]


# HSDS: import --------------------------------------------------------------


def as_hsds_carries(service: SupportService) -> SupportService:
    """The service as HSDS carries it: without what the standard has no place for."""
    return attrs.evolve(
        service,
        partners=frozenset(),
        eligibility=attrs.evolve(service.eligibility, extended=(), notes=None),
        established=None,
        people_supported=None,
        sources=(),
        claims=(),
    )


def as_hsds_carries_route(route: ReportingRoute) -> ReportingRoute:
    return attrs.evolve(route, claims=(), sources=())


@given(testing.programmes())
def test_hsds_round_trip_gives_back_the_same_services_and_routes(programme: Programme) -> None:
    assume(programme.services or programme.reporting_routes)
    imported = from_hsds(round_trip_json(to_hsds(programme)))
    assert imported.services == tuple(as_hsds_carries(s) for s in programme.services)
    assert imported.reporting_routes == tuple(
        as_hsds_carries_route(r) for r in programme.reporting_routes
    )
    providers = {s.provider for s in programme.services} | {
        r.organisation for r in programme.reporting_routes
    }
    assert {(o.id, o.name, o.kind) for o in imported.organisations} == {
        (o.id, o.name, o.kind) for o in programme.organisations if o.id in providers
    }
    whole = imported.programme("imported")
    assert (whole.services, whole.reporting_routes) == (
        imported.services,
        imported.reporting_routes,
    )


def test_hsds_reads_a_service_a_list_and_a_service_list_page() -> None:
    london = london_2025()
    documents = round_trip_json(to_hsds(london))
    expected = tuple(as_hsds_carries(s) for s in london.services)
    page = {"total_items": len(documents), "page_number": 1, "contents": documents}
    assert from_hsds(documents).services == expected
    assert from_hsds(page).services == expected
    assert from_hsds(documents[0]).services == expected[:1]


def test_the_lighthouse_comes_back_from_hsds_unchanged_but_for_what_hsds_cannot_hold() -> None:
    london = london_2025()
    lighthouse = london.service(ServiceId("svc-lighthouse"))
    imported = from_hsds(round_trip_json(to_hsds_service(london, lighthouse)))
    assert imported.services == (as_hsds_carries(lighthouse),)
    assert imported.notes == ()


def foreign_service(**changes: Any) -> dict[str, Any]:
    """An HSDS service from another publisher, with no terms of the library's taxonomy."""
    service: dict[str, Any] = {
        "id": "0d6b0d64-f0c7-4ec9-a4b6-9b2e4c1f0e11",
        "name": "Young people's counselling",
        "status": "active",
        "minimum_age": 11,
        "maximum_age": 25,
        "service_areas": [{"id": "a", "name": "Camden"}, {"id": "b", "name": "Islington"}],
    }
    service.update(changes)
    return {key: value for key, value in service.items() if value is not None}


def stating_cse(
    document: Any,
    *,
    areas: list[Area] | None = None,
    groups: list[SurvivorGroup] | None = None,
) -> Imported:
    """Import *document*, stating that it serves survivors of online abuse, by counselling."""
    return from_hsds(
        document,
        areas=areas,
        contexts=[AbuseContext.ONLINE],
        support=[SupportKind.COUNSELLING],
        groups=groups,
    )


def test_a_service_nothing_says_serves_cse_survivors_is_refused_and_told_how_to_say_it() -> None:
    with pytest.raises(ValidationError) as error:
        from_hsds(foreign_service())
    assert problems_of(error) == [("/attributes", "no_context"), ("/attributes", "no_support")]
    messages = [p.message for p in error.value.problems]
    assert messages[0].startswith(
        "must say that the service serves survivors of child sexual abuse or exploitation"
    )
    assert "--context (contexts= in Python)" in messages[0]
    assert messages[1].startswith("must say what support the service gives")
    assert "--support (support= in Python)" in messages[1]


def test_a_service_in_no_area_of_england_and_wales_is_refused_and_told_how_to_say_where() -> None:
    outside = [{"id": "a", "name": "MyCity", "uri": "http://example.com"}]
    # "Kent" names no district, and only a group's own name stands for a group.
    for areas in (outside, None, [{"id": "a", "name": "Kent"}]):
        with pytest.raises(ValidationError) as error:
            stating_cse(foreign_service(service_areas=areas))
        assert problems_of(error) == [("/service_areas", "no_area")]
        message = error.value.problems[0].message
        assert message.startswith("must place the service in a district of England or Wales")
        assert "London" not in message
        assert "--area (areas= in Python)" in message


def test_stated_facts_are_recorded_and_nothing_else_is_filled_in() -> None:
    imported = stating_cse(foreign_service())
    (service,) = imported.services
    assert service.contexts == {AbuseContext.ONLINE}
    assert service.support == {SupportKind.COUNSELLING}
    assert {area.name for area in service.coverage} == {"Camden", "Islington"}
    assert service.eligibility.groups == {SurvivorGroup.CHILDREN, SurvivorGroup.ADULTS}
    assert service.id == ServiceId("svc-0d6b0d64-f0c7-4ec9-a4b6-9b2e4c1f0e11")
    assert service.provider is None
    assert imported.notes == ("(root): whom the service is for is taken from its ages",)


def test_whom_a_service_is_for_must_be_said_when_it_gives_no_ages() -> None:
    with pytest.raises(ValidationError) as error:
        stating_cse(foreign_service(minimum_age=None, maximum_age=None))
    assert problems_of(error) == [("/attributes", "no_group")]
    assert "--group (groups= in Python)" in error.value.problems[0].message
    (service,) = stating_cse(
        foreign_service(minimum_age=None, maximum_age=None), groups=[SurvivorGroup.ADULTS]
    ).services
    assert service.eligibility.groups == {SurvivorGroup.ADULTS}


@pytest.mark.parametrize(
    ("ages", "groups"),
    [
        ((11, 17), {SurvivorGroup.CHILDREN}),
        ((11, 18), {SurvivorGroup.CHILDREN, SurvivorGroup.ADULTS}),
        ((17, 25), {SurvivorGroup.CHILDREN, SurvivorGroup.ADULTS}),
        ((18, 25), {SurvivorGroup.ADULTS}),
        ((18, None), {SurvivorGroup.ADULTS}),
    ],
)
def test_whom_a_service_is_for_is_taken_from_its_ages_with_adults_from_18(
    ages: tuple[int, int | None], groups: set[SurvivorGroup]
) -> None:
    low, high = ages
    (service,) = stating_cse(foreign_service(minimum_age=low, maximum_age=high)).services
    assert service.eligibility.groups == groups


def test_whom_a_service_is_for_is_asked_for_and_noted_at_the_services_path() -> None:
    first = foreign_service()
    with pytest.raises(ValidationError) as error:
        stating_cse([first, foreign_service(id="x", minimum_age=None, maximum_age=None)])
    assert problems_of(error) == [("/1/attributes", "no_group")]
    assert error.value.problems[0].message.startswith("must say whom the service is for")
    second = foreign_service(id="0d6b0d64-f0c7-4ec9-a4b6-9b2e4c1f0e12")
    second["attributes"] = [
        {"taxonomy_term": {"taxonomy": "cse-programme", "code": "group:everyone"}}
    ]
    with pytest.raises(ValidationError) as error:
        stating_cse([first, second])
    assert problems_of(error) == [("/1/attributes/0/taxonomy_term/code", "unknown_value")]
    imported = stating_cse([first, foreign_service(id="0d6b0d64-f0c7-4ec9-a4b6-9b2e4c1f0e12")])
    assert "/1: whom the service is for is taken from its ages" in imported.notes


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ({"id": "a", "uri": GSS_URI + "E09000007"}, "Camden"),
        ({"id": "a", "name": "MyCity", "uri": GSS_URI + "E09000019"}, "Islington"),
        ({"id": "a", "name": "Croydon", "uri": GSS_URI + "E09000099"}, "Croydon"),
        ({"id": "a", "name": "Croydon", "uri": "http://example.com/E09000007"}, "Croydon"),
        ({"id": "a", "name": 7, "uri": GSS_URI + "E09000008"}, "Croydon"),
    ],
)
def test_a_service_area_is_placed_by_its_gss_address_or_else_its_name(
    area: dict[str, Any], expected: str
) -> None:
    (service,) = stating_cse(foreign_service(service_areas=[area])).services
    assert [a.name for a in service.coverage] == [expected]


@needs_standards
@pytest.mark.parametrize(
    ("area", "force_area"),
    [
        ({"id": "a", "name": "Kent Police area"}, "Kent"),
        ({"id": "a", "uri": GSS_URI + "E23000005"}, "Greater Manchester"),
        ({"id": "a", "name": "Somewhere", "uri": GSS_URI + "W15000004"}, "Dyfed-Powys"),
    ],
)
def test_a_service_area_may_be_a_whole_police_force_area(
    area: dict[str, Any], force_area: str
) -> None:
    (service,) = stating_cse(foreign_service(service_areas=[area])).services
    assert {a.name for a in service.coverage} == set(districts_of(force_area))


@needs_standards
def test_a_service_area_may_be_a_named_place() -> None:
    london = [{"id": "a", "name": "All of London"}]
    (service,) = stating_cse(foreign_service(service_areas=london)).services
    assert {a.code for a in service.coverage} == {f"E09{n:06}" for n in range(1, 34)}
    both = [{"id": "a", "name": "england and wales"}]
    (service,) = stating_cse(foreign_service(service_areas=both)).services
    assert {a.name for a in service.coverage} == set(ons_districts())


@needs_standards
def test_a_national_route_is_one_service_area_and_a_force_area_one_with_its_code() -> None:
    documents = to_hsds(london_2025())
    crimestoppers = next(d for d in documents if d["name"] == "Crimestoppers")
    assert [(a["name"], "uri" in a) for a in crimestoppers["service_areas"]] == [
        ("England and Wales", False)
    ]
    pan_london = next(d for d in documents if d["name"] == "London Survivors Gateway")
    assert [a["name"] for a in pan_london["service_areas"]] == ["All of London"]
    lighthouse = documents[0]
    assert [a["name"] for a in lighthouse["service_areas"]] == [
        "Barnet",
        "Camden",
        "Enfield",
        "Haringey",
        "Islington",
    ]
    manchester = PoliceForceArea.lookup("Greater Manchester")
    service = attrs.evolve(london_2025().services[0], coverage=manchester.areas)
    (area,) = to_hsds_service(london_2025(), service)["service_areas"]
    assert area["uri"] == GSS_URI + "E23000005"
    assert area["name"] == "Greater Manchester Police area"
    hsds_service_validator().validate(to_hsds_service(london_2025(), service))


@given(standalone_services())
def test_coverage_by_groups_and_districts_comes_back_from_hsds(service: SupportService) -> None:
    programme = Programme(name="Generated", services=(service,))
    document = to_hsds_service(programme, service)
    # Never more service areas than the districts themselves.
    assert len(document["service_areas"]) <= len(service.coverage)
    (back,) = from_hsds(round_trip_json(document)).services
    assert back.coverage == service.coverage


def crimestoppers_hsds(**changes: Any) -> dict[str, Any]:
    """The Crimestoppers route as HSDS, read back from JSON, with *changes* (``None`` drops)."""
    documents = round_trip_json(to_hsds(london_2025()))
    route: dict[str, Any] = next(d for d in documents if d["name"] == "Crimestoppers")
    route.update(changes)
    return {key: value for key, value in route.items() if value is not None}


def without_anonymity(route: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in route["attributes"] if not a["taxonomy_term"]["code"].startswith("anon")]


@needs_standards
def test_a_route_comes_back_from_hsds_with_its_number_organisation_and_anonymity() -> None:
    imported = from_hsds(crimestoppers_hsds())
    assert imported.services == ()
    (route,) = imported.reporting_routes
    assert (route.id, route.name, route.phone) == (
        "route-crimestoppers",
        "Crimestoppers",
        "0800 555 111",
    )
    assert route.organisation == "org-crimestoppers"
    assert route.anonymous is True
    assert [o.id for o in imported.organisations] == ["org-crimestoppers"]
    assert {a.name for a in route.coverage} == set(ons_districts())


def test_a_route_may_have_no_number_and_may_not_take_anonymous_reports() -> None:
    plain = crimestoppers_hsds(phones=None)
    attributes = plain["attributes"]
    for attribute in attributes:
        if attribute["taxonomy_term"]["code"] == "anonymous:yes":
            attribute["value"] = "no"
            attribute["taxonomy_term"]["code"] = "anonymous:no"
    (route,) = from_hsds(plain).reporting_routes
    assert route.phone is None
    assert route.anonymous is False


@pytest.mark.parametrize(
    ("phones", "path", "code"),
    [
        ("0800 555 111", "/phones", "phones"),
        ([{"number": "0800 555 111"}, {"number": "0800 555 112"}], "/phones", "phones"),
        (["0800 555 111"], "/phones/0/number", "phone"),
        ([{"number": "call us"}], "/phones/0/number", "phone"),
        ([{"number": 800555111}], "/phones/0/number", "phone"),
        ([{}], "/phones/0/number", "phone"),
    ],
)
def test_a_routes_number_must_be_one_telephone_number(phones: Any, path: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        from_hsds(crimestoppers_hsds(phones=phones))
    assert problems_of(error) == [(path, code)]
    message = error.value.problems[0].message
    assert (
        message
        == {
            "phones": "must hold at most one number for a reporting route",
            "phone": "must be a telephone number",
        }[code]
    )
    assert "call us" not in str(error.value)


def test_a_route_must_name_its_organisation_and_say_whether_reports_can_be_anonymous() -> None:
    route = crimestoppers_hsds(organization=None)
    route["attributes"] = without_anonymity(route)
    with pytest.raises(ValidationError) as error:
        from_hsds(route)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/organization", "must name the organisation that takes reports", "missing"),
        ("/attributes", "must say whether reports can be anonymous", "no_anonymity"),
    ]


def test_a_route_without_its_organisation_is_refused_for_that_alone() -> None:
    with pytest.raises(ValidationError) as error:
        from_hsds(crimestoppers_hsds(organization=None))
    assert problems_of(error) == [("/organization", "missing")]


def test_a_routes_problems_and_notes_are_placed_at_its_index_in_the_file() -> None:
    service = round_trip_json(to_hsds(london_2025()))[0]
    route = crimestoppers_hsds(id=None, url="http://example.org/report")
    route["attributes"] = [
        a for a in route["attributes"] if not a["taxonomy_term"]["code"].startswith("id:")
    ]
    imported = from_hsds([service, route])
    assert imported.reporting_routes[0].id == "route-crimestoppers"
    assert imported.reporting_routes[0].url is None
    assert imported.notes == (
        "/1: no usable id: route-crimestoppers is made from the name",
        "/1/url: not an https address: not carried over",
    )
    broken = crimestoppers_hsds(description="x" * 2_001, service_areas=None)
    broken["organization"]["name"] = " "
    with pytest.raises(ValidationError) as error:
        from_hsds([service, broken])
    assert problems_of(error) == [
        ("/1/service_areas", "no_area"),
        ("/1/organization/name", "text"),
        ("/1/description", "text"),
    ]


def test_a_route_description_may_be_2000_characters_long() -> None:
    (route,) = from_hsds(crimestoppers_hsds(description="x" * 2_000)).reporting_routes
    assert route.description == "x" * 2_000


def test_stated_areas_replace_the_files_and_say_so() -> None:
    imported = stating_cse(foreign_service(), areas=[Area.lookup("Westminster")])
    assert [area.name for area in imported.services[0].coverage] == ["Westminster"]
    assert "/service_areas: replaced by the areas stated" in imported.notes


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"minimum_age": 12.5}, [("/minimum_age", "age")]),
        ({"maximum_age": True}, [("/maximum_age", "age")]),
        ({"minimum_age": 30, "maximum_age": 20}, [("/maximum_age", "max_below_min")]),
        ({"name": ""}, [("/name", "missing")]),
        ({"name": "x" * 201}, [("/name", "text")]),
        ({"description": "x" * 2001}, [("/description", "text")]),
        ({"attributes": {}}, [("/attributes", "type")]),
        (
            {
                "attributes": [
                    {
                        "id": "x",
                        "taxonomy_term": {"taxonomy": "cse-programme", "code": "context:war"},
                    }
                ]
            },
            [("/attributes/0/taxonomy_term/code", "unknown_value")],
        ),
    ],
)
def test_each_problem_of_a_service_is_reported_at_its_path(
    changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        stating_cse(foreign_service(**changes))
    assert problems_of(error) == expected


def test_problems_in_a_list_or_a_page_carry_the_files_own_paths() -> None:
    with pytest.raises(ValidationError) as error:
        from_hsds([foreign_service(), "x"], contexts=[AbuseContext.ONLINE])
    assert problems_of(error) == [("/0/attributes", "no_support"), ("/1", "type")]
    with pytest.raises(ValidationError) as error:
        from_hsds(
            {"contents": [foreign_service(service_areas=None)]}, support=[SupportKind.THERAPY]
        )
    assert problems_of(error) == [
        ("/contents/0/service_areas", "no_area"),
        ("/contents/0/attributes", "no_context"),
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("a service", [("", "not_hsds")]),
        ([], [("", "empty")]),
        ({"contents": []}, [("/contents", "empty")]),
        ({"contents": {}}, [("/contents", "type")]),
    ],
)
def test_a_file_that_holds_no_service_is_refused(
    document: Any, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        from_hsds(document)
    assert problems_of(error) == expected


def test_a_service_given_twice_is_refused() -> None:
    london = london_2025()
    (lighthouse,) = round_trip_json(to_hsds(london))[:1]
    with pytest.raises(ValidationError) as error:
        from_hsds([lighthouse, lighthouse])
    assert problems_of(error) == [("/1/id", "duplicate_id")]


@pytest.mark.parametrize(
    ("stated", "path"),
    [
        ({"contexts": ["online"]}, "/contexts"),
        ({"areas": []}, "/areas"),
        ({"support": ["counselling"]}, "/support"),
        ({"groups": []}, "/groups"),
    ],
)
def test_stated_facts_must_be_of_the_right_kind(stated: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as error:
        from_hsds(foreign_service(), **stated)
    assert problems_of(error) == [(path, "type")]


@needs_standards
def test_the_official_example_is_refused_at_its_own_paths() -> None:
    document = json.loads((HSDS_EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    with pytest.raises(ValidationError) as error:
        from_hsds(document)
    assert problems_of(error) == [
        ("/service_areas", "no_area"),
        ("/attributes", "no_context"),
        ("/attributes", "no_support"),
    ]
    # No message repeats what the file says (a contact's name, for one).
    assert "Ann Persona" not in str(error.value)
    assert "MyCity" not in str(error.value)


@needs_standards
def test_the_official_service_list_page_is_refused_at_its_own_paths() -> None:
    document = json.loads((HSDS_EXAMPLES / "service_list.json").read_text(encoding="utf-8"))
    with pytest.raises(ValidationError) as error:
        from_hsds(document)
    assert {path for path, _ in problems_of(error)} == {
        "/contents/0/service_areas",
        "/contents/0/attributes",
    }


@needs_standards
def test_the_official_example_imports_only_with_every_gap_stated() -> None:
    document = json.loads((HSDS_EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    imported = from_hsds(
        document,
        areas=[Area.lookup("Westminster")],
        contexts=[AbuseContext.ONLINE],
        support=[SupportKind.COUNSELLING],
    )
    (service,) = imported.services
    assert service.name == document["name"]
    assert service.url is None  # the example's address is not https
    assert "/url: not an https address: not carried over" in imported.notes
    assert any(note.startswith("/organization: no org-id") for note in imported.notes)
    carried = [note for note in imported.notes if "not carried over:" in note]
    assert carried
    assert "contacts" in carried[0]
    assert "Ann Persona" not in " ".join(imported.notes)


# The command line ----------------------------------------------------------


def run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(arguments)
    return code, capsys.readouterr().err


@needs_standards
def test_the_official_example_cannot_reach_a_child_in_london_through_the_finder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = str(HSDS_EXAMPLES / "service_full.json")
    written = tmp_path / "imported.json"
    for stated in (
        [],
        ["--area", "Westminster"],
        ["--area", "Westminster", "--support", "counselling"],
    ):
        code, err = run(["import", "--from", "hsds", example, *stated, "-o", str(written)], capsys)
        assert code == 1
        assert "state it with --" in err
        assert not written.exists()
    code, err = run(
        [
            "import",
            "--from",
            "hsds",
            example,
            "--area",
            "Westminster",
            "--context",
            "online",
            "--support",
            "counselling",
            "-o",
            str(written),
        ],
        capsys,
    )
    assert code == 0, err
    programme = load(written, Programme)
    (found,) = find_services(programme, age=15, area="Westminster", contexts=[AbuseContext.ONLINE])
    assert found.service.name == "Community Counselling"
    assert not find_services(programme, age=15, area="Camden")


def test_the_hsds_options_are_refused_for_360giving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "grants.json"
    path.write_text(json.dumps({"grants": [grant()]}))
    code, err = run(["import", "--from", "360giving", str(path), "--area", "Camden"], capsys)
    assert (code, err.strip()) == (2, "cse-programme: --area: only for --from hsds")
    with pytest.raises(SystemExit) as usage:
        main(["import", "--from", "hsds", str(path), "--area", "Atlantis"])
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "cse-programme import: error: argument --area: must name a local authority district of "
        "England or Wales or give its GSS code"
    )
    assert "Atlantis" not in err


def test_the_cli_round_trips_the_london_grants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    grants, imported = tmp_path / "grants.json", tmp_path / "imported.json"
    assert main(["export", "--to", "360giving", "--prefix", PREFIX, "-o", str(grants)]) == 0
    code, err = run(["import", "--from", "360giving", str(grants), "-o", str(imported)], capsys)
    assert code == 0, err
    (package,) = load(imported, Programme).funding_packages
    assert [a.organisation for a in package.allocations] == [
        OrganisationId("org-uclh"),
        OrganisationId("org-pan-london-sv-providers"),
    ]
    assert package.total_kind is TotalKind.EXACT
    assert copy.deepcopy(package) == package


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Community Counselling (MyCity)", "community-counselling-mycity"),
        ("360G-fundingproviders-000001/X/00/X", "360g-fundingproviders-000001-x-00-x"),
        ("!!!", "unnamed"),
        ("a" * 60, "a" * 60),
        ("a" * 61, "unnamed"),
        ("word " * 30, "-".join(["word"] * 12)),
    ],
)
def test_ids_made_from_words_are_lower_case_words_of_at_most_60_characters(
    text: str, expected: str
) -> None:
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("Example", "Example."),
        ("Example Ltd.", "Example Ltd."),
        ("Open to all ages", "Open to all ages."),
        ("Ask first!", "Ask first!"),
        ('Said to be "for everyone."', 'Said to be "for everyone."'),
        ("(See the website.)", "(See the website.)"),
        ("For all ages (no limit)", "For all ages (no limit)."),
    ],
)
def test_names_and_notes_in_the_hsds_export_end_as_one_sentence(text: str, sentence: str) -> None:
    assert _ended(text) == sentence


def test_the_london_hsds_export_is_as_reviewed() -> None:
    # Every field, id and term of the nine documents: a change is seen here
    # first, then checked against the HSDS schema and its examples.
    pinned = (Path(__file__).parent / "fixtures" / "london_hsds.json").read_text(encoding="utf-8")
    assert to_hsds(london_2025()) == json.loads(pinned)


def test_the_london_360giving_export_is_as_reviewed() -> None:
    pinned = (Path(__file__).parent / "fixtures" / "london_360giving.json").read_text(
        encoding="utf-8"
    )
    assert to_360giving(london_2025(), prefix=PREFIX) == json.loads(pinned)


def test_a_plain_grant_gives_its_one_recipient_the_whole_amount_and_several_none() -> None:
    imported = from_360giving({"grants": [grant()]})
    (package,) = imported.funding_packages
    assert [(str(a.organisation), a.amount) for a in package.allocations] == [
        ("GB-CHC-216401", Money.of(120_000))
    ]
    (claim,) = imported.claims
    assert claim.figures == (Figure(Decimal("120000.00"), FigureUnit.GBP, FigureRole.VALUE),)
    shared = grant(
        recipientOrganization=[
            {"id": "GB-CHC-216401", "name": "NSPCC"},
            {"id": "GB-CHC-1", "name": "A charity"},
        ]
    )
    (package,) = from_360giving({"grants": [shared]}).funding_packages
    assert [a.amount for a in package.allocations] == [None, None]


def test_two_grants_that_give_the_same_package_are_refused_at_the_second() -> None:
    first = grant(cseProgramme={"package": "pkg-advocacy"})
    second = grant(id="360G-other-2", cseProgramme={"package": "pkg-advocacy"})
    with pytest.raises(ValidationError) as error:
        from_360giving({"grants": [first, second]})
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("/grants/1/id", "must not give the same package as an earlier grant", "duplicate_id")
    ]
