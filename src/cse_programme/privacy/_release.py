"""The review funnel's tables, protected together as one release.

The tables of one release count the same cases: by status, by area and by
the year the offending began each add up to the number of cases, and a case
may count under several abuse contexts, so each context's count is at most
the number of cases and together they cover it.  A reader can combine them,
so they are protected together: a hidden count must be safe given every cell
and total of every table, and given what the choice of rows tells: the years
listed run from the first year a case began to the last, and the districts
listed are those of the police force areas in which cases lie.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping
from typing import Any, Final

import attrs

from cse_programme.model import (
    AREA_NOT_RECORDED,
    AbuseContext,
    Area,
    PoliceForceArea,
    ReviewFunnel,
    ReviewStatus,
)
from cse_programme.privacy._disclosure import (
    TOTAL,
    ZEROS_NOTE,
    Cell,
    ProtectedTable,
    Reason,
    Symbol,
    unhide_unneeded,
)
from cse_programme.privacy._ranges import Column, Group, Interval, shared_total_ranges
from cse_programme.privacy._rule import DEFAULT_THRESHOLD, PROTECTION, Rule

COUNTED: Final = "Cases"
STATUS: Final = "status"
CONTEXT: Final = "context (a case may count under several)"
AREA: Final = "area"
YEAR: Final = "year the offending began"

_NOTES: Final = {
    CONTEXT: "A case may count under several contexts, so these counts add up to more than "
    "the number of cases; no total is shown.",
    YEAR: "The years run from the first to the last year in which a case began.",
}
_WITHHELD: Final = (
    "Every count is withheld: there are too few cases to publish these tables without "
    "revealing small counts."
)


@attrs.frozen(kw_only=True)
class FunnelRelease:
    """The protected tables of a review funnel, with the notice to publish with them.

    Build one with :func:`release_funnel`.  Text, CSV and JSON show exactly
    the same cells, so no format tells a reader more than another.

    >>> release = release_funnel(ReviewFunnel(
    ...     total=40, by_status={ReviewStatus.IDENTIFIED: 40}, reached={},
    ...     by_context={AbuseContext.ONLINE: 40}, by_area={"E09000007": 40},
    ...     by_year={2015: 40}))
    >>> release.tables["status"].shown("Identified", "Cases")
    '40'
    >>> release.withheld
    False
    """

    tables: Mapping[str, ProtectedTable]
    notes: Mapping[str, tuple[str, ...]]
    notice: str
    synthetic: str
    withheld: bool

    def to_text(self) -> str:
        """The release as aligned plain-text tables under the notice."""
        lines = textwrap.wrap(self.notice, 100)
        lines += _synthetic_line(self.synthetic)
        for name, table in self.tables.items():
            rows = table.to_rows()
            widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
            lines += ["", f"Cases by {name}"]
            lines += [
                "  ".join(
                    cell.rjust(width) if i else cell.ljust(width)
                    for i, (cell, width) in enumerate(zip(row, widths, strict=True))
                ).rstrip()
                for row in rows
            ]
            lines += [f"Note: {note}" for note in self.notes[name]]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """The release as CSV tables, each under comment lines with the notice."""
        parts = []
        for name, table in self.tables.items():
            comments = [f"Cases by {name}. {self.notice}", *_synthetic_line(self.synthetic)]
            comments += list(self.notes[name])
            parts.append("".join(f"# {line}\n" for line in comments) + table.to_csv())
        return "\n".join(parts)

    def as_data(self) -> dict[str, Any]:
        """The release as JSON-ready data."""
        return {
            "notice": self.notice,
            "synthetic_records": self.synthetic,
            "withheld": self.withheld,
            "tables": {
                name: {**table.as_data(), "notes": list(self.notes[name])}
                for name, table in self.tables.items()
            },
        }

    def to_json(self) -> str:
        """The release as JSON."""
        return json.dumps(self.as_data(), ensure_ascii=False, indent=2) + "\n"


def _synthetic_line(synthetic: str) -> list[str]:
    if synthetic == "none":
        return []
    return [f"SYNTHETIC: {synthetic} of these records are synthetic, not real cases."]


@attrs.define
class _Table:
    """One table of the release while it is protected."""

    name: str
    labels: list[str]
    counts: list[int]
    partition: bool = True
    #: Rows a reader knows are not 0 (listed only because they have cases).
    nonzero: frozenset[int] = frozenset()
    #: Groups of rows a reader knows hold at least one case together (listed because
    #: a case lies in one of them).
    groups: tuple[Group, ...] = ()
    hidden: dict[int, Reason] = attrs.Factory(dict)
    zeros_hidden: bool = False
    rule: Rule = attrs.Factory(Rule)

    def known(self, index: int) -> Interval:
        if index in self.hidden:
            least, _ = Rule.hidden(self.zeros_hidden)
            return (max(least, 1 if index in self.nonzero else 0), math.inf)
        return self.rule.published(self.rule.shown(self.counts[index]))

    def hide_partner(self) -> bool:
        """Hide the smallest shown count, or else every zero; false if nothing is left."""
        shown = [i for i in range(len(self.counts)) if i not in self.hidden]
        nonzero = [i for i in shown if self.counts[i]]
        if nonzero:
            self.hidden[min(nonzero, key=self.counts.__getitem__)] = Reason.SECONDARY
            return True
        if shown and not self.zeros_hidden:
            self.zeros_hidden = True
            self.hidden.update(dict.fromkeys(shown, Reason.SECONDARY))
            return True
        return False


def _tables(funnel: ReviewFunnel) -> list[_Table]:
    statuses = [
        (status.value.replace("_", " ").capitalize(), funnel.by_status.get(status, 0))
        for status in ReviewStatus
    ]
    contexts = [(c.label, funnel.by_context.get(c, 0)) for c in AbuseContext]
    districts = _listed_districts(funnel)
    areas = [(area.name, funnel.by_area.get(area.code, 0)) for area in districts]
    areas.append(("Not recorded", funnel.by_area.get(AREA_NOT_RECORDED, 0)))
    forces: dict[PoliceForceArea, list[int]] = {}
    for row, area in enumerate(districts):
        forces.setdefault(area.police_force_area, []).append(row)
    years = [year for year, count in funnel.by_year.items() if count]
    span = range(min(years), max(years) + 1) if years else range(0)
    by_year = [(str(year), funnel.by_year.get(year, 0)) for year in span]
    edges = frozenset({0, len(span) - 1}) if years else frozenset()
    return [
        _Table(STATUS, *_unzip(statuses)),
        _Table(CONTEXT, *_unzip(contexts), partition=False),
        _Table(AREA, *_unzip(areas), groups=tuple((tuple(rows), 1) for rows in forces.values())),
        _Table(YEAR, *_unzip(by_year), nonzero=edges),
    ]


def _listed_districts(funnel: ReviewFunnel) -> list[Area]:
    """Every district of each police force area in which a case lies, in code order.

    A reader learns from the list that each of these force areas holds at
    least one case, and the check on hidden counts takes that into account.
    """
    present = {
        Area(code).police_force_area
        for code, count in funnel.by_area.items()
        if count and code != AREA_NOT_RECORDED
    }
    return sorted(area for force in present for area in force.areas)


def _unzip(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [label for label, _ in pairs], [count for _, count in pairs]


def _exposed(tables: list[_Table], total: int, rule: Rule) -> _Table | None:
    """The first table with a hidden count a reader can narrow to fewer than three values."""
    columns = [
        Column(
            tuple(table.known(i) for i in range(len(table.counts))), table.partition, table.groups
        )
        for table in tables
    ]
    _, ranges = shared_total_ranges(rule.published(rule.shown(total)), columns)
    for table, spans in zip(tables, ranges, strict=True):
        if any(spans[i][1] - spans[i][0] < PROTECTION - 1 for i in table.hidden):
            return table
    return None


def release_funnel(
    funnel: ReviewFunnel,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rounding: int | None = None,
    hide_zeros: bool = False,
    control: bool = True,
    synthetic: int = 0,
) -> FunnelRelease:
    """Protect the tables of a review funnel together, ready to publish.

    The tables count cases by status, abuse context, area and the year the
    offending began.  The area table lists every district of each police
    force area in which a case lies, and a row for cases whose area is not
    recorded; the check below knows, as a reader does, that each force area
    listed holds at least one case.
    Counts from 1 to *threshold* are hidden (and 0 with *hide_zeros*), then
    further cells, until every hidden count could be any of at least three
    whole numbers given every table of the release; *rounding* rounds every
    published count.  When the number of cases is itself small, or no
    pattern within the tables protects them, every count is withheld.
    *synthetic* is how many of the records are synthetic; the release says
    whether all or some are, never how many.  With ``control=False`` every
    count is shown and the notice says the tables must not be published.

    >>> funnel = ReviewFunnel(
    ...     total=30, reached={},
    ...     by_status={ReviewStatus.IDENTIFIED: 27, ReviewStatus.INITIAL_ASSESSMENT: 3},
    ...     by_context={AbuseContext.ONLINE: 30, AbuseContext.PEER_ON_PEER: 2},
    ...     by_area={"E09000007": 20, "E09000005": 8, "not_recorded": 2},
    ...     by_year={2012: 30})
    >>> release = release_funnel(funnel, synthetic=30)
    >>> status = release.tables["status"]
    >>> [status.shown(row, "Cases") for row in status.rows]
    ['[c]', '[c]', '0', '0', '0', '0', '30']
    >>> status.hidden_cells
    2
    >>> print(next(line for line in release.to_text().splitlines() if "SYNTHETIC" in line))
    SYNTHETIC: all of these records are synthetic, not real cases.
    """
    rule = Rule(threshold=threshold, rounding=rounding, hide_zeros=hide_zeros)
    tables = _tables(funnel)
    withheld = control and rule.is_small(funnel.total)
    if control and not withheld:
        for table in tables:
            table.rule = rule
            table.zeros_hidden = hide_zeros
            table.hidden = {
                i: Reason.PRIMARY for i, n in enumerate(table.counts) if rule.is_small(n)
            }
        while (exposed := _exposed(tables, funnel.total, rule)) is not None:
            if not exposed.hide_partner():
                withheld = True
                break
        if not withheld:
            for table in tables:
                unhide_unneeded(
                    table,
                    table.counts.__getitem__,
                    lambda: _exposed(tables, funnel.total, rule) is not None,
                )
    notice = _notice(rule, control=control, withheld=withheld)
    protected = {t.name: _protected(t, funnel.total, rule, control, withheld) for t in tables}
    notes = {
        t.name: tuple(
            note
            for note in (
                _NOTES.get(t.name),
                ZEROS_NOTE
                if protected[t.name].zeros_hidden and not hide_zeros and not withheld
                else None,
            )
            if note
        )
        for t in tables
    }
    return FunnelRelease(
        tables=protected,
        notes=notes,
        notice=notice,
        synthetic=_synthetic(synthetic, funnel.total),
        withheld=withheld,
    )


def _notice(rule: Rule, *, control: bool, withheld: bool) -> str:
    if not control:
        return (
            "Disclosure control NOT applied: these counts may identify people and must not be "
            "published."
        )
    return f"{rule.describe()} {_WITHHELD}" if withheld else rule.describe()


def _synthetic(synthetic: int, total: int) -> str:
    if synthetic <= 0:
        return "none"
    return "all" if synthetic >= total else "some"


def _protected(
    table: _Table, total: int, rule: Rule, control: bool, withheld: bool
) -> ProtectedTable:
    rows = [*table.labels, TOTAL] if table.partition else list(table.labels)
    counts = [*table.counts, total] if table.partition else list(table.counts)
    cells: dict[tuple[str, str], Cell] = {}
    for index, (label, count) in enumerate(zip(rows, counts, strict=True)):
        reason = table.hidden.get(index) if index < len(table.counts) else None
        if withheld:
            reason = Reason.PRIMARY if rule.is_small(count) else Reason.SECONDARY
        if reason is None:
            cells[(label, COUNTED)] = Cell(row=label, column=COUNTED, value=rule.shown(count))
        else:
            cells[(label, COUNTED)] = Cell(
                row=label, column=COUNTED, value=None, symbol=Symbol.CONFIDENTIAL, reason=reason
            )
    return ProtectedTable(
        rows=tuple(rows),
        columns=(COUNTED,),
        cells=cells,
        threshold=rule.threshold,
        rounding=rule.rounding,
        controlled=control,
        hide_zeros=rule.hide_zeros,
        zeros_hidden=control and (table.zeros_hidden or withheld),
    )
