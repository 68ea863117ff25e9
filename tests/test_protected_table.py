"""A protected table and its cells refuse to be built inconsistent.

The library's own builders are tested elsewhere for what they hide; these
tests build tables by hand, as a reader of a published table or a publisher
with counts of their own might, and check that what cannot be a protected
table is refused with a path for every problem.
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import ValidationError
from cse_programme.privacy import TOTAL, Cell, ProtectedTable, Reason, Symbol, protect

from .test_disclosure import tables

Words = tuple[str, str, str]


def problems_of(error: pytest.ExceptionInfo[ValidationError]) -> list[Words]:
    """Each problem's path, message and code: what a person reading the error is told."""
    return [(problem.path, problem.message, problem.code) for problem in error.value.problems]


SHOWN: Final = ("", "must show a count or a symbol, and not both", "shown")
ONLY_HIDDEN: Final = ("/reason", "is given only for a count shown as [c]", "reason")
WHOLE_NUMBER: Final = ("/value", "must be a whole number", "type")
UNCONTROLLED: Final = (
    "/zeros_hidden",
    "may be true only for a table under disclosure control",
    "uncontrolled",
)
TEXT: Final = "must be text"
LABELS: Final = "must be a tuple of at least one label"
TRUE_OR_FALSE: Final = "must be true or false"
MISSING: Final = "is missing: every row and column must meet in a cell"


def hand_made(**changes: Any) -> ProtectedTable:
    """Camden's 2 hidden with its partner Hackney's 7, beside Islington's 40, and the total."""
    cells = {
        ("Camden", "Cases"): Cell(
            row="Camden", column="Cases", value=None, symbol=Symbol.CONFIDENTIAL
        ),
        ("Hackney", "Cases"): Cell(
            row="Hackney",
            column="Cases",
            value=None,
            symbol=Symbol.CONFIDENTIAL,
            reason=Reason.SECONDARY,
        ),
        ("Islington", "Cases"): Cell(row="Islington", column="Cases", value=40),
        (TOTAL, "Cases"): Cell(row=TOTAL, column="Cases", value=49),
    }
    fields: dict[str, Any] = {
        "rows": ("Camden", "Hackney", "Islington", TOTAL),
        "columns": ("Cases",),
        "cells": cells,
        "threshold": 5,
        "rounding": None,
        "controlled": True,
    }
    return ProtectedTable(**(fields | changes))


# Cells -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"value": 3, "symbol": Symbol.CONFIDENTIAL}, [SHOWN]),
        ({"value": None}, [SHOWN]),
        ({"value": -1}, [("/value", "must not be negative", "minimum")]),
        ({"value": True}, [WHOLE_NUMBER]),
        ({"value": 2.0}, [WHOLE_NUMBER]),
        ({"value": None, "symbol": "[c]"}, [("/symbol", "must be a Symbol", "type")]),
        ({"value": 4, "reason": Reason.PRIMARY}, [ONLY_HIDDEN]),
        (
            {"value": None, "symbol": Symbol.NOT_AVAILABLE, "reason": Reason.SECONDARY},
            [ONLY_HIDDEN],
        ),
        (
            {"value": None, "symbol": Symbol.CONFIDENTIAL, "reason": "small"},
            [("/reason", "must be a Reason", "type")],
        ),
        ({"row": 1, "value": 4}, [("/row", TEXT, "type")]),
        ({"column": None, "value": 4}, [("/column", TEXT, "type")]),
    ],
)
def test_a_cell_that_cannot_be_shown_is_refused_at_its_field(
    fields: dict[str, Any], expected: list[Words]
) -> None:
    with pytest.raises(ValidationError) as error:
        Cell(**({"row": "Camden", "column": "Cases"} | fields))
    assert problems_of(error) == expected


def test_every_problem_of_a_cell_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as error:
        Cell(
            row=None,  # type: ignore[arg-type]
            column=None,  # type: ignore[arg-type]
            value=-3,
            symbol=Symbol.CONFIDENTIAL,
            reason=Reason.PRIMARY,
        )
    assert problems_of(error) == [
        ("/row", TEXT, "type"),
        ("/column", TEXT, "type"),
        ("/value", "must not be negative", "minimum"),
        SHOWN,
    ]


def test_a_cells_problems_never_repeat_its_count() -> None:
    with pytest.raises(ValidationError) as error:
        Cell(row="Camden", column="Cases", value=-987_654, symbol=Symbol.CONFIDENTIAL)
    assert "987" not in str(error.value)


values = st.one_of(st.none(), st.integers(-3, 50), st.booleans(), st.floats(0, 9), st.text())
symbols = st.one_of(st.none(), st.sampled_from(Symbol), st.sampled_from(["[c]", "c", 1]))
reasons = st.one_of(st.none(), st.sampled_from(Reason), st.sampled_from(["primary", 0]))


@given(value=values, symbol=symbols, reason=reasons)
def test_a_cell_is_built_exactly_when_it_shows_one_thing_and_explains_only_a_hidden_count(
    value: object, symbol: object, reason: object
) -> None:
    count = value is not None and type(value) is int and value >= 0
    shows_one = (value is None) != (symbol is None)
    good_symbol = symbol is None or isinstance(symbol, Symbol)
    good_reason = reason is None or (isinstance(reason, Reason) and symbol is Symbol.CONFIDENTIAL)
    acceptable = (value is None or count) and shows_one and good_symbol and good_reason
    fields: dict[str, Any] = {"value": value, "symbol": symbol, "reason": reason}
    if acceptable:
        cell = Cell(row="A", column="B", **fields)
        assert cell.shown() == (str(value) if symbol is None else symbol.value)  # type: ignore[attr-defined]
    else:
        with pytest.raises(ValidationError):
            Cell(row="A", column="B", **fields)


# Tables ----------------------------------------------------------------------


def test_a_hand_made_table_counts_every_cell_shown_as_confidential() -> None:
    # Camden was hidden without a reason recorded: it is still a hidden cell.
    table = hand_made()
    assert table.hidden_cells == 2
    assert [cell.row for cell in table.suppressed()] == ["Camden", "Hackney"]
    assert table.to_csv() == ",Cases\nCamden,[c]\nHackney,[c]\nIslington,40\nTotal,49\n"


def test_a_table_that_cannot_be_read_is_refused_with_every_problem() -> None:
    with pytest.raises(ValidationError) as error:
        hand_made(
            rows=("Camden", "Camden"),
            columns=(),
            threshold=-1,
            controlled=1,
            hide_zeros="no",
            zeros_hidden=True,
        )
    assert problems_of(error) == [
        ("/rows", "must not repeat a label", "labels"),
        ("/columns", LABELS, "type"),
        ("/controlled", TRUE_OR_FALSE, "type"),
        ("/hide_zeros", TRUE_OR_FALSE, "type"),
        ("/threshold", "must be a whole number of at least 0", "type"),
        UNCONTROLLED,
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"rows": ["Camden", "Hackney", "Islington", TOTAL]}, [("/rows", LABELS, "type")]),
        ({"columns": ("Cases", 2)}, [("/columns", "must hold text labels", "type")]),
        ({"rounding": 0}, [("/rounding", "must be a whole number of at least 1", "type")]),
        ({"controlled": False, "zeros_hidden": True}, [UNCONTROLLED]),
        (
            {"cells": [("Camden", "Cases")]},
            [("/cells", "must map each (row, column) to its Cell", "type")],
        ),
        (
            {"columns": ("Cases", "Girls")},
            [
                (f"/cells/{r}/Girls", MISSING, "missing")
                for r in ("Camden", "Hackney", "Islington", TOTAL)
            ],
        ),
    ],
)
def test_a_table_with_a_wrong_field_is_refused_at_that_field(
    changes: dict[str, Any], expected: list[Words]
) -> None:
    with pytest.raises(ValidationError) as error:
        hand_made(**changes)
    assert problems_of(error) == expected


def test_cells_that_do_not_fit_the_table_are_refused_at_their_place() -> None:
    cells = dict(hand_made().cells)
    cells[("Hackney", "Cases")] = Cell(row="Camden", column="Cases", value=7)
    cells[("Islington", "Cases")] = "40"  # type: ignore[assignment]
    cells[("Camden", "Boys")] = Cell(row="Camden", column="Boys", value=1)
    del cells[(TOTAL, "Cases")]
    with pytest.raises(ValidationError) as error:
        hand_made(cells=cells)
    assert problems_of(error) == [
        ("/cells/Hackney/Cases", "must name its own row and column", "cell"),
        ("/cells/Islington/Cases", "must be a Cell", "type"),
        ("/cells", "holds a key that is not a (row, column) of the table", "cell"),
        ("/cells/Total/Cases", MISSING, "missing"),
    ]


def test_a_label_in_a_path_is_escaped_and_cut() -> None:
    row = "A/B~" + "x" * 60 + "\x1b[2J"
    with pytest.raises(ValidationError) as error:
        hand_made(rows=(row,), cells={})
    (problem,) = error.value.problems
    assert problem.path == "/cells/A~1B~0" + "x" * 36 + ".../Cases"
    assert "\x1b" not in str(error.value)


def test_a_tables_cells_cannot_be_changed_once_it_is_built() -> None:
    cells = dict(hand_made().cells)
    table = hand_made(cells=cells)
    cells[("Islington", "Cases")] = Cell(row="Islington", column="Cases", value=3)
    assert table.shown("Islington", "Cases") == "40"
    with pytest.raises(TypeError):
        table.cells[("Islington", "Cases")] = cells[("Islington", "Cases")]  # type: ignore[index]


@given(tables(), st.data())
def test_a_protected_table_rebuilt_from_its_fields_is_the_same_and_a_moved_cell_is_refused(
    drawn: tuple[list[str], list[str], dict[tuple[str, str], int]], data: st.DataObject
) -> None:
    rows, columns, counts = drawn
    table = protect(rows, columns, counts)
    assert attrs.evolve(table) == table
    keys = [(row, column) for row in table.rows for column in table.columns]
    assert sorted(table.cells) == sorted(keys)
    here, there = data.draw(st.lists(st.sampled_from(keys), min_size=2, max_size=2, unique=True))
    moved = dict(table.cells)
    moved[here] = table.cells[there]
    with pytest.raises(ValidationError) as error:
        attrs.evolve(table, cells=moved)
    assert [problem.code for problem in error.value.problems] == ["cell"]
    assert error.value.problems[0].path.startswith("/cells/")
