"""The report as text for a terminal or as Markdown.

Both are written by one function, so they hold the same lines; a section
with nothing in it is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final, cast

from cse_programme.analysis._audit import Verdict
from cse_programme.analysis._phrasing import (
    at_date,
    during_label,
    during_period,
    money_from_pence,
    period_words,
)
from cse_programme.analysis._report import (
    Report,
    ReportAmount,
    ReportEstimate,
    ReportFinding,
    ReportMeasure,
    ReportPackage,
    ReportPeriod,
    ReportReview,
    ReportSource,
)
from cse_programme.model import Estimate, EstimateKind, PartialDate, Period, TotalKind

#: How each verdict is marked on a terminal: ANSI colour codes.
_VERDICT_COLOURS: Final = {
    Verdict.CONSISTENT.value: "32",
    Verdict.INCONSISTENT.value: "31",
    Verdict.CONFLICTING.value: "35",
    Verdict.NOT_COMPARABLE.value: "33",
    Verdict.NOT_CHECKABLE.value: "36",
}
#: The audit table's columns: the claim and the figure tested come first, so
#: two rows of one claim differ where a reader starts.
AUDIT_COLUMNS: Final = ("Verdict", "Claim", "Check", "Claim says", "Data holds", "Record", "Quote")


#: Characters that would move the cursor, colour a terminal, break a line or
#: turn text around when printed: control characters, line and paragraph
#: separators, and the bidirectional overrides and isolates.
_UNPRINTABLE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _printable(value: Any, markdown: bool) -> Any:
    if isinstance(value, str):
        text = _UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", value)
        return text.replace("<", "\\<") if markdown else text
    if isinstance(value, dict):
        return {key: _printable(item, markdown) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item, markdown) for item in value]
    return value


def printable(report: Report, markdown: bool = False) -> Report:
    """The report with every text made safe to print: nothing in it can act on a terminal.

    Each control character, line separator and bidirectional override
    becomes U+FFFD, so a programme's words can neither colour a terminal nor
    start a line that looks like the report's own; for Markdown, ``<`` is
    escaped so that no word becomes markup.
    """
    return cast("Report", _printable(report, markdown))


def money_words(amount: ReportAmount) -> str:
    """An amount as people say it: ``£2.4m``, ``£233m``."""
    return money_from_pence(amount["pence"]).compact()


def total_words(package: ReportPackage) -> str:
    """A package's total, with "more than" where the total is a floor."""
    floor = "more than " if package["total_kind"] == TotalKind.MORE_THAN.value else ""
    return floor + money_words(package["total"])


def estimate_words(estimate: ReportEstimate) -> str:
    """A figure in the words it was stated with: "about 3,000", "2,000 to 3,000"."""
    return str(Estimate(EstimateKind(estimate["kind"]), estimate["low"], estimate["high"]))


def period_of(period: ReportPeriod) -> Period:
    """The period a report holds as text, as a :class:`~cse_programme.Period` again."""
    end = period["end"]
    return Period(
        PartialDate.parse(period["start"]), None if end is None else PartialDate.parse(end)
    )


def unallocated_words(package: ReportPackage) -> str | None:
    """What the part of a package without a published split means, or ``None`` if none."""
    if not package["unallocated"]["pence"]:
        return None
    share = f"{money_words(package['unallocated'])} of the {total_words(package)} total"
    unknown = sum(allocation["amount"] is None for allocation in package["allocations"])
    if not unknown:
        return f"{share} is not allocated in the sources"
    whom = (
        "the allocation above whose amount is"
        if unknown == 1
        else f"each of the {unknown} allocations above whose amounts are"
    )
    return (
        f"{share} has no published split: the sources do not say how much of it goes to "
        f"{whom} not published"
    )


def observed(value: int | None, label: str | None, dates: ReportPeriod | None) -> str:
    """A value with the period it was measured over: "207 in the last six months"."""
    when = during_label(label) if label else "over a period not stated"
    if dates is not None:
        when += f" ({period_words(period_of(dates))})"
    return f"{'not published' if value is None else f'{value:,}'} {when}"


def measure_lines(measure: ReportMeasure) -> tuple[str, list[str]]:
    """A measure's line and the lines nested under it."""
    if measure["value"] is None and measure["baseline"] is None:
        stated = measure["stated_percent_change"]
        said = "no change stated" if stated is None else f"stated change {stated}%"
        return f"{measure['name']}: {said}, values not published", []
    line = f"{measure['name']}: " + observed(
        measure["value"], measure["period"], measure["period_dates"]
    )
    if measure["baseline_period"] is not None:
        line += ", " + observed(
            measure["baseline"], measure["baseline_period"], measure["baseline_dates"]
        )
    if measure["difference"] is None:
        return line, []
    comparison = f"difference {measure['difference']:,}"
    if measure["ratio"] is not None:
        comparison += f", ratio {measure['ratio']}, change {measure['percent_change']}%"
    return line, [comparison]


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


def verdict_counts(findings: Sequence[ReportFinding]) -> str:
    """How many findings have each verdict: "21 consistent, 1 conflicting"."""
    counts = {v.value: sum(f["verdict"] == v.value for f in findings) for v in Verdict}
    return ", ".join(f"{n} {verdict.replace('_', ' ')}" for verdict, n in counts.items() if n)


def audit_row(finding: ReportFinding) -> list[str]:
    """A finding's cells, in the order of :data:`AUDIT_COLUMNS`."""
    return [
        finding["verdict"].replace("_", " "),
        finding["claim"],
        finding["check"],
        finding["claim_says"],
        finding["data_holds"],
        finding["record"],
        f"“{finding['quote']}”",
    ]


def doubt_words(finding: ReportFinding) -> str:
    """Why a finding is not consistent, naming its claim, record and check."""
    return f"{finding['claim']} on {finding['record']} ({finding['check']}): {finding['why']}"


def _audit_lines(findings: list[ReportFinding], markdown: bool, colour: bool) -> list[str]:
    """The audit as a count of each verdict, a table, and the reason for each doubt.

    With *colour*, each verdict is marked where it is written: its cell in
    the table and the start of the line explaining a doubt.
    """

    def mark(verdict: str) -> str | None:
        return _VERDICT_COLOURS[verdict] if colour else None

    lines = [verdict_counts(findings), ""]
    rows = [list(AUDIT_COLUMNS), *(audit_row(f) for f in findings)]
    lines += _table(rows, markdown, [None, *(mark(f["verdict"]) for f in findings)])
    for finding in findings:
        if finding["verdict"] != Verdict.CONSISTENT.value:
            verdict = _painted(finding["verdict"].replace("_", " "), mark(finding["verdict"]))
            lines += ["", ("- " if markdown else "  ") + f"{verdict}: {doubt_words(finding)}"]
    return lines


def _estimate_or(estimate: ReportEstimate | None) -> str:
    return "not published" if estimate is None else estimate_words(estimate)


def service_name(name: str, established: str | None) -> str:
    """A service's name, with the year it was set up where known."""
    if established is None:
        return name
    return f"{name} (set up {at_date(PartialDate.parse(established))})"


#: A line of a section and the lines nested under it.
Item = tuple[str, list[str]]


def funding_items(report: Report) -> list[Item]:
    """Each package, with what it is part of, its allocations and the part with no split."""
    items: list[Item] = []
    for package in report["funding"]:
        announced = package["announced"]
        line = f"{package['name']}: {total_words(package)} from {package['funder']}"
        if announced is not None:
            line += f", announced {at_date(PartialDate.parse(announced))}"
        nested = [f"part of: {package['part_of']}"] if package["part_of"] else []
        for allocation in package["allocations"]:
            amount = allocation["amount"]
            nested.append(
                f"{allocation['to']}: "
                + ("amount not published" if amount is None else money_words(amount))
            )
        unsplit = unallocated_words(package) if package["allocations"] else None
        items.append((line, [*nested, *([unsplit] if unsplit else [])]))
    return items


def route_items(report: Report) -> list[Item]:
    """Each reporting route: who takes reports, how, and where."""
    items: list[Item] = []
    for route in report["reporting_routes"]:
        ways = ", ".join(way for way in (route["phone"], route["url"]) if way)
        anonymous = ", anonymous" if route["anonymous"] else ""
        items.append(
            (
                f"{route['name']} ({route['organisation']}{anonymous}): "
                f"{ways or 'no number or address published'}; {route['areas']}",
                [],
            )
        )
    return items


def review_item(review: ReportReview) -> Item:
    """A review: who leads it, the cases it covers, and its headline figures."""
    scope = during_period(period_of(review["scope"]))
    return (
        f"{review['name']} (led by {review['lead']}, covering cases {scope})",
        [
            f"cases under review: {_estimate_or(review['cases_under_review'])}",
            "expected to be considered for reinvestigation: "
            + _estimate_or(review["expected_reinvestigations"]),
        ],
    )


def indicator_items(report: Report) -> list[Item]:
    """Each indicator with its figure, unit and date."""
    return [
        (
            f"{i['name']}: {estimate_words(i['value'])} {i['unit']} "
            f"(as of {PartialDate.parse(i['as_of']).words})",
            [],
        )
        for i in report["indicators"]
    ]


def source_words(source: ReportSource) -> str:
    """A source's title and publisher."""
    return f"{source['title']}, {source['publisher']}"


def render_text(report: Report, markdown: bool, colour: bool) -> str:
    """The report as text or Markdown; *colour* marks the audit's verdicts (text only)."""
    colour = colour and not markdown
    report = printable(report, markdown)
    out: list[str] = []

    def heading(text: str, level: int = 2) -> None:
        if markdown:
            out.extend([*([""] if out and out[-1] else []), "#" * level + " " + text, ""])
        else:
            rule = "=" if level == 1 else "-"
            out.extend(["", text, rule * len(text)])

    def section(title: str, items: list[Item]) -> None:
        if not items:
            return
        heading(title)
        for line, nested in items:
            out.append(f"- {line}" if markdown else f"  {line}")
            out.extend(f"  - {text}" if markdown else f"    {text}" for text in nested)

    heading(report["programme"], 1)
    section("Funding", funding_items(report))
    if report["services"]:
        heading("Services")
        rows = [["Service", "Areas", "Ages", "Support"]]
        rows += [
            [
                service_name(s["name"], s["established"]),
                s["areas"],
                s["ages"],
                ", ".join(s["support"]),
            ]
            for s in report["services"]
        ]
        out.extend(_table(rows, markdown))
    section("Reporting routes", route_items(report))
    section("Review of historic cases", [review_item(review) for review in report["review"]])
    section("Outcomes", [measure_lines(m) for m in report["outcomes"]])
    section("Indicators", indicator_items(report))
    if report["audit"]:
        heading("Audit of published claims")
        out.extend(_audit_lines(report["audit"], markdown, colour))
    section(
        "Sources",
        [(source_words(s) + (f" <{s['url']}>" if s["url"] else ""), []) for s in report["sources"]],
    )
    return "\n".join(out).strip() + "\n"
