"""What a reader can work out about hidden counts: exact feasible ranges.

Everything a reader knows about a count is an interval of whole numbers: a
published count is exact (or, when rounded, one of the few values that round
to it), a hidden count is at least 0 or 1 with no upper bound, a total is the
sum of its cells.  These constraints have the structure of a flow network, so
the values a hidden count can take form an unbroken run of whole numbers and
can be computed exactly without a general solver:

* for one-column tables that share their total (:func:`shared_total_ranges`)
  in closed form, in time linear in the number of cells;
* for two-way tables with row, column and grand totals
  (:func:`can_move_by`), by testing whether a flow with the given bounds
  exists (a circulation with lower bounds, decided by a maximum flow).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

import attrs

#: An interval of whole numbers ``(least, greatest)``; the greatest may be
#: ``math.inf`` when nothing bounds it.
Interval = tuple[int, float]

UNBOUNDED: Interval = (0, math.inf)


#: Rows of a column a reader knows hold at least some number of cases together:
#: the rows' indices and that number.
Group = tuple[tuple[int, ...], int]


@attrs.frozen
class Column:
    """One column of counts that adds up to a shared total, or covers it.

    A *partition* column counts each case once, so its cells add up to the
    total.  Otherwise each case counts at least once and a cell may count a
    case that other cells count too: every cell is at most the total, and the
    cells add up to at least the total.

    *groups* are disjoint sets of rows of a partition column that a reader
    knows add up to at least a given number, such as the districts of a
    police force area listed only because a case lies in one of them.
    """

    cells: tuple[Interval, ...]
    partition: bool = True
    groups: tuple[Group, ...] = ()

    def __attrs_post_init__(self) -> None:
        rows = [row for members, _ in self.groups for row in members]
        if self.groups and not self.partition:
            raise ValueError("only the rows of a partition can be grouped")
        if len(set(rows)) != len(rows) or not all(0 <= row < len(self.cells) for row in rows):
            raise ValueError("groups must be disjoint sets of the column's rows")

    def members(self) -> list[Group]:
        """Every row in a group: the groups given, then each other row alone, at least 0."""
        grouped = {row for members, _ in self.groups for row in members}
        alone = [((row,), 0) for row in range(len(self.cells)) if row not in grouped]
        return [*self.groups, *alone]

    def least_sum(self) -> int:
        """The least the cells can add up to, each group at least its bound."""
        return sum(
            max(least, sum(self.cells[row][0] for row in rows)) for rows, least in self.members()
        )


def shared_total_ranges(
    total: Interval, columns: Sequence[Column]
) -> tuple[Interval, list[list[Interval]]]:
    """The values the shared total and every cell can take, all constraints at once.

    Returns the range of the total and, for each column, the range of each
    cell.  Raises :class:`ValueError` when no values meet the constraints.

    >>> import math
    >>> from cse_programme.privacy._ranges import Column, shared_total_ranges
    >>> shared_total_ranges((10, 10), [Column(((1, math.inf), (1, math.inf), (7, 7)))])
    ((10, 10), [[(1, 2), (1, 2), (7, 7)]])
    """
    least, greatest = total
    for column in columns:
        lows = [low for low, _ in column.cells]
        highs = [high for _, high in column.cells]
        if column.partition:
            least, greatest = max(least, column.least_sum()), min(greatest, sum(highs))
            if any(bound > sum([highs[row] for row in rows]) for rows, bound in column.groups):
                raise ValueError("no values meet the constraints")
        else:
            least, greatest = max(least, max(lows, default=0)), min(greatest, sum(highs))
    if least > greatest:
        raise ValueError("no values meet the constraints")
    shared: Interval = (least, greatest)
    return shared, [_column_ranges(shared, column) for column in columns]


class _Sums:
    """The sum of some bounds, and that sum without any one of them, without ``inf - inf``."""

    def __init__(self, values: Sequence[float]) -> None:
        self.finite = sum(value for value in values if value != math.inf)
        self.infinite = list(values).count(math.inf)
        self.total = math.inf if self.infinite else self.finite

    def without(self, value: float) -> float:
        if value == math.inf:
            return self.finite if self.infinite == 1 else math.inf
        return self.total - value


def _column_ranges(total: Interval, column: Column) -> list[Interval]:
    if column.partition:
        return _partition_ranges(total, column)
    highs = [high for _, high in column.cells]
    return [
        (_covering_low(low, total, highs[:index] + highs[index + 1 :]), min(high, total[1]))
        for index, (low, high) in enumerate(column.cells)
    ]


def _partition_ranges(total: Interval, column: Column) -> list[Interval]:
    """Each cell's range when the cells add up to the total and each group to its bound.

    A cell is at most the greatest total less the least the rest can hold:
    its group's other cells at their lows and every other group at its bound
    or its cells' lows.  It is at least its group's bound less what the
    group's other cells can hold, and at least the least total less what all
    the other cells can hold.
    """
    least, greatest = total
    lows = [low for low, _ in column.cells]
    everything = _Sums([high for _, high in column.cells])
    rest_least = column.least_sum()
    ranges: dict[int, Interval] = {}
    for rows, bound in column.members():
        group_low = sum(lows[row] for row in rows)
        group_highs = _Sums([column.cells[row][1] for row in rows])
        outside_least = rest_least - max(bound, group_low)
        for row in rows:
            low, high = column.cells[row]
            ranges[row] = (
                int(
                    max(
                        low,
                        bound - group_highs.without(high),
                        least - everything.without(high),
                    )
                ),
                min(high, greatest - outside_least - (group_low - low)),
            )
    return [ranges[row] for row in range(len(column.cells))]


def _covering_low(low: int, total: Interval, others: list[float]) -> int:
    """The least a cell can be when the cells together must cover the total.

    With the total at ``n``, the cell is at least ``n - sum(min(h, n))`` over
    the other cells' upper bounds ``h``, and it is never below *low*, which is
    0 or more.  Past the least total that bound falls only while two other
    cells can still exceed ``n``, and there it is at most ``n - 2n``, so at
    most 0 and no lower than *low* already gives: the least value is taken at
    the least total.
    """
    least = total[0]
    return int(max(low, least - sum(min(high, least) for high in others)))


# Two-way tables -----------------------------------------------------------

#: An edge of a flow network: from, to, least and greatest flow.
Edge = tuple[int, int, int, float]


def feasible(nodes: int, edges: Sequence[Edge]) -> bool:
    """Whether flows within the edges' bounds can balance at every node.

    The classic reduction: send every edge's lower bound at once, then ask a
    maximum flow from the nodes left with a surplus to those left short.
    """
    source, sink = nodes, nodes + 1
    size = nodes + 2
    capacity = [[0] * size for _ in range(size)]
    surplus = [0] * nodes
    finite = sum(high for _, _, _, high in edges if high != math.inf)
    plenty = int(finite) + sum(low for _, _, low, _ in edges) + 1
    for start, end, low, high in edges:
        if high < low:
            return False
        capacity[start][end] += plenty if high == math.inf else int(high) - low
        surplus[end] += low
        surplus[start] -= low
    needed = 0
    for node, extra in enumerate(surplus):
        if extra > 0:
            capacity[source][node] += extra
            needed += extra
        elif extra < 0:
            capacity[node][sink] -= extra
    return _max_flow(capacity, source, sink, needed) == needed


def _max_flow(capacity: list[list[int]], source: int, sink: int, enough: int) -> int:
    """Edmonds and Karp's shortest augmenting paths, stopping at *enough*."""
    size = len(capacity)
    flow = 0
    while flow < enough:
        parent = [-1] * size
        parent[source] = source
        queue = deque([source])
        while queue and parent[sink] < 0:
            node = queue.popleft()
            for after in range(size):
                if parent[after] < 0 and capacity[node][after] > 0:
                    parent[after] = node
                    queue.append(after)
        if parent[sink] < 0:
            break
        push = enough - flow
        node = sink
        while node != source:
            push = min(push, capacity[parent[node]][node])
            node = parent[node]
        node = sink
        while node != source:
            capacity[parent[node]][node] -= push
            capacity[node][parent[node]] += push
            node = parent[node]
        flow += push
    return flow


def can_move_by(nodes: int, edges: Sequence[Edge], index: int, value: int, spread: int) -> bool:
    """Whether edge *index*, whose true flow is *value*, can take *spread* + 1 values.

    The flows an edge can take form an unbroken run of whole numbers that
    holds its true value, so the run is long enough when it reaches *spread*
    above or below the value, or some distance each way adding up to it.
    """
    start, end, low, high = edges[index]

    def reaches(least: int, greatest: float) -> bool:
        changed = list(edges)
        changed[index] = (start, end, max(low, least), min(high, greatest))
        return feasible(nodes, changed)

    above = next((k for k in range(spread, 0, -1) if reaches(value + k, high)), 0)
    if above == spread:
        return True
    below = spread - above
    return reaches(low, value - below)
