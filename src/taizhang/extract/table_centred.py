"""Rows of a printed table whose 序号 is centred in its row, found from where the numbers stand.

Many offices centre every cell vertically. A tall row then prints its number on its middle
line, and the first lines of its other cells above it, where a reader that opens a row at each
number would hang them on the row before:

          推进高频政务服务事项跨省通办，实
    1     现企业和群众异地办事一地办成，逐       省政务服务管理办公室
          步扩大通办事项范围
          健全政务服务事项基本目录动态管理
    2     机制                                   省大数据局

Each row lies between two boundaries, and its number stands at the middle of it; the boundary
between two numbered rows lies after the first number and at or before the next. Of all the
ways to place the boundaries, the one chosen puts each number nearest the middle of its row,
while not cutting a cell where its text plainly goes on (a line ending in 、 or a deadline's
'2023年' over '12月底前'): the cost of such cuts is given by the caller.

What the next stage may rely on: :func:`row_starts` returns the index of the first printed line
of each row, in order, the first being 0; every line belongs to exactly one row; a fixed line
(a heading or total across the table) is a row of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

# How much a cut through a cell that goes on costs, in printed lines of distance from the middle.
CUT_COST = 2.0


def row_starts(
    positions: Sequence[int], anchors: Sequence[int], fixed: Sequence[int], cut_cost: Sequence[float]
) -> list[int]:
    """The first printed line of each row.

    ``positions``: each printed line's place on the page (its source line; blank lines count as
    space); ``anchors``: the lines holding a row number; ``fixed``: lines that are rows of their
    own; ``cut_cost[j]``: what it costs to start a row at line ``j`` (a cell above goes on).
    """
    count = len(positions)
    starts: list[int] = []
    begin = 0
    for stop in [*sorted(fixed), count]:
        if begin < stop:
            starts.extend(
                _run_starts(positions, [a for a in anchors if begin <= a < stop], begin, stop, cut_cost)
            )
        if stop < count:
            starts.append(stop)
        begin = stop + 1
    return sorted(set(starts))


def _run_starts(
    positions: Sequence[int], anchors: list[int], begin: int, stop: int, cut_cost: Sequence[float]
) -> list[int]:
    """Row starts of the lines ``begin``..``stop - 1`` (no fixed line among them)."""
    if len(anchors) < 2:
        return [begin]

    def off_middle(first: int, end: int, anchor: int) -> float:
        return abs((positions[first] + positions[end - 1]) / 2 - positions[anchor])

    # best[b] = (cost, previous start) for a row of anchors[i] starting at line b
    best: dict[int, tuple[float, int]] = {begin: (0.0, -1)}
    trail: list[dict[int, tuple[float, int]]] = [best]
    for index in range(1, len(anchors)):
        here: dict[int, tuple[float, int]] = {}
        for start in range(anchors[index - 1] + 1, anchors[index] + 1):
            here[start] = min(
                (cost + off_middle(prev, start, anchors[index - 1]) + cut_cost[start], prev)
                for prev, (cost, _) in best.items()
            )
        trail.append(here)
        best = here
    last = min(best, key=lambda start: best[start][0] + off_middle(start, stop, anchors[-1]))
    chosen = [last]
    for level in range(len(trail) - 1, 0, -1):
        chosen.append(trail[level][chosen[-1]][1])
    return sorted(chosen)


def looks_centred(first_is_anchor: bool, continued_anchors: int, anchors: int) -> bool:
    """True when a table's numbers stand in the middle of their rows rather than on the first line.

    ``first_is_anchor``: the first body line holds a number (always so when numbers hang from the
    top); ``continued_anchors``: numbered lines whose cells go on from the line above.
    """
    return anchors > 1 and (not first_is_anchor or 2 * continued_anchors >= anchors)
