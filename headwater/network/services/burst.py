"""Burst impact (爆管影响): what closing a pipe's segment does, for the map, the printable
list and the work order.

INTERFACE (the engine part implements it; the map part and the work orders call it):

- `impact(model, pipe, *, hydraulic=True) -> Impact` — within a second on the largest model
  WNTR ships: the topological isolation (`graph.isolate`), the customers and critical
  customers on the cut-off nodes, the demand and population cut off, and (hydraulic=True)
  the pressure-dependent check of the rest of the network (`hydraulics.check` with the
  segment's links closed): junctions and critical customers that lose water or fall below
  their required pressure; and tanker points suggested for each cut-off critical customer
  (the nearest junctions still fed at pressure, by the model's coordinates).
  Raises DomainError (UNKNOWN_LINK / NOT_A_PIPE) for a pipe not in the model.
- `Impact.as_dict()` is the JSON the API returns and the page draws:
  {"model": id, "version": n, "pipe": id, "valves": [{"link", "node", "x", "y"}],
   "segment": {"nodes": [...], "links": [...]}, "cut_nodes": [...] (every node that loses
   water: the segment's and the unintended), "unintended_nodes": [...], "customers": n,
   "demand": L/s, "population": n,
   "critical": [{"id", "name", "kind", "kind_label", "effect": "cut"|"lost"|"low",
                 "pressure": m|None, "min_pressure": m, "duty_phone", "contact",
                 "contact_phone", "tankers": [{"node", "x", "y", "distance", "pressure"}]}],
   "hydraulic": None | {"lost": [...], "low": [...], "seconds": s},
   "seconds": {"topology": s, "hydraulic": s}}
"""
