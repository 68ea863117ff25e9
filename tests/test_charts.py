"""The report's charts, drawn one at a time and read back as XML.

Each chart is parsed with the standard library's strict XML parser (SVG is
XML, so a misspelt or stray closing tag is an error), and its geometry is
checked against numbers worked out by hand: the chart is 720 wide, with a
margin of 8 and room of 150 kept for the values, so the longest bar is
``720 - 2 * 8 - 150 = 554`` long; a bar's row is 50 high and a tree's row 34.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from cse_programme.analysis._charts import Bar, Node, Span, bar_chart, range_chart, tree_chart

SVG = "{http://www.w3.org/2000/svg}"
LONGEST = 554.0

Draw = Callable[[str, str, str], str]


def parse(svg: str) -> ET.Element:
    """The chart's root element; the whole text must be one SVG element and nothing else."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    return root


def stray_text(root: ET.Element) -> list[str]:
    """Every piece of text that is not inside a ``title``, ``desc`` or ``text`` element."""
    words = {f"{SVG}title", f"{SVG}desc", f"{SVG}text"}
    found = [root.text or ""] if root.tag not in words else []
    for element in root.iter():
        if element is not root and element.tag not in words:
            found.append(element.text or "")
        found.append(element.tail or "")
    return [t for t in found if t.strip()]


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def texts(group: ET.Element) -> list[ET.Element]:
    return list(group.iter(f"{SVG}text"))


def rects(group: ET.Element) -> list[ET.Element]:
    return list(group.iter(f"{SVG}rect"))


def one_bar(ident: str, title: str, desc: str) -> str:
    return bar_chart(ident, title, desc, [Bar("a", 1, "1")])


def one_tree(ident: str, title: str, desc: str) -> str:
    return tree_chart(ident, title, desc, TREE, scale=1)


def one_range(ident: str, title: str, desc: str) -> str:
    return range_chart(ident, title, desc, SPANS)


@pytest.mark.parametrize("draw", [one_bar, one_tree, one_range])
def test_a_chart_is_labelled_by_its_own_title_and_description(draw: Draw) -> None:
    root = parse(draw("funding", "Funding & <more>", "What it shows"))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert (title.get("id"), title.text) == ("funding-title", "Funding & <more>")
    assert (desc.get("id"), desc.text) == ("funding-desc", "What it shows")
    assert root.get("aria-labelledby") == "funding-title funding-desc"
    assert root.get("role") == "img"
    assert stray_text(root) == []


def test_bars_are_drawn_to_one_scale_from_zero_under_their_labels() -> None:
    bars = [Bar("none", 0, "0"), Bar("half", 50, "50"), Bar("all", 100, "100")]
    root = parse(bar_chart("c", "t", "d", bars))
    assert (root.get("width"), root.get("height")) == ("720", str(3 * 50 + 16))
    assert root.get("viewBox") == "0 0 720 166"
    drawn = groups(root, "bar")
    assert [(g.get("data-label"), g.get("data-value")) for g in drawn] == [
        ("none", "0"),
        ("half", "50"),
        ("all", "100"),
    ]
    # A bar of nothing is still drawn 2 wide, so that it can be seen.
    widths = [float(rects(g)[0].get("width", "")) for g in drawn]
    assert widths == [2.0, LONGEST / 2, LONGEST]
    for row, group in enumerate(drawn):
        (rect,) = rects(group)
        top = 8 + 50 * row
        assert (rect.get("x"), rect.get("y"), rect.get("height")) == ("8.0", str(top + 20), "22")
        assert rect.get("class") == "known"
        label, value = texts(group)
        assert (label.text, label.get("class"), label.get("text-anchor")) == (
            bars[row].label,
            "label",
            "start",
        )
        assert (label.get("x"), label.get("y")) == ("8.0", f"{top + 14:.1f}")
        assert (value.text, value.get("class"), value.get("text-anchor")) == (
            bars[row].words,
            "value",
            "start",
        )
        # The value sits 6 after the end of its bar.
        assert float(value.get("x", "")) == pytest.approx(8 + LONGEST * row / 2 + 6)
        assert value.get("y") == f"{top + 36:.1f}"
    assert stray_text(root) == []


def test_bars_that_are_all_zero_are_drawn_as_slivers() -> None:
    root = parse(bar_chart("c", "t", "d", [Bar("a", 0, "none"), Bar("b", 0, "none")]))
    assert [float(rects(g)[0].get("width", "")) for g in groups(root, "bar")] == [2.0, 2.0]


def test_a_bar_chart_with_no_bars_is_an_empty_labelled_image() -> None:
    root = parse(bar_chart("c", "t", "d", []))
    assert root.get("height") == "16"
    assert groups(root, "bar") == []
    assert [child.tag for child in root] == [f"{SVG}title", f"{SVG}desc"]


@pytest.mark.parametrize("label", ['say "no"', "it's <b> & more"])
def test_a_label_reads_back_exactly_from_its_attribute(label: str) -> None:
    root = parse(bar_chart("c", "t", "d", [Bar(label, 3, "3")]))
    (group,) = groups(root, "bar")
    assert group.get("data-label") == label
    assert texts(group)[0].text == label


def attributes(element: ET.Element, *names: str) -> tuple[str | None, ...]:
    return tuple(element.get(name) for name in names)


TREE = [
    Node("whole", 0, 1_000, "£10", "known"),
    Node("part", 1, 250, "£2.50", "known"),
    Node("not published", 1, None, "amount not published", "unknown"),
    Node("more than the whole", 2, 2_000, "£20", "known"),
    Node("rest", 1, 0, "£0", "unsplit"),
]


def test_a_tree_indents_each_node_under_its_parent() -> None:
    root = parse(tree_chart("t", "Tree", "d", TREE, scale=1_000))
    assert attributes(root, "width", "height", "viewBox") == ("720", "186", "0 0 720 186")
    nodes = groups(root, "node")
    assert [(g.get("class"), g.get("data-label"), g.get("data-pence")) for g in nodes] == [
        ("node known", "whole", "1000"),
        ("node known", "part", "250"),
        ("node unknown", "not published", None),
        ("node known", "more than the whole", "2000"),
        ("node unsplit", "rest", "0"),
    ]
    # Each row is 34 high from the margin of 8; each level is indented 28.
    boxes = [rects(g)[0] for g in nodes]
    assert [attributes(r, "x", "y", "width", "height", "rx", "class") for r in boxes] == [
        ("8", "12", "704", "26", "4", "known"),
        ("36", "46", "676", "26", "4", "known"),
        ("36", "80", "676", "26", "4", "unknown"),
        ("64", "114", "648", "26", "4", "known"),
        ("36", "148", "676", "26", "4", "unsplit"),
    ]
    # A link runs down from the foot of the parent's box and across to the child.
    links = [path.get("d") for path in root.iter(f"{SVG}path")]
    assert links == [
        "M18 38 V59.0 H36",
        "M18 38 V93.0 H36",
        "M46 106 V127.0 H64",
        "M18 38 V161.0 H36",
    ]
    assert {path.get("class") for path in root.iter(f"{SVG}path")} == {"link"}
    for node, group in zip(TREE, nodes, strict=True):
        label, value = texts(group)
        box = rects(group)[0]
        left, top = int(box.get("x", "")), int(box.get("y", "")) - 4
        assert attributes(label, "x", "y", "text-anchor", "class") == (
            f"{left + 8:.1f}",
            f"{top + 21:.1f}",
            "start",
            "label",
        )
        assert label.text == node.label
        assert attributes(value, "x", "y", "text-anchor", "class") == (
            "704.0",
            f"{top + 21:.1f}",
            "end",
            "value",
        )
        assert value.text == node.words
    assert stray_text(root) == []


def test_a_tree_draws_each_known_amount_to_the_scale_and_no_further() -> None:
    root = parse(tree_chart("t", "Tree", "d", TREE, scale=1_000))
    scales = [[r for r in rects(g) if r.get("class") == "scale"] for g in groups(root, "node")]
    # The bar runs along the foot of the box, 2 short of its width at the most.
    assert [[attributes(r, "x", "y", "width", "height") for r in s] for s in scales] == [
        [("9", "34", "702.0", "3")],
        [("37", "68", "168.5", "3")],
        [],
        [("65", "136", "646.0", "3")],
        [("37", "170", "0.0", "3")],
    ]


def test_a_tree_with_no_scale_draws_no_scale_bars() -> None:
    root = parse(tree_chart("t", "Tree", "d", TREE, scale=0))
    assert [r.get("class") for r in root.iter(f"{SVG}rect")] == [n.kind for n in TREE]


def test_a_tree_with_no_nodes_is_an_empty_labelled_image() -> None:
    root = parse(tree_chart("t", "Tree", "d", [], scale=1))
    assert root.get("height") == "16"
    assert [child.tag for child in root] == [f"{SVG}title", f"{SVG}desc"]


SPANS = [
    Span("cases", 0, 9_000, "9,000"),
    Span("expected", 2_000, 3_000, "2,000 to 3,000"),
    Span("open", 5_000, None, "5,000 or more"),
]


def test_spans_lie_on_one_line_from_zero_to_the_highest_bound() -> None:
    root = parse(range_chart("r", "Range", "d", SPANS))
    drawn = groups(root, "span")
    assert [attributes(g, "data-label", "data-low", "data-high") for g in drawn] == [
        ("cases", "0", "9000"),
        ("expected", "2000", "3000"),
        ("open", "5000", None),
    ]
    # 554 long for 9,000: 2,000 starts at 123.1 and 3,000 ends at 184.7;
    # an open span runs to the end of the line.
    assert [attributes(rects(g)[0], "x", "y", "width", "height", "class") for g in drawn] == [
        ("8.0", "28", "554.0", "22", "known"),
        ("131.1", "78", "61.6", "22", "known"),
        ("315.8", "128", "246.2", "22", "unknown"),
    ]
    values = [texts(g)[1] for g in drawn]
    assert [attributes(v, "x", "y", "class") for v in values] == [
        ("568.0", "44.0", "value"),
        ("198.7", "94.0", "value"),
        ("568.0", "144.0", "value"),
    ]
    assert [v.text for v in values] == [s.words for s in SPANS]
    assert [texts(g)[0].text for g in drawn] == [s.label for s in SPANS]


def test_the_number_line_is_marked_at_zero_and_at_its_end() -> None:
    root = parse(range_chart("r", "Range", "d", SPANS))
    assert attributes(root, "height", "viewBox") == ("184", "0 0 720 184")
    (axis,) = root.iter(f"{SVG}path")
    assert attributes(axis, "d", "class") == ("M8 160 H562", "axis")
    ticks = [t for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert [(t.text, *attributes(t, "x", "y", "text-anchor")) for t in ticks] == [
        ("0", "8.0", "176.0", "start"),
        ("9,000", "562.0", "176.0", "middle"),
    ]
    assert stray_text(root) == []


def test_an_open_span_alone_runs_from_its_low_end_to_the_end_of_the_line() -> None:
    root = parse(range_chart("r", "Range", "d", [Span("open", 5_000, None, "5,000 or more")]))
    (group,) = groups(root, "span")
    assert attributes(rects(group)[0], "x", "width") == ("562.0", "2.0")
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tick"] == ["0", "5,000"]


def test_spans_of_nothing_are_drawn_as_slivers_at_zero() -> None:
    root = parse(range_chart("r", "Range", "d", [Span("none", 0, 0, "0")]))
    (group,) = groups(root, "span")
    assert attributes(rects(group)[0], "x", "width") == ("8.0", "2.0")
    # With nothing to measure, the line runs from 0 to 1.
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tick"] == ["0", "1"]


def test_a_range_chart_with_no_spans_is_only_its_number_line() -> None:
    root = parse(range_chart("r", "Range", "d", []))
    assert groups(root, "span") == []
    assert root.get("height") == "34"
    (axis,) = root.iter(f"{SVG}path")
    assert axis.get("d") == "M8 10 H562"
