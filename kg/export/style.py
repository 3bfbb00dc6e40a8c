"""How drawn exports (GEXF, DOT, HTML) show a node: one colour per node type, size by degree.

The colours are the Okabe–Ito palette, which stays distinguishable for colour-blind readers.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["OTHER_COLOUR", "TYPE_COLOURS", "degree_sizes", "rgb", "type_colour"]

TYPE_COLOURS: dict[str, str] = {
    "concept": "#0072B2",
    "work": "#E69F00",
    "person": "#009E73",
    "document": "#CC79A7",
}
OTHER_COLOUR = "#999999"


def type_colour(node_type: object) -> str:
    """The `#rrggbb` colour of a node type (grey for types outside the model)."""
    return TYPE_COLOURS.get(str(node_type), OTHER_COLOUR)


def rgb(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` as an (r, g, b) triple of 0–255 integers."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def degree_sizes(g: nx.MultiDiGraph, smallest: float = 4.0,
                 largest: float = 24.0) -> dict[str, float]:
    """A drawing size per node: square root of its degree, scaled into [smallest, largest].

    Degree counts every edge in either direction; the square root keeps hubs from
    dwarfing everything else.
    """
    degrees = dict(g.degree())
    top = max(degrees.values(), default=0)
    if top == 0:
        return {n: smallest for n in degrees}
    span = largest - smallest
    return {n: round(smallest + span * math.sqrt(d / top), 2) for n, d in degrees.items()}
