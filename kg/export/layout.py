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
# The simulation stops looking at more than this many node pairs in all (a deterministic
# time budget: about a second or two of CPython); dense graphs get fewer rounds.
BUDGET = 6_000_000
MIN_ROUNDS = 15
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


def _repel(xs: list[float], ys: list[float], disp: Points) -> int:
    """Push near nodes apart; return how many pairs were looked at (the round's cost)."""
    cells = _grid(xs, ys)
    looked = 0
    for (cx, cy), members in cells.items():
        _push_between(members, None, xs, ys, disp)
        looked += len(members) * (len(members) - 1) // 2
        for ox, oy in _HALF_NEIGHBOURS:
            near = cells.get((cx + ox, cy + oy))
            if near:
                _push_between(members, near, xs, ys, disp)
                looked += len(members) * len(near)
    return looked


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


def _simulate(n: int, pairs: list[tuple[int, int]], seed: int, rounds: int) -> Points:
    rnd = random.Random(seed)
    side = math.sqrt(n) * IDEAL * 1.5
    xs = [rnd.uniform(0.0, side) for _ in range(n)]
    ys = [rnd.uniform(0.0, side) for _ in range(n)]
    step = side / 8
    cooling = step / (rounds + 1)
    spent, done = 0, 0
    while done < rounds:
        disp: Points = ([0.0] * n, [0.0] * n)
        cost = _repel(xs, ys, disp)
        _attract(xs, ys, pairs, disp)
        _move(xs, ys, disp, max(step, IDEAL / 50))
        spent, done = spent + cost, done + 1
        affordable = done + (BUDGET - spent) // max(cost, 1)
        if affordable < rounds:  # a dense graph: fewer rounds, cooled faster to end calm
            rounds = max(affordable, min(rounds, MIN_ROUNDS))
            cooling = step / max(rounds - done + 1, 1)
        step -= cooling
    return xs, ys


def _leaves(n: int, pairs: list[tuple[int, int]]) -> dict[int, int]:
    """Nodes with one neighbour, mapped to it (when that neighbour has others too)."""
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)
    return {i: next(iter(nb)) for i, nb in enumerate(neighbours)
            if len(nb) == 1 and len(neighbours[next(iter(nb))]) > 1}


def _place_leaves(leaves: dict[int, int], pos: list[tuple[float, float]]) -> None:
    """Put each node's leaves around it on a sunflower (Vogel) spiral: even, compact spacing."""
    by_parent: dict[int, list[int]] = defaultdict(list)
    for leaf, parent in sorted(leaves.items()):
        by_parent[parent].append(leaf)
    golden = math.pi * (3 - math.sqrt(5))
    for parent, group in by_parent.items():
        px, py = pos[parent]
        for rank, leaf in enumerate(group):
            r = 0.5 * IDEAL + 0.3 * IDEAL * math.sqrt(rank)
            pos[leaf] = (px + r * math.cos(rank * golden), py + r * math.sin(rank * golden))


def force_layout(n: int, edges: Iterable[tuple[int, int]], *, seed: int = 7,
                 iterations: int | None = None) -> list[tuple[float, float]]:
    """Positions for nodes 0..n-1 joined by `edges` (pairs of indices; direction ignored).

    Nodes with a single neighbour (a person with one work, a page naming one concept)
    stay out of the simulation and are set around their neighbour at the end: in a
    literature graph they are many, and the simulation's cost grows with its nodes.

    Args:
        n: Number of nodes.
        edges: Index pairs; duplicates and self-loops are ignored.
        seed: Seed of the random start, so the same graph gets the same picture.
        iterations: Rounds of the simulation; by default fewer for bigger graphs
            (from 150 down to 30), which keeps 2,000 nodes to a second or two.

    Returns:
        One (x, y) per node, in units of the ideal edge length.
    """
    if n == 0:
        return []
    pairs = sorted({(min(i, j), max(i, j)) for i, j in edges if i != j})
    leaves = _leaves(n, pairs)
    core = [i for i in range(n) if i not in leaves]
    at = {node: k for k, node in enumerate(core)}
    core_pairs = [(at[i], at[j]) for i, j in pairs if i in at and j in at]
    rounds = iterations if iterations is not None else max(30, min(150, 40_000 // len(core)))
    xs, ys = _simulate(len(core), core_pairs, seed, rounds)
    pos = [(0.0, 0.0)] * n
    for k, node in enumerate(core):
        pos[node] = (xs[k], ys[k])
    _place_leaves(leaves, pos)
    return pos
