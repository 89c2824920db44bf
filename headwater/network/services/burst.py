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

Details (ADR 0026, Engine):
- The hydraulic run closes the segment's links and the links that carry its boundary
  valves (closing a valve's link is what closing the valve does to the flow: the rest of
  that link is a dead end without demand).
- "The rest of the network" is judged against the same run with nothing closed (kept per
  process and model): `hydraulic.lost` are junctions outside the cut-off nodes that lose
  water only because of the burst; `hydraulic.low` those whose lowest pressure falls below
  `network.pda_required_pressure` only because of it. A critical customer is "cut" when
  all its nodes are cut off, "lost" when all its nodes lose water in the run (and did not
  without the burst), "low" when its best-fed node's lowest pressure falls below its own
  `min_pressure` (and was not below it without the burst). `pressure` is that best
  node's lowest pressure in the run (None without the run).
- A valve's x, y are 10% of the way along its link from its node (so two valves on a
  node's two links are drawn apart). Tanker points are junctions outside the cut-off (and
  lost) nodes, fed at or above the customer's `min_pressure` in the run (any fed junction
  without the run), nearest first to the customer's x, y (or its nodes' centre); the
  distance is in the model's plane.
- `seconds.hydraulic` is 0 when no hydraulic run was asked for.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from headwater.core import levels
from headwater.core.errors import DomainError
from headwater.network import graph, hydraulics
from headwater.network.choices import CustomerKind, LinkKind, NodeKind
from headwater.network.errors import NetworkError
from headwater.network.models import CriticalCustomer

VALVE_OFFSET = 0.1  # share of the link's length between a valve and its node, for drawing
SEVERITY = {"cut": 0, "lost": 1, "low": 2}


@dataclass
class Impact:
    """A burst's impact on one model version (see the module's docstring for the JSON)."""

    model_id: int
    version: int
    pipe: str
    isolation: graph.Isolation
    valves: list[dict]
    customers: int
    demand: float
    population: int
    critical: list[dict]
    hydraulic: dict | None
    seconds: dict = field(default_factory=dict)

    @property
    def cut_nodes(self) -> list[str]:
        return list(self.isolation.cut_nodes)

    def as_dict(self) -> dict:
        return {
            "model": self.model_id,
            "version": self.version,
            "pipe": self.pipe,
            "valves": self.valves,
            "segment": {
                "nodes": list(self.isolation.nodes),
                "links": list(self.isolation.links),
            },
            "cut_nodes": self.cut_nodes,
            "unintended_nodes": list(self.isolation.unintended_nodes),
            "customers": self.customers,
            "demand": self.demand,
            "population": self.population,
            "critical": self.critical,
            "hydraulic": self.hydraulic,
            "seconds": self.seconds,
        }


def impact(model, pipe: str, *, hydraulic: bool = True) -> Impact:
    """The impact of a burst on `pipe` (a link id of `model`, a NetworkModel row)."""
    began = time.perf_counter()
    topo = graph.topology(model)
    _refuse_unless_pipe(topo, pipe)
    iso = graph.isolate(topo, graph.segments(topo), pipe)
    cut = set(iso.cut_nodes)
    seconds = {"topology": time.perf_counter() - began, "hydraulic": 0.0}
    run = base = rest = None
    if hydraulic:
        closed = dict.fromkeys([*iso.links, *(valve_link for valve_link, _node in iso.valves)])
        run = hydraulics.check(model, list(closed))
        base = _baseline(model, topo)
        seconds["hydraulic"] = time.perf_counter() - began - seconds["topology"]
        rest = _rest(model, cut, run, base)
        rest["seconds"] = round(seconds["hydraulic"], 4)
    return Impact(
        model_id=model.pk,
        version=model.version,
        pipe=pipe,
        isolation=iso,
        valves=[_valve(topo, valve_link, node) for valve_link, node in iso.valves],
        customers=sum(topo.nodes[n].customers for n in cut),
        demand=round(sum(topo.nodes[n].demand for n in cut), 3),
        population=sum(topo.nodes[n].population for n in cut),
        critical=_critical(model, topo, cut, run, base),
        hydraulic=rest,
        seconds={key: round(value, 4) for key, value in seconds.items()},
    )


def _refuse_unless_pipe(topo: graph.Topology, pipe: str) -> None:
    link = topo.links.get(pipe)
    if link is None:
        raise DomainError(
            _("The network model has no pipe %(pipe)s.") % {"pipe": pipe[:64]},
            code=NetworkError.UNKNOWN_LINK,
            fields={"pipe": _("No such pipe in the network model.")},
            status=404,
        )
    if link.kind != LinkKind.PIPE:
        raise DomainError(
            _("%(link)s is a pump or a control valve, not a pipe.") % {"link": pipe},
            code=NetworkError.NOT_A_PIPE,
            fields={"pipe": _("Choose a pipe.")},
        )


def _baseline(model, topo: graph.Topology) -> hydraulics.Check:
    """The run with nothing closed, with the settings in force, kept on the topology."""
    organization = model.organization
    key = (
        "baseline",
        levels.value(organization, "network.pda_min_pressure"),
        levels.value(organization, "network.pda_required_pressure"),
        levels.value(organization, "network.hydraulic_hours"),
        levels.value(organization, "network.lost_percent"),
    )
    base = topo.memo.get(key)
    if base is None:
        base = topo.memo[key] = hydraulics.check(model, [])
    return base


def _rest(model, cut: set[str], run: hydraulics.Check, base: hydraulics.Check) -> dict:
    required = levels.value(model.organization, "network.pda_required_pressure")
    was_lost = set(base.lost)
    lost = [n for n in run.lost if n not in cut and n not in was_lost]
    gone = cut | set(lost)
    was_low = set(base.low(required))
    low = [n for n in run.low(required) if n not in gone and n not in was_low]
    return {"lost": lost, "low": low, "seconds": 0.0}


def _valve(topo: graph.Topology, link: str, node: str) -> dict:
    info = topo.links[link]
    here = topo.nodes[node]
    there = topo.nodes[info.end if node == info.start else info.start]
    x, y = here.x, here.y
    if None not in (x, y, there.x, there.y):
        x += (there.x - x) * VALVE_OFFSET
        y += (there.y - y) * VALVE_OFFSET
    return {"link": link, "node": node, "x": x, "y": y}


def _critical(model, topo, cut: set[str], run, base) -> list[dict]:
    rows = CriticalCustomer.objects.filter(organization_id=model.organization_id, active=True)
    lost_now = set(run.lost) if run else set()
    lost_before = set(base.lost) if base else set()
    affected = []
    for customer in rows.order_by("name"):
        nodes = list(customer.nodes)
        if not nodes or any(n not in topo.nodes for n in nodes):
            continue  # fed from nodes this version does not have: nothing to judge
        pressure = None
        if run:
            pressure = max(run.pressure.get(n, -math.inf) for n in nodes)
            pressure = None if pressure == -math.inf else pressure
        effect = _effect(customer, nodes, cut, lost_now, lost_before, pressure, base)
        if effect is None:
            continue
        affected.append(
            {
                "id": customer.pk,
                "name": customer.name,
                "kind": customer.kind,
                "kind_label": str(CustomerKind(customer.kind).label)
                if customer.kind in CustomerKind.values
                else customer.kind,
                "effect": effect,
                "pressure": None if pressure is None else round(pressure, 2),
                "min_pressure": customer.min_pressure,
                "duty_phone": customer.duty_phone,
                "contact": customer.contact,
                "contact_phone": customer.contact_phone,
                "tankers": _tankers(model, topo, customer, nodes, cut | lost_now, run)
                if effect in ("cut", "lost")
                else [],
            }
        )
    affected.sort(key=lambda row: (SEVERITY[row["effect"]], row["name"]))
    return affected


def _effect(customer, nodes, cut, lost_now, lost_before, pressure, base) -> str | None:
    if all(n in cut for n in nodes):
        return "cut"
    if all(n in lost_now for n in nodes) and not all(n in lost_before for n in nodes):
        return "lost"
    if pressure is not None and pressure < customer.min_pressure:
        before = max(base.pressure.get(n, -math.inf) for n in nodes)
        if before >= customer.min_pressure:
            return "low"
    return None


def _tankers(model, topo, customer, nodes, dry: set[str], run) -> list[dict]:
    """The nearest junctions still fed at the customer's pressure (a tanker fills there)."""
    x, y = customer.x, customer.y
    if x is None or y is None:
        placed = [topo.nodes[n] for n in nodes if topo.nodes[n].x is not None]
        if not placed:
            return []
        x = sum(p.x for p in placed) / len(placed)
        y = sum(p.y for p in placed) / len(placed)
    candidates = []
    for name, node in topo.nodes.items():
        if node.kind != NodeKind.JUNCTION or name in dry or node.x is None or node.y is None:
            continue
        pressure = run.pressure.get(name) if run else None
        if run and (pressure is None or pressure < customer.min_pressure):
            continue
        candidates.append((math.hypot(node.x - x, node.y - y), name, node, pressure))
    candidates.sort(key=lambda c: (c[0], c[1]))
    count = levels.value(model.organization, "network.tanker_points")
    return [
        {
            "node": name,
            "x": node.x,
            "y": node.y,
            "distance": round(distance, 1),
            "pressure": None if pressure is None else round(pressure, 2),
        }
        for distance, name, node, pressure in candidates[:count]
    ]
