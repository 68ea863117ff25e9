"""The programme report: funding, services, the review, outcomes and the audit.

The report is built once as JSON-ready data; text, Markdown and JSON are
renderings of that same data, so the three formats never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from cse_programme._errors import ValidationError
from cse_programme.analysis._audit import Verdict, audit
from cse_programme.model import (
    Area,
    FundingPackage,
    OutcomeMeasure,
    Programme,
    ReportingRoute,
    SupportService,
    TotalKind,
    describe_coverage,
)

FORMATS: Final = ("text", "markdown", "json")
#: How each verdict is marked on a terminal: ANSI colour codes.
_VERDICT_COLOURS: Final = {
    Verdict.CONSISTENT.value: "32",
    Verdict.INCONSISTENT.value: "31",
    Verdict.CONFLICTING.value: "35",
    Verdict.NOT_COMPARABLE.value: "33",
    Verdict.NOT_CHECKABLE.value: "36",
}


def _package(programme: Programme, package: FundingPackage) -> dict[str, Any]:
    return {
        "name": package.name,
        "funder": programme.organisation(package.funder).name,
        "total": ("more than " if package.total_kind is TotalKind.MORE_THAN else "")
        + str(package.total),
        "announced": None if package.announced is None else str(package.announced),
        "purposes": list(package.purposes),
        "allocations": [
            {
                "purpose": allocation.purpose,
                "to": programme.service(allocation.service).name
                if allocation.service is not None
                else programme.organisation(allocation.organisation).name
                if allocation.organisation is not None
                else None,
                "amount": None if allocation.amount is None else str(allocation.amount),
            }
            for allocation in package.allocations
        ],
        "unallocated": str(package.unallocated()),
        "part_of": None
        if package.parent is None
        else programme.funding_package(package.parent).name,
    }


def _coverage(areas: frozenset[Area]) -> str:
    """The areas by the largest named groups they hold whole, then the districts left over."""
    return ", ".join(part.name for part in describe_coverage(areas))


def _route(programme: Programme, route: ReportingRoute) -> dict[str, Any]:
    return {
        "name": route.name,
        "organisation": programme.organisation(route.organisation).name,
        "anonymous": route.anonymous,
        "phone": route.phone,
        "url": route.url,
        "areas": _coverage(route.coverage),
        "claims": [str(claim) for claim in route.claims],
    }


def _service(programme: Programme, service: SupportService) -> dict[str, Any]:
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
        "for": sorted(group.label for group in rules.groups),
        "areas": _coverage(service.coverage),
        "established": None if service.established is None else str(service.established),
        "people_supported": None
        if service.people_supported is None
        else str(programme.indicator(service.people_supported).value),
    }


def _measure(measure: OutcomeMeasure) -> dict[str, Any]:
    ratio, change = measure.ratio(), measure.percent_change()
    return {
        "name": measure.name,
        "value": measure.current.value,
        "period": measure.current.period_label,
        "baseline": None if measure.baseline is None else measure.baseline.value,
        "baseline_period": None if measure.baseline is None else measure.baseline.period_label,
        "difference": measure.difference(),
        "ratio": None if ratio is None else round(float(ratio), 2),
        "percent_change": None if change is None else round(float(change), 1),
        "stated_percent_change": None
        if measure.stated_change_percent is None
        else str(measure.stated_change_percent),
    }


def build_report(programme: Programme) -> dict[str, Any]:
    """The report on *programme* as JSON-ready data.

    >>> from cse_programme.datasets import london_2025
    >>> report = build_report(london_2025())
    >>> report["funding"][1]["total"], report["review"][0]["expected_reinvestigations"]
    ('£2,400,000.00', '2,000 to 3,000')
    """
    findings = audit(programme)
    return {
        "programme": programme.name,
        "funding": [_package(programme, p) for p in programme.funding_packages],
        "services": [_service(programme, s) for s in programme.services],
        "reporting_routes": [_route(programme, r) for r in programme.reporting_routes],
        "review": [
            {
                "name": review.name,
                "lead": programme.organisation(review.lead_force).name,
                "oversight": sorted(programme.organisation(o).name for o in review.oversight),
                "scope": str(review.scope),
                "cases_under_review": None
                if review.cases_under_review is None
                else str(review.cases_under_review.estimate),
                "expected_reinvestigations": None
                if review.expected_reinvestigations is None
                else str(review.expected_reinvestigations.estimate),
            }
            for review in programme.reviews
        ],
        "outcomes": [_measure(m) for m in programme.measures],
        "indicators": [
            {"name": i.name, "value": str(i.value), "unit": i.unit.label, "as_of": str(i.as_of)}
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
            for f in findings
        ],
        "sources": [
            {"title": s.title, "publisher": s.publisher, "url": s.url} for s in programme.sources
        ],
    }


def _painted(text: str, colour: str | None) -> str:
    return text if colour is None else f"\033[{colour}m{text}\033[0m"


def _table(rows: list[list[str]], markdown: bool, marks: Sequence[str | None] = ()) -> list[str]:
    """The rows as a table; *marks* colours each row's first cell (text only)."""
    if markdown:
        head, *body = [[cell.replace("|", "\\|") for cell in row] for row in rows]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return lines + ["| " + " | ".join(row) + " |" for row in body]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    colours = [*marks, *[None] * (len(rows) - len(marks))]
    return [
        "  ".join(
            _painted(cell.ljust(width), colour if i == 0 else None)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row, colour in zip(rows, colours, strict=True)
    ]


def _audit_lines(findings: list[dict[str, str]], markdown: bool, colour: bool) -> list[str]:
    """The audit as a count of each verdict, a table, and the reason for each doubt.

    With *colour*, each verdict is marked where it is written: its cell in
    the table and the start of the line explaining a doubt.
    """

    def mark(verdict: str) -> str | None:
        return _VERDICT_COLOURS[verdict] if colour else None

    counts = {v.value: sum(f["verdict"] == v.value for f in findings) for v in Verdict}
    summary = ", ".join(f"{n} {verdict.replace('_', ' ')}" for verdict, n in counts.items() if n)
    lines = [summary or "No claim states a figure that a record holds.", ""]
    rows = [["Verdict", "Claim", "Quote", "Record", "Check", "Claim says", "Data holds"]]
    rows += [
        [
            f["verdict"].replace("_", " "),
            f["claim"],
            f"“{f['quote']}”",
            f["record"],
            f["check"],
            f["claim_says"],
            f["data_holds"],
        ]
        for f in findings
    ]
    marks = [None, *(mark(f["verdict"]) for f in findings)]
    lines += _table(rows, markdown, marks) if findings else []
    for finding in findings:
        if finding["verdict"] != Verdict.CONSISTENT.value:
            verdict = _painted(finding["verdict"].replace("_", " "), mark(finding["verdict"]))
            lines += [
                "",
                ("- " if markdown else "  ") + f"{verdict}: {finding['claim']} on "
                f"{finding['record']} ({finding['check']}): {finding['why']}",
            ]
    return lines


def _or(value: object, missing: str = "not published") -> str:
    return missing if value is None else str(value)


def render(report: dict[str, Any], fmt: str = "text", *, colour: bool = False) -> str:
    r"""Render a report built by :func:`build_report` as ``text``, ``markdown`` or ``json``.

    With *colour*, text marks each verdict of the audit with an ANSI colour
    (consistent green, inconsistent red, conflicting magenta, not comparable
    yellow, not checkable cyan); Markdown and JSON are never coloured.  Any
    other format is refused.

    >>> from cse_programme.datasets import london_2025
    >>> report = build_report(london_2025())
    >>> import json
    >>> json.loads(render(report, "json")) == report
    True
    >>> "\033[35mconflicting" in render(report, colour=True)
    True
    >>> render(report, "html")
    Traceback (most recent call last):
    ...
    cse_programme.ValidationError: 1 problem:
      /format: must be text, markdown or json [unknown_format]
    """
    if fmt not in FORMATS:
        raise ValidationError.single("/format", "must be text, markdown or json", "unknown_format")
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    markdown = fmt == "markdown"
    colour = colour and not markdown
    out: list[str] = []

    def heading(text: str, level: int = 2) -> None:
        if markdown:
            out.extend(["", "#" * level + " " + text, ""])
        else:
            rule = "=" if level == 1 else "-"
            out.extend(["", text, rule * len(text)])

    def item(text: str) -> None:
        out.append(("- " if markdown else "  ") + text)

    heading(report["programme"], 1)
    heading("Funding")
    for package in report["funding"]:
        item(f"{package['name']}: {package['total']} from {package['funder']}")
        if package["part_of"]:
            item(f"  part of: {package['part_of']}")
        for allocation in package["allocations"]:
            item(f"  {allocation['to']}: {_or(allocation['amount'], 'amount not published')}")
        if package["allocations"]:
            item(f"  not allocated to a published amount: {package['unallocated']}")
    heading("Services")
    rows = [["Service", "Areas", "Ages", "Support"]]
    rows += [
        [s["name"], s["areas"], s["ages"], ", ".join(s["support"])] for s in report["services"]
    ]
    out.extend(_table(rows, markdown))
    heading("Reporting routes")
    for route in report["reporting_routes"]:
        ways = ", ".join(way for way in (route["phone"], route["url"]) if way)
        item(
            f"{route['name']} ({route['organisation']}"
            + (", anonymous" if route["anonymous"] else "")
            + f"): {ways or 'no number or address published'}; {route['areas']}"
        )
    heading("Review of historic cases")
    for review in report["review"]:
        item(f"{review['name']} (led by {review['lead']}, scope {review['scope']})")
        item(f"  cases under review: {_or(review['cases_under_review'])}")
        item(
            f"  expected to be considered for reinvestigation: "
            f"{_or(review['expected_reinvestigations'])}"
        )
    heading("Outcomes")
    for measure in report["outcomes"]:
        if measure["value"] is None:
            stated = measure["stated_percent_change"]
            item(f"{measure['name']}: stated change {_or(stated)}%, values not published")
            continue
        item(
            f"{measure['name']}: {measure['value']} in {measure['period']}, "
            f"{_or(measure['baseline'])} in {_or(measure['baseline_period'])}"
        )
        item(
            f"  difference {measure['difference']}, ratio {measure['ratio']}, "
            f"change {measure['percent_change']}%"
        )
    heading("Indicators")
    for indicator in report["indicators"]:
        item(
            f"{indicator['name']}: {indicator['value']} {indicator['unit']} "
            f"(as of {indicator['as_of']})"
        )
    heading("Audit of published claims")
    out.extend(_audit_lines(report["audit"], markdown, colour))
    heading("Sources")
    for source in report["sources"]:
        item(
            f"{source['title']}, {source['publisher']}"
            + (f" <{source['url']}>" if source["url"] else "")
        )
    return "\n".join(out).strip() + "\n"
