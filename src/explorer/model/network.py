"""The network of the time window: entities linked when they take part in the same events.

The strongest `limit` entities of the window (most events in it) are the nodes; an edge joins
two of them with the number of events in the window they share, and how often each pair of
roles occurs. Pairs are found with numpy over the links of the window's events (one pass per
distance between two links of one event), never by walking every event in Python.

The layout is networkx's force-directed spring layout (Fruchterman-Reingold), warm-started:
nodes that were drawn keep their positions as the starting point, a node entering starts
beside its strongest neighbour, and a few iterations settle it, so moving the window moves
the picture a little instead of redrawing it. Qt-free.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from explorer.model.link_index import Ints

#: Nodes shown by default: the strongest entities of the window.
DEFAULT_LIMIT = 40
#: Iterations of the spring layout from scratch, and from a previous layout.
COLD_ITERATIONS, WARM_ITERATIONS = 60, 15

Position = tuple[float, float]
#: Pairs are counted with a bincount while nodes² × roles² stays under this (else sorted).
BINCOUNT_LIMIT = 4_000_000
_HUB = "\x00hub"
HUB_WEIGHT = 0.8


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    events: int  # events of the window it takes part in


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    weight: int  # events of the window both take part in
    roles: tuple[tuple[str, str, int], ...]  # (role of a, role of b, events), most first


@dataclass
class Network:
    nodes: list[Node]
    edges: list[Edge]
    more: int  # entities of the window not shown (beyond the strongest)
    events: int  # events in the window that pass the filters
    positions: dict[str, Position] = field(default_factory=dict)


def _codes(event: Ints, node: Ints, role: Ints, n: int, n_roles: int) -> Ints:
    """The role-pair code ((a * n + b) * r + role a) * r + role b of each co-occurrence of
    two nodes a < b in one event, among links sorted by event (one link per event and
    node)."""
    if event.size:  # only events with two links or more make pairs
        starts = np.r_[True, event[1:] != event[:-1]]
        group = np.cumsum(starts) - 1
        several = np.bincount(group)[group] >= 2
        event, node, role = event[several], node[several], role[several]
    found: list[Ints] = []
    d = 1
    while d < event.size:
        same = event[:-d] == event[d:]
        if not same.any():
            break
        a, b = node[:-d][same].astype(np.int64), node[d:][same].astype(np.int64)
        ra, rb = role[:-d][same].astype(np.int64), role[d:][same].astype(np.int64)
        swap = a > b
        a, b, ra, rb = (
            np.where(swap, b, a),
            np.where(swap, a, b),
            np.where(swap, rb, ra),
            np.where(swap, ra, rb),
        )
        found.append((a * n + b) * n_roles * n_roles + ra * n_roles + rb)
        d += 1
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def pairs(
    chunks: Iterable[tuple[Ints, Ints, Ints]], n: int, n_roles: int
) -> tuple[Ints, Ints, Ints, Ints, Ints]:
    """Co-occurrences among `n` nodes, from links given in chunks (each sorted by event, no
    event in two chunks): for each pair of nodes a < b, how many events they share (a, b,
    weight), and for each (a, b, role of a, role of b) how many (its code
    ((a * n + b) * r + role a) * r + role b, and count). Chunk by chunk, so that the links
    of a whole window need not be held at once."""
    space = n * n * n_roles * n_roles
    counted = np.zeros(space, dtype=np.int64) if space <= BINCOUNT_LIMIT else None
    keys: list[Ints] = []
    tallies: list[Ints] = []
    for event, node, role in chunks:
        codes = _codes(event, node, role, n, n_roles)
        if not codes.size:
            continue
        if counted is not None:  # counted in one pass, no sort
            counted += np.bincount(codes, minlength=space)
        else:
            k, c = np.unique(codes, return_counts=True)
            keys.append(k)
            tallies.append(c)
    if counted is not None:
        rkeys = np.flatnonzero(counted)
        rcount = counted[rkeys]
    elif keys:
        rkeys, at = np.unique(np.concatenate(keys), return_inverse=True)
        rcount = np.bincount(at, weights=np.concatenate(tallies)).astype(np.int64)
    else:
        rkeys = rcount = np.zeros(0, dtype=np.int64)
    if not rkeys.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty, empty
    # role-pair codes are sorted, so each edge's are together: add them up per edge
    edge = rkeys // (n_roles * n_roles)
    starts = np.flatnonzero(np.r_[True, edge[1:] != edge[:-1]])
    pair = edge[starts]
    weight = np.add.reduceat(rcount, starts)
    return pair // n, pair % n, weight, rkeys, rcount


def build(
    ids: Sequence[str],
    kinds: Sequence[str],
    counts: Sequence[int],
    links: Iterable[tuple[Ints, Ints, Ints]],
    roles: Sequence[str],
    more: int,
    events: int,
) -> Network:
    """A network of the entities `ids` (strongest first, with their kinds and counts) from
    the window's links among them, in chunks: (event, node index into `ids`, role index),
    one link per event and node, no event in two chunks."""
    nodes = [Node(i, k, int(c)) for i, k, c in zip(ids, kinds, counts, strict=True)]
    n, r = max(1, len(ids)), max(1, len(roles))
    a, b, weight, rkeys, rcount = pairs((_by_event(*chunk) for chunk in links), n, r)
    edges: list[Edge] = []
    if a.size:
        by_pair: dict[tuple[int, int], list[tuple[str, str, int]]] = {}
        for key, count in zip(rkeys.tolist(), rcount.tolist(), strict=True):
            pair, rr = divmod(key, r * r)
            pa, pb = divmod(pair, n)
            by_pair.setdefault((pa, pb), []).append((roles[rr // r], roles[rr % r], count))
        for pa, pb, w in zip(a.tolist(), b.tolist(), weight.tolist(), strict=True):
            listed = sorted(by_pair.get((pa, pb), []), key=lambda x: (-x[2], x[0], x[1]))
            edges.append(Edge(ids[pa], ids[pb], int(w), tuple(listed)))
    edges.sort(key=lambda e: (-e.weight, e.a, e.b))
    return Network(nodes, edges, more, events)


def _by_event(event: Ints, node: Ints, role: Ints) -> tuple[Ints, Ints, Ints]:
    if event.size > 1 and (np.diff(event) < 0).any():
        order = np.argsort(event, kind="stable")
        return event[order], node[order], role[order]
    return event, node, role


def layout(net: Network, previous: dict[str, Position], seed: int = 7) -> dict[str, Position]:
    """Positions for the network's nodes, starting from `previous` where a node has one."""
    if not net.nodes:
        return {}
    import networkx as nx  # here: importing it took a second of every window's start

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(n.id for n in net.nodes)
    for e in net.edges:
        graph.add_edge(e.a, e.b, weight=math.log1p(e.weight))
    # a hidden hub tied weakly to every node keeps the parts of a disconnected network near
    # each other (the spring layout alone pushes them apart until each part is a dot)
    for n in net.nodes:
        graph.add_edge(_HUB, n.id, weight=HUB_WEIGHT)
    rng = np.random.default_rng(seed)
    start: dict[str, Position] = {}
    known = [n.id for n in net.nodes if n.id in previous]
    for n in net.nodes:
        if n.id in previous:
            start[n.id] = previous[n.id]
    for n in net.nodes:  # a node entering starts beside its strongest placed neighbour
        if n.id in start:
            continue
        near = [(graph[n.id][m]["weight"], m) for m in graph.neighbors(n.id) if m in start]
        if near:
            x, y = start[max(near)[1]]
            angle = rng.uniform(0, 2 * math.pi)
            start[n.id] = (x + 0.15 * math.cos(angle), y + 0.15 * math.sin(angle))
        else:
            angle = rng.uniform(0, 2 * math.pi)
            radius = 1.0 if known else rng.uniform(0.2, 1.0)
            start[n.id] = (radius * math.cos(angle), radius * math.sin(angle))
    start[_HUB] = (
        float(np.mean([p[0] for p in start.values()])),
        float(np.mean([p[1] for p in start.values()])),
    )
    iterations = WARM_ITERATIONS if known else COLD_ITERATIONS
    pos = nx.spring_layout(
        graph,
        pos={k: np.array(v) for k, v in start.items()},
        iterations=iterations,
        weight="weight",
        scale=None,
        seed=seed,
        k=1.0 / math.sqrt(max(1, len(net.nodes))),
    )
    del pos[_HUB]
    # keep the picture where it was: centre on the nodes that stayed
    anchor = known or list(pos)
    cx = float(np.mean([pos[k][0] for k in anchor])) - float(np.mean([start[k][0] for k in anchor]))
    cy = float(np.mean([pos[k][1] for k in anchor])) - float(np.mean([start[k][1] for k in anchor]))
    return {k: (float(v[0]) - cx, float(v[1]) - cy) for k, v in pos.items()}


def place_labels(
    anchors: Sequence[Position],
    sizes: Sequence[Position],
    gap: float = 4.0,
    obstacles: Sequence[tuple[float, float, float, float]] = (),
    radii: Sequence[float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> list[Position | None]:
    """Where each label goes so that none overlap each other or the `obstacles` (boxes
    x0, y0, x1, y1: the marks), in screen units, y down. Each anchor is a mark's centre
    (with its radius); in order of importance, the label takes the first free spot to the
    right, left, above or below the mark or at a corner of it, then the same a line
    further out, inside `bounds` when given; None when there is none (the name is then
    shown on hover only). Returns the label's top-left corner relative to the anchor."""
    left, top, right, bottom = bounds or (-np.inf, -np.inf, np.inf, np.inf)
    boxes = np.zeros((len(obstacles) + len(anchors), 4))
    if len(obstacles):
        boxes[: len(obstacles)] = np.asarray(obstacles, dtype=np.float64)
    used = len(obstacles)
    out: list[Position | None] = []
    for k, ((x, y), (w, h)) in enumerate(zip(anchors, sizes, strict=True)):
        r = radii[k] if radii is not None else 0.0
        found: Position | None = None
        for far in (gap, gap + h):
            d = r + far
            for dx, dy in (
                (d, -h / 2),
                (-d - w, -h / 2),
                (-w / 2, -d - h),
                (-w / 2, d),
                (d * 0.7, -d * 0.7 - h),
                (d * 0.7, d * 0.7),
                (-d * 0.7 - w, -d * 0.7 - h),
                (-d * 0.7 - w, d * 0.7),
            ):
                x0, y0 = x + dx, y + dy
                if x0 < left or y0 < top or x0 + w > right or y0 + h > bottom:
                    continue
                b = boxes[:used]
                hit = (x0 < b[:, 2]) & (b[:, 0] < x0 + w) & (y0 < b[:, 3]) & (b[:, 1] < y0 + h)
                if not hit.any():
                    found = (dx, dy)
                    boxes[used] = (x0, y0, x0 + w, y0 + h)
                    used += 1
                    break
            if found is not None:
                break
        out.append(found)
    return out


def nearest_edge(
    point: Position, segments: Sequence[tuple[Position, Position]], within: float
) -> int | None:
    """The index of the segment nearest to `point`, if nearer than `within`."""
    if not segments:
        return None
    seg = np.array(segments, dtype=np.float64)  # (n, 2, 2)
    p = np.array(point, dtype=np.float64)
    a, b = seg[:, 0], seg[:, 1]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-12)
    t = np.clip(((p - a) * ab).sum(axis=1) / length2, 0.0, 1.0)
    dist = np.hypot(*(a + ab * t[:, None] - p).T)
    best = int(np.argmin(dist))
    return best if dist[best] <= within else None
