"""One entry point that renders a report in each of its formats."""

from __future__ import annotations

import json
from typing import Final

from cse_programme._errors import ValidationError
from cse_programme.analysis._report import Report
from cse_programme.analysis._report_html import render_html
from cse_programme.analysis._report_text import render_text

FORMATS: Final = ("text", "markdown", "json", "html")


def render(report: Report, fmt: str = "text", *, colour: bool = False) -> str:
    r"""Render a report built by :func:`build_report` as text, Markdown, JSON or HTML.

    Text and Markdown give money as people say it (``£2.4m``); JSON gives
    the report's data exactly, money as whole pence with its currency.
    HTML is one self-contained, accessible page with charts drawn in SVG:
    it fetches nothing and runs no script.  A section with nothing in it is
    left out.  With *colour*, text marks each verdict of the audit with an
    ANSI colour (consistent green, inconsistent red, conflicting magenta, not
    comparable yellow, not checkable cyan); the other formats are never
    coloured.  Any other format is refused.

    >>> import json
    >>> from cse_programme.analysis import build_report, render
    >>> from cse_programme.datasets import london_2025
    >>> report = build_report(london_2025())
    >>> json.loads(render(report, "json")) == report
    True
    >>> "£2.4m from Mayor of London" in render(report)
    True
    >>> "\033[35mconflicting" in render(report, colour=True)
    True
    >>> render(report, "html").startswith("<!DOCTYPE html>")
    True
    >>> render(report, "pdf")
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /format: must be text, markdown, json or html [unknown_format]
    """
    if fmt not in FORMATS:
        raise ValidationError.single(
            "/format", "must be text, markdown, json or html", "unknown_format"
        )
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return render_html(report)
    return render_text(report, fmt == "markdown", colour)
