"""Charts drawn as inline SVG: accessible, self-contained, and readable back.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
that say what it shows in words, and every drawn figure carries its exact
number in a ``data-`` attribute and as a text label, so the numbers can be
read back and checked.  Nothing is fetched and nothing runs: no script, no
external reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

import attrs

_WIDTH: Final = 720
_LABEL_WIDTH: Final = 300
_BAR_WIDTH: Final = _WIDTH - _LABEL_WIDTH - 90
_ROW: Final = 34


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(ident: str, title: str, desc: str, height: int, body: Sequence[str]) -> str:
    """An SVG image labelled by its title and description; *ident* is unique on the page."""
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_WIDTH}" '
            f'height="{height}" viewBox="0 0 {_WIDTH} {height}" '
            f'aria-labelledby="{ident}-title {ident}-desc">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _text(x: float, y: float, words: str, anchor: str = "start", cls: str = "label") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}">{escape(words)}</text>'
    )


@attrs.frozen
class Bar:
    """One bar: what it stands for, its exact *value* and the *words* that show it."""

    label: str
    value: int
    words: str


def bar_chart(ident: str, title: str, desc: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars on one scale from zero, each with its label and value."""
    largest = max((bar.value for bar in bars), default=0) or 1
    height = _ROW * len(bars) + 16
    body: list[str] = []
    for row, bar in enumerate(bars):
        y = 8 + row * _ROW
        length = _BAR_WIDTH * bar.value / largest
        body += [
            f'<g class="bar" data-label="{_attr(bar.label)}" data-value="{bar.value}">',
            _text(_LABEL_WIDTH - 8, y + 20, bar.label, "end"),
            f'<rect x="{_LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{_ROW - 10}" '
            'class="known"/>',
            _text(_LABEL_WIDTH + length + 6, y + 20, bar.words, cls="value"),
            "</g>",
        ]
    return _svg(ident, title, desc, height, body)


@attrs.frozen
class Node:
    """One box of a tree: its *label*, its *depth*, and its amount in pence.

    *pence* is ``None`` where the amount has not been published; *kind* is
    ``known``, ``unknown`` or ``unsplit`` (the part with no published split).
    """

    label: str
    depth: int
    pence: int | None
    words: str
    kind: str


def tree_chart(ident: str, title: str, desc: str, nodes: Sequence[Node], scale: int) -> str:
    """An indented tree, each node under its parent; known amounts drawn to one *scale*."""
    height = _ROW * len(nodes) + 16
    body: list[str] = []
    parents: dict[int, int] = {}
    for row, node in enumerate(nodes):
        y = 8 + row * _ROW
        x = 8 + node.depth * 28
        if node.depth:
            top = 8 + parents[node.depth - 1] * _ROW + _ROW - 8
            body.append(
                f'<path d="M{x - 18} {top} V{y + _ROW / 2} H{x}" class="link" fill="none"/>'
            )
        parents[node.depth] = row
        value = "" if node.pence is None else f' data-pence="{node.pence}"'
        body += [
            f'<g class="node {node.kind}" data-label="{_attr(node.label)}"{value}>',
            f'<rect x="{x}" y="{y + 4}" width="{_LABEL_WIDTH + 120 - x:.1f}" '
            f'height="{_ROW - 8}" rx="4" class="{node.kind}"/>',
            _text(x + 8, y + 22, f"{node.label}: {node.words}"),
        ]
        if node.pence is not None and scale:
            length = (_WIDTH - _LABEL_WIDTH - 140) * node.pence / scale
            body.append(
                f'<rect x="{_LABEL_WIDTH + 130}" y="{y + 10}" width="{length:.1f}" '
                f'height="{_ROW - 20}" class="{node.kind}"/>'
            )
        body.append("</g>")
    return _svg(ident, title, desc, height, body)


@attrs.frozen
class Span:
    """A stretch of a number line: from *low* to *high* (``None``: open upwards)."""

    label: str
    low: int
    high: int | None
    words: str


def range_chart(ident: str, title: str, desc: str, spans: Sequence[Span]) -> str:
    """Spans on one number line from zero; a span open upwards runs to the end with an arrow."""
    end = max((span.high if span.high is not None else span.low for span in spans), default=0)
    end = end or 1
    height = _ROW * len(spans) + 40
    body: list[str] = []
    for row, span in enumerate(spans):
        y = 8 + row * _ROW
        start = _LABEL_WIDTH + _BAR_WIDTH * span.low / end
        stop = _LABEL_WIDTH + _BAR_WIDTH * (span.high if span.high is not None else end) / end
        high = "" if span.high is None else f' data-high="{span.high}"'
        body += [
            f'<g class="span" data-label="{_attr(span.label)}" data-low="{span.low}"{high}>',
            _text(_LABEL_WIDTH - 8, y + 20, span.label, "end"),
            f'<rect x="{start:.1f}" y="{y + 4}" width="{max(stop - start, 2):.1f}" '
            f'height="{_ROW - 10}" class="{"known" if span.high is not None else "unknown"}"/>',
            _text(min(stop + 6, _WIDTH - 4), y + 20, span.words, cls="value"),
            "</g>",
        ]
    axis = 8 + len(spans) * _ROW + 4
    body += [
        f'<path d="M{_LABEL_WIDTH} {axis} H{_LABEL_WIDTH + _BAR_WIDTH}" class="axis"/>',
        _text(_LABEL_WIDTH, axis + 18, "0", "middle", "tick"),
        _text(_LABEL_WIDTH + _BAR_WIDTH, axis + 18, f"{end:,}", "middle", "tick"),
    ]
    return _svg(ident, title, desc, height, body)
