"""SiteGraph -> Network: the most-mentioned actors and states laid out for a static drawing.

Fruchterman–Reingold with a fixed seed and a fixed number of rounds, so the same
site gives the same picture; only the top NODES entities take part, so the cost
does not grow with the archive.
"""

from __future__ import annotations

import math
import random

from sahel_site.model import Edge, KnowledgeBase, Network, Node, SiteGraph

NODES = 40
EDGES = 80  # co-mentions drawn among them
PER_NODE = 2  # each node's strongest links are always drawn
ROUNDS = 300
SEED = 20231116
GRAVITY = 0.5  # pull towards the centre, so unconnected entities stay in the picture
BOX = 1000.0
MARGIN = 60.0  # room for labels at the edge of the box
RADIUS = (5.0, 22.0)  # smallest and largest node
GAP = 14.0  # least room between two nodes' edges once laid out
SEPARATE = 60  # rounds of pushing overlapping nodes apart
CHAR = 8.4  # width of a label character at the drawing's 15px, on average
LABEL = (11.0, 4.0)  # a label's height above and below its baseline


def layout_network(graph: SiteGraph, kb: KnowledgeBase, previous: Network | None = None) -> Network:
    """The drawing of the most mentioned entities; the places of ``previous`` when its nodes, their
    sizes and the edge weights are the same, as the layout would find them again."""
    ids = sorted((s.id for s in graph.stats.values() if s.id in kb.entities),
                 key=lambda i: (-graph.stats[i].mentions, i))[:NODES]
    edges = strongest_edges(graph, ids)
    weighted = [(e.source, e.target, e.weight) for e in edges]
    top = max((graph.stats[i].mentions for i in ids), default=1)
    low, high = RADIUS
    radii = {i: round(low + (high - low) * math.sqrt(graph.stats[i].mentions / top), 1) for i in ids}
    if previous and [(n.id, n.radius) for n in previous.nodes] == list(radii.items()) \
            and [(e.source, e.target, e.weight) for e in previous.edges] == weighted:
        places = {n.id: (n.x, n.y) for n in previous.nodes}
    else:
        places = separated(fruchterman_reingold(ids, weighted), radii)
    nodes = tuple(Node(i, kb.entities[i].kind, places[i][0], places[i][1], radii[i], graph.stats[i].mentions)
                  for i in ids)
    return Network(BOX, nodes, edges)


def strongest_edges(graph: SiteGraph, ids: list[str]) -> tuple[Edge, ...]:
    """Each node's PER_NODE strongest links, then the strongest of the rest, up to EDGES.

    In a dense archive almost every pair is co-mentioned somewhere; drawing only the
    backbone keeps the picture readable and gives every node at least one link."""
    chosen = set(ids)
    kept: dict[tuple[str, str], Edge] = {}
    ranked = []
    for a in ids:
        links = [c for c in graph.stats[a].co_mentions if c.other in chosen]
        for n, c in enumerate(links):
            key = (min(a, c.other), max(a, c.other))
            edge = Edge(key[0], key[1], c.weight, c.sentences, c.articles)
            if n < PER_NODE:
                kept[key] = edge
            ranked.append(edge)
    for edge in sorted(ranked, key=lambda e: (-e.weight, e.source, e.target)):
        if len(kept) >= EDGES:
            break
        kept.setdefault((edge.source, edge.target), edge)
    return tuple(sorted(kept.values(), key=lambda e: (-e.weight, e.source, e.target)))


def fruchterman_reingold(ids: list[str], edges: list[tuple[str, str, float]]) -> dict[str, tuple[float, float]]:
    """Positions in the box, rounded to 0.1 so the drawing is byte-stable."""
    rng = random.Random(SEED)
    pos = {i: [rng.uniform(0, BOX), rng.uniform(0, BOX)] for i in ids}
    if len(ids) < 2:
        return {i: (BOX / 2, BOX / 2) for i in ids}
    k = math.sqrt(BOX * BOX / len(ids))
    heaviest = max((w for _, _, w in edges), default=1.0)
    for step in range(ROUNDS):
        move = {i: [0.0, 0.0] for i in ids}
        for n, a in enumerate(ids):
            for b in ids[n + 1:]:
                dx, dy, d = _delta(pos[a], pos[b])
                force = k * k / d
                _push(move, a, b, dx / d * force, dy / d * force)
        for a, b, w in edges:
            dx, dy, d = _delta(pos[a], pos[b])
            force = d * d / k * math.sqrt(w / heaviest)
            _push(move, a, b, -dx / d * force, -dy / d * force)
        for i in ids:
            move[i][0] -= GRAVITY * (pos[i][0] - BOX / 2)
            move[i][1] -= GRAVITY * (pos[i][1] - BOX / 2)
        heat = BOX / 10 * (1 - step / ROUNDS)
        for i in ids:
            mx, my = move[i]
            length = math.hypot(mx, my) or 1.0
            pos[i][0] = min(BOX, max(0.0, pos[i][0] + mx / length * min(length, heat)))
            pos[i][1] = min(BOX, max(0.0, pos[i][1] + my / length * min(length, heat)))
    return _fit(pos)


def separated(places: dict[str, tuple[float, float]], radii: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Nodes that the layout left overlapping (it sees points, not discs) pushed apart, in the
    box; the hub of a dense archive is otherwise a pile of squares hiding each other."""
    pos = {i: list(p) for i, p in places.items()}
    ids = sorted(pos)
    for _ in range(SEPARATE):
        moved = False
        for n, a in enumerate(ids):
            for b in ids[n + 1:]:
                dx, dy, d = _delta(pos[a], pos[b])
                short = radii[a] + radii[b] + GAP - d
                if short > 0:
                    moved = True
                    _push(pos, a, b, dx / d * short / 2, dy / d * short / 2)
        for p in pos.values():
            p[0], p[1] = min(BOX - MARGIN, max(MARGIN, p[0])), min(BOX - MARGIN, max(MARGIN, p[1]))
        if not moved:
            break
    return {i: (round(p[0], 1), round(p[1], 1)) for i, p in pos.items()}


def label_places(nodes: tuple[Node, ...], names: dict[str, str], size: float) -> dict[str, tuple[float, float, str]]:
    """Where each node's name goes, as (x, y of the baseline, text-anchor): right of the node,
    left, above or below, the first that overlaps no label placed before it (the most mentioned
    place theirs first) nor another node and stays in the drawing; else the least overlapping."""
    taken: list[tuple[float, float, float, float]] = [(n.x - n.radius, n.y - n.radius, n.x + n.radius, n.y + n.radius)
                                                      for n in nodes]
    found = {}
    for index, node in enumerate(nodes):
        width, r = len(names[node.id]) * CHAR, node.radius
        options = [(node.x + r + 5, node.y + 5, "start"), (node.x - r - 5, node.y + 5, "end"),
                   (node.x, node.y - r - 6, "middle"), (node.x, node.y + r + LABEL[0] + 4, "middle")]
        others = taken[:index] + taken[index + 1:]
        best, least = options[0], math.inf
        for x, y, anchor in options:
            box = _label_box(x, y, anchor, width)
            clash = sum(_overlap(box, other) for other in others)
            if box[0] < 0 or box[2] > size or box[1] < 0 or box[3] > size:
                clash += width * (LABEL[0] + LABEL[1])  # cut at the edge: as bad as hiding another label
            if clash < least:
                best, least = (round(x, 1), round(y, 1), anchor), clash
            if clash == 0:
                break
        taken.append(_label_box(*best, width))
        found[node.id] = best
    return found


def _label_box(x: float, y: float, anchor: str, width: float) -> tuple[float, float, float, float]:
    """The box a label of ``width`` takes with its baseline at ``x, y`` and this text-anchor."""
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return left, y - LABEL[0], left + width, y + LABEL[1]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _delta(a: list[float], b: list[float]) -> tuple[float, float, float]:
    dx, dy = a[0] - b[0], a[1] - b[1]
    return dx, dy, max(math.hypot(dx, dy), 0.01)


def _push(move: dict[str, list[float]], a: str, b: str, fx: float, fy: float) -> None:
    move[a][0] += fx
    move[a][1] += fy
    move[b][0] -= fx
    move[b][1] -= fy


def _fit(pos: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    """Scale the layout to fill the box inside the margin, centred."""
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    scale = (BOX - 2 * MARGIN) / span
    left = (BOX - (max(xs) - min(xs)) * scale) / 2
    top = (BOX - (max(ys) - min(ys)) * scale) / 2
    return {i: (round(left + (p[0] - min(xs)) * scale, 1), round(top + (p[1] - min(ys)) * scale, 1))
            for i, p in pos.items()}
