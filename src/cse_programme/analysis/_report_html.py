"""The report as one self-contained, accessible HTML page with inline SVG charts.

The page fetches nothing and runs no script: its style is inline, its charts
are SVG in the page, and each chart is followed by a table of the same
figures for readers who cannot see it.  Every value from the report is
escaped, so a programme's text can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from cse_programme.analysis._audit import Verdict
from cse_programme.analysis._charts import Bar, Node, Span, bar_chart, range_chart, tree_chart
from cse_programme.analysis._phrasing import during_label
from cse_programme.analysis._report import (
    Report,
    ReportMeasure,
    ReportPackage,
    ReportReview,
    ReportService,
)
from cse_programme.analysis._report_text import (
    AUDIT_COLUMNS,
    Item,
    audit_row,
    doubt_words,
    estimate_words,
    funding_items,
    indicator_items,
    measure_lines,
    money_words,
    printable,
    review_item,
    route_items,
    source_words,
    total_words,
    verdict_counts,
)
from cse_programme.model import PartialDate

_STYLE: Final = """
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto;
       max-width: 60rem; padding: 1rem; color: #1b1b1b; background: #fff; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #8a8a8a; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
caption { text-align: left; font-weight: bold; }
figure { margin: 1rem 0; }
svg { max-width: 100%; height: auto; }
svg text { font-size: 13px; fill: #1b1b1b; }
svg .value { font-weight: bold; }
svg rect.known { fill: #1d5b8f; }
svg g.node rect.known { fill: #dbe8f4; stroke: #1d5b8f; }
svg rect.scale { fill: #1d5b8f; stroke: none; }
svg rect.unknown { fill: #fff; stroke: #5a5a5a; stroke-dasharray: 6 4; }
svg rect.unsplit { fill: #f6e7c8; stroke: #8a5a00; }
svg .link, svg .axis { stroke: #5a5a5a; }
.verdict-consistent { color: #1a6b2a; }
.verdict-inconsistent { color: #a4161a; }
.verdict-conflicting { color: #7a1f7a; }
.verdict-not_comparable, .verdict-not_checkable { color: #6b4e00; }
""".strip()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _list(items: Sequence[Item]) -> list[str]:
    """A list of escaped items, each with its own nested list."""
    out = ["<ul>"]
    for text, nested in items:
        sub = "".join(f"<li>{_e(line)}</li>" for line in nested)
        out.append(f"<li>{_e(text)}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
    return [*out, "</ul>"]


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["<table>", f"<caption>{_e(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(cell)}</th>' for cell in head]
    out += ["</tr></thead>", "<tbody>"]
    for row in rows:
        first, *rest = row
        out.append(
            f'<tr><th scope="row">{_e(first)}</th>' + "".join(f"<td>{_e(c)}</td>" for c in rest)
        )
        out[-1] += "</tr>"
    return [*out, "</tbody>", "</table>"]


def _sentence(words: str) -> str:
    """*words* starting with a capital, as a label on its own."""
    return words[:1].upper() + words[1:]


def _figure(svg: str, caption: str) -> list[str]:
    return ["<figure>", svg, f"<figcaption>{_e(caption)}</figcaption>", "</figure>"]


def _funding_nodes(funding: Sequence[ReportPackage], root: ReportPackage) -> list[Node]:
    """The tree under *root*: its sub-packages, its allocations, then the part with no split."""

    drawn: list[ReportPackage] = []

    def under(package: ReportPackage, depth: int) -> list[Node]:
        drawn.append(package)
        nodes = [
            Node(package["name"], depth, package["total"]["pence"], total_words(package), "known")
        ]
        for child in funding:
            # Packages are matched by name; each is drawn once, even where names repeat.
            if child["part_of"] == package["name"] and all(child is not p for p in drawn):
                nodes += under(child, depth + 1)
        for allocation in package["allocations"]:
            amount = allocation["amount"]
            nodes.append(
                Node(allocation["to"], depth + 1, None, "amount not published", "unknown")
                if amount is None
                else Node(
                    allocation["to"], depth + 1, amount["pence"], money_words(amount), "known"
                )
            )
        if package["allocations"] and package["unallocated"]["pence"]:
            nodes.append(
                Node(
                    "No published split",
                    depth + 1,
                    package["unallocated"]["pence"],
                    money_words(package["unallocated"]),
                    "unsplit",
                )
            )
        return nodes

    return under(root, 0)


def _funding(report: Report) -> list[str]:
    funding = report["funding"]
    out = ["<h2>Funding</h2>", *_list(funding_items(report))]
    names = {p["name"] for p in funding}
    for index, root in enumerate(funding):
        if root["part_of"] in names or not (
            root["allocations"] or any(p["part_of"] == root["name"] for p in funding)
        ):
            continue
        nodes = _funding_nodes(funding, root)
        title = f"Funding tree: {root['name']}"
        desc = "; ".join(f"{node.label}: {node.words}" for node in nodes)
        svg = tree_chart(f"funding-{index}", title, desc, nodes, root["total"]["pence"])
        out += _figure(
            svg,
            "Each box is part of the package above it. A dashed box is an allocation whose "
            "amount was not published; the shaded box is the part of the total with no "
            "published split.",
        )
        out += _table(
            title,
            ["Part", "Amount"],
            [["  " * node.depth + node.label, node.words] for node in nodes],
        )
    return out


def _services(services: Sequence[ReportService]) -> list[str]:
    out = ["<h2>Services</h2>"]
    out += _table(
        "Support services",
        ["Service", "Areas", "Ages", "Support", "Set up"],
        [
            [
                s["name"],
                s["areas"],
                s["ages"],
                ", ".join(s["support"]),
                "not published"
                if s["established"] is None
                else PartialDate.parse(s["established"]).words,
            ]
            for s in services
        ],
    )
    areas: dict[str, list[str]] = {}
    for service in services:
        for part in service["coverage"]:
            areas.setdefault(part, []).append(service["name"])
    out += _table(
        "Services by area (a district within a named group is also served by the group's services)",
        ["Area", "Services"],
        [[area, "; ".join(names)] for area, names in areas.items()],
    )
    return out


def _outcome_chart(index: int, measure: ReportMeasure) -> list[str]:
    value, baseline = measure["value"], measure["baseline"]
    if value is None or baseline is None or measure["baseline_period"] is None:
        return []
    bars = [
        Bar(_sentence(measure["baseline_period"]), baseline, f"{baseline:,}"),
        Bar(_sentence(measure["period"]), value, f"{value:,}"),
    ]
    title = f"{measure['name']}: before and after"
    desc = "; ".join(
        f"{bar.words} {during_label(period)}"
        for bar, period in zip(bars, (measure["baseline_period"], measure["period"]), strict=True)
    )
    return [
        *_figure(bar_chart(f"outcome-{index}", title, desc, bars), desc),
        *_table(
            title, ["Period", measure["unit"].capitalize()], [[b.label, b.words] for b in bars]
        ),
    ]


def _review_chart(index: int, review: ReportReview) -> list[str]:
    expected = review["expected_reinvestigations"]
    if expected is None:
        return []
    spans = []
    cases = review["cases_under_review"]
    if cases is not None:
        spans.append(Span("Cases under review", 0, cases["high"], estimate_words(cases)))
    spans.append(
        Span(
            "Expected to be considered for reinvestigation",
            expected["low"],
            expected["high"],
            estimate_words(expected),
        )
    )
    title = f"{review['name']}: the estimate's range"
    desc = "; ".join(f"{span.label}: {span.words}" for span in spans)
    return [
        *_figure(range_chart(f"review-{index}", title, desc, spans), desc),
        *_table(title, ["Figure", "Estimate"], [[s.label, s.words] for s in spans]),
    ]


def _audit(report: Report) -> list[str]:
    findings = report["audit"]
    out = ["<h2>Audit of published claims</h2>", f"<p>{_e(verdict_counts(findings))}</p>"]
    out += ["<table>", "<caption>Each figure of each claim, tested</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(cell)}</th>' for cell in AUDIT_COLUMNS]
    out += ["</tr></thead>", "<tbody>"]
    for finding in findings:
        verdict, *cells = audit_row(finding)
        out.append(
            f'<tr><td class="verdict-{_e(finding["verdict"])}">{_e(verdict)}</td>'
            + "".join(f"<td>{_e(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    out += ["</tbody>", "</table>"]
    doubts = [f for f in findings if f["verdict"] != Verdict.CONSISTENT.value]
    out += _list([(f"{f['verdict'].replace('_', ' ')}: {doubt_words(f)}", []) for f in doubts])
    return out if doubts else out[:-2]


def _sources(report: Report) -> list[str]:
    out = ["<h2>Sources</h2>", "<ul>"]
    for source in report["sources"]:
        words = _e(source_words(source))
        url = source["url"]
        out.append(f'<li><a href="{_e(url)}">{words}</a></li>' if url else f"<li>{words}</li>")
    return [*out, "</ul>"]


def render_html(report: Report) -> str:
    """The report as one HTML page; a section with nothing in it is left out."""
    report = printable(report)
    body: list[str] = [f"<h1>{_e(report['programme'])}</h1>"]
    if report["funding"]:
        body += _funding(report)
    if report["services"]:
        body += _services(report["services"])
    if report["reporting_routes"]:
        body += ["<h2>Reporting routes</h2>", *_list(route_items(report))]
    if report["review"]:
        body += ["<h2>Review of historic cases</h2>"]
        for index, review in enumerate(report["review"]):
            body += [*_list([review_item(review)]), *_review_chart(index, review)]
    if report["outcomes"]:
        body += ["<h2>Outcomes</h2>", *_list([measure_lines(m) for m in report["outcomes"]])]
        for index, measure in enumerate(report["outcomes"]):
            body += _outcome_chart(index, measure)
    if report["indicators"]:
        body += ["<h2>Indicators</h2>", *_list(indicator_items(report))]
    if report["audit"]:
        body += _audit(report)
    if report["sources"]:
        body += _sources(report)
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en-GB">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{_e(report['programme'])}</title>",
                f"<style>\n{_STYLE}\n</style>",
                "</head>",
                "<body>",
                "<main>",
                *body,
                "</main>",
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )
