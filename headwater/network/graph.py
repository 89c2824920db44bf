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
"""
