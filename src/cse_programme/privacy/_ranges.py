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


@attrs.frozen
class Column:
    """One column of counts that adds up to a shared total, or covers it.

    A *partition* column counts each case once, so its cells add up to the
    total.  Otherwise each case counts at least once and a cell may count a
    case that other cells count too: every cell is at most the total, and the
    cells add up to at least the total.
    """

    cells: tuple[Interval, ...]
    partition: bool = True


def _sum(values: Sequence[float]) -> float:
    return math.inf if math.inf in values else sum(values)


def _sum_without(total: float, finite_total: float, infinite: int, value: float) -> float:
    """The sum of a column's bounds less one cell's, without ``inf - inf``."""
    if value == math.inf:
        return finite_total if infinite == 1 else math.inf
    return total - value


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
            least, greatest = max(least, sum(lows)), min(greatest, _sum(highs))
        else:
            least, greatest = max(least, max(lows, default=0)), min(greatest, _sum(highs))
    if least > greatest:
        raise ValueError("no values meet the constraints")
    shared: Interval = (least, greatest)
    return shared, [_column_ranges(shared, column) for column in columns]


def _column_ranges(total: Interval, column: Column) -> list[Interval]:
    least, greatest = total
    lows = [low for low, _ in column.cells]
    highs = [high for _, high in column.cells]
    low_sum = sum(lows)
    finite_high = sum(high for high in highs if high != math.inf)
    infinite = highs.count(math.inf)
    high_sum = _sum(highs)
    ranges: list[Interval] = []
    for index, (low, high) in enumerate(column.cells):
        others_low = low_sum - low
        others_high = _sum_without(high_sum, finite_high, infinite, high)
        if column.partition:
            ranges.append((int(max(low, least - others_high)), min(high, greatest - others_low)))
        else:
            rest = highs[:index] + highs[index + 1 :]
            ranges.append((_covering_low(low, total, rest), min(high, greatest)))
    return ranges


def _covering_low(low: int, total: Interval, others: list[float]) -> int:
    """The least a cell can be when the cells together must cover the total.

    With the total at ``n``, the cell is at least ``n - sum(min(h, n))`` over
    the other cells' upper bounds ``h``.  That is a convex function of ``n``,
    least where at most one other cell can still exceed ``n``.
    """
    least, greatest = total
    ordered = sorted(others, reverse=True)
    turn = ordered[1] if len(ordered) > 1 else -math.inf
    at = min(max(turn, least), greatest)
    if at == math.inf:
        return low
    need = at - sum(min(high, at) for high in others)
    return int(max(low, need))


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
