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
_MARGIN: Final = 8
#: Room kept right of the longest bar for its value.
_VALUE_ROOM: Final = 150
_BAR_WIDTH: Final = _WIDTH - 2 * _MARGIN - _VALUE_ROOM
#: A bar's row: its label on one line, the bar below it.
_BAR_ROW: Final = 50
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


def _bar_row(row: int, label: str, start: float, stop: float, *, words: str, cls: str) -> list[str]:
    """A label, and under it a bar from *start* to *stop* with its value after it."""
    y = _MARGIN + row * _BAR_ROW
    return [
        _text(_MARGIN, y + 14, label),
        f'<rect x="{_MARGIN + start:.1f}" y="{y + 20}" width="{max(stop - start, 2):.1f}" '
        f'height="22" class="{cls}"/>',
        _text(_MARGIN + stop + 6, y + 36, words, cls="value"),
    ]


def bar_chart(ident: str, title: str, desc: str, bars: Sequence[Bar]) -> str:
    """Bars on one scale from zero, each under its label and followed by its value."""
    largest = max((bar.value for bar in bars), default=0) or 1
    body: list[str] = []
    for row, bar in enumerate(bars):
        length = _BAR_WIDTH * bar.value / largest
        body += [
            f'<g class="bar" data-label="{_attr(bar.label)}" data-value="{bar.value}">',
            *_bar_row(row, bar.label, 0, length, words=bar.words, cls="known"),
            "</g>",
        ]
    return _svg(ident, title, desc, _BAR_ROW * len(bars) + 2 * _MARGIN, body)


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
    """An indented tree, each node under its parent, its amount on the right.

    A thin bar along the foot of each box with a known amount shows it to
    one *scale*, so the parts can be compared with the whole.
    """
    body: list[str] = []
    parents: dict[int, int] = {}
    right = _WIDTH - _MARGIN
    for row, node in enumerate(nodes):
        y = _MARGIN + row * _ROW
        x = _MARGIN + node.depth * 28
        if node.depth:
            top = _MARGIN + parents[node.depth - 1] * _ROW + _ROW - 4
            body.append(
                f'<path d="M{x - 18} {top} V{y + _ROW / 2} H{x}" class="link" fill="none"/>'
            )
        parents[node.depth] = row
        value = "" if node.pence is None else f' data-pence="{node.pence}"'
        body += [
            f'<g class="node {node.kind}" data-label="{_attr(node.label)}"{value}>',
            f'<rect x="{x}" y="{y + 4}" width="{right - x}" height="{_ROW - 8}" rx="4" '
            f'class="{node.kind}"/>',
            _text(x + 8, y + 21, node.label),
            _text(right - 8, y + 21, node.words, "end", "value"),
        ]
        if node.pence is not None and scale:
            length = (right - x - 2) * min(node.pence / scale, 1)
            body.append(
                f'<rect x="{x + 1}" y="{y + _ROW - 8}" width="{length:.1f}" height="3" '
                'class="scale"/>'
            )
        body.append("</g>")
    return _svg(ident, title, desc, _ROW * len(nodes) + 2 * _MARGIN, body)


@attrs.frozen
class Span:
    """A stretch of a number line: from *low* to *high* (``None``: open upwards)."""

    label: str
    low: int
    high: int | None
    words: str


def range_chart(ident: str, title: str, desc: str, spans: Sequence[Span]) -> str:
    """Spans on one number line from zero; a span open upwards runs to the end of the line."""
    end = max((span.high if span.high is not None else span.low for span in spans), default=0)
    end = end or 1
    body: list[str] = []
    for row, span in enumerate(spans):
        start = _BAR_WIDTH * span.low / end
        stop = _BAR_WIDTH * (span.high if span.high is not None else end) / end
        high = "" if span.high is None else f' data-high="{span.high}"'
        cls = "known" if span.high is not None else "unknown"
        body += [
            f'<g class="span" data-label="{_attr(span.label)}" data-low="{span.low}"{high}>',
            *_bar_row(row, span.label, start, stop, words=span.words, cls=cls),
            "</g>",
        ]
    axis = _MARGIN + len(spans) * _BAR_ROW + 2
    body += [
        f'<path d="M{_MARGIN} {axis} H{_MARGIN + _BAR_WIDTH}" class="axis"/>',
        _text(_MARGIN, axis + 16, "0", "start", "tick"),
        _text(_MARGIN + _BAR_WIDTH, axis + 16, f"{end:,}", "middle", "tick"),
    ]
    return _svg(ident, title, desc, axis + 24, body)
