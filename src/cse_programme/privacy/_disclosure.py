"""Statistical disclosure control for frequency tables.

Published tables of case counts must not let a reader learn about a small
number of children.  The rule (see :doc:`/explanation/privacy`):

* **Primary suppression**: every count from 1 to the threshold is shown as
  ``[c]`` (and 0 too when zeros are hidden).  With rounding, a count that would
  round to 0 is hidden as well, so a published 0 is a true zero.
* **Secondary suppression**: further cells are hidden until every hidden count
  could be any of at least three whole numbers, given every published cell
  and total, the rule itself, and that zeros are shown.  That is checked
  exactly.  Cells are added in a fixed order: the smallest non-zero count
  sharing a line with the exposed cell, then the smallest anywhere; if that is
  not enough, every zero of the table is hidden too (and the table says so);
  a total is hidden only as the last resort.
* **Rounding** (optional): published counts, totals included, are rounded to
  the nearest multiple of a base such as 5, halves up.
* ``[x]`` marks a count that is not available, ``[z]`` one that does not
  apply; a total over an unavailable count is itself unavailable.

Why a cell was hidden is kept on the :class:`Cell` for the publisher's own
records, and never written to a published form: a reader who knew which
hidden cells were small could narrow them down.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, Protocol

import attrs

from cse_programme._errors import Problem, ValidationError, key_token
from cse_programme.privacy._ranges import (
    UNBOUNDED,
    Column,
    Edge,
    Interval,
    can_move_by,
    shared_total_ranges,
)
from cse_programme.privacy._rule import DEFAULT_THRESHOLD, PROTECTION, Rule

TOTAL: Final = "Total"

__all__ = ["DEFAULT_THRESHOLD", "TOTAL", "Cell", "ProtectedTable", "Reason", "Symbol", "protect"]

Key = tuple[str, str]


class Symbol(enum.Enum):
    """The GSS shorthand shown in place of a count."""

    CONFIDENTIAL = "[c]"
    NOT_AVAILABLE = "[x]"
    NOT_APPLICABLE = "[z]"


class Reason(enum.Enum):
    """Why a cell was suppressed (for the publisher's records, never published)."""

    PRIMARY = "primary"
    """The count is small (from 1 to the threshold, or 0 when zeros are hidden)."""
    SECONDARY = "secondary"
    """The cell is hidden so that the small counts cannot be narrowed down."""


def _cell_problems(cell: Cell) -> Iterator[Problem]:
    for name in ("row", "column"):
        if not isinstance(getattr(cell, name), str):
            yield Problem(f"/{name}", "must be text", "type")
    value = cell.value
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        yield Problem("/value", "must be a whole number", "type")
    elif value is not None and value < 0:
        yield Problem("/value", "must not be negative", "minimum")
    # Read as plain objects: the annotations say what a cell should hold, not what it was given.
    symbol: object = cell.symbol
    reason: object = cell.reason
    if symbol is not None and not isinstance(symbol, Symbol):
        yield Problem("/symbol", "must be a Symbol", "type")
    if reason is not None and not isinstance(reason, Reason):
        yield Problem("/reason", "must be a Reason", "type")
    if (value is None) == (cell.symbol is None):
        yield Problem("", "must show a count or a symbol, and not both", "shown")
    if cell.reason is not None and cell.symbol is not Symbol.CONFIDENTIAL:
        yield Problem("/reason", "is given only for a count shown as [c]", "reason")


def _read_only(cells: Mapping[Key, Cell]) -> Mapping[Key, Cell]:
    # A copy the caller cannot change, so the checks made when the table is built stay true.
    return types.MappingProxyType(dict(cells)) if isinstance(cells, Mapping) else cells


def _labels_problems(name: str, labels: object) -> Iterator[Problem]:
    if not isinstance(labels, tuple) or not labels:
        yield Problem(f"/{name}", "must be a tuple of at least one label", "type")
    elif not all(isinstance(label, str) for label in labels):
        yield Problem(f"/{name}", "must hold text labels", "type")
    elif len(set(labels)) != len(labels):
        yield Problem(f"/{name}", "must not repeat a label", "labels")


def _table_problems(table: ProtectedTable) -> Iterator[Problem]:
    labels = [list(_labels_problems(name, getattr(table, name))) for name in ("rows", "columns")]
    yield from (problem for found in labels for problem in found)
    for name in ("controlled", "hide_zeros", "zeros_hidden"):
        if not isinstance(getattr(table, name), bool):
            yield Problem(f"/{name}", "must be true or false", "type")
    yield from _rule_problems(table)
    if table.zeros_hidden is True and table.controlled is not True:
        yield Problem(
            "/zeros_hidden", "may be true only for a table under disclosure control", "uncontrolled"
        )
    cells: object = table.cells
    if not isinstance(cells, Mapping):
        yield Problem("/cells", "must map each (row, column) to its Cell", "type")
    elif not any(labels):
        yield from _grid_problems(table)


def _rule_problems(table: ProtectedTable) -> tuple[Problem, ...]:
    try:
        table._rule.describe()
    except ValidationError as error:
        return error.problems
    return ()


def _grid_problems(table: ProtectedTable) -> Iterator[Problem]:
    grid = [(row, column) for row in table.rows for column in table.columns]
    places = set(grid)
    for key, cell in table.cells.items():
        found: object = cell
        if key not in places:
            yield Problem("/cells", "holds a key that is not a (row, column) of the table", "cell")
        elif not isinstance(found, Cell):
            yield _at_cell(key, "must be a Cell", "type")
        elif (cell.row, cell.column) != key:
            yield _at_cell(key, "must name its own row and column", "cell")
    for key in grid:
        if key not in table.cells:
            yield _at_cell(key, "is missing: every row and column must meet in a cell", "missing")


def _at_cell(key: Key, message: str, code: str) -> Problem:
    return Problem("", message, code).under("cells", key_token(key[0]), key_token(key[1]))


@attrs.frozen(kw_only=True)
class Cell:
    """One cell of a protected table: a count, or a symbol in its place.

    *reason* says why a hidden cell was hidden; it is for the publisher and
    is left out of every published form of the table.

    >>> from cse_programme.privacy import Cell, Symbol
    >>> Cell(row="Camden", column="Cases", value=None, symbol=Symbol.CONFIDENTIAL).shown()
    '[c]'
    """

    row: str
    column: str
    value: int | None
    symbol: Symbol | None = None
    reason: Reason | None = None

    def __attrs_post_init__(self) -> None:
        problems = list(_cell_problems(self))
        if problems:
            raise ValidationError(problems)

    def shown(self) -> str:
        """What a reader of the table sees in the cell."""
        return self.symbol.value if self.symbol is not None else str(self.value)


@attrs.frozen(kw_only=True)
class ProtectedTable:
    """A frequency table after disclosure control, with its totals.

    Row and column labels include :data:`TOTAL` where a total is published;
    every cell says what is shown.  *zeros_hidden* is true when ``[c]`` may
    stand for 0 in this table, either because the rule hides zeros or because
    hiding them was the only way to protect the small counts; the notice says
    so.

    >>> from cse_programme.privacy import protect
    >>> table = protect(["A", "B", "C"], ["Cases"],
    ...                 {("A", "Cases"): 2, ("B", "Cases"): 40, ("C", "Cases"): 9},
    ...                 row_totals=False)
    >>> table.hidden_cells
    2
    >>> print(table.to_csv(), end="")
    ,Cases
    A,[c]
    B,40
    C,[c]
    Total,51
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell] = attrs.field(converter=_read_only)
    threshold: int
    rounding: int | None
    controlled: bool
    hide_zeros: bool = False
    zeros_hidden: bool = False

    def __attrs_post_init__(self) -> None:
        problems = list(_table_problems(self))
        if problems:
            raise ValidationError(problems)

    @property
    def _rule(self) -> Rule:
        return Rule(threshold=self.threshold, rounding=self.rounding, hide_zeros=self.hide_zeros)

    def shown(self, row: str, column: str) -> str:
        """What is shown in one cell."""
        return self.cells[(row, column)].shown()

    def suppressed(self) -> tuple[Cell, ...]:
        """Every hidden cell, in table order (with the publisher's reasons)."""
        return tuple(
            cell
            for row in self.rows
            for column in self.columns
            if (cell := self.cells[(row, column)]).symbol is Symbol.CONFIDENTIAL
        )

    @property
    def hidden_cells(self) -> int:
        """How many cells are shown as ``[c]``."""
        return len(self.suppressed())

    def notice(self) -> str:
        """The rule the table follows, to publish with it."""
        if not self.controlled:
            return (
                "Disclosure control NOT applied: these counts may identify people and must not "
                "be published."
            )
        notes = [self._rule.describe()]
        if self.zeros_hidden and not self.hide_zeros:
            notes.append(ZEROS_NOTE)
        return " ".join(notes)

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
        """The table as JSON, with the rule it follows."""
        return json.dumps(self.as_data(), ensure_ascii=False, indent=2)

    def as_data(self) -> dict[str, Any]:
        """The table as JSON-ready data: the rule, labels, shown values, hidden count."""
        small = [0 if self.hide_zeros else 1, self._rule.largest_small]
        return {
            "disclosure_control": {
                "applied": self.controlled,
                "threshold": self.threshold,
                "rounding": self.rounding,
                "small_counts": small if self.controlled and small[0] <= small[1] else None,
                "zeros_hidden": self.zeros_hidden,
                "protection": PROTECTION if self.controlled else None,
            },
            "rows": list(self.rows),
            "columns": list(self.columns),
            "cells": [[self.shown(r, c) for c in self.columns] for r in self.rows],
            "hidden_cells": self.hidden_cells,
        }


#: Said of a table in which hiding its zeros was needed to protect it.
ZEROS_NOTE: Final = "In this table [c] may also stand for 0."


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


@attrs.define
class _Layout:
    """A table's cells, true values and what is hidden, while it is protected."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    row_totals: bool
    values: dict[Key, int | None]
    not_applicable: frozenset[Key]
    rule: Rule
    hidden: dict[Key, Reason] = attrs.Factory(dict)
    zeros_hidden: bool = False

    @property
    def order(self) -> list[Key]:
        columns = (*self.columns, TOTAL) if self.row_totals else self.columns
        return [(r, c) for r in (*self.rows, TOTAL) for c in columns]

    def known(self, cell: Key) -> Interval:
        """What a reader knows of one cell."""
        if cell in self.not_applicable:
            return (0, 0)
        value = self.values.get(cell)
        if value is None:
            return UNBOUNDED
        if cell in self.hidden:
            return Rule.hidden(self.zeros_hidden)
        return self.rule.published(self.rule.shown(value))

    def exposed(self) -> Key | None:
        """The first hidden cell a reader can narrow to fewer than three values."""
        if len(self.columns) == 1 and not self.row_totals:
            return self._exposed_in_column()
        return self._exposed_in_grid()

    def _exposed_in_column(self) -> Key | None:
        (column,) = self.columns
        keys = [(row, column) for row in self.rows]
        total, (ranges,) = shared_total_ranges(
            self.known((TOTAL, column)), [Column(tuple(self.known(key) for key in keys))]
        )
        spans = dict(zip(keys, ranges, strict=True)) | {(TOTAL, column): total}
        return next((key for key in self.order if key in self.hidden and _narrow(spans[key])), None)

    def _exposed_in_grid(self) -> Key | None:
        source, sink = 0, len(self.rows) + len(self.columns) + 1
        row_node = {row: 1 + i for i, row in enumerate(self.rows)}
        column_node = {column: 1 + len(self.rows) + j for j, column in enumerate(self.columns)}
        edges: list[Edge] = []
        index: dict[Key, int] = {}

        def add(key: Key, start: int, end: int) -> None:
            index[key] = len(edges)
            least, greatest = self.known(key)
            edges.append((start, end, least, greatest))

        for row in self.rows:
            add((row, TOTAL), source, row_node[row])
            for column in self.columns:
                add((row, column), row_node[row], column_node[column])
        for column in self.columns:
            add((TOTAL, column), column_node[column], sink)
        add((TOTAL, TOTAL), sink, source)
        nodes = sink + 1
        for key in self.order:
            value = self.values[key]
            if (
                key in self.hidden
                and value is not None
                and not can_move_by(nodes, edges, index[key], value, PROTECTION - 1)
            ):
                return key
        return None

    def hide_partner(self, exposed: Key) -> None:
        """Hide one more cell (or every zero) so that *exposed* gains room.

        The partner is a cell beside *exposed*, or one that closes a
        rectangle of three hidden cells.  Preferred first is a cell in a line
        where *exposed* is hidden alone, then one that opens the fewest lines
        in which it would be hidden alone (each would need a partner of its
        own), then the smallest count: so a lone small cell is covered by a
        rectangle of four, not by a pattern that spreads across the table.
        """
        shown = [
            key
            for key in self.order
            if key not in self.hidden
            and key not in self.not_applicable
            and self.values[key] is not None
        ]
        inner = [key for key in shown if TOTAL not in key and self.values[key]]
        hidden = [key for key in self.hidden if TOTAL not in key]
        # The lines (0 for a row, 1 for a column) in which the exposed cell is
        # the only hidden cell: a partner there gives it room at once.
        alone = [
            axis
            for axis in (0, 1)
            if not any(key[axis] == exposed[axis] and key != exposed for key in hidden)
        ]

        def opened(key: Key) -> int:
            # The lines a cell would be hidden alone in, each needing a partner
            # of its own.
            return sum(not any(cell[axis] == key[axis] for cell in hidden) for axis in (0, 1))

        def closes(key: Key) -> bool:
            # Hidden cells at the three other corners of a rectangle.
            row, column = key
            return any(
                (other_row, column) in self.hidden and (other_row, other_column) in self.hidden
                for other_row, other_column in hidden
                if other_row != row
                and other_column != column
                and (row, other_column) in self.hidden
            )

        def cost(key: Key) -> tuple[bool, int, int]:
            helps = any(key[axis] == exposed[axis] for axis in alone)
            return not helps, opened(key), self._size(key)

        near = [key for key in inner if key[0] == exposed[0] or key[1] == exposed[1] or closes(key)]
        for candidates in (near, inner):
            if candidates:
                self.hidden[min(candidates, key=cost)] = Reason.SECONDARY
                return
        zeros = [key for key in shown if self.values[key] == 0]
        if zeros and not self.zeros_hidden:
            self.zeros_hidden = True
            self.hidden.update(dict.fromkeys(zeros, Reason.SECONDARY))
            return
        if shown:
            self.hidden[min(shown, key=self._size)] = Reason.SECONDARY
            return
        raise AssertionError("every cell is hidden, yet one can still be narrowed down")

    def _size(self, key: Key) -> int:
        # min() keeps the first of equals, so ties go to table order.
        return self.values[key] or 0


class _Pattern(Protocol):
    hidden: dict[Any, Reason]
    zeros_hidden: bool
    rule: Rule


def unhide_unneeded(
    pattern: _Pattern, count: Callable[[Any], int], exposed: Callable[[], bool]
) -> None:
    """Show again every secondary cell the others protect without, largest first.

    Cells are hidden one at a time, so an early one can become needless once
    later ones are hidden (above all once the zeros are).
    """
    if pattern.zeros_hidden and not pattern.rule.hide_zeros:
        zeros = {
            key: reason
            for key, reason in pattern.hidden.items()
            if reason is Reason.SECONDARY and not count(key)
        }
        pattern.zeros_hidden = False
        for key in zeros:
            del pattern.hidden[key]
        if exposed():
            pattern.zeros_hidden = True
            pattern.hidden.update(zeros)
    secondary = [
        key for key, reason in pattern.hidden.items() if reason is Reason.SECONDARY and count(key)
    ]
    for key in sorted(secondary, key=lambda key: -count(key)):
        del pattern.hidden[key]
        if exposed():
            pattern.hidden[key] = Reason.SECONDARY


def _narrow(span: Interval) -> bool:
    return span[1] - span[0] < PROTECTION - 1


def protect(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Mapping[tuple[str, str], int | None],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    rounding: int | None = None,
    hide_zeros: bool = False,
    not_applicable: frozenset[tuple[str, str]] = frozenset(),
    control: bool = True,
    row_totals: bool = True,
) -> ProtectedTable:
    """Apply disclosure control to a table of counts, with totals added.

    *counts* maps ``(row, column)`` to a count, or to ``None`` where the count
    is not available; a missing cell counts as 0.  Cells in *not_applicable*
    are shown as ``[z]``.  Column totals are always added; row totals unless
    *row_totals* is false (for a table of one column they repeat the cells).
    Counts from 1 to *threshold* are hidden, and 0 too with *hide_zeros*;
    *rounding* rounds every published count to a multiple of it.  With
    ``control=False`` the table is returned with its totals and nothing
    suppressed (its notice says it must not be published).

    Rows and columns should not depend on the data: a row listed only because
    it has cases tells a reader that its count is not 0.

    >>> from cse_programme.privacy import protect
    >>> table = protect(["Camden", "Barnet"], ["Online", "Peer"],
    ...                 {("Camden", "Online"): 12, ("Camden", "Peer"): 3,
    ...                  ("Barnet", "Online"): 9, ("Barnet", "Peer"): 8})
    >>> for row in table.to_rows():
    ...     print(row)
    ['', 'Online', 'Peer', 'Total']
    ['Camden', '[c]', '[c]', '15']
    ['Barnet', '[c]', '[c]', '17']
    ['Total', '21', '11', '32']
    >>> table.hidden_cells
    4
    """
    rule = Rule(threshold=threshold, rounding=rounding, hide_zeros=hide_zeros)
    _check_table(rows, columns, counts)
    values: dict[Key, int | None] = {}
    for r in rows:
        for c in columns:
            values[(r, c)] = 0 if (r, c) in not_applicable else counts.get((r, c), 0)

    def line_total(cells: list[Key]) -> int | None:
        parts = [values[cell] for cell in cells]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)

    all_columns = (*columns, TOTAL) if row_totals else tuple(columns)
    if row_totals:
        for r in rows:
            values[(r, TOTAL)] = line_total([(r, c) for c in columns])
    for c in all_columns:
        values[(TOTAL, c)] = line_total([(r, c) for r in rows])

    layout = _Layout(
        rows=tuple(rows),
        columns=tuple(columns),
        row_totals=row_totals,
        values=values,
        not_applicable=frozenset(not_applicable),
        rule=rule,
        zeros_hidden=hide_zeros,
    )
    if control:
        for key in layout.order:
            value = values[key]
            if key not in not_applicable and value is not None and rule.is_small(value):
                layout.hidden[key] = Reason.PRIMARY
        while (exposed := layout.exposed()) is not None:
            layout.hide_partner(exposed)
        unhide_unneeded(layout, layout._size, lambda: layout.exposed() is not None)
    return _table(layout, control=control)


def _table(layout: _Layout, *, control: bool) -> ProtectedTable:
    rule = layout.rule
    cells = {}
    for key in layout.order:
        value = layout.values[key]
        if key in layout.not_applicable:
            cell = Cell(row=key[0], column=key[1], value=None, symbol=Symbol.NOT_APPLICABLE)
        elif value is None:
            cell = Cell(row=key[0], column=key[1], value=None, symbol=Symbol.NOT_AVAILABLE)
        elif key in layout.hidden:
            cell = Cell(
                row=key[0],
                column=key[1],
                value=None,
                symbol=Symbol.CONFIDENTIAL,
                reason=layout.hidden[key],
            )
        else:
            cell = Cell(row=key[0], column=key[1], value=rule.shown(value))
        cells[key] = cell
    return ProtectedTable(
        rows=(*layout.rows, TOTAL),
        columns=(*layout.columns, TOTAL) if layout.row_totals else layout.columns,
        cells=cells,
        threshold=rule.threshold,
        rounding=rule.rounding,
        controlled=control,
        hide_zeros=rule.hide_zeros,
        zeros_hidden=layout.zeros_hidden and control,
    )
