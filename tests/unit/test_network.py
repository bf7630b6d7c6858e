"""The network drawing: nodes apart, labels readable."""

from __future__ import annotations

import math

from sahel_site.model import Node
from sahel_site.network import BOX, CHAR, GAP, LABEL, label_places, separated


def test_overlapping_nodes_are_pushed_apart_inside_the_box():
    places = {"mali": (500.0, 500.0), "niger": (505.0, 498.0), "burkina-faso": (498.0, 503.0), "chad": (990.0, 5.0)}
    radii = {"mali": 22.0, "niger": 20.0, "burkina-faso": 21.0, "chad": 8.0}
    apart = separated(places, radii)
    for a in apart:
        for b in apart:
            if a < b:
                d = math.dist(apart[a], apart[b])
                assert d >= radii[a] + radii[b] + GAP - 0.5, (a, b, d)
    assert all(0 < x < BOX and 0 < y < BOX for x, y in apart.values())
    assert separated(places, radii) == apart  # the same picture every build


def box(node: Node, place: tuple[float, float, str], name: str) -> tuple[float, float, float, float]:
    x, y, anchor = place
    width = len(name) * CHAR
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return left, y - LABEL[0], left + width, y + LABEL[1]


def test_labels_of_neighbours_do_not_overlap_and_stay_in_the_drawing():
    names = {"mali": "Mali", "burkina-faso": "Burkina Faso", "niger": "Niger",
             "aes": "Alliance of Sahel States", "ecowas": "ECOWAS"}
    nodes = (Node("mali", "state", 500.0, 500.0, 22.0, 90), Node("burkina-faso", "state", 450.0, 505.0, 21.0, 80),
             Node("aes", "actor", 520.0, 540.0, 15.0, 50), Node("ecowas", "actor", 560.0, 500.0, 12.0, 40),
             Node("niger", "state", 960.0, 500.0, 20.0, 70))
    places = label_places(nodes, names, BOX)
    boxes = {n.id: box(n, places[n.id], names[n.id]) for n in nodes}
    for a, (left, top, right, bottom) in boxes.items():
        assert 0 <= left and right <= BOX and 0 <= top and bottom <= BOX, a
        for b, other in boxes.items():
            if a < b:
                assert min(right, other[2]) <= max(left, other[0]) or min(bottom, other[3]) <= max(top, other[1]), (a, b)
    assert places["niger"][2] == "end"  # at the right edge its name goes to the left
