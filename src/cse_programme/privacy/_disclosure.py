"""Statistical disclosure control for frequency tables.

Published tables of case counts must not let a reader learn about a small
number of children.  Following UK official statistics practice:

* **Primary suppression**: a count from 1 to the threshold (default 5) is
  shown as ``[c]`` (confidential).  Zero is a true zero and is shown.
* **Secondary suppression**: further cells are suppressed until no
  suppressed cell can be worked out from the published cells and the row,
  column and grand totals.  Secondary cells are chosen deterministically:
  an inner cell before a total, the smallest non-zero count sharing a row or
  column with the exposed cell, then the first by position.
* **Rounding** (optional): published counts are rounded to a base such as 5
  or 10.
* ``[x]`` marks a count that is not available, ``[z]`` one that does not
  apply; a total over an unavailable count is itself unavailable.

A suppressed cell is safe when the equations given by the published totals
do not fix its value: this is tested exactly, with rational arithmetic.
Because every suppressed cell has a count of at least 1, a cell the
equations leave free can move both ways, so its feasible interval is wider
than a single value.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

import attrs

from cse_programme._errors import Problem, ValidationError

#: UK publication practice: counts from 1 to 5 are suppressed.
DEFAULT_THRESHOLD: Final = 5
TOTAL: Final = "Total"


class Symbol(enum.Enum):
    """The GSS shorthand shown in place of a count."""

    CONFIDENTIAL = "[c]"
    NOT_AVAILABLE = "[x]"
    NOT_APPLICABLE = "[z]"


class Reason(enum.Enum):
    """Why a cell was suppressed."""

    PRIMARY = "primary"
    """The count is from 1 to the threshold."""
    SECONDARY = "secondary"
    """The count could otherwise be worked out from the other cells and totals."""


@attrs.frozen(kw_only=True)
class Cell:
    """One published cell: a count, or a symbol with the reason for it."""

    row: str
    column: str
    value: int | None
    symbol: Symbol | None = None
    reason: Reason | None = None

    def shown(self) -> str:
        """What a reader of the table sees in the cell."""
        return self.symbol.value if self.symbol is not None else str(self.value)


@attrs.frozen(kw_only=True)
class ProtectedTable:
    """A frequency table after disclosure control, with its totals.

    Row and column labels include :data:`TOTAL`; every cell says what is shown
    and, where suppressed, why.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell]
    threshold: int
    rounding: int | None
    controlled: bool

    def shown(self, row: str, column: str) -> str:
        """What is shown in one cell."""
        return self.cells[(row, column)].shown()

    def suppressed(self) -> tuple[Cell, ...]:
        """Every suppressed cell, in table order."""
        return tuple(
            cell
            for row in self.rows
            for column in self.columns
            if (cell := self.cells[(row, column)]).reason is not None
        )

    def to_rows(self) -> list[list[str]]:
        """The table as rows of text, the first holding the column labels."""
        header = ["", *self.columns]
        return [header] + [[row, *(self.shown(row, c) for c in self.columns)] for row in self.rows]

    def to_csv(self) -> str:
        """The table as CSV text."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(self.to_rows())
        return buffer.getvalue()

    def to_json(self) -> str:
        """The table as JSON: labels, shown values, and a record of each suppression."""
        return json.dumps(self.as_data(), ensure_ascii=False, indent=2)

    def as_data(self) -> dict[str, Any]:
        """The table as JSON-ready data."""
        return {
            "disclosure_control": {
                "applied": self.controlled,
                "threshold": self.threshold,
                "rounding": self.rounding,
            },
            "rows": list(self.rows),
            "columns": list(self.columns),
            "cells": [[self.shown(r, c) for c in self.columns] for r in self.rows],
            "suppressed": [
                {"row": cell.row, "column": cell.column, "reason": cell.reason.value}
                for cell in self.suppressed()
                if cell.reason is not None
            ],
        }


def _check_table(
    rows: Sequence[str], columns: Sequence[str], counts: Mapping[tuple[str, str], int | None]
) -> None:
    problems = []
    if not rows or not columns:
        problems.append(Problem("", "must have at least one row and one column", "empty"))
    if (
        TOTAL in rows
        or TOTAL in columns
        or len(set(rows)) != len(rows)
        or len(set(columns)) != len(columns)
    ):
        problems.append(Problem("", f"labels must be unique and not {TOTAL!r}", "labels"))
    for key, value in counts.items():
        if key[0] not in rows or key[1] not in columns:
            problems.append(Problem(f"/{key[0]}/{key[1]}", "is not a cell of the table", "cell"))
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(Problem(f"/{key[0]}/{key[1]}", "must be a whole number", "type"))
        elif value is not None and value < 0:
            problems.append(Problem(f"/{key[0]}/{key[1]}", "must not be negative", "minimum"))
    if problems:
        raise ValidationError(problems)


def _determined(
    unknowns: list[tuple[str, str]], equations: list[dict[tuple[str, str], int]]
) -> list[tuple[str, str]]:
    """The unknowns whose value the equations fix (exact Gaussian elimination)."""
    index = {cell: i for i, cell in enumerate(unknowns)}
    matrix = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        for cell, coefficient in equation.items():
            if cell in index:
                row[index[cell]] = Fraction(coefficient)
        if any(row):
            matrix.append(row)
    pivots: list[int] = []
    rank = 0
    for column in range(len(unknowns)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [value / lead for value in matrix[rank]]
        for other in range(len(matrix)):
            if other != rank and matrix[other][column]:
                factor = matrix[other][column]
                matrix[other] = [
                    a - factor * b for a, b in zip(matrix[other], matrix[rank], strict=True)
                ]
        pivots.append(column)
        rank += 1
    fixed = []
    for row_number, column in enumerate(pivots):
        row = matrix[row_number]
        if all(value == 0 for i, value in enumerate(row) if i != column):
            fixed.append(unknowns[column])
    return fixed


def protect(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Mapping[tuple[str, str], int | None],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rounding: int | None = None,
    not_applicable: frozenset[tuple[str, str]] = frozenset(),
    control: bool = True,
    row_totals: bool = True,
) -> ProtectedTable:
    """Apply disclosure control to a table of counts, with totals added.

    *counts* maps ``(row, column)`` to a count, or to ``None`` where the count
    is not available; a missing cell counts as 0.  Cells in *not_applicable*
    are shown as ``[z]``.  Column totals are always added; row totals unless
    *row_totals* is false (for a table of one column they repeat the cells).
    With ``control=False`` the table is returned with its totals and nothing
    suppressed (say so wherever it is published).

    >>> table = protect(["Camden", "Barnet"], ["Online", "Peer"],
    ...                 {("Camden", "Online"): 12, ("Camden", "Peer"): 3,
    ...                  ("Barnet", "Online"): 9, ("Barnet", "Peer"): 8})
    >>> for row in table.to_rows():
    ...     print(row)
    ['', 'Online', 'Peer', 'Total']
    ['Camden', '[c]', '[c]', '15']
    ['Barnet', '[c]', '[c]', '17']
    ['Total', '21', '11', '32']
    >>> [(cell.row, cell.column, cell.reason.value) for cell in table.suppressed()][:2]
    [('Camden', 'Online', 'secondary'), ('Camden', 'Peer', 'primary')]
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise ValidationError.single("/threshold", "must be a whole number of at least 0", "type")
    if rounding is not None and (
        isinstance(rounding, bool) or not isinstance(rounding, int) or rounding < 1
    ):
        raise ValidationError.single("/rounding", "must be a whole number of at least 1", "type")
    _check_table(rows, columns, counts)
    all_rows = (*rows, TOTAL)
    all_columns = (*columns, TOTAL) if row_totals else tuple(columns)
    values: dict[tuple[str, str], int | None] = {}
    for r in rows:
        for c in columns:
            values[(r, c)] = 0 if (r, c) in not_applicable else counts.get((r, c), 0)

    def line_total(cells: list[tuple[str, str]]) -> int | None:
        parts = [values[cell] for cell in cells]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)

    if row_totals:
        for r in rows:
            values[(r, TOTAL)] = line_total([(r, c) for c in columns])
    for c in all_columns:
        values[(TOTAL, c)] = line_total([(r, c) for r in rows])

    equations: list[dict[tuple[str, str], int]] = []
    for r in all_rows if row_totals else ():
        if values[(r, TOTAL)] is not None:
            equation = {(r, c): 1 for c in columns}
            equation[(r, TOTAL)] = -1
            equations.append(equation)
    for c in all_columns:
        if values[(TOTAL, c)] is not None:
            equation = {(r, c): 1 for r in rows}
            equation[(TOTAL, c)] = -1
            equations.append(equation)

    reasons: dict[tuple[str, str], Reason] = {}
    order = [(r, c) for r in all_rows for c in all_columns]
    if control:
        for cell in order:
            value = values[cell]
            if cell not in not_applicable and value is not None and 1 <= value <= threshold:
                reasons[cell] = Reason.PRIMARY
        while True:
            unknowns = [cell for cell in order if cell in reasons]
            exposed = _determined(unknowns, equations)
            if not exposed:
                break
            reasons[_partner(exposed[0], order, values, reasons, not_applicable)] = Reason.SECONDARY

    cells = {}
    for cell in order:
        value = values[cell]
        if cell in not_applicable:
            cells[cell] = Cell(
                row=cell[0], column=cell[1], value=None, symbol=Symbol.NOT_APPLICABLE
            )
        elif value is None:
            cells[cell] = Cell(row=cell[0], column=cell[1], value=None, symbol=Symbol.NOT_AVAILABLE)
        elif cell in reasons:
            cells[cell] = Cell(
                row=cell[0],
                column=cell[1],
                value=None,
                symbol=Symbol.CONFIDENTIAL,
                reason=reasons[cell],
            )
        else:
            shown = value if rounding is None else rounding * round(value / rounding)
            cells[cell] = Cell(row=cell[0], column=cell[1], value=shown)
    return ProtectedTable(
        rows=all_rows,
        columns=all_columns,
        cells=cells,
        threshold=threshold,
        rounding=rounding,
        controlled=control,
    )


def _partner(
    exposed: tuple[str, str],
    order: list[tuple[str, str]],
    values: Mapping[tuple[str, str], int | None],
    reasons: Mapping[tuple[str, str], Reason],
    not_applicable: frozenset[tuple[str, str]],
) -> tuple[str, str]:
    """The cell to suppress next so that *exposed* is no longer fixed."""

    def candidates(same_line: bool, nonzero: bool) -> list[tuple[str, str]]:
        found = []
        for cell in order:
            value = values[cell]
            if cell in reasons or cell in not_applicable or value is None:
                continue
            if nonzero and value == 0:
                continue
            if same_line and cell[0] != exposed[0] and cell[1] != exposed[1]:
                continue
            found.append(cell)
        return found

    for same_line, nonzero in ((True, True), (False, True), (True, False), (False, False)):
        found = candidates(same_line, nonzero)
        if found:
            # Totals are the most useful figures: keep them where possible.
            # min() returns the first of equals, so ties go to table order.
            return min(found, key=lambda cell: (TOTAL in cell, values[cell]))
    raise AssertionError("every cell is suppressed, yet one is still fixed")
