"""The report for people: money as it is said, dates as they are written, and a page with charts.

The report's wording is checked against sentences written out by hand, and
its HTML page is read back with the standard library's parser: its structure,
what it may fetch (nothing), and the charts' numbers against the programme's
own records.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import attrs
import pytest
from hypothesis import given
from markdown_it import MarkdownIt

from cse_programme import (
    ALL_LONDON,
    Allocation,
    AllocationId,
    FundingPackageId,
    Money,
    Observation,
    PartialDate,
    Period,
    Precision,
    Programme,
    ServiceId,
    TotalKind,
    testing,
)
from cse_programme.analysis import Verdict, build_report, render
from cse_programme.analysis._report_text import (
    _table,
    funding_items,
    measure_lines,
    observed,
    printable,
    route_items,
)
from cse_programme.datasets import london_2025

LONDON = london_2025()
PACKAGE = FundingPackageId("pkg-cse-support-2025")


# A small tree of an HTML page, built with the standard library's parser.

VOID = frozenset({"meta", "br", "img", "hr", "input", "link", "source", "wbr", "col", "area"})
#: Elements of SVG whose empty form ``<rect/>`` closes them.
SELF_CLOSING = frozenset({"rect", "path", "circle", "line", "polyline", "polygon"})


@attrs.define
class Element:
    tag: str
    attributes: dict[str, str]
    children: list[Element | str] = attrs.field(factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                found += [child] if child.tag == tag else []
                found += child.all(tag)
        return found

    def elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]


class TreeBuilder(HTMLParser):
    """Builds the tree and refuses any element closed out of order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        assert tag in SELF_CLOSING | VOID, tag
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attributes}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def page(html: str) -> tuple[str, Element]:
    """The doctype and the root of a page that closes every element it opens, in order."""
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "elements left open"
    (root,) = builder.root.elements()
    return builder.doctype, root


def london_page() -> Element:
    return page(render(build_report(LONDON), "html"))[1]


def chart(root: Element, title_start: str) -> Element:
    (found,) = [
        svg for svg in root.all("svg") if svg.all("title")[0].text().startswith(title_start)
    ]
    return found


def groups(svg: Element, cls: str) -> list[Element]:
    return [g for g in svg.all("g") if cls in g.attributes.get("class", "").split()]


def value_label(group: Element) -> str:
    (label,) = [t for t in group.all("text") if "value" in t.attributes.get("class", "")]
    return label.text()


# Money.


def test_json_money_is_exact_whole_pence_with_its_currency() -> None:
    data = json.loads(render(build_report(LONDON), "json"))
    vawg, package = data["funding"]
    assert package["total"] == {"pence": 240_000_000, "currency": "GBP"}
    assert vawg["total"] == {"pence": 23_300_000_000, "currency": "GBP"}
    assert vawg["total_kind"] == "more_than"
    assert package["unallocated"] == {"pence": 240_000_000, "currency": "GBP"}
    assert [a["amount"] for a in package["allocations"]] == [None] * 4


@given(testing.programmes())
def test_every_amount_in_json_is_the_records_amount_in_pence(programme: Programme) -> None:
    data = json.loads(render(build_report(programme), "json"))
    for package, held in zip(data["funding"], programme.funding_packages, strict=True):
        assert type(package["total"]["pence"]) is int
        assert Decimal(package["total"]["pence"]).scaleb(-2) == held.total.pounds
        assert package["total"]["currency"] == "GBP"
        for allocation, record in zip(package["allocations"], held.allocations, strict=True):
            expected = None if record.amount is None else int(record.amount.pounds * 100)
            assert (allocation["amount"] or {}).get("pence") == expected
        known = sum((a.amount.pounds for a in held.allocations if a.amount), Decimal(0))
        left = max(held.total.pounds - known, Decimal(0))
        assert Decimal(package["unallocated"]["pence"]).scaleb(-2) == left


def programme_with(total: str, *amounts: str | None, kind: TotalKind = TotalKind.EXACT) -> str:
    """The London programme's package with another total and allocations, as text."""
    package = LONDON.funding_package(PACKAGE)
    recipients = [a.service for a in package.allocations]
    allocations = tuple(
        Allocation(
            id=AllocationId(f"alloc-{index}"),
            purpose="support",
            service=recipients[index],
            amount=None if amount is None else Money.of(amount),
        )
        for index, amount in enumerate(amounts)
    )
    changed = attrs.evolve(package, total=Money.of(total), total_kind=kind, allocations=allocations)
    packages = tuple(changed if p.id == PACKAGE else p for p in LONDON.funding_packages)
    return render(build_report(attrs.evolve(LONDON, funding_packages=packages)))


@pytest.mark.parametrize(
    ("total", "amounts", "kind", "lines"),
    [
        (
            "1.1m",
            ("400k", None),
            TotalKind.EXACT,
            [
                "Support package for victims and survivors of child sexual exploitation: £1.1m",
                "Independent Sexual Violence Advocates for survivors of CSE: £400k",
                "Counselling and therapeutic care for survivors of CSE: amount not published",
                "£700k of the £1.1m total has no published split: the sources do not say how "
                "much of it goes to the allocation above whose amount is not published",
            ],
        ),
        (
            "950000",
            ("250000", "12.50"),
            TotalKind.EXACT,
            [
                "Independent Sexual Violence Advocates for survivors of CSE: £250k",
                "Counselling and therapeutic care for survivors of CSE: £12.50",
                "£699.99k of the £950k total is not allocated in the sources",
            ],
        ),
        (
            "2m",
            ("1m", None, None),
            TotalKind.MORE_THAN,
            [
                "Support package for victims and survivors of child sexual exploitation: "
                "more than £2m",
                "£1m of the more than £2m total has no published split: the sources do not say "
                "how much of it goes to each of the 2 allocations above whose amounts are not "
                "published",
            ],
        ),
    ],
)
def test_money_is_said_as_people_say_it_and_the_unsplit_part_is_explained(
    total: str, amounts: tuple[str | None, ...], kind: TotalKind, lines: list[str]
) -> None:
    text = programme_with(total, *amounts, kind=kind)
    for line in lines:
        assert line in text, line


def test_a_package_given_out_in_full_says_nothing_of_a_remainder() -> None:
    text = programme_with("1m", "600k", "400k")
    assert "The Lighthouse" not in text.split("Services")[0]
    assert "Counselling and therapeutic care for survivors of CSE: £400k" in text
    assert "no published split" not in text
    assert "not allocated" not in text


# The Lighthouse, sections and nesting.


def test_the_report_gives_the_year_the_lighthouse_was_set_up() -> None:
    lighthouse = LONDON.service(ServiceId("svc-lighthouse"))
    assert lighthouse.established == PartialDate(2018)
    report = build_report(LONDON)
    (row,) = [s for s in report["services"] if s["name"] == "The Lighthouse"]
    assert row["established"] == "2018"
    assert "\nThe Lighthouse (set up in 2018)  " in render(report)
    assert "| The Lighthouse (set up in 2018) |" in render(report, "markdown")
    cells = [
        [cell.text() for cell in tr.elements()]
        for table in london_page().all("table")
        if table.all("caption")[0].text() == "Support services"
        for tr in table.all("tr")
    ]
    assert cells[0][-1] == "Set up"
    assert next(r for r in cells if r[0] == "The Lighthouse")[-1] == "2018"


def test_a_programme_with_nothing_in_it_prints_only_its_name() -> None:
    report = build_report(Programme(name="A programme of our own"))
    assert render(report) == "A programme of our own\n======================\n"
    assert render(report, "markdown") == "# A programme of our own\n"
    _, root = page(render(report, "html"))
    assert [h.text() for h in root.all("h1")] == ["A programme of our own"]
    assert root.all("h2") == []
    assert root.all("svg") == []
    assert root.all("table") == []


def test_a_section_with_nothing_in_it_is_left_out() -> None:
    vawg = next(p for p in LONDON.funding_packages if p.id != PACKAGE)
    without = attrs.evolve(
        LONDON, funding_packages=(vawg,), services=(), reporting_routes=(), measures=()
    )
    text = render(build_report(without))
    headings = [
        line for line, under in itertools.pairwise(text.splitlines()) if set(under) == {"-"}
    ]
    assert headings == [
        "Funding",
        "Review of historic cases",
        "Indicators",
        "Audit of published claims",
        "Sources",
    ]


def test_markdown_keeps_nested_bullets_nested() -> None:
    markdown = render(build_report(LONDON), "markdown")
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    _, root = page(f"<div>{html}</div>")
    nested = {
        item.text().split("\n")[0]: [li.text() for li in item.all("li")]
        for ul in root.all("ul")
        for item in ul.elements()
        if item.all("ul")
    }
    package = "Support package for victims and survivors of child sexual exploitation"
    assert [key.split(":")[0] for key in nested] == [
        package,
        "Metropolitan Police review of historic child sexual exploitation cases (led by "
        "Metropolitan Police Service, covering cases since 2010)",
        "Suspects charged for child sexual exploitation",
    ]
    assert nested[next(k for k in nested if k.startswith(package))] == [
        "Independent Sexual Violence Advocates for survivors of CSE: amount not published",
        "Counselling and therapeutic care for survivors of CSE: amount not published",
        "The Lighthouse: amount not published",
        "Pan-London sexual violence support service: amount not published",
        "£2.4m of the £2.4m total has no published split: the sources do not say how much of "
        "it goes to each of the 4 allocations above whose amounts are not published",
    ]
    review = next(k for k in nested if k.startswith("Metropolitan"))
    assert nested[review] == [
        "cases under review: 9,000",
        "expected to be considered for reinvestigation: 2,000 to 3,000",
    ]


# Periods and dates, every combination the report words.

START, END = PartialDate(2010, 3, 1), PartialDate(2025, 3, 31)


def at(date: PartialDate, precision: Precision) -> PartialDate:
    return PartialDate(
        date.year,
        None if precision is Precision.YEAR else date.month,
        date.day if precision is Precision.DAY else None,
    )


#: The review's scope, for each precision of its start and its end (``None``:
#: still running), written out by hand.
SCOPES = {
    (Precision.YEAR, None): "since 2010",
    (Precision.MONTH, None): "since March 2010",
    (Precision.DAY, None): "since 1 March 2010",
    (Precision.YEAR, Precision.YEAR): "from 2010 to 2025",
    (Precision.YEAR, Precision.MONTH): "from 2010 to March 2025",
    (Precision.YEAR, Precision.DAY): "from 2010 to 31 March 2025",
    (Precision.MONTH, Precision.YEAR): "from March 2010 to 2025",
    (Precision.MONTH, Precision.MONTH): "from March 2010 to March 2025",
    (Precision.MONTH, Precision.DAY): "from March 2010 to 31 March 2025",
    (Precision.DAY, Precision.YEAR): "from 1 March 2010 to 2025",
    (Precision.DAY, Precision.MONTH): "from 1 March 2010 to March 2025",
    (Precision.DAY, Precision.DAY): "from 1 March 2010 to 31 March 2025",
}
#: A period that starts and ends on the same date, at each precision.
SAME_DATE = {
    Precision.YEAR: "in 2010",
    Precision.MONTH: "in March 2010",
    Precision.DAY: "on 1 March 2010",
}


def test_the_scopes_written_out_are_every_combination() -> None:
    assert set(SCOPES) == set(itertools.product(Precision, [None, *Precision]))


def scope_line(scope: Period) -> str:
    (review,) = LONDON.reviews
    changed = attrs.evolve(LONDON, reviews=(attrs.evolve(review, scope=scope),))
    lines = render(build_report(changed)).splitlines()
    line = next(line for line in lines if line.startswith("  Metropolitan Police review"))
    return line.split("covering cases ")[1].removesuffix(")")


@pytest.mark.parametrize(("start", "end"), sorted(SCOPES, key=str))
def test_a_review_scope_is_worded_for_its_precisions(
    start: Precision, end: Precision | None
) -> None:
    scope = Period(at(START, start), None if end is None else at(END, end))
    assert scope_line(scope) == SCOPES[start, end]


@pytest.mark.parametrize("precision", list(Precision))
def test_a_period_of_one_date_is_worded_with_in_or_on(precision: Precision) -> None:
    date = at(START, precision)
    assert scope_line(Period(date, date)) == SAME_DATE[precision]


#: A date at each precision, after the words the report puts before it.
DATES = {
    Precision.YEAR: ("in 2018", "2018"),
    Precision.MONTH: ("in November 2018", "November 2018"),
    Precision.DAY: ("on 13 November 2018", "13 November 2018"),
}


@pytest.mark.parametrize("precision", list(Precision))
def test_dates_are_worded_at_their_precision(precision: Precision) -> None:
    date = at(PartialDate(2018, 11, 13), precision)
    on, bare = DATES[precision]
    lighthouse, *others = LONDON.services
    package = LONDON.funding_package(PACKAGE)
    indicator, *more = LONDON.indicators
    changed = attrs.evolve(
        LONDON,
        services=(attrs.evolve(lighthouse, established=date), *others),
        funding_packages=tuple(
            attrs.evolve(p, announced=date) if p is package else p for p in LONDON.funding_packages
        ),
        indicators=(attrs.evolve(indicator, as_of=date), *more),
    )
    text = render(build_report(changed))
    assert f"\nThe Lighthouse (set up {on})  " in text
    assert f"(Greater London Authority), announced {on}\n" in text
    assert f"about 3,000 victims and survivors (as of {bare})\n" in text


#: A measure's periods in a source's own words, and with published dates:
#: the line the report writes for 40 against 25.
MEASURES = [
    ("this year", "last year", None, "40 this year, 25 last year"),
    ("the last six months", "the same period last year", None,
     "40 in the last six months, 25 in the same period last year"),
    ("over the past year", "over the year before", None,
     "40 over the past year, 25 over the year before"),
    ("2024", "2023", None, "40 in 2024, 25 in 2023"),
    ("the year to March 2025", "the year before", None,
     "40 in the year to March 2025, 25 in the year before"),
    ("so far this year", "last month", None, "40 so far this year, 25 last month"),
    ("the last six months", "the same period last year",
     (Period(PartialDate(2025, 4), PartialDate(2025, 9)),
      Period(PartialDate(2024, 4), PartialDate(2024, 9))),
     "40 in the last six months (April 2025 to September 2025), "
     "25 in the same period last year (April 2024 to September 2024)"),
    ("since April", "the year before",
     (Period(PartialDate(2025, 4)), Period(PartialDate(2024), PartialDate(2024))),
     "40 since April (since April 2025), 25 in the year before (2024)"),
]  # fmt: skip


@pytest.mark.parametrize(("now", "then", "dates", "line"), MEASURES)
def test_a_measure_speaks_of_its_periods_grammatically(
    now: str, then: str, dates: tuple[Period, Period] | None, line: str
) -> None:
    measure, *others = LONDON.measures
    current, baseline = dates or (None, None)
    changed = attrs.evolve(
        measure,
        current=Observation(value=40, period_label=now, period=current),
        baseline=Observation(value=25, period_label=then, period=baseline),
    )
    text = render(build_report(attrs.evolve(LONDON, measures=(changed, *others))))
    assert f"  Suspects charged for child sexual exploitation: {line}\n" in text
    assert "difference 15, ratio 1.6, change 60.0%" in text


# The HTML page.


def test_the_page_is_one_accessible_document() -> None:
    doctype, root = page(render(build_report(LONDON), "html"))
    assert doctype.lower() == "doctype html"
    assert root.tag == "html"
    assert root.attributes["lang"] == "en-GB"
    assert [e.tag for e in root.elements()] == ["head", "body"]
    assert root.all("title")[0].text() == LONDON.name
    assert [h.text() for h in root.all("h1")] == [LONDON.name]
    assert [h.text() for h in root.all("h2")] == [
        "Funding",
        "Services",
        "Reporting routes",
        "Review of historic cases",
        "Outcomes",
        "Indicators",
        "Audit of published claims",
        "Sources",
    ]
    svgs = root.all("svg")
    assert len(svgs) == 3
    for svg in svgs:
        assert svg.attributes["role"] == "img"
        title, desc = svg.elements()[:2]
        assert (title.tag, desc.tag) == ("title", "desc")
        assert title.text()
        assert desc.text()
        assert (
            svg.attributes["aria-labelledby"] == f"{title.attributes['id']} {desc.attributes['id']}"
        )
    ids = [
        element.attributes["id"]
        for tag in ("title", "desc")
        for element in root.all(tag)
        if "id" in element.attributes
    ]
    assert len(ids) == len(set(ids))
    for figure in root.all("figure"):
        assert len(figure.all("svg")) == 1
        assert figure.all("figcaption")
    # Each chart is followed by a table of the same figures.
    body = root.all("main")[0].elements()
    for index, element in enumerate(body):
        if element.tag == "figure":
            assert body[index + 1].tag == "table"
    for table in root.all("table"):
        assert table.all("caption")
        assert table.all("th")


def every_element(root: Element) -> list[Element]:
    return [root, *(e for child in root.elements() for e in every_element(child))]


def test_the_page_fetches_nothing_and_runs_nothing() -> None:
    html = render(build_report(LONDON), "html")
    _, root = page(html)
    elements = every_element(root)
    tags = {e.tag for e in elements}
    assert not tags & {"script", "link", "iframe", "object", "embed", "img", "use", "image"}
    for element in elements:
        assert not any(name.startswith("on") for name in element.attributes), element.tag
        assert "src" not in element.attributes
        assert "srcset" not in element.attributes
        for name, value in element.attributes.items():
            if re.search(r"https?:", value):
                assert (element.tag, name) in {("a", "href"), ("svg", "xmlns")}, (element.tag, name)
        if element.tag == "a":
            assert element.attributes["href"].startswith("https://")
    (style,) = root.all("style")
    assert "url(" not in style.text()
    assert "@import" not in style.text()
    links = [a.attributes["href"] for a in root.all("a")]
    assert links == [s.url for s in LONDON.sources if s.url]


def test_the_suspects_charged_chart_shows_the_measures_figures() -> None:
    measure = next(m for m in LONDON.measures if m.id == "measure-suspects-charged")
    assert measure.baseline is not None
    svg = chart(london_page(), "Suspects charged for child sexual exploitation")
    bars = groups(svg, "bar")
    assert [int(g.attributes["data-value"]) for g in bars] == [63, 207]
    assert [int(g.attributes["data-value"]) for g in bars] == [
        measure.baseline.value,
        measure.current.value,
    ]
    assert [value_label(g) for g in bars] == ["63", "207"]
    # Each bar is labelled with its period as the release words it, begun as a sentence.
    labels = ["The same period last year", "The last six months"]
    assert [g.attributes["data-label"] for g in bars] == labels
    assert [g.all("text")[0].text() for g in bars] == labels
    widths = [float(g.all("rect")[0].attributes["width"]) for g in bars]
    assert widths[0] / widths[1] == pytest.approx(63 / 207, rel=1e-3)


def test_the_suspects_charged_chart_is_captioned_in_words_and_given_as_a_table() -> None:
    root = london_page()
    title = "Suspects charged for child sexual exploitation: before and after"
    words = "63 in the same period last year; 207 in the last six months"
    (figure,) = [f for f in root.all("figure") if f.all("title")[0].text() == title]
    svg = figure.all("svg")[0]
    assert svg.attributes["aria-labelledby"] == "outcome-0-title outcome-0-desc"
    assert [e.attributes["id"] for e in svg.all("title") + svg.all("desc")] == [
        "outcome-0-title",
        "outcome-0-desc",
    ]
    assert svg.all("desc")[0].text() == words
    assert figure.all("figcaption")[0].text() == words
    (table,) = [t for t in root.all("table") if t.all("caption")[0].text() == title]
    assert [th.text() for th in table.all("thead")[0].all("th")] == ["Period", "Suspects"]
    assert [
        [cell.text() for cell in row.elements()] for row in table.all("tbody")[0].all("tr")
    ] == [
        ["The same period last year", "63"],
        ["The last six months", "207"],
    ]


def test_the_funding_tree_shows_known_and_unknown_allocations() -> None:
    package = LONDON.funding_package(PACKAGE)
    svg = chart(london_page(), f"Funding tree: {package.name}")
    nodes = groups(svg, "node")
    root, *children = nodes
    assert int(root.attributes["data-pence"]) == 240_000_000 == int(package.total.pounds * 100)
    unknown = [n for n in children if "unknown" in n.attributes["class"].split()]
    assert [n.attributes["data-label"] for n in unknown] == [
        LONDON.service(a.service).name
        for a in package.allocations
        if a.service and a.amount is None
    ]
    assert all("data-pence" not in n.attributes for n in unknown)
    assert {value_label(n) for n in unknown} == {"amount not published"}
    (unsplit,) = [n for n in children if "unsplit" in n.attributes["class"].split()]
    assert int(unsplit.attributes["data-pence"]) == 240_000_000
    assert value_label(root) == value_label(unsplit) == "£2.4m"


def test_the_funding_tree_draws_known_amounts_to_the_totals_scale() -> None:
    package = LONDON.funding_package(PACKAGE)
    allocations = (
        Allocation(
            id=AllocationId("alloc-a"),
            purpose="a",
            service=package.allocations[0].service,
            amount=Money.of("250k"),
        ),
        Allocation(id=AllocationId("alloc-b"), purpose="b", service=package.allocations[1].service),
    )
    changed = attrs.evolve(package, total=Money.of("1m"), allocations=allocations)
    programme = attrs.evolve(
        LONDON,
        funding_packages=tuple(changed if p.id == PACKAGE else p for p in LONDON.funding_packages),
    )
    _, root = page(render(build_report(programme), "html"))
    nodes = groups(chart(root, "Funding tree"), "node")
    pence = [
        int(n.attributes["data-pence"]) if "data-pence" in n.attributes else None for n in nodes
    ]
    assert pence == [100_000_000, 25_000_000, None, 75_000_000]
    assert [value_label(n) for n in nodes] == ["£1m", "£250k", "amount not published", "£750k"]
    assert [n.attributes["class"] for n in nodes] == [
        "node known",
        "node known",
        "node unknown",
        "node unsplit",
    ]
    scales = {
        n.attributes["data-pence"]: float(r.attributes["width"])
        for n in nodes
        for r in n.all("rect")
        if r.attributes.get("class") == "scale"
    }
    assert scales["25000000"] / scales["100000000"] == pytest.approx(0.25, abs=0.01)


def test_an_audit_with_nothing_in_doubt_ends_with_its_table() -> None:
    report = build_report(LONDON)
    consistent = [f for f in report["audit"] if f["verdict"] == Verdict.CONSISTENT.value]
    assert 0 < len(consistent) < len(report["audit"])
    html = render({**report, "audit": consistent}, "html")
    page(html)
    section = html.split("<h2>Audit of published claims</h2>")[1].split("<h2>")[0]
    _, fragment = page(f"<div>{section}</div>")
    assert [e.tag for e in fragment.elements()] == ["p", "table"]
    assert fragment.elements()[0].text() == f"{len(consistent)} consistent"
    (body,) = fragment.all("tbody")
    assert [row.all("td")[0].text() for row in body.elements()] == ["consistent"] * len(consistent)


def test_the_review_chart_shows_the_estimates_range() -> None:
    (review,) = LONDON.reviews
    assert review.expected_reinvestigations is not None
    assert review.cases_under_review is not None
    svg = chart(london_page(), review.name)
    cases, expected = groups(svg, "span")
    assert (int(cases.attributes["data-low"]), int(cases.attributes["data-high"])) == (0, 9_000)
    assert int(cases.attributes["data-high"]) == review.cases_under_review.estimate.high
    assert (int(expected.attributes["data-low"]), int(expected.attributes["data-high"])) == (
        2_000,
        3_000,
    )
    estimate = review.expected_reinvestigations.estimate
    assert (estimate.low, estimate.high) == (2_000, 3_000)
    assert [value_label(cases), value_label(expected)] == ["9,000", "2,000 to 3,000"]
    rect = expected.all("rect")[0]
    whole = float(cases.all("rect")[0].attributes["width"])
    assert float(rect.attributes["width"]) / whole == pytest.approx(1_000 / 9_000, rel=1e-2)


def test_the_services_by_area_table_lists_each_areas_services() -> None:
    (table,) = [
        t
        for t in london_page().all("table")
        if t.all("caption")[0].text().startswith("Services by area")
    ]
    rows = {
        tr.elements()[0].text(): tr.elements()[1].text().split("; ") for tr in table.all("tr")[1:]
    }
    everywhere = [s.name for s in LONDON.services if s.coverage == ALL_LONDON.areas]
    assert len(everywhere) == 6
    assert rows["All of London"] == everywhere
    for borough in ("Barnet", "Camden", "Enfield", "Haringey", "Islington"):
        assert rows[borough] == ["The Lighthouse"]
    assert len(rows) == 6


def test_the_page_escapes_every_word_it_is_given() -> None:
    hostile = '<script>alert("x")</script> & <img src=https://example.org/x.png>'
    _, root = page(render(build_report(Programme(name=hostile)), "html"))
    assert root.all("script") == []
    assert root.all("img") == []
    assert root.all("h1")[0].text() == hostile
    assert root.all("title")[0].text() == hostile


@given(testing.programmes())
def test_every_programmes_page_is_well_formed_and_self_contained(programme: Programme) -> None:
    html = render(build_report(programme), "html")
    _, root = page(html)
    for element in every_element(root):
        assert element.tag != "script"
        assert "src" not in element.attributes
    for svg in root.all("svg"):
        for group in svg.all("g"):
            for name in ("data-value", "data-pence", "data-low", "data-high"):
                if name in group.attributes:
                    assert int(group.attributes[name]) >= 0


def test_a_funding_tree_draws_each_package_once_whatever_their_names() -> None:
    # Parts are matched by name in the report's data; names that repeat, or a
    # report edited by hand, must not send the tree round in a loop.
    report = build_report(LONDON)
    package = report["funding"][1]
    report["funding"] = [
        {**package, "name": "Fund", "part_of": None},
        {**package, "name": "Fund", "part_of": "Fund", "allocations": []},
        {**package, "name": "Fund", "part_of": "Fund", "allocations": []},
    ]
    _, root = page(render(report, "html"))
    nodes = groups(chart(root, "Funding tree: Fund"), "node")
    packages = [n for n in nodes if n.attributes["data-label"] == "Fund"]
    assert len(packages) == 3
    assert len(nodes) == 3 + len(package["allocations"]) + 1


SECTIONS = {
    "funding_packages": "Funding",
    "services": "Services",
    "reporting_routes": "Reporting routes",
    "reviews": "Review of historic cases",
    "measures": "Outcomes",
    "indicators": "Indicators",
    "sources": "Sources",
}


@given(testing.programmes())
def test_every_section_printed_has_something_in_it(programme: Programme) -> None:
    report = build_report(programme)
    text = render(report)
    lines = text.splitlines()
    headings = [line for line, under in itertools.pairwise(lines) if set(under) == {"-"}]
    expected = [title for field, title in SECTIONS.items() if getattr(programme, field)]
    if report["audit"]:
        expected.insert(-1 if programme.sources else len(expected), "Audit of published claims")
    assert headings == expected
    for index, line in enumerate(lines[:-2]):
        if line in headings and set(lines[index + 1]) == {"-"}:
            assert lines[index + 2].strip(), line
    markdown = render(report, "markdown").splitlines()
    assert [line[3:] for line in markdown if line.startswith("## ")] == expected


#: A date as the report writes it, at each precision.
WRITTEN_DATE = r"(?:\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4}|\d{4})"


def read_date(words: str) -> PartialDate:
    """A date read back from the words the report writes, with the standard library."""
    for form, precision in (("%d %B %Y", 3), ("%B %Y", 2), ("%Y", 1)):
        try:
            day = dt.datetime.strptime(words, form).date()
        except ValueError:
            continue
        return PartialDate(*(day.year, day.month, day.day)[:precision])
    raise AssertionError(words)


@given(testing.periods())
def test_any_scope_reads_back_as_the_period_it_words(scope: Period) -> None:
    words = scope_line(scope)
    if scope.end is None:
        match = re.fullmatch(f"since ({WRITTEN_DATE})", words)
        assert match, words
        assert read_date(match[1]) == scope.start
    elif scope.end == scope.start:
        preposition = "on" if scope.start.precision is Precision.DAY else "in"
        match = re.fullmatch(f"{preposition} ({WRITTEN_DATE})", words)
        assert match, words
        assert read_date(match[1]) == scope.start
    else:
        match = re.fullmatch(f"from ({WRITTEN_DATE}) to ({WRITTEN_DATE})", words)
        assert match, words
        assert (read_date(match[1]), read_date(match[2])) == (scope.start, scope.end)


def test_no_word_of_a_programme_can_act_on_a_terminal_or_fake_a_line() -> None:
    # A document's words are printed as words: an escape sequence cannot colour
    # or clear the terminal, a line break cannot start a line that looks like
    # the audit's own, and a bidirectional override cannot turn text around.
    hostile = "Fund\x1b[2J\n  conflicting: forged\u202eemag\x85"
    package = LONDON.funding_package(PACKAGE)
    changed = attrs.evolve(
        LONDON, name=hostile, funding_packages=(attrs.evolve(package, name=hostile),)
    )
    report = build_report(changed)
    for fmt in ("text", "markdown", "html"):
        out = render(report, fmt)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", out), fmt
        assert "\n  conflicting: forged" not in out
        assert "Fund\ufffd[2J\ufffd  conflicting: forged\ufffdemag\ufffd" in out
    assert render(report, colour=True).count("\x1b[") == 2 * len(report["audit"]) + 2 * 3
    assert "\\<script>" in render(build_report(Programme(name="<script>")), "markdown")
    assert json.loads(render(report, "json"))["programme"] == hostile


# What is not published is said so, line by line ------------------------------


def test_a_measure_without_its_values_says_so_and_what_change_was_stated() -> None:
    report: Any = build_report(london_2025())
    charged = report["outcomes"][0]
    bare: Any = {**charged, "value": None, "baseline": None}
    assert measure_lines(bare) == (
        "Suspects charged for child sexual exploitation: no change stated, values not published",
        [],
    )
    stated: Any = {**bare, "stated_percent_change": 228.6}
    assert measure_lines(stated)[0].endswith(": stated change 228.6%, values not published")
    assert observed(None, None, None) == "not published over a period not stated"


def test_a_review_without_its_estimates_says_they_are_not_published() -> None:
    (review,) = LONDON.reviews
    bare = attrs.evolve(review, cases_under_review=None, expected_reinvestigations=None)
    lines = render(build_report(attrs.evolve(LONDON, reviews=(bare,)))).splitlines()
    start = next(i for i, line in enumerate(lines) if "Metropolitan Police review" in line)
    assert [line.strip(" -") for line in lines[start + 1 : start + 3]] == [
        "cases under review: not published",
        "expected to be considered for reinvestigation: not published",
    ]


def test_a_route_gives_every_way_to_report_and_a_package_what_it_is_part_of() -> None:
    report: Any = build_report(london_2025())
    route = {
        **report["reporting_routes"][0],
        "phone": "0800 555 111",
        "url": "https://example.org/report",
    }
    changed: Any = {**report, "reporting_routes": [route]}
    ((line, _),) = route_items(changed)
    assert line == (
        "Report to the Met (Metropolitan Police Service): 0800 555 111, "
        "https://example.org/report; All of London"
    )
    package = {**report["funding"][1], "part_of": "A wider package"}
    changed = {**report, "funding": [package]}
    ((_, parts),) = funding_items(changed)
    assert parts[0] == "part of: A wider package"


def test_markdown_escapes_pipes_in_cells_and_angle_brackets_at_any_depth() -> None:
    assert _table([["a|b", "c"], ["d", "e|f"]], markdown=True) == [
        "| a\\|b | c |",
        "|---|---|",
        "| d | e\\|f |",
    ]
    nested: Any = {"items": ["<b>", {"deeper": ["<i>"]}]}
    escaped: Any = printable(nested, markdown=True)
    assert escaped == {"items": ["\\<b>", {"deeper": ["\\<i>"]}]}
