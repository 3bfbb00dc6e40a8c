"""A force-directed layout in pure Python, fast enough for a few thousand nodes.

Fruchterman–Reingold with the grid variant of its repulsion: a node is pushed only by
nodes in its own and the neighbouring grid cells (cell side twice the ideal edge
length), which makes one iteration close to linear in the number of nodes. A weak
pull towards the centre keeps separate components in view. Deterministic for a seed.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["force_layout"]

IDEAL = 1.0  # the ideal edge length, k in Fruchterman–Reingold
REACH = 2.0 * IDEAL  # repulsion is cut off beyond this distance (and so is the grid cell)
GRAVITY = 0.03
# Cells visited from each cell: itself and half of its neighbours, so each pair is seen once.
_HALF_NEIGHBOURS = ((1, 0), (-1, 1), (0, 1), (1, 1))

Points = tuple[list[float], list[float]]


def _grid(xs: list[float], ys: list[float]) -> dict[tuple[int, int], list[int]]:
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(zip(xs, ys)):
        cells[(int(x // REACH), int(y // REACH))].append(i)
    return cells


def _push_between(group: list[int], others: list[int] | None, xs: list[float], ys: list[float],
                  disp: Points) -> None:
    """Repulsion between the nodes of `group` and those of `others` (None: within `group`).

    Written as one flat loop with locals because it is where the layout spends its time.
    """
    dxs, dys = disp
    reach2 = REACH * REACH
    k2 = IDEAL * IDEAL
    for a, i in enumerate(group):
        xi, yi = xs[i], ys[i]
        fx = fy = 0.0
        for j in (group[a + 1:] if others is None else others):
            ddx = xi - xs[j]
            ddy = yi - ys[j]
            d2 = ddx * ddx + ddy * ddy
            if d2 >= reach2:
                continue
            if d2 < 1e-9:  # coincident points: push apart along x
                ddx, ddy, d2 = 0.01, 0.0, 1e-4
            f = k2 / d2
            fx += ddx * f
            fy += ddy * f
            dxs[j] -= ddx * f
            dys[j] -= ddy * f
        dxs[i] += fx
        dys[i] += fy


def _repel(xs: list[float], ys: list[float], disp: Points) -> None:
    cells = _grid(xs, ys)
    for (cx, cy), members in cells.items():
        _push_between(members, None, xs, ys, disp)
        for ox, oy in _HALF_NEIGHBOURS:
            near = cells.get((cx + ox, cy + oy))
            if near:
                _push_between(members, near, xs, ys, disp)


def _attract(xs: list[float], ys: list[float], pairs: list[tuple[int, int]], disp: Points) -> None:
    dxs, dys = disp
    for i, j in pairs:
        ddx = xs[i] - xs[j]
        ddy = ys[i] - ys[j]
        f = math.sqrt(ddx * ddx + ddy * ddy) / IDEAL
        dxs[i] -= ddx * f
        dys[i] -= ddy * f
        dxs[j] += ddx * f
        dys[j] += ddy * f


def _move(xs: list[float], ys: list[float], disp: Points, step: float) -> None:
    n = len(xs)
    cx = sum(xs) / n
    cy = sum(ys) / n
    dxs, dys = disp
    for i in range(n):
        mx = dxs[i] - GRAVITY * (xs[i] - cx)
        my = dys[i] - GRAVITY * (ys[i] - cy)
        length = math.sqrt(mx * mx + my * my)
        if length > step:
            mx *= step / length
            my *= step / length
        xs[i] += mx
        ys[i] += my


def force_layout(n: int, edges: Iterable[tuple[int, int]], *, seed: int = 7,
                 iterations: int | None = None) -> list[tuple[float, float]]:
    """Positions for nodes 0..n-1 joined by `edges` (pairs of indices; direction ignored).

    Args:
        n: Number of nodes.
        edges: Index pairs; duplicates and self-loops are ignored.
        seed: Seed of the random start, so the same graph gets the same picture.
        iterations: Rounds of the simulation; by default fewer for bigger graphs
            (from 150 down to 40), which keeps 2,000 nodes to a second or two.

    Returns:
        One (x, y) per node, in units of the ideal edge length.
    """
    if n == 0:
        return []
    rounds = iterations if iterations is not None else max(40, min(150, 60_000 // n))
    pairs = sorted({(min(i, j), max(i, j)) for i, j in edges if i != j})
    rnd = random.Random(seed)
    side = math.sqrt(n) * IDEAL * 1.5
    xs = [rnd.uniform(0.0, side) for _ in range(n)]
    ys = [rnd.uniform(0.0, side) for _ in range(n)]
    step = side / 8
    cooling = step / (rounds + 1)
    for _ in range(rounds):
        disp: Points = ([0.0] * n, [0.0] * n)
        _repel(xs, ys, disp)
        _attract(xs, ys, pairs, disp)
        _move(xs, ys, disp, max(step, IDEAL / 50))
        step -= cooling
    return [(x, y) for x, y in zip(xs, ys)]
