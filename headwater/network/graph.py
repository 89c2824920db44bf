"""The network's topology in memory and what it answers without hydraulics: valve
segments (关阀分区), a burst's isolation (valves to close, the segment that loses water,
the nodes cut off from every source besides — unintended isolation) and every pipe's
cut-off set at once (the criticality ranking).

INTERFACE (the engine part implements it; the other parts call only these names):

- `Topology`: a model version's nodes (id → kind, demand L/s, population, x, y), links
  (id → (start, end), kind, diameter, material) and valve layer [(link, node), ...].
- `topology(model) -> Topology`: read from the database once per process and model
  version (and valve layer), then remembered.
- `from_wntr(wn, valves) -> Topology`: the same from a WNTR WaterNetworkModel and a valve
  layer DataFrame (tests, bench).
- `segments(topo) -> Segmentation`: every node and link's segment number, each segment's
  nodes, links and boundary valves. Identical (as a partition) to WNTR's `valve_segments`.
- `isolate(topo, seg, pipe) -> Isolation`: a burst on `pipe` (a link id): the valves to
  close, the segment's nodes and links, and the nodes (and links) cut off only because
  that segment is closed (no path to any reservoir or tank). Raises KeyError for an
  unknown link.
- `cut_off_by_segment(topo, seg) -> dict[int, frozenset[str]]`: for every segment, the
  nodes that lose water when it is closed (its own and the unintentionally isolated).
- `cut_off_by_pipe(topo) -> dict[str, frozenset[str]]`: for every link, the nodes cut off
  from every source when that link alone is closed.
Sources are reservoirs and tanks; every link connects both ways whatever its kind or
initial status (the closure assumption, stated in ADR 0026).

How (ADR 0026, Engine): segments are a union-find over nodes and links, a link joining
its end node unless a valve (link, node) sits there. "Lose water" means had a path to a
source before the closure and has none after it. What every segment's (or link's) closure
cuts off comes from one depth-first search (articulation points, Hopcroft–Tarjan) from a
super-source joined to every source: removing a vertex cuts off exactly its children's
subtrees that have no edge above it (the vertices it dominates). For links, each link is
a vertex between its two nodes, so a pipe with a parallel twin cuts nothing.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple

SOURCE_KINDS = frozenset({"reservoir", "tank"})
_EMPTY: frozenset[str] = frozenset()


class NodeInfo(NamedTuple):
    kind: str  # NodeKind value: junction, tank, reservoir
    demand: float  # base demand, L/s
    population: int
    customers: int
    x: float | None
    y: float | None


class LinkInfo(NamedTuple):
    start: str
    end: str
    kind: str  # LinkKind value: pipe, pump, valve
    diameter: float  # mm
    material: str
    length: float  # m


@dataclass(eq=False)
class Topology:
    """A model version's graph: nodes and links by id, and its isolation-valve layer as
    (link, node) pairs. What is computed from it (segments, cut-off sets) is kept on it."""

    nodes: dict[str, NodeInfo]
    links: dict[str, LinkInfo]
    valves: list[tuple[str, str]]
    model_id: int | None = None
    version: int | None = None
    memo: dict = field(default_factory=dict, repr=False)

    def sources(self) -> list[str]:
        return [name for name, node in self.nodes.items() if node.kind in SOURCE_KINDS]


@dataclass(eq=False)
class Segmentation:
    """Segments numbered 1..n: each node's and link's number; each segment's nodes, links
    and boundary valves (exactly one side in it); the segment graph (segments joined
    through a valve) and the segments that hold a source."""

    node_segment: dict[str, int]
    link_segment: dict[str, int]
    nodes: dict[int, list[str]]
    links: dict[int, list[str]]
    valves: dict[int, list[tuple[str, str]]]
    neighbours: dict[int, set[int]]
    sources: frozenset[int]
    fed: frozenset[int]  # segments with a path to a source when nothing is closed

    def __len__(self) -> int:
        return len(self.nodes)


@dataclass(frozen=True)
class Isolation:
    """A burst on `pipe`: close `valves` and its segment (`nodes`, `links`) loses water, and
    so do `unintended_nodes`/`unintended_links`, cut off from every source by the closure."""

    pipe: str
    segment: int
    valves: tuple[tuple[str, str], ...]
    nodes: tuple[str, ...]
    links: tuple[str, ...]
    unintended_nodes: tuple[str, ...]
    unintended_links: tuple[str, ...]
    unintended_segments: tuple[int, ...]

    @property
    def cut_nodes(self) -> tuple[str, ...]:
        """Every node that loses water: the segment's and the unintended."""
        return self.nodes + self.unintended_nodes


# -- building a topology ------------------------------------------------------------

_lock = threading.Lock()
_remembered: dict[tuple, Topology] = {}
_KEEP = 8  # model versions remembered per process


def topology(model) -> Topology:
    """The topology of a NetworkModel row, read once per process and valve layer (a model
    version is immutable; its valve layer may be replaced, hence the stamp)."""
    from django.db.models import Count, Max

    from headwater.network.models import Valve

    stamp = Valve.objects.filter(model_id=model.pk).aggregate(n=Count("id"), last=Max("id"))
    key = (model.pk, stamp["n"], stamp["last"], model.valve_layer)
    hit = _remembered.get(key)
    if hit is not None:
        return hit
    topo = _read(model)
    with _lock:
        for old in [k for k in _remembered if k[0] == model.pk]:
            del _remembered[old]
        while len(_remembered) >= _KEEP:
            del _remembered[next(iter(_remembered))]
        _remembered[key] = topo
    return topo


def forget() -> None:
    """Drop every remembered topology (tests)."""
    with _lock:
        _remembered.clear()


def _read(model) -> Topology:
    from headwater.network.models import Link, Node, Valve

    nodes = {
        name: NodeInfo(kind, demand, population, customers, x, y)
        for name, kind, demand, population, customers, x, y in Node.objects.filter(
            model_id=model.pk
        )
        .order_by("id")
        .values_list("name", "kind", "demand", "population", "customers", "x", "y")
    }
    links = {
        name: LinkInfo(start, end, kind, diameter, material, length)
        for name, start, end, kind, diameter, material, length in Link.objects.filter(
            model_id=model.pk
        )
        .order_by("id")
        .values_list("name", "start", "end", "kind", "diameter", "material", "length")
    }
    valves = list(
        Valve.objects.filter(model_id=model.pk).order_by("id").values_list("link", "node")
    )
    return Topology(nodes, links, valves, model_id=model.pk, version=model.version)


_WNTR_NODE = {"Junction": "junction", "Tank": "tank", "Reservoir": "reservoir"}
_WNTR_LINK = {"Pipe": "pipe", "Pump": "pump", "Valve": "valve"}


def from_wntr(wn, valves=None) -> Topology:
    """The topology of a WNTR WaterNetworkModel with a valve layer (a DataFrame with
    columns `link` and `node`, as WNTR's generators make, or (link, node) pairs)."""
    nodes = {}
    for name, node in wn.nodes():
        demand = 0.0
        if node.node_type == "Junction":
            demand = sum(d.base_value for d in node.demand_timeseries_list) * 1000.0
        x, y = node.coordinates if node.coordinates else (None, None)
        nodes[name] = NodeInfo(_WNTR_NODE[node.node_type], demand, 0, 0, x, y)
    links = {}
    for name, link in wn.links():
        kind = _WNTR_LINK.get(link.link_type, "valve")
        diameter = getattr(link, "diameter", 0.0) * 1000.0 if kind != "pump" else 0.0
        length = getattr(link, "length", 0.0) if kind == "pipe" else 0.0
        links[name] = LinkInfo(link.start_node_name, link.end_node_name, kind, diameter, "", length)
    return Topology(nodes, links, _valve_pairs(valves))


def _valve_pairs(valves) -> list[tuple[str, str]]:
    if valves is None:
        return []
    if hasattr(valves, "columns"):
        return [
            (str(link), str(node))
            for link, node in zip(valves["link"], valves["node"], strict=True)
        ]
    return [(str(link), str(node)) for link, node in valves]


# -- segments -----------------------------------------------------------------------


def segments(topo: Topology) -> Segmentation:
    """Valve segments of the topology (computed once per Topology)."""
    seg = topo.memo.get("segments")
    if seg is None:
        seg = topo.memo["segments"] = _segment(topo)
    return seg


def _valid_valves(topo: Topology) -> list[tuple[str, str]]:
    """The layer's valves that sit at an end of a known link, each once."""
    seen = set()
    valid = []
    for link, node in topo.valves:
        info = topo.links.get(link)
        if info is None or node not in (info.start, info.end) or (link, node) in seen:
            continue
        seen.add((link, node))
        valid.append((link, node))
    return valid


def _segment(topo: Topology) -> Segmentation:
    node_index = {name: i for i, name in enumerate(topo.nodes)}
    n = len(node_index)
    parent = list(range(n + len(topo.links)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    valves = _valid_valves(topo)
    valved = set(valves)
    for j, (link, info) in enumerate(topo.links.items(), start=n):
        for end in (info.start, info.end):
            if (link, end) not in valved and end in node_index:
                a, b = find(j), find(node_index[end])
                if a != b:
                    parent[a] = b

    number: dict[int, int] = {}
    nodes: dict[int, list[str]] = {}
    links: dict[int, list[str]] = {}
    node_segment: dict[str, int] = {}
    link_segment: dict[str, int] = {}
    for i, name in enumerate(topo.nodes):
        s = number.setdefault(find(i), len(number) + 1)
        node_segment[name] = s
        nodes.setdefault(s, []).append(name)
    for j, name in enumerate(topo.links, start=n):
        s = number.setdefault(find(j), len(number) + 1)
        link_segment[name] = s
        links.setdefault(s, []).append(name)
        nodes.setdefault(s, [])
    for s in nodes:
        links.setdefault(s, [])

    boundary: dict[int, list[tuple[str, str]]] = {s: [] for s in nodes}
    neighbours: dict[int, set[int]] = {s: set() for s in nodes}
    for link, node in valves:
        a, b = link_segment[link], node_segment[node]
        if a != b:
            boundary[a].append((link, node))
            boundary[b].append((link, node))
            neighbours[a].add(b)
            neighbours[b].add(a)
    sources = frozenset(node_segment[name] for name in topo.sources())
    return Segmentation(
        node_segment,
        link_segment,
        nodes,
        links,
        boundary,
        neighbours,
        sources,
        frozenset(_reach(neighbours, sources)),
    )


def _reach(neighbours: dict[int, set[int]], start, without: int | None = None) -> set[int]:
    seen = {s for s in start if s != without}
    queue = deque(seen)
    while queue:
        for t in neighbours[queue.popleft()]:
            if t not in seen and t != without:
                seen.add(t)
                queue.append(t)
    return seen


# -- a burst --------------------------------------------------------------------------


def isolate(topo: Topology, seg: Segmentation, pipe: str) -> Isolation:
    """What closing `pipe`'s segment does. KeyError for a link not in the topology."""
    s = seg.link_segment[pipe]
    still = _reach(seg.neighbours, seg.sources, without=s)
    lost = sorted(seg.fed - still - {s})
    return Isolation(
        pipe=pipe,
        segment=s,
        valves=tuple(seg.valves[s]),
        nodes=tuple(seg.nodes[s]),
        links=tuple(seg.links[s]),
        unintended_nodes=tuple(name for t in lost for name in seg.nodes[t]),
        unintended_links=tuple(name for t in lost for name in seg.links[t]),
        unintended_segments=tuple(lost),
    )


# -- every closure at once --------------------------------------------------------------


def _separations(adjacency: list[list[int]], sources: list[int]):
    """Which vertices each vertex's removal cuts off from every source (Hopcroft–Tarjan
    articulation points, one iterative depth-first search from a super-source joined to
    `sources`; the graph of `adjacency` over vertices 0..n-1 is symmetric).

    Returns the preorder of the vertices reached (unreached ones were never fed) and, per
    vertex, the preorder ranges [a, b) of its children's subtrees that have no edge above
    it: exactly the vertices it separates from the super-source."""
    root = len(adjacency)
    adj = [list(near) for near in adjacency]
    for s in sources:
        adj[s].append(root)
    adj.append(list(sources))
    disc = [-1] * (root + 1)
    low = [0] * (root + 1)
    position: dict[int, int] = {}
    order: list[int] = []
    ranges: dict[int, list[tuple[int, int]]] = {}
    disc[root] = 0
    clock = 1
    stack = [(root, iter(adj[root]))]
    while stack:
        v, near = stack[-1]
        for w in near:
            if disc[w] < 0:
                disc[w] = low[w] = clock
                clock += 1
                position[w] = len(order)
                order.append(w)
                stack.append((w, iter(adj[w])))
                break
            if disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            if stack:
                p = stack[-1][0]
                if low[v] < low[p]:
                    low[p] = low[v]
                if low[v] >= disc[p] and p != root:
                    ranges.setdefault(p, []).append((position[v], len(order)))
    return order, position, ranges


def _flatten(order: list[int], members) -> tuple[list[int], list[str]]:
    """The members of the vertices along the preorder, and for each position the count of
    members before it (so a subtree's members are one slice)."""
    before = [0] * (len(order) + 1)
    flat: list[str] = []
    for i, v in enumerate(order):
        before[i] = len(flat)
        flat.extend(members(v))
    before[len(order)] = len(flat)
    return before, flat


def _cut(v: int, own, ranges, before, flat) -> frozenset[str]:
    found = list(own)
    for a, b in ranges.get(v, ()):
        found.extend(flat[before[a] : before[b]])
    return frozenset(found) if found else _EMPTY


def cut_off_by_segment(topo: Topology, seg: Segmentation) -> dict[int, frozenset[str]]:
    """For every segment, the nodes that lose water when it is closed: its own, and those of
    the segments it dominates (every path from a source to them goes through it)."""
    memo = topo.memo.get("cut_by_segment")
    if memo is not None and memo[0] is seg:
        return memo[1]
    adjacency = [[t - 1 for t in seg.neighbours[s]] for s in range(1, len(seg) + 1)]
    order, position, ranges = _separations(adjacency, [s - 1 for s in seg.sources])
    before, flat = _flatten(order, lambda v: seg.nodes[v + 1])
    cut = {}
    for s, own in seg.nodes.items():
        # A segment never fed loses nothing but its own nodes are still closed.
        cut[s] = _cut(s - 1, own, ranges, before, flat) if s - 1 in position else frozenset(own)
    topo.memo["cut_by_segment"] = (seg, cut)
    return cut


def cut_off_by_pipe(topo: Topology) -> dict[str, frozenset[str]]:
    """For every link, the nodes cut off from every source when that link alone is closed
    (only a bridge cuts anything; each link is a vertex between its nodes, so a link with a
    parallel twin cuts nothing)."""
    memo = topo.memo.get("cut_by_pipe")
    if memo is not None:
        return memo
    names = list(topo.nodes)
    index = {name: i for i, name in enumerate(names)}
    n = len(names)
    adjacency: list[list[int]] = [[] for _ in range(n + len(topo.links))]
    for j, info in enumerate(topo.links.values(), start=n):
        for node in (info.start, info.end):
            if node in index:
                adjacency[j].append(index[node])
                adjacency[index[node]].append(j)
    order, _, ranges = _separations(adjacency, [index[name] for name in topo.sources()])
    before, flat = _flatten(order, lambda v: (names[v],) if v < n else ())
    cut = {link: _cut(j, (), ranges, before, flat) for j, link in enumerate(topo.links, start=n)}
    topo.memo["cut_by_pipe"] = cut
    return cut
