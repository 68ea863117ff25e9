"""Disclosure control: no suppressed cell can be worked out from what is published."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from cse_programme import ValidationError
from cse_programme.privacy import TOTAL, ProtectedTable, Reason, Symbol, protect


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    rows = [f"r{i}" for i in range(draw(st.integers(1, 5)))]
    columns = [f"c{j}" for j in range(draw(st.integers(1, 4)))]
    small = st.integers(0, 8)
    counts = st.one_of(small, small, st.integers(0, 60))
    return rows, columns, {(r, c): draw(counts) for r in rows for c in columns}


def feasible_interval(table: ProtectedTable, cell: tuple[str, str]) -> tuple[float, float]:
    """The least and greatest value of *cell* given every published cell and total."""
    unknowns = [(c.row, c.column) for c in table.suppressed()]
    index = {key: i for i, key in enumerate(unknowns)}
    published = {
        key: value.value
        for key, value in table.cells.items()
        if value.value is not None and value.reason is None
    }
    inner_rows = [r for r in table.rows if r != TOTAL]
    inner_columns = [c for c in table.columns if c != TOTAL]
    lines: list[list[tuple[str, str]]] = []
    has_row_totals = TOTAL in table.columns
    for r in table.rows if has_row_totals else ():
        lines.append([(r, c) for c in inner_columns] + [(r, TOTAL)])
    for c in table.columns:
        lines.append([(r, c) for r in inner_rows] + [(TOTAL, c)])
    a_eq, b_eq = [], []
    for line in lines:
        coefficients = [0.0] * len(unknowns)
        constant = 0.0
        for position, key in enumerate(line):
            sign = -1.0 if position == len(line) - 1 else 1.0
            if key in index:
                coefficients[index[key]] += sign
            else:
                constant -= sign * published[key]
        if any(coefficients):
            a_eq.append(coefficients)
            b_eq.append(constant)
    objective = [0.0] * len(unknowns)
    objective[index[cell]] = 1.0
    bounds = [(0, None)] * len(unknowns)
    options: dict[str, Any] = {"A_eq": a_eq or None, "b_eq": b_eq or None, "bounds": bounds}
    low = linprog(objective, **options)
    high = linprog([-x for x in objective], **options)
    upper = float("inf") if high.status == 3 else -high.fun
    return low.fun, upper


@settings(max_examples=1500)
@given(tables(), st.integers(1, 6))
def test_no_suppressed_cell_can_be_pinned_down(
    table: tuple[list[str], list[str], dict[tuple[str, str], int]], threshold: int
) -> None:
    rows, columns, counts = table
    protected = protect(rows, columns, counts, threshold=threshold)
    for cell in protected.suppressed():
        low, high = feasible_interval(protected, (cell.row, cell.column))
        assert high - low > 1e-6, (cell, low, high)


@given(tables(), st.integers(1, 6))
def test_no_published_cell_is_small_unless_zero(
    table: tuple[list[str], list[str], dict[tuple[str, str], int]], threshold: int
) -> None:
    rows, columns, counts = table
    protected = protect(rows, columns, counts, threshold=threshold)
    for cell in protected.cells.values():
        if cell.value is not None:
            assert cell.value == 0 or cell.value > threshold
        if cell.symbol is Symbol.CONFIDENTIAL:
            assert cell.reason in (Reason.PRIMARY, Reason.SECONDARY)


@given(tables())
def test_protection_is_deterministic(
    table: tuple[list[str], list[str], dict[tuple[str, str], int]],
) -> None:
    rows, columns, counts = table
    assert protect(rows, columns, counts) == protect(rows, columns, dict(reversed(counts.items())))


def test_a_single_small_count_in_a_column_takes_a_partner() -> None:
    table = protect(
        ["A", "B", "C"],
        ["Cases"],
        {("A", "Cases"): 3, ("B", "Cases"): 40, ("C", "Cases"): 12},
        row_totals=False,
    )
    assert [(c.row, c.reason) for c in table.suppressed()] == [
        ("A", Reason.PRIMARY),
        ("C", Reason.SECONDARY),
    ]
    assert table.shown(TOTAL, "Cases") == "55"


def test_zero_is_a_true_zero() -> None:
    table = protect(
        ["A", "B"], ["Cases"], {("A", "Cases"): 0, ("B", "Cases"): 40}, row_totals=False
    )
    assert table.shown("A", "Cases") == "0"
    assert not table.suppressed()


def test_rounding_and_symbols() -> None:
    table = protect(
        ["A", "B"],
        ["X", "Y"],
        {("A", "X"): 12, ("A", "Y"): None, ("B", "X"): 27, ("B", "Y"): 44},
        rounding=5,
        not_applicable=frozenset({("B", "Y")}),
    )
    assert table.shown("A", "X") == "10"
    assert table.shown("A", "Y") == "[x]"
    assert table.shown("B", "Y") == "[z]"
    assert table.shown("A", TOTAL) == "[x]"


def test_switching_control_off_is_explicit_and_recorded() -> None:
    table = protect(["A"], ["X"], {("A", "X"): 2}, control=False)
    assert table.shown("A", "X") == "2"
    assert table.as_data()["disclosure_control"]["applied"] is False


def test_outputs_as_csv_and_json() -> None:
    table = protect(["A", "B"], ["X"], {("A", "X"): 2, ("B", "X"): 30}, row_totals=False)
    assert table.to_csv().splitlines() == [",X", "A,[c]", "B,[c]", "Total,32"]
    assert '"reason": "primary"' in table.to_json()


@pytest.mark.parametrize(
    "bad",
    [{("A", "X"): -1}, {("A", "X"): 1.5}, {("A", "X"): True}, {("Z", "X"): 1}],
)
def test_bad_counts_are_refused(bad: dict[tuple[str, str], Any]) -> None:
    with pytest.raises(ValidationError):
        protect(["A"], ["X"], bad)
