"""The claims audit, the service finder and the report."""

from __future__ import annotations

import json

from hypothesis import given

from cse_programme import Programme, testing
from cse_programme.analysis import Verdict, audit, build_report, find_services, render
from cse_programme.datasets import london_2025


def findings_for(check: str) -> list[tuple[str, str, Verdict]]:
    return [(f.found, f.expected, f.verdict) for f in audit(london_2025()) if f.check == check]


def test_three_times_is_consistent_with_63_to_207() -> None:
    assert ("3 times", "3.29", Verdict.CONSISTENT) in findings_for("ratio")


def test_134_additional_is_flagged_against_144_with_the_reason() -> None:
    (finding,) = [f for f in audit(london_2025()) if f.check == "difference"]
    assert (finding.found, finding.expected) == ("134", "144")
    assert finding.verdict is Verdict.NOT_COMPARABLE
    assert "207 - 63 = 144" in finding.why
    assert "over the past year" in finding.why


def test_the_package_total_matches_and_its_split_is_not_checkable() -> None:
    totals = findings_for("total")
    assert ("£2,400,000.00", "£2,400,000.00", Verdict.CONSISTENT) in totals
    (split,) = findings_for("allocations within the total")
    assert split[2] is Verdict.NOT_CHECKABLE


def test_the_stated_6_2_percent_is_not_checkable() -> None:
    assert findings_for("percentage change") == [("6.2%", "not published", Verdict.NOT_CHECKABLE)]


def test_no_claim_of_the_london_programme_is_plainly_inconsistent() -> None:
    assert not [f for f in audit(london_2025()) if f.verdict is Verdict.INCONSISTENT]


@given(testing.programmes())
def test_audit_and_report_run_on_any_programme(programme: Programme) -> None:
    for finding in audit(programme):
        assert finding.why or finding.verdict is Verdict.CONSISTENT
    report = build_report(programme)
    json.dumps(report)
    assert render(report, "markdown").startswith("#")


def test_finder_gives_reasons_and_conditions() -> None:
    london = london_2025()
    (lighthouse, *_) = find_services(london, age=20, area="Camden")
    assert lighthouse.service.name == "The Lighthouse"
    assert lighthouse.conditions == ("with learning disabilities or additional needs",)
    adults = [m.service.name for m in find_services(london, age=30, area="E09000008")]
    assert "The Lighthouse" not in adults
    assert "London Survivors Gateway" in adults


def test_the_report_holds_every_headline_figure() -> None:
    text = render(build_report(london_2025()), "text")
    for figure in (
        "£2,400,000.00",
        "£233,000,000.00",
        "about 9,000",
        "2,000 to 3,000",
        "207",
        "63",
        "144",
        "3.29",
        "6.2%",
        "23,000",
        "more than 11,000",
        "about 3,000",
    ):
        assert figure in text, figure
    assert "not comparable" in text
