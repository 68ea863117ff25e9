"""Disclosure control, attacked: no hidden count can be narrowed below three values.

The attacker here is written independently of the library: it reads only
what is published (the JSON, CSV or text of a release, and the rule its
notice states) and works out, by integer programming with scipy's HiGHS, the
least and greatest value every hidden count could take.  It knows what the
choice of rows tells: the years listed run from the first year a case began
to the last, and the districts listed are every district of each police force
area in which a case lies, which it reads from the ONS table itself.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from cse_programme import CaseReview, ReviewFunnel, ReviewStatus, ValidationError
from cse_programme.datasets import london_2025, synthetic_cases
from cse_programme.model import AbuseContext
from cse_programme.privacy import TOTAL, ProtectedTable, Reason, Symbol, protect, release_funnel
from cse_programme.privacy._ranges import (
    Column,
    Edge,
    Interval,
    can_move_by,
    feasible,
    shared_total_ranges,
)
from cse_programme.privacy._rule import Rule

from .standards import STANDARDS, needs_standards
from .test_cli import cli

#: The long campaign (``make fuzz``) draws many more releases than a normal run.
LONG = settings.default is not None and settings.default.max_examples >= 100_000
RELEASES = 2_000 if LONG else 20
TABLES = 20_000 if LONG else 300

Published = dict[str, Any]


# The attacker ---------------------------------------------------------------


class Program:
    """Whole-number unknowns with bounds and linear constraints, solved by HiGHS."""

    def __init__(self) -> None:
        self.low: list[float] = []
        self.high: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def unknown(self, low: float = 0, high: float = math.inf) -> int:
        self.low.append(low)
        self.high.append(high)
        return len(self.low) - 1

    def constrain(self, terms: dict[int, float], low: float, high: float) -> None:
        self.rows.append((terms, low, high))

    def one_of(self, unknown: int, low: int, high: float, gap: tuple[int, int]) -> None:
        """*unknown* is in [low, high] but not in the closed range *gap*."""
        below, above = gap[0] - 1, gap[1] + 1
        if high < gap[0] or low > gap[1]:
            return
        if low > below:
            self.low[unknown] = max(self.low[unknown], above)
            return
        if high < above:
            self.high[unknown] = min(self.high[unknown], below)
            return
        switch = self.unknown(0, 1)
        # switch = 0: at most *below*; switch = 1: at least *above*.
        self.constrain({unknown: 1, switch: -(above - low)}, low, math.inf)
        self.constrain({unknown: 1, switch: -(high - below)}, -math.inf, below)

    def extent(self, unknown: int) -> tuple[float, float]:
        """The least and greatest whole value *unknown* can take."""
        size = len(self.low)
        matrix = np.zeros((len(self.rows), size))
        lows, highs = [], []
        for row, (terms, low, high) in enumerate(self.rows):
            for column, coefficient in terms.items():
                matrix[row, column] = coefficient
            lows.append(low)
            highs.append(high)
        constraints = [LinearConstraint(matrix, lows, highs)] if self.rows else []
        bounds = Bounds(self.low, self.high)
        ends = []
        for sign in (1.0, -1.0):
            objective = np.zeros(size)
            objective[unknown] = sign
            result = milp(
                objective, integrality=np.ones(size), bounds=bounds, constraints=constraints
            )
            if result.status == 0:
                ends.append(sign * result.fun)
            else:
                # HiGHS may say only "unbounded or infeasible": the published values are
                # consistent by construction, so check that, and the answer is unbounded.
                feasible = milp(
                    np.zeros(size),
                    integrality=np.ones(size),
                    bounds=bounds,
                    constraints=constraints,
                )
                assert result.status in (3, 4), result.message
                assert feasible.status == 0, feasible.message
                ends.append(-sign * math.inf)
        return ends[0], ends[1]


def known_value(program: Program, shown: str, rule: Published, floor: int) -> int:
    """An unknown for a cell as published, bounded by the stated rule."""
    small = rule["small_counts"]
    if shown == Symbol.NOT_APPLICABLE.value:
        return program.unknown(0, 0)
    if shown == Symbol.NOT_AVAILABLE.value:
        return program.unknown()
    if shown == Symbol.CONFIDENTIAL.value:
        return program.unknown(max(floor, 0 if rule["zeros_hidden"] else 1))
    value = int(shown)
    base = rule["rounding"]
    if base is None:
        return program.unknown(value, value)
    # Rounded to the nearest multiple of base, halves up: value - base/2 <= x < value + base/2.
    low = math.ceil(value - base / 2)
    high = math.ceil(value + base / 2) - 1
    unknown = program.unknown(max(low, 0), high)
    if small is not None:
        program.one_of(unknown, max(low, 0), high, (small[0], small[1]))
    return unknown


@cache
def police_force_area_of() -> dict[str, str]:
    """Each district's police force area, by the district's name, from the ONS table."""
    with (STANDARDS / "ons" / "lad_to_pfa_december_2024.csv").open(encoding="utf-8") as table:
        return {row["lad_name"]: row["pfa_code"] for row in csv.DictReader(table)}


def districts_of(force_area: str) -> list[str]:
    """The names of a police force area's districts, by its ONS name, from the ONS table."""
    with (STANDARDS / "ons" / "lad_to_pfa_december_2024.csv").open(encoding="utf-8") as table:
        return [row["lad_name"] for row in csv.DictReader(table) if row["pfa_name"] == force_area]


def each_listed_force_area_holds_a_case(program: Program, unknowns: dict[str, int]) -> None:
    """The districts listed are those of force areas with a case: each area holds one or more."""
    forces: dict[str, list[int]] = {}
    for label, unknown in unknowns.items():
        if label in police_force_area_of():
            forces.setdefault(police_force_area_of()[label], []).append(unknown)
    for members in forces.values():
        program.constrain(dict.fromkeys(members, 1.0), 1, math.inf)


def attack_release(published: Published) -> list[tuple[str, str, float, float]]:
    """Every hidden count of a release with the least and greatest value it can take."""
    program = Program()
    cases = program.unknown()
    hidden = []
    for name, table in published["tables"].items():
        rule = table["disclosure_control"]
        labels = table["rows"]
        # The years listed run from the first to the last year a case began;
        # the total comes after the last of them.
        years = [label for label in labels if label != TOTAL] if "year" in name else []
        first_and_last = {years[0], years[-1]} if years else set()
        unknowns = {}
        for label, (shown,) in zip(labels, table["cells"], strict=True):
            floor = 1 if label in first_and_last else 0
            unknowns[label] = known_value(program, shown, rule, floor)
            if shown == Symbol.CONFIDENTIAL.value:
                hidden.append((name, label, unknowns[label]))
        if name == "area":
            each_listed_force_area_holds_a_case(program, unknowns)
        if TOTAL in unknowns:
            # Each case counts once: the rows add up to the number of cases.
            total = unknowns.pop(TOTAL)
            program.constrain({total: 1, cases: -1}, 0, 0)
            program.constrain({**dict.fromkeys(unknowns.values(), 1.0), cases: -1}, 0, 0)
        else:
            # Each case counts under one context or more.
            for unknown in unknowns.values():
                program.constrain({unknown: 1, cases: -1}, -math.inf, 0)
            program.constrain({**dict.fromkeys(unknowns.values(), 1.0), cases: -1}, 0, math.inf)
    return [(name, label, *program.extent(unknown)) for name, label, unknown in hidden]


def attack_table(table: ProtectedTable) -> list[tuple[str, str, float, float]]:
    """Every hidden count of a two-way table with its least and greatest value."""
    program = Program()
    rule = table.as_data()["disclosure_control"]
    unknown = {
        key: known_value(program, cell.shown(), rule, 0) for key, cell in table.cells.items()
    }
    inner_rows = [r for r in table.rows if r != TOTAL]
    inner_columns = [c for c in table.columns if c != TOTAL]
    lines = [[(r, c) for c in inner_columns] + [(r, TOTAL)] for r in table.rows]
    lines += [[(r, c) for r in inner_rows] + [(TOTAL, c)] for c in table.columns]
    for line in lines:
        if line[-1] in unknown:
            terms = {unknown[key]: 1.0 for key in line[:-1]}
            program.constrain({**terms, unknown[line[-1]]: -1.0}, 0, 0)
    return [
        (cell.row, cell.column, *program.extent(unknown[(cell.row, cell.column)]))
        for cell in table.cells.values()
        if cell.symbol is Symbol.CONFIDENTIAL
    ]


def assert_protected(found: Iterable[tuple[str, str, float, float]]) -> None:
    for name, label, low, high in found:
        assert high - low >= 2, f"{name} / {label} narrowed to {low}..{high}"


# Reading every published format ---------------------------------------------


def cells_of_json(text: str) -> dict[str, list[tuple[str, str]]]:
    data = json.loads(text)
    return {
        name: [(label, shown) for label, (shown,) in zip(t["rows"], t["cells"], strict=True)]
        for name, t in data["tables"].items()
    }


def cells_of_csv(text: str) -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {}
    name = ""
    for row in csv.reader(io.StringIO(text)):
        if row and row[0].startswith("# Cases by "):
            name = ",".join(row)[len("# Cases by ") :].split(". ")[0]
            tables[name] = []
        elif len(row) == 2 and row[0] and not row[0].startswith("#"):
            tables[name].append((row[0], row[1]))
    return tables


def cells_of_text(text: str) -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {}
    name = None
    for line in text.splitlines():
        if line.startswith("Cases by "):
            name = line[len("Cases by ") :]
            tables[name] = []
        elif name and line and not line.startswith(("Note:", " ")):
            label, shown = line.rsplit(maxsplit=1)
            tables[name].append((label.strip(), shown))
    return tables


# Releases made from synthetic case files --------------------------------------


def true_counts(cases: Sequence[CaseReview]) -> dict[str, dict[str, int]]:
    """The funnel's counts, worked out here from the records themselves."""
    status = Counter(c.status.value.replace("_", " ").capitalize() for c in cases)
    context = Counter(ctx.label for c in cases for ctx in c.contexts)
    area = Counter(c.area.name if c.area else "Not recorded" for c in cases)
    year = Counter(str(c.offence_period.start.year) for c in cases)
    return {"status": status, "context": context, "area": area, "year": year}


def release_of(cases: Sequence[CaseReview], **options: Any) -> Any:
    (review,) = london_2025().reviews
    return release_funnel(
        review.funnel(cases), synthetic=sum(c.synthetic for c in cases), **options
    )


@cache
def police_force_area_codes() -> list[str]:
    return sorted(set(police_force_area_of().values()))


#: The City of London Police's force area: one district, the smallest a release can list.
CITY_OF_LONDON = "E23000034"


@st.composite
def case_files(draw: st.DrawFn, most: int = 500) -> list[CaseReview]:
    """Synthetic cases from one to three police force areas (the City's often among them)."""
    forces = draw(st.lists(st.sampled_from(police_force_area_codes()), min_size=1, max_size=3))
    if draw(st.booleans()):
        forces.append(CITY_OF_LONDON)
    seed = draw(st.integers(0, 2**32 - 1))
    cases: list[CaseReview] = []
    for index, force in enumerate(dict.fromkeys(forces)):
        size = draw(st.integers(1, most // len(forces)))
        cases += synthetic_cases(size, seed=seed + index, force=force)
    return cases


def test_a_table_as_json_is_indented_and_keeps_welsh_letters() -> None:
    table = protect(["Ynys Môn", "Conwy"], ["Online"], {("Ynys Môn", "Online"): 12}, threshold=0)
    text = table.to_json()
    assert '"Ynys Môn"' in text
    assert text.startswith('{\n  "disclosure_control": {\n    "applied": ')
    # Threshold 0 hides nothing, so no count is small and nothing is hidden.
    assert json.loads(text) == {
        "disclosure_control": {
            "applied": True,
            "threshold": 0,
            "rounding": None,
            "small_counts": None,
            "zeros_hidden": False,
            "protection": 3,
        },
        "rows": ["Ynys Môn", "Conwy", "Total"],
        "columns": ["Online", "Total"],
        "cells": [["12", "12"], ["0", "0"], ["12", "12"]],
        "hidden_cells": 0,
    }


@needs_standards
@settings(max_examples=RELEASES)
@given(
    cases=case_files(),
    threshold=st.integers(3, 10),
    rounding=st.sampled_from([None, 5, 10]),
    hide_zeros=st.booleans(),
)
def test_no_hidden_count_of_a_release_can_be_narrowed(
    cases: list[CaseReview], threshold: int, rounding: int | None, hide_zeros: bool
) -> None:
    release = release_of(cases, threshold=threshold, rounding=rounding, hide_zeros=hide_zeros)
    published = json.loads(release.to_json())
    assert_protected(attack_release(published))
    # Every format shows the same cells, so none tells a reader more.
    cells = cells_of_json(release.to_json())
    assert cells_of_csv(release.to_csv()) == cells
    assert cells_of_text(release.to_text()) == cells
    # The area table lists the districts of every force area with a case, and no other.
    forces = {police_force_area_of()[c.area.name] for c in cases if c.area}
    listed = [label for label, _ in cells["area"] if label not in ("Not recorded", TOTAL)]
    assert sorted(listed) == sorted(d for d, f in police_force_area_of().items() if f in forces)
    # What is shown is the true count (rounded), and only counts that are not small.
    truth = true_counts(cases)
    # With rounding, a count that would round to 0 is hidden too.
    large = threshold if rounding is None else max(threshold, math.ceil(rounding / 2) - 1)
    for name, rows in cells.items():
        counts = truth[name.split()[0]]
        for label, shown in rows:
            if shown == "[c]":
                continue
            count = len(cases) if label == TOTAL else counts[label]
            expected = (
                count if rounding is None else rounding * ((2 * count + rounding) // (2 * rounding))
            )
            assert int(shown) == expected
            assert count > large or (count == 0 and not hide_zeros)
    if release.withheld:
        assert len(cases) <= max(large, 3)


@needs_standards
@settings(max_examples=RELEASES)
@given(cases=case_files(300), threshold=st.integers(3, 10))
def test_every_secondary_cell_of_a_release_is_needed(
    cases: list[CaseReview], threshold: int
) -> None:
    release = release_of(cases, threshold=threshold)
    assume(not release.withheld)
    truth = true_counts(cases)
    published = json.loads(release.to_json())
    for name, table in release.tables.items():
        for cell in table.suppressed():
            if cell.reason is not Reason.SECONDARY or not truth[name.split()[0]][cell.row]:
                continue
            # Publish this one cell as it truly is: some hidden count is then exposed.
            changed = json.loads(json.dumps(published))
            index = table.rows.index(cell.row)
            changed["tables"][name]["cells"][index] = [str(truth[name.split()[0]][cell.row])]
            assert any(high - low < 2 for _, _, low, high in attack_release(changed)), cell


# What the listed districts tell -------------------------------------------------


@needs_standards
def test_a_force_area_listed_for_its_one_district_gives_nothing_away() -> None:
    # The City of London is listed only because a case lies there: with zeros hidden, a
    # reader knows its [c] is at least 1, and a hidden 1 or 2 beside it cannot be the
    # only partner.  Camden's 38 would leave the City's count as 1 or 2.
    funnel = ReviewFunnel(
        total=40,
        by_status={ReviewStatus.IDENTIFIED: 40},
        reached={ReviewStatus.IDENTIFIED: 40},
        by_context={AbuseContext.ONLINE: 40},
        by_area={"E09000007": 38, "E09000001": 1, "E09000033": 1},
        by_year={2015: 40},
    )
    release = release_funnel(funnel, hide_zeros=True)
    published = json.loads(release.to_json())
    area = dict(cells_of_json(release.to_json())["area"])
    assert area["City of London"] == area["Westminster"] == "[c]"
    assert area["Camden"] == "[c]"
    assert_protected(attack_release(published))
    # Had Camden been shown, the listing alone would pin the City to 1 or 2.
    shown = json.loads(release.to_json())
    table = shown["tables"]["area"]
    table["cells"][table["rows"].index("Camden")] = ["38"]
    narrowed = {label: (low, high) for _, label, low, high in attack_release(shown)}
    assert narrowed["City of London"] == (1, 2)


@needs_standards
def test_a_force_area_holding_a_case_lowers_what_other_hidden_counts_can_be() -> None:
    # All of the Met's districts hidden together hold at least one case, so a hidden
    # count outside them is at most the hidden total less one.
    program = Program()
    met, elsewhere = program.unknown(), program.unknown()
    program.constrain({met: 1, elsewhere: 1}, 3, 3)
    program.constrain({met: 1}, 1, math.inf)
    assert program.extent(elsewhere) == (0, 2)
    column = Column(((0, math.inf), (0, math.inf), (0, math.inf)), groups=(((0, 1), 1),))
    assert shared_total_ranges((3, 3), [column])[1] == [[(0, 3), (0, 3), (0, 2)]]


@st.composite
def grouped_columns(draw: st.DrawFn) -> tuple[tuple[int, int], Column]:
    """A small column with bounds, some rows grouped with a least sum, and a total's range."""
    size = draw(st.integers(1, 5))
    cells = []
    for _ in range(size):
        low = draw(st.integers(0, 3))
        high = draw(st.one_of(st.integers(low, 6), st.just(math.inf)))
        cells.append((low, high))
    rows = draw(st.permutations(range(size)))
    cuts = sorted(draw(st.sets(st.integers(0, size), max_size=3)))
    groups = tuple(
        (tuple(rows[start:end]), draw(st.integers(0, 4)))
        for start, end in itertools.pairwise([0, *cuts, size])
        if end > start and draw(st.booleans())
    )
    least = draw(st.integers(0, 12))
    return (least, least + draw(st.integers(0, 4))), Column(tuple(cells), groups=groups)


@given(grouped_columns())
def test_the_closed_form_with_groups_is_exact(problem: tuple[tuple[int, int], Column]) -> None:
    # Every assignment of whole numbers up to the total, enumerated, is the oracle.
    (least, greatest), column = problem
    cap = [min(high, greatest) for _, high in column.cells]
    feasible: list[tuple[int, ...]] = [
        values
        for values in itertools.product(
            *(range(low, int(top) + 1) for (low, _), top in zip(column.cells, cap, strict=True))
        )
        if least <= sum(values) <= greatest
        and all(sum(values[row] for row in rows) >= bound for rows, bound in column.groups)
    ]
    if not feasible:
        with pytest.raises(ValueError, match="no values meet the constraints"):
            shared_total_ranges((least, greatest), [column])
        return
    (total_least, total_greatest), (ranges,) = shared_total_ranges((least, greatest), [column])
    sums = [sum(values) for values in feasible]
    assert (total_least, total_greatest) == (min(sums), max(sums))
    assert ranges == [
        (min(v[row] for v in feasible), max(v[row] for v in feasible))
        for row in range(len(column.cells))
    ]


@st.composite
def covering_columns(draw: st.DrawFn) -> tuple[tuple[int, int], Column]:
    """A small column whose cells each count some of the cases, every case at least once."""
    cells = []
    for _ in range(draw(st.integers(1, 4))):
        low = draw(st.integers(0, 3))
        high = draw(st.sampled_from([low, low + 1, low + 3, math.inf]))
        cells.append((low, high))
    least = draw(st.integers(0, 8))
    return (least, least + draw(st.integers(0, 3))), Column(tuple(cells), partition=False)


@given(covering_columns())
def test_the_closed_form_of_a_column_that_covers_its_total_is_exact(
    problem: tuple[tuple[int, int], Column],
) -> None:
    # Every total and every assignment of whole numbers up to it, enumerated,
    # is the oracle: each cell is at most the total and together they reach it.
    (least, greatest), column = problem
    feasible = [
        (total, values)
        for total in range(least, greatest + 1)
        for values in itertools.product(
            *(range(low, int(min(high, total)) + 1) for low, high in column.cells)
        )
        if sum(values) >= total
    ]
    if not feasible:
        with pytest.raises(ValueError, match="no values meet the constraints"):
            shared_total_ranges((least, greatest), [column])
        return
    shared, (ranges,) = shared_total_ranges((least, greatest), [column])
    expected: list[Interval] = [(min(t for t, _ in feasible), max(t for t, _ in feasible))]
    expected += [
        (min(v[row] for _, v in feasible), max(v[row] for _, v in feasible))
        for row in range(len(column.cells))
    ]
    assert [shared, *ranges] == expected


def test_a_column_whose_cells_cannot_reach_the_total_lowers_its_greatest() -> None:
    # Worked by hand: 0 to 3 and 1 to 4 add up to 1 to 7, whatever the total allows.
    assert shared_total_ranges((0, 20), [Column(((0, 3), (1, 4)))]) == ((1, 7), [[(0, 3), (1, 4)]])
    covering = Column(((0, 3), (1, 4)), partition=False)
    assert shared_total_ranges((0, 20), [covering]) == ((1, 7), [[(0, 3), (1, 4)]])


def test_a_group_its_cells_can_just_reach_is_met_and_one_they_cannot_is_refused() -> None:
    # Rows 0 and 1 hold at most 1 and 2, so a bound of 3 pins them and 4 cannot be met.
    cells = ((0, 1), (0, 2), (0, 9))
    reached = Column(cells, groups=(((0, 1), 3),))
    assert shared_total_ranges((0, 20), [reached]) == ((3, 12), [[(1, 1), (2, 2), (0, 9)]])
    with pytest.raises(ValueError, match="no values meet the constraints") as error:
        shared_total_ranges((0, 20), [Column(cells, groups=(((0, 1), 4),))])
    assert str(error.value) == "no values meet the constraints"


def test_a_total_out_of_the_cells_reach_is_refused_in_the_functions_words() -> None:
    with pytest.raises(ValueError, match="no values meet the constraints") as error:
        shared_total_ranges((8, 20), [Column(((0, 3), (1, 4)))])
    assert str(error.value) == "no values meet the constraints"


def test_a_covering_column_with_no_cells_holds_a_total_of_nothing() -> None:
    assert shared_total_ranges((0, 5), [Column((), partition=False)]) == ((0, 0), [[]])


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            {"cells": ((0, 1), (0, 1)), "partition": False, "groups": (((0,), 1),)},
            "only the rows of a partition can be grouped",
        ),
        (
            {"cells": ((0, 1),), "groups": (((1,), 0),)},
            "groups must be disjoint sets of the column's rows",
        ),
        (
            {"cells": ((0, 1),), "groups": (((-1,), 0),)},
            "groups must be disjoint sets of the column's rows",
        ),
        (
            {"cells": ((0, 1), (0, 1)), "groups": (((0,), 0), ((0,), 1))},
            "groups must be disjoint sets of the column's rows",
        ),
    ],
)
def test_a_column_refuses_groups_that_are_not_its_own_rows_apart(
    column: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match="group") as error:
        Column(**column)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("shown", "known"),
    # With counts from 1 to 5 hidden and the rest rounded to 5, a published 5
    # can only be 6 or 7, and a published 10 any of 8 to 12.
    [(0, (0, 0)), (5, (6, 7)), (10, (8, 12)), (15, (13, 17))],
)
def test_a_published_rounded_count_is_known_to_be_one_that_rounds_to_it_and_is_not_small(
    shown: int, known: tuple[int, int]
) -> None:
    assert Rule(threshold=5, rounding=5).published(shown) == known


@given(st.integers(0, 10), st.sampled_from([None, 2, 3, 5, 10]), st.booleans(), st.data())
def test_what_a_published_count_tells_is_every_count_shown_so(
    threshold: int, rounding: int | None, hide_zeros: bool, data: st.DataObject
) -> None:
    rule = Rule(threshold=threshold, rounding=rounding, hide_zeros=hide_zeros)
    # The oracle: every true count up to well past the largest, shown as it would be.
    behind: dict[int, list[int]] = {}
    for count in range(200):
        if not rule.is_small(count):
            behind.setdefault(rule.shown(count), []).append(count)
    shown = data.draw(st.sampled_from(sorted(value for value in behind if value < 150)))
    assert rule.published(shown) == (min(behind[shown]), max(behind[shown]))


# The two releases that could be undone before -----------------------------------


def funnel_in_every_format(path: Path, *options: str) -> dict[str, str]:
    outputs = {}
    for form in ("text", "csv", "json"):
        result = cli("funnel", str(path), "--format", form, *options)
        assert result.returncode == 0, result.stderr
        outputs[form] = result.stdout
    return outputs


@needs_standards
@pytest.mark.parametrize(("size", "seed"), [(18, 7), (79, 1)])
def test_the_releases_once_undone_pin_nothing_in_any_format(
    tmp_path: Path, size: int, seed: int
) -> None:
    path = tmp_path / "cases.jsonl"
    assert (
        cli("synthesise", "--cases", str(size), "--seed", str(seed), "-o", str(path)).returncode
        == 0
    )
    outputs = funnel_in_every_format(path)
    published = json.loads(outputs["json"])
    cells = cells_of_json(outputs["json"])
    assert cells_of_csv(outputs["csv"]) == cells
    assert cells_of_text(outputs["text"]) == cells
    # Each format, read on its own with the rule its notice states, pins nothing.
    for reader in (cells_of_json, cells_of_csv, cells_of_text):
        from_format = json.loads(json.dumps(published))
        for name, rows in reader(outputs[reader.__name__.rsplit("_", 1)[1]]).items():
            from_format["tables"][name]["cells"] = [[shown] for _, shown in rows]
        found = attack_release(from_format)
        assert found
        assert_protected(found)
    # Why a cell was hidden is never published.
    for text in outputs.values():
        assert "primary" not in text
        assert "secondary" not in text
    # The notice, with the rule, goes with every format.
    for text in outputs.values():
        assert " ".join(published["notice"].split()) in " ".join(text.replace("# ", "").split())


@needs_standards
def test_eighteen_cases_in_eighteen_places_hide_the_areas_zeros(tmp_path: Path) -> None:
    # Published as before, 18 [c] over 18 areas with every other area 0 gave each [c] as 1.
    path = tmp_path / "cases.jsonl"
    cli("synthesise", "--cases", "18", "--seed", "7", "-o", str(path))
    area = json.loads(funnel_in_every_format(path)["json"])["tables"]["area"]
    assert area["disclosure_control"]["zeros_hidden"] is True
    assert "In this table [c] may also stand for 0." in area["notes"]
    # The Met's 32 boroughs are listed (the City has its own force), then the rest.
    assert area["rows"][:-2] == districts_of("Metropolitan Police")
    assert area["rows"][-2:] == ["Not recorded", TOTAL]
    assert [row for row in area["cells"] if row != ["[c]"]] == [["18"]]
    assert area["hidden_cells"] == 33


def test_seventy_nine_cases_publish_no_context_total(tmp_path: Path) -> None:
    # The context total (96) less the shown cells (89) once split 7 between two cells.
    path = tmp_path / "cases.jsonl"
    cli("synthesise", "--cases", "79", "--seed", "1", "-o", str(path))
    data = json.loads(funnel_in_every_format(path)["json"])
    context = data["tables"]["context (a case may count under several)"]
    assert TOTAL not in context["rows"]
    assert context["rows"] == [c.label for c in AbuseContext]
    status = data["tables"]["status"]
    assert status["rows"][-1] == TOTAL
    assert status["cells"][-1] == ["79"]
    assert status["hidden_cells"] == sum(row == ["[c]"] for row in status["cells"]) == 2


# The rule, as stated and as applied ---------------------------------------------


def test_threshold_zero_claims_nothing_was_protected(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    cli("synthesise", "--cases", "40", "--seed", "3", "-o", str(path))
    for text in funnel_in_every_format(path, "--threshold", "0").values():
        assert "from 1 to 0" not in text
        assert "[c]" not in text.replace("shown as [c]", "")
    data = json.loads(cli("funnel", str(path), "--format", "json", "--threshold", "0").stdout)
    assert "no count is small enough to be hidden" in data["notice"]
    assert data["tables"]["status"]["disclosure_control"]["small_counts"] is None


@pytest.mark.parametrize(
    "options",
    [
        ["--threshold", "-1"],
        ["--threshold", "three"],
        ["--round", "3"],
        ["--no-disclosure-control", "--threshold", "5"],
        ["--no-disclosure-control", "--round", "5"],
        ["--no-disclosure-control", "--hide-zeros"],
    ],
)
def test_funnel_options_used_wrongly_are_usage_errors(tmp_path: Path, options: list[str]) -> None:
    path = tmp_path / "cases.jsonl"
    cli("synthesise", "--cases", "5", "-o", str(path))
    result = cli("funnel", str(path), *options)
    assert result.returncode == 2
    assert result.stdout == ""


def test_rounding_is_in_the_notice_and_hides_what_would_round_to_zero() -> None:
    table = protect(
        ["A", "B", "C", "D"],
        ["Cases"],
        {("A", "Cases"): 2, ("B", "Cases"): 13, ("C", "Cases"): 27, ("D", "Cases"): 41},
        threshold=1,
        rounding=5,
        row_totals=False,
    )
    # 2 would round to 0, so it is hidden although the threshold is 1.
    assert table.shown("A", "Cases") == "[c]"
    assert [table.shown(r, "Cases") for r in ("C", "D", TOTAL)] == ["25", "40", "85"]
    assert table.notice() == (
        "Disclosure control applied: counts from 1 to 2 are shown as [c] (the threshold is 1; "
        f"counts up to 2 would round to 0), {FURTHER} Zeros are shown as 0 unless a table says "
        "otherwise. Every count shown, totals included, is rounded to the nearest 5 (halves "
        "up), so totals may differ from the sum of their rows."
    )
    assert_protected(attack_table(table))


@pytest.mark.parametrize(("hide_zeros", "least"), [(False, 1), (True, 0)])
def test_a_rounded_tables_data_gives_the_small_counts_rounding_hides(
    hide_zeros: bool, least: int
) -> None:
    # Threshold 1, but 1 and 2 round to 0 at a base of 5: the small counts
    # run to 2, from 0 when zeros are hidden too.
    table = protect(
        ["A", "B"],
        ["Cases"],
        {("A", "Cases"): 2, ("B", "Cases"): 41},
        threshold=1,
        rounding=5,
        hide_zeros=hide_zeros,
        row_totals=False,
    )
    assert table.as_data()["disclosure_control"] == {
        "applied": True,
        "threshold": 1,
        "rounding": 5,
        "small_counts": [least, 2],
        "zeros_hidden": hide_zeros,
        "protection": 3,
    }


@pytest.mark.parametrize(
    ("settings", "small", "protection"),
    [
        # Threshold 1 hides the counts of 1: the small counts run from 1 to 1.
        ({"threshold": 1}, [1, 1], 3),
        # Without control nothing is hidden and nothing is promised.
        ({"control": False}, None, None),
    ],
)
def test_a_tables_data_gives_its_small_counts_and_protection_only_under_control(
    settings: dict[str, Any], small: list[int] | None, protection: int | None
) -> None:
    table = protect(["A", "B"], ["Cases"], {("A", "Cases"): 1, ("B", "Cases"): 41}, **settings)
    rule = table.as_data()["disclosure_control"]
    assert (rule["small_counts"], rule["protection"]) == (small, protection)


def test_ten_rounds_halves_up() -> None:
    table = protect(
        ["A", "B"], ["X"], {("A", "X"): 15, ("B", "X"): 25}, rounding=10, row_totals=False
    )
    assert [table.shown(r, "X") for r in ("A", "B", TOTAL)] == ["20", "30", "40"]


def test_hidden_zeros_are_a_rule_of_their_own() -> None:
    counts = {("A", "X"): 0, ("B", "X"): 40, ("C", "X"): 31}
    shown = protect(["A", "B", "C"], ["X"], counts, row_totals=False)
    hidden = protect(["A", "B", "C"], ["X"], counts, row_totals=False, hide_zeros=True)
    assert shown.shown("A", "X") == "0"
    assert not shown.suppressed()
    assert [c.row for c in hidden.suppressed()] == ["A", "C"]
    assert "counts from 0 to 5" in hidden.notice()
    assert_protected(attack_table(hidden))


def test_a_negative_threshold_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        protect(["A"], ["X"], {("A", "X"): 1}, threshold=-1)
    assert error.value.problems[0].path == "/threshold"


@pytest.mark.parametrize(
    ("settings", "path", "message"),
    [
        ({"threshold": -1}, "/threshold", "must be a whole number of at least 0"),
        ({"threshold": True}, "/threshold", "must be a whole number of at least 0"),
        ({"threshold": 5.0}, "/threshold", "must be a whole number of at least 0"),
        ({"rounding": 0}, "/rounding", "must be a whole number of at least 1"),
        ({"rounding": -5}, "/rounding", "must be a whole number of at least 1"),
        ({"rounding": True}, "/rounding", "must be a whole number of at least 1"),
        ({"rounding": 5.0}, "/rounding", "must be a whole number of at least 1"),
    ],
)
def test_a_rule_refuses_a_threshold_or_rounding_that_is_not_a_whole_number_in_range(
    settings: dict[str, Any], path: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        Rule(**settings)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [(path, message, "type")]


def test_the_least_threshold_and_rounding_are_kept() -> None:
    rule = Rule(threshold=0, rounding=1)
    assert (rule.threshold, rule.rounding, rule.largest_small) == (0, 1, 0)
    assert rule.shown(7) == 7


def test_acro_defaults_on_a_worked_table() -> None:
    # ACRO's defaults: fewer than 10 is disclosive, zeros too; here as --threshold 9 --hide-zeros.
    counts = dict(zip([(a, "Cases") for a in "ABCDEF"], [0, 2, 7, 9, 12, 30], strict=True))
    ours = protect(list("ABCDEF"), ["Cases"], counts, row_totals=False)
    acro = protect(
        list("ABCDEF"), ["Cases"], counts, row_totals=False, threshold=9, hide_zeros=True
    )
    assert [ours.shown(r, "Cases") for r in ours.rows] == ["0", "[c]", "[c]", "9", "12", "30", "60"]
    assert [acro.shown(r, "Cases") for r in acro.rows] == [
        "[c]",
        "[c]",
        "[c]",
        "[c]",
        "12",
        "30",
        "60",
    ]
    assert_protected(attack_table(ours))
    assert_protected(attack_table(acro))


# Two-way tables ---------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    rows = [f"r{i}" for i in range(draw(st.integers(1, 5)))]
    columns = [f"c{j}" for j in range(draw(st.integers(1, 4)))]
    small = st.integers(0, 8)
    counts = st.one_of(small, small, st.integers(0, 60))
    return rows, columns, {(r, c): draw(counts) for r in rows for c in columns}


@settings(max_examples=TABLES)
@given(
    tables(),
    st.integers(0, 6),
    st.sampled_from([None, 5]),
    st.booleans(),
    st.booleans(),
)
def test_no_hidden_count_of_a_table_can_be_narrowed(
    table: tuple[list[str], list[str], dict[tuple[str, str], int]],
    threshold: int,
    rounding: int | None,
    hide_zeros: bool,
    row_totals: bool,
) -> None:
    rows, columns, counts = table
    if not row_totals:
        columns = columns[:1]
        counts = {key: value for key, value in counts.items() if key[1] == columns[0]}
    protected = protect(
        rows,
        columns,
        counts,
        threshold=threshold,
        rounding=rounding,
        hide_zeros=hide_zeros,
        row_totals=row_totals,
    )
    assert_protected(attack_table(protected))
    assert protected.hidden_cells == sum(
        cell.symbol is Symbol.CONFIDENTIAL for cell in protected.cells.values()
    )
    # A reader told that zeros are shown takes every [c] for at least 1: it must be.
    if not protected.zeros_hidden and not hide_zeros:
        assert all(
            counts[cell.row, cell.column]
            for cell in protected.suppressed()
            if TOTAL not in (cell.row, cell.column)
        )


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


def test_a_lone_small_count_in_a_grid_is_covered_by_a_rectangle_of_four() -> None:
    # The 2 takes its row's or column's smallest partner (Y's 20 over X's 25), then
    # one in the line where it is still hidden alone (X's 25 over 35), then the
    # cell that closes the rectangle (40), not one that opens a new column (30).
    counts = dict(
        zip(
            itertools.product("ABC", "XYZ"),
            [2, 20, 30, 25, 40, 50, 35, 45, 55],
            strict=True,
        )
    )
    table = protect(list("ABC"), list("XYZ"), counts)
    assert [(c.row, c.column, c.reason) for c in table.suppressed()] == [
        ("A", "X", Reason.PRIMARY),
        ("A", "Y", Reason.SECONDARY),
        ("B", "X", Reason.SECONDARY),
        ("B", "Y", Reason.SECONDARY),
    ]
    assert_protected(attack_table(table))


@st.composite
def one_small_cell(draw: st.DrawFn) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """A grid of large counts but one, each partner roomy enough to cover it."""
    rows = [f"r{i}" for i in range(draw(st.integers(2, 6)))]
    columns = [f"c{j}" for j in range(draw(st.integers(2, 5)))]
    counts = {key: draw(st.integers(20, 500)) for key in itertools.product(rows, columns)}
    counts[draw(st.sampled_from(sorted(counts)))] = draw(st.integers(1, 5))
    return rows, columns, counts


@given(one_small_cell())
def test_a_lone_small_count_is_always_covered_by_four_cells_in_a_rectangle(
    table: tuple[list[str], list[str], dict[tuple[str, str], int]],
) -> None:
    # Four is the least: the small cell needs a partner in its row and one in its
    # column, and each of those a partner in its own column and row.
    rows, columns, counts = table
    protected = protect(rows, columns, counts)
    hidden = {(c.row, c.column) for c in protected.suppressed()}
    (small,) = [key for key, count in counts.items() if count <= 5]
    assert small in hidden
    assert len(hidden) == 4
    assert len({row for row, _ in hidden}) == len({column for _, column in hidden}) == 2
    assert_protected(attack_table(protected))


def test_ones_with_zeros_shown_take_more_than_one_partner() -> None:
    # 1 and 2 hidden with the total known: 1 + 2 = 3 splits only as 1 + 2 or 2 + 1.
    table = protect(
        ["A", "B", "C", "D"],
        ["Cases"],
        {("A", "Cases"): 1, ("B", "Cases"): 2, ("C", "Cases"): 0, ("D", "Cases"): 30},
        row_totals=False,
        threshold=2,
    )
    assert table.shown("D", "Cases") == "[c]"
    assert_protected(attack_table(table))


def zero_freeing_table() -> ProtectedTable:
    """1, 1, 1, 2 and 0 under a threshold of 1, which only hiding the zero protects."""
    return protect(
        list("ABCDE"),
        ["Cases"],
        dict(zip([(r, "Cases") for r in "ABCDE"], [1, 1, 1, 2, 0], strict=True)),
        row_totals=False,
        threshold=1,
    )


def test_a_partner_made_needless_by_hiding_the_zeros_is_shown_again() -> None:
    # 1 + 1 + 1 + 2 with zeros shown pins every cell; hiding the zero frees them all,
    # and then the 2 no longer needs hiding.
    table = zero_freeing_table()
    assert [table.shown(r, "Cases") for r in table.rows] == ["[c]", "[c]", "[c]", "2", "[c]", "5"]
    assert [(c.row, c.reason) for c in table.suppressed()] == [
        ("A", Reason.PRIMARY),
        ("B", Reason.PRIMARY),
        ("C", Reason.PRIMARY),
        ("E", Reason.SECONDARY),
    ]
    assert table.zeros_hidden
    assert "In this table [c] may also stand for 0." in table.notice()
    assert_protected(attack_table(table))


def test_a_zero_hidden_on_the_way_is_shown_again_and_the_table_says_zeros_are_shown() -> None:
    # The zero was hidden while the pattern was searched for, and turned out not to be
    # needed: it is published as 0, and the table does not say [c] may stand for 0.
    counts = {("r0", "c0"): 2, ("r0", "c1"): 7, ("r0", "c2"): 0, ("r0", "c3"): 12}
    table = protect(["r0"], ["c0", "c1", "c2", "c3"], counts)
    assert table.to_csv() == ",c0,c1,c2,c3,Total\nr0,[c],[c],0,[c],21\nTotal,[c],[c],0,[c],21\n"
    assert not table.zeros_hidden
    assert "may also stand for 0" not in table.notice()
    assert_protected(attack_table(table))


def test_the_last_pass_shows_the_larger_of_two_counts_either_of_which_would_do() -> None:
    #         c0  c1  Total
    #   r0     7   2      9
    #   r1     9   2     11
    #   Total 16   4     20
    # The two 2s and their total 4 are small.  Once the search is done, r0's 7 and r1's 9
    # are both hidden, and either alone keeps the small counts from being worked out: with
    # 9 shown, r0's c0 is 11 less the two small counts, anything from 0 to 9; with 7 shown,
    # r1's c0 is 13 less them.  The pass that shows cells again takes the larger first, so
    # 9 is published and 7 stays hidden.
    counts = {("r0", "c0"): 7, ("r0", "c1"): 2, ("r1", "c0"): 9, ("r1", "c1"): 2}
    table = protect(["r0", "r1"], ["c0", "c1"], counts)
    assert table.to_csv() == ",c0,c1,Total\nr0,[c],[c],[c]\nr1,9,[c],[c]\nTotal,[c],[c],20\n"
    assert_protected(attack_table(table))


def test_small_counts_that_pin_each_other_with_no_zero_to_hide_hide_their_total() -> None:
    # Ten hidden counts of at least 1 adding up to 10 are all 1.  No other count
    # and no zero can be hidden instead, so the total is; nothing says a [c]
    # may be 0, since none is.
    rows = [f"Area {number}" for number in range(10)]
    table = protect(rows, ["Cases"], {(row, "Cases"): 1 for row in rows}, row_totals=False)
    assert table.shown(TOTAL, "Cases") == "[c]"
    assert [c.reason for c in table.suppressed()] == [Reason.PRIMARY] * 10 + [Reason.SECONDARY]
    assert not table.zeros_hidden
    assert "may also stand for 0" not in table.notice()


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
    assert "NOT applied" in table.notice()


SMALL_FUNNEL = ReviewFunnel(
    total=30,
    reached={},
    by_status={ReviewStatus.IDENTIFIED: 27, ReviewStatus.INITIAL_ASSESSMENT: 3},
    by_context={AbuseContext.ONLINE: 30, AbuseContext.PEER_ON_PEER: 2},
    by_area={"E09000007": 20, "E09000005": 8, "not_recorded": 2},
    by_year={2012: 30},
)


def two_year_funnel() -> ReviewFunnel:
    return ReviewFunnel(
        total=30,
        reached={},
        by_status={ReviewStatus.IDENTIFIED: 27, ReviewStatus.INITIAL_ASSESSMENT: 3},
        by_context={AbuseContext.ONLINE: 30, AbuseContext.PEER_ON_PEER: 2},
        by_area={"E09000007": 20, "E09000005": 8, "not_recorded": 2},
        by_year={2012: 24, 2014: 6},
    )


def test_a_small_release_hides_exactly_the_cells_worked_out_by_hand() -> None:
    # Status: the 3 is small and the total gives it away, so the 27 beside it
    # goes too.  Contexts: the 2 is small; no total is shown and a context may
    # hold every case, so nothing else is needed.  Areas: the 2 not recorded
    # would be 30 - 20 - 8, so Brent's 8, the smallest other count, goes too.
    # Years: nothing small, and 2013 is a true 0.
    release = release_funnel(two_year_funnel())
    hidden = {
        name: [(c.row, c.column, c.reason) for c in table.suppressed()]
        for name, table in release.tables.items()
    }
    cases = "Cases"
    assert list(hidden.values()) == [
        [("Identified", cases, Reason.SECONDARY), ("Initial assessment", cases, Reason.PRIMARY)],
        [("Peer-on-peer abuse", cases, Reason.PRIMARY)],
        [("Brent", cases, Reason.SECONDARY), ("Not recorded", cases, Reason.PRIMARY)],
        [],
    ]
    assert all(table.controlled and not table.hide_zeros for table in release.tables.values())
    years = release.tables["year the offending began"]
    assert [years.shown(year, cases) for year in ("2012", "2013", "2014", TOTAL)] == [
        "24",
        "0",
        "6",
        "30",
    ]
    assert release.to_json().startswith('{\n  "notice": "Disclosure control applied: ')
    assert release.to_json().endswith("\n}\n")


#: The notes a release gives its tables when no table needs more.
TABLE_NOTES = {
    "status": (),
    "context (a case may count under several)": (
        "A case may count under several contexts, so these counts add up to more than the "
        "number of cases; no total is shown.",
    ),
    "area": (),
    "year the offending began": (
        "The years run from the first to the last year in which a case began.",
    ),
}


@pytest.mark.parametrize(
    ("hide_zeros", "zeros"),
    [
        (False, " Zeros are shown as 0 unless a table says otherwise."),
        (True, ""),
    ],
)
def test_a_small_release_says_what_it_follows_and_notes_its_tables(
    hide_zeros: bool, zeros: str
) -> None:
    release = release_funnel(two_year_funnel(), hide_zeros=hide_zeros)
    smallest = 0 if hide_zeros else 1
    assert release.notice == (
        f"Disclosure control applied: counts from {smallest} to 5 are shown as [c], {FURTHER}"
        f"{zeros}"
    )
    # Where the rule hides zeros, the notice says so once for every table.
    assert release.notes == TABLE_NOTES
    for table in release.tables.values():
        assert table.hide_zeros is hide_zeros
        for (row, column), cell in table.cells.items():
            assert (cell.row, cell.column) == (row, column)


def test_a_table_protected_only_by_hiding_its_zero_says_so_and_no_other_does() -> None:
    # Five statuses hold 2, 1, 1, 1 and 1 of the 6 cases: all small, and with
    # zeros shown each could only be 1 or 2.  Hiding the one zero as well is
    # the only way to protect them, and that table alone says [c] may be 0.
    funnel = ReviewFunnel(
        total=6,
        reached={},
        by_status={
            ReviewStatus.IDENTIFIED: 2,
            ReviewStatus.INITIAL_ASSESSMENT: 1,
            ReviewStatus.CLOSED_NO_FURTHER_ACTION: 1,
            ReviewStatus.REFERRED_FOR_REINVESTIGATION: 1,
            ReviewStatus.REINVESTIGATION: 1,
        },
        by_context={AbuseContext.ONLINE: 6},
        by_area={"E09000007": 6},
        by_year={2012: 6},
    )
    release = release_funnel(funnel)
    assert not release.withheld
    status = release.tables["status"]
    assert [status.shown(row, "Cases") for row in status.rows] == ["[c]"] * 6 + ["6"]
    assert release.notes == {**TABLE_NOTES, "status": ("In this table [c] may also stand for 0.",)}


def test_a_release_without_control_says_so_first_and_hides_nothing() -> None:
    release = release_funnel(two_year_funnel(), control=False)
    assert release.notice == (
        "Disclosure control NOT applied: these counts may identify people and must not be "
        "published."
    )
    assert release.to_text().startswith(release.notice)
    assert not any(table.controlled for table in release.tables.values())
    assert all(table.hidden_cells == 0 for table in release.tables.values())


@needs_standards
@pytest.mark.parametrize(
    "by_year",
    [
        # One case in each of the first and last years.  With zeros hidden too, a
        # hidden count may be 0, but a reader knows the first and last years
        # listed hold a case each: their sum alone would give both away.
        {2010: 1, 2011: 50, 2012: 1},
        {2010: 1, 2012: 50, 2014: 1},
        {2015: 2, 2016: 48, 2017: 2},
        # Two small counts side by side at one end: only the end year is known
        # to hold a case, and that is enough to narrow both down.
        {2010: 50, 2011: 1, 2012: 1},
        {2010: 1, 2011: 1, 2012: 50},
    ],
)
def test_the_first_and_last_years_a_reader_knows_hold_a_case_are_protected(
    by_year: dict[int, int],
) -> None:
    total = sum(by_year.values())
    funnel = ReviewFunnel(
        total=total,
        reached={},
        by_status={ReviewStatus.IDENTIFIED: total},
        by_context={AbuseContext.ONLINE: total},
        by_area={"E09000007": total},
        by_year=by_year,
    )
    published = json.loads(release_funnel(funnel, hide_zeros=True).to_json())
    assert_protected(attack_release(published))
    shown = cells_of_json(json.dumps(published))["year the offending began"]
    # Every year from the first to the last is listed, those without a case too.
    years = range(min(by_year), max(by_year) + 1)
    assert [label for label, _ in shown] == [*map(str, years), TOTAL]


def test_a_funnel_without_a_case_lists_no_year_and_shows_every_count_as_0() -> None:
    empty = ReviewFunnel(total=0, reached={}, by_status={}, by_context={}, by_area={}, by_year={})
    release = release_funnel(empty)
    assert not release.withheld
    cells = cells_of_json(release.to_json())
    assert cells["year the offending began"] == [(TOTAL, "0")]
    assert cells["area"] == [("Not recorded", "0"), (TOTAL, "0")]
    assert {shown for rows in cells.values() for _, shown in rows} == {"0"}


def test_tables_no_pattern_can_protect_are_withheld_whole() -> None:
    # Two years, both known to hold a case, with three cases between them:
    # however the years are hidden, the total narrows 2013 to one case or two.
    funnel = ReviewFunnel(
        total=3,
        reached={},
        by_status={ReviewStatus.IDENTIFIED: 3},
        by_context={AbuseContext.ONLINE: 3},
        by_area={"E09000007": 3},
        by_year={2012: 2, 2013: 1},
    )
    release = release_funnel(funnel, threshold=1)
    assert release.withheld
    assert release.notice.endswith(
        "Every count is withheld: there are too few cases to publish these tables without "
        "revealing small counts."
    )
    cells = cells_of_json(release.to_json())
    assert {shown for rows in cells.values() for _, shown in rows} == {"[c]"}
    assert json.loads(release.to_json())["withheld"] is True
    # The notice says every count is withheld; no table adds that [c] may be 0.
    assert release.notes == TABLE_NOTES
    # The one small count is hidden for itself, every other count with it.
    years = release.tables["year the offending began"]
    assert [(cell.row, cell.reason) for cell in years.suppressed()] == [
        ("2012", Reason.SECONDARY),
        ("2013", Reason.PRIMARY),
        (TOTAL, Reason.SECONDARY),
    ]


def test_contexts_and_statuses_without_a_case_are_published_as_0() -> None:
    cells = cells_of_json(release_funnel(SMALL_FUNNEL, threshold=1).to_json())
    contexts = dict(cells["context (a case may count under several)"])
    assert contexts[AbuseContext.INTRAFAMILIAL.label] == "0"
    assert dict(cells["status"])["Outcome recorded"] == "0"
    assert dict(cells["area"])["Not recorded"] == "2"


def test_a_cell_not_given_counts_0_and_one_not_applicable_is_shown_as_such() -> None:
    table = protect(
        ["Camden", "Brent"],
        ["Online", "Peer"],
        {("Camden", "Online"): 40, ("Camden", "Peer"): 30},
        not_applicable=frozenset({("Brent", "Peer")}),
        threshold=0,
    )
    assert table.to_rows() == [
        ["", "Online", "Peer", "Total"],
        ["Camden", "40", "30", "70"],
        ["Brent", "0", "[z]", "0"],
        ["Total", "40", "30", "70"],
    ]


def test_the_text_release_wraps_its_notice_at_100_characters_then_aligns_its_tables() -> None:
    release = release_funnel(SMALL_FUNNEL, threshold=1, rounding=5)
    text = release.to_text()
    head, *blocks = text.split("\n\n")
    lines = head.splitlines()
    assert " ".join(lines) == release.notice
    # Each line is as full as it can be: the next word would take it past 100.
    assert all(len(line) <= 100 for line in lines)
    assert all(len(a) + 1 + len(b.split()[0]) > 100 for a, b in itertools.pairwise(lines))
    assert "SYNTHETIC" not in text
    for block in blocks:
        title, *table = [line for line in block.splitlines() if not line.startswith("Note: ")]
        assert title.startswith("Cases by ")
        # Labels to the left, counts to the right: every line of a table is as long.
        assert len({len(line) for line in table}) == 1, block
        assert all(line[0] != " " for line in table[1:])


@pytest.mark.parametrize(
    ("synthetic", "said"), [(0, None), (1, "some"), (12, "some"), (29, "some"), (30, "all")]
)
def test_a_release_says_whether_all_or_some_records_are_synthetic(
    synthetic: int, said: str | None
) -> None:
    release = release_funnel(SMALL_FUNNEL, synthetic=synthetic)
    text, csv_text = release.to_text(), release.to_csv()
    assert text.startswith("Disclosure control applied")
    if said is None:
        assert "SYNTHETIC" not in text + csv_text
        return
    line = f"SYNTHETIC: {said} of these records are synthetic, not real cases."
    lines = text.splitlines()
    # The line follows the notice, before the first table.
    assert " ".join(lines[: lines.index(line)]) == release.notice
    assert csv_text.count(f"# {line}\n") == len(release.tables)


def test_a_release_as_json_holds_its_notice_synthetic_share_and_tables_with_notes() -> None:
    release = release_funnel(SMALL_FUNNEL, synthetic=12)
    published = json.loads(release.to_json())
    assert list(published) == ["notice", "synthetic_records", "withheld", "tables"]
    assert (published["notice"], published["synthetic_records"], published["withheld"]) == (
        release.notice,
        "some",
        False,
    )
    assert list(published["tables"]) == list(release.tables)
    for name, table in published["tables"].items():
        assert table["notes"] == list(release.notes[name])
        assert {key: value for key, value in table.items() if key != "notes"} == (
            release.tables[name].as_data()
        )


@pytest.mark.parametrize(
    ("rows", "columns", "counts", "problems"),
    [
        ([], ["X"], {}, [("", "must have at least one row and one column", "empty")]),
        (["A"], [], {}, [("", "must have at least one row and one column", "empty")]),
        (["A", "A"], ["X"], {}, [("", "labels must be unique and not 'Total'", "labels")]),
        (["A"], ["X", "X"], {}, [("", "labels must be unique and not 'Total'", "labels")]),
        ([TOTAL], ["X"], {}, [("", "labels must be unique and not 'Total'", "labels")]),
        (["A"], [TOTAL], {}, [("", "labels must be unique and not 'Total'", "labels")]),
        (
            ["A"],
            ["X"],
            {("B", "X"): 1, ("A", "Y"): 2},
            [
                ("/B/X", "is not a cell of the table", "cell"),
                ("/A/Y", "is not a cell of the table", "cell"),
            ],
        ),
        (
            ["A", "B"],
            ["X", "Y"],
            {("A", "Y"): 2.0, ("B", "X"): -1, ("B", "Y"): True},
            [
                ("/A/Y", "must be a whole number", "type"),
                ("/B/X", "must not be negative", "minimum"),
                ("/B/Y", "must be a whole number", "type"),
            ],
        ),
    ],
)
def test_a_table_that_is_not_one_is_refused_with_every_problem(
    rows: list[str],
    columns: list[str],
    counts: dict[tuple[str, str], int],
    problems: list[tuple[str, str, str]],
) -> None:
    with pytest.raises(ValidationError) as error:
        protect(rows, columns, counts)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == problems


def test_a_table_without_control_says_in_full_that_it_must_not_be_published() -> None:
    table = protect(["A"], ["X"], {("A", "X"): 2}, control=False)
    assert table.notice() == (
        "Disclosure control NOT applied: these counts may identify people and must not "
        "be published."
    )


def test_the_zeros_note_follows_the_rule_only_where_zeros_were_hidden() -> None:
    shown = protect(
        ["A", "B"], ["Cases"], {("A", "Cases"): 2, ("B", "Cases"): 40}, row_totals=False
    )
    assert not shown.zeros_hidden
    assert "stand for 0" not in shown.notice()
    hidden = zero_freeing_table()
    assert hidden.zeros_hidden
    rule, zeros = hidden.notice().split(". In this table ")
    assert zeros == "[c] may also stand for 0."
    assert rule.startswith("Disclosure control applied")
    assert "  " not in hidden.notice()


def test_outputs_as_csv_and_json_never_say_why() -> None:
    table = protect(["A", "B"], ["X"], {("A", "X"): 2, ("B", "X"): 30}, row_totals=False)
    assert table.to_csv() == ",X\nA,[c]\nB,[c]\nTotal,32\n"
    data = json.loads(table.to_json())
    assert data["hidden_cells"] == 2
    assert "primary" not in table.to_json()
    assert "secondary" not in table.to_json()


@pytest.mark.parametrize(
    "bad",
    [{("A", "X"): -1}, {("A", "X"): 1.5}, {("A", "X"): True}, {("Z", "X"): 1}],
)
def test_bad_counts_are_refused(bad: dict[tuple[str, str], Any]) -> None:
    with pytest.raises(ValidationError):
        protect(["A"], ["X"], bad)


# Differencing -------------------------------------------------------------------


def test_two_exact_releases_one_case_apart_give_the_new_case_away() -> None:
    # The risk the privacy page documents: suppression alone does not stop it.
    cases = list(synthetic_cases(200, seed=5))
    before = cells_of_json(release_of(cases[:-1]).to_json())
    after = cells_of_json(release_of(cases).to_json())
    status = dict(after["status"])
    changed = [
        label
        for label, shown in before["status"]
        if shown != "[c]" and status[label] != "[c]" and int(status[label]) != int(shown)
    ]
    new = cases[-1].status.value.replace("_", " ").capitalize()
    assert changed == [new, TOTAL]


# The benchmark ------------------------------------------------------------------


def test_the_disclosure_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    # Timing belongs to `make bench`; here only that the script works and reports a verdict.
    benchmarks = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        import disclosure
    finally:
        sys.path.remove(str(benchmarks))
    disclosure.main(["--repeats", "1"])
    printed = capsys.readouterr().out
    assert "33 areas from" in printed
    assert printed.count("PASS") + printed.count("FAIL") == 1


# The flow network behind two-way tables, against brute force -----------------

#: Small flow networks: up to three nodes, up to four edges with bounds from 0 to
#: 3, at most one of them unbounded, so that every flow can be listed.
NETWORKS = st.integers(1, 3).flatmap(
    lambda nodes: st.tuples(
        st.just(nodes),
        st.lists(
            st.tuples(
                st.integers(0, nodes - 1),
                st.integers(0, nodes - 1),
                st.integers(0, 2),
                st.sampled_from([0, 1, 2, 3, math.inf]),
            ),
            min_size=1,
            max_size=4,
        ).filter(lambda edges: sum(high == math.inf for *_, high in edges) <= 1),
    )
)


def most_any_edge_needs(edges: Sequence[Edge]) -> int:
    """The most a bounded edge can carry: an unbounded edge carrying more can carry any amount."""
    return sum(int(high) for *_, high in edges if high != math.inf) + sum(
        low for _, _, low, _ in edges
    )


def balanced_flows(nodes: int, edges: Sequence[Edge]) -> list[tuple[int, ...]]:
    """Every flow within the edges' bounds that balances at every node, listed in full.

    An unbounded edge is listed up to one more than :func:`most_any_edge_needs`.
    """
    cap = most_any_edge_needs(edges) + 1
    ranges = [range(low, (cap if high == math.inf else int(high)) + 1) for _, _, low, high in edges]
    found = []
    for flows in itertools.product(*ranges):
        balance = [0] * nodes
        for (start, end, _, _), flow in zip(edges, flows, strict=True):
            balance[start] -= flow
            balance[end] += flow
        if not any(balance):
            found.append(flows)
    return found


@given(NETWORKS)
def test_a_network_is_feasible_exactly_when_a_balanced_flow_exists(
    network: tuple[int, list[Edge]],
) -> None:
    nodes, edges = network
    assert feasible(nodes, edges) == bool(balanced_flows(nodes, edges))


@given(NETWORKS, st.data())
def test_an_edge_can_move_by_a_spread_exactly_when_its_values_reach_that_far(
    network: tuple[int, list[Edge]], data: st.DataObject
) -> None:
    nodes, edges = network
    flows = balanced_flows(nodes, edges)
    assume(flows)
    index = data.draw(st.integers(0, len(edges) - 1))
    value = data.draw(st.sampled_from(flows))[index]
    spread = data.draw(st.integers(1, 4))
    values = {flow[index] for flow in flows}
    unbounded = max(values) > most_any_edge_needs(edges)
    longest = math.inf if unbounded else max(values) - min(values)
    assert can_move_by(nodes, edges, index, value, spread) == (longest >= spread)


@pytest.mark.parametrize(
    ("nodes", "edges", "expected"),
    [
        # Two units from node 0 round to 0 again: by 0-1-4-5 and 0-2-3-5.  The
        # shortest path found first, 0-1-3-5, must be undone in part.
        (
            6,
            [
                (0, 1, 0, 1),
                (0, 2, 0, 1),
                (1, 3, 0, 1),
                (1, 4, 0, 1),
                (2, 3, 0, 1),
                (3, 5, 0, 1),
                (4, 5, 0, 1),
                (5, 0, 2, 2),
            ],
            True,
        ),
        # Four units from node 0 round to 0 again: one by 0-1-3-4-6, two by
        # 0-2-5-6 and one by 0-5-1-3-4-6.  The shortest paths, found first, are
        # 0-5-6 and 0-1-5-6; the last path found then sends two units from 5 to
        # 1, one within the edge 5-1 and one undoing the flow along 1-5.
        (
            7,
            [
                (0, 1, 0, 1),
                (0, 2, 0, 2),
                (0, 5, 0, 1),
                (1, 3, 0, 2),
                (1, 5, 0, 1),
                (2, 5, 0, 2),
                (3, 4, 0, 2),
                (4, 6, 0, 2),
                (5, 1, 0, 1),
                (5, 6, 0, 2),
                (6, 0, 4, 4),
            ],
            True,
        ),
        # Two edges side by side carry two units between them.
        (2, [(0, 1, 0, 1), (0, 1, 0, 1), (1, 0, 2, 2)], True),
        (2, [(0, 1, 0, 1), (1, 0, 2, 2)], False),
    ],
)
def test_feasibility_of_networks_worked_by_hand(
    nodes: int, edges: list[Edge], expected: bool
) -> None:
    assert feasible(nodes, edges) is expected


@pytest.mark.parametrize(
    ("value", "spread", "expected"),
    [(1, 2, True), (1, 3, False), (0, 2, True), (2, 2, True), (2, 3, False)],
)
def test_a_count_of_0_to_2_moves_as_far_as_its_range_allows(
    value: int, spread: int, expected: bool
) -> None:
    # One edge from a node to itself carries any flow from 0 to 2.
    assert can_move_by(1, [(0, 0, 0, 2)], 0, value, spread) is expected


FURTHER = (
    "and so are further cells chosen so that every hidden count could be any of at least 3 "
    "whole numbers given everything published here."
)
ZEROS_SHOWN = " Zeros are shown as 0 unless a table says otherwise."


@pytest.mark.parametrize(
    ("options", "notice"),
    [
        (
            {"threshold": 0},
            "Disclosure control applied with threshold 0: no count is small enough to be "
            "hidden, so every count is shown.",
        ),
        (
            {"threshold": 0, "hide_zeros": True},
            f"Disclosure control applied: zeros are shown as [c], {FURTHER}",
        ),
        (
            {"threshold": 1},
            f"Disclosure control applied: counts of 1 are shown as [c], {FURTHER}{ZEROS_SHOWN}",
        ),
        (
            {"threshold": 5, "hide_zeros": True},
            f"Disclosure control applied: counts from 0 to 5 are shown as [c], {FURTHER}",
        ),
    ],
)
def test_the_notice_says_in_words_which_counts_are_hidden(
    options: dict[str, Any], notice: str
) -> None:
    table = protect(["Camden", "Brent"], ["Online"], {("Camden", "Online"): 40}, **options)
    assert table.notice() == notice
