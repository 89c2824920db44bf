"""What the network map reads (管网地图): the viewer's current model and its geometry as compact
arrays (the browser draws thousands of pipes from them), the critical customers with their
state from the active work orders' impact, and the open work orders placed on the map.

Every read goes through `visible_to(user)`: a user without `network.view_network` is refused,
and one whose organization has no model gets NO_MODEL (404-shaped)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from headwater.core.errors import DomainError, require
from headwater.network.choices import SupplyState, WorkOrderKind, WorkOrderState
from headwater.network.errors import NetworkError
from headwater.network.models import (
    CriticalCustomer,
    Link,
    NetworkModel,
    Node,
    Valve,
    WorkOrder,
)
from headwater.network.permissions import VIEW_NETWORK

CUT_EFFECTS = ("cut", "lost")


def current_model(user) -> NetworkModel:
    """The viewer's organization's current model; NO_MODEL (404) when it has none yet."""
    require(user, VIEW_NETWORK)
    model = NetworkModel.objects.visible_to(user).filter(current=True).first()
    if model is None:
        raise DomainError(
            _("There is no network model yet: the office imports one first."),
            code=NetworkError.NO_MODEL,
            status=404,
        )
    return model


def _round(value, digits: int = 2):
    return None if value is None else round(value, digits)


def nodes(model: NetworkModel) -> list[list]:
    """[[id, kind, x, y, elevation, demand], ...] (x, y in the model's plane; demand L/s)."""
    rows = Node.objects.filter(model=model).order_by("pk")
    return [
        [name, kind, _round(x), _round(y), _round(elevation), _round(demand, 3)]
        for name, kind, x, y, elevation, demand in rows.values_list(
            "name", "kind", "x", "y", "elevation", "demand"
        )
    ]


def links(model: NetworkModel) -> list[list]:
    """[[id, kind, start, end, dn, vertices, length, material, status], ...]."""
    rows = Link.objects.filter(model=model).order_by("pk")
    return [
        [name, kind, start, end, _round(dn, 1), vertices or [], _round(length, 1), material, status]
        for name, kind, start, end, dn, vertices, length, material, status in rows.values_list(
            "name", "kind", "start", "end", "diameter", "vertices", "length", "material", "status"
        )
    ]


def valves(model: NetworkModel) -> list[list]:
    """[[id, link, node], ...]: the valve layer (drawn at its node)."""
    rows = Valve.objects.filter(model=model).order_by("pk")
    return [list(row) for row in rows.values_list("name", "link", "node")]


def active_orders(user):
    return WorkOrder.objects.visible_to(user).filter(state__in=WorkOrderState.active())


def customer_states(orders) -> dict[int, str]:
    """Each critical customer's state read from the active work orders' impact (what the
    board reads, ADR 0026): cut when one cuts it off or makes it lose water, at risk when one
    leaves it below its pressure."""
    states: dict[int, str] = {}
    for impact in orders.values_list("impact", flat=True):
        for c in (impact or {}).get("critical", []) if isinstance(impact, dict) else []:
            cid = c.get("id") if isinstance(c, dict) else None
            if not isinstance(cid, int):
                continue
            if c.get("effect") in CUT_EFFECTS:
                states[cid] = SupplyState.CUT
            elif states.get(cid) != SupplyState.CUT:
                states[cid] = SupplyState.AT_RISK
    return states


def customers(user, states: dict[int, str]) -> list[dict]:
    """The active critical customers with the map's details (phones are shown to the roles
    that see the network, ADR 0026)."""
    rows = CriticalCustomer.objects.visible_to(user).filter(active=True).order_by("kind", "name")
    return [
        {
            "id": c.pk,
            "name": c.name,
            "kind": c.kind,
            "kind_label": str(c.get_kind_display()),
            "x": c.x,
            "y": c.y,
            "nodes": c.nodes if isinstance(c.nodes, list) else [],
            "feeds": c.feeds,
            "min_pressure": c.min_pressure,
            "contact": c.contact,
            "contact_phone": c.contact_phone,
            "duty_phone": c.duty_phone,
            "state": states.get(c.pk, SupplyState.FED),
        }
        for c in rows
    ]


def midpoint(model: NetworkModel, link: str) -> tuple[float | None, float | None]:
    """Where a pipe is drawn: the middle of its two end nodes (None when unknown)."""
    row = Link.objects.filter(model=model, name=link).values("start", "end").first()
    if row is None:
        return None, None
    ends = list(
        Node.objects.filter(model=model, name__in=[row["start"], row["end"]]).values_list("x", "y")
    )
    points = [(x, y) for x, y in ends if x is not None and y is not None]
    if not points:
        return None, None
    return (
        sum(x for x, _y in points) / len(points),
        sum(y for _x, y in points) / len(points),
    )


def orders_on_map(orders) -> list[dict]:
    """The active work orders (the newest 500); one without x/y is drawn at its node or
    pipe by the page."""
    return [
        {
            "id": o.pk,
            "number": o.number,
            "kind": o.kind,
            "kind_label": str(o.get_kind_display()),
            "state": o.state,
            "state_label": str(o.get_state_display()),
            "title": o.title,
            "x": o.x,
            "y": o.y,
            "link": o.link,
            "node": o.node,
        }
        for o in orders.order_by("-opened_at", "-pk")[:500]
    ]


def geometry(user) -> dict:
    """The map of the viewer's current model (GET /api/v1/network/map)."""
    model = current_model(user)
    orders = active_orders(user)
    return {
        "model": model.pk,
        "version": model.version,
        "name": model.name,
        "nodes": nodes(model),
        "links": links(model),
        "valves": valves(model),
        "customers": customers(user, customer_states(orders)),
        "work_orders": orders_on_map(orders),
    }


def orders_of(user):
    return WorkOrder.objects.visible_to(user)


def orders_filtered(user, state: str = "", kind: str = ""):
    """The work orders the list shows: `state` one of the states or "active"; `kind` one of
    the kinds; anything else is no filter."""
    qs = orders_of(user)
    if state == "active":
        qs = qs.filter(state__in=WorkOrderState.active())
    elif state in WorkOrderState.values:
        qs = qs.filter(state=state)
    if kind in WorkOrderKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-opened_at", "-pk")


def next_state(order: WorkOrder) -> str:
    from headwater.network.services.workorders import NEXT

    return str(NEXT.get(order.state, ""))


def order_out(order: WorkOrder) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "kind": order.kind,
        "kind_label": str(order.get_kind_display()),
        "state": order.state,
        "state_label": str(order.get_state_display()),
        "title": order.title,
        "model": order.model_id,
        "link": order.link,
        "node": order.node,
        "x": order.x,
        "y": order.y,
        "location": order.location,
        "note": order.note,
        "impact": order.impact if isinstance(order.impact, dict) else {},
        "opened_at": order.opened_at,
        "closed_at": order.closed_at,
        "next_state": next_state(order),
    }


EFFECT_LABELS = {
    "cut": _lazy("Cut off (segment closed)"),
    "lost": _lazy("Loses water (hydraulic check)"),
    "low": _lazy("Below its pressure (hydraulic check)"),
}


def _node_id(item) -> str:
    if isinstance(item, dict):
        return str(item.get("node") or item.get("id") or "")
    return str(item)


def valve_ids(model_id: int | None, valves: list) -> list[dict]:
    """The impact's valves (link and node) with the layer's id of each ("" when unknown)."""
    rows = Valve.objects.filter(model_id=model_id).values_list("name", "link", "node")
    layer = {(link, node): name for name, link, node in rows} if model_id else {}
    return [
        v | {"id": layer.get((v.get("link"), v.get("node")), "")}
        for v in valves
        if isinstance(v, dict)
    ]


def burst_sheet(model: NetworkModel, impact: dict) -> dict:
    """The printable burst list of an impact (`burst.Impact.as_dict()`): the valves to close
    named by the layer's ids, the pipe's details, every critical customer with its effect in
    words, and the junctions cut off or failing the hydraulic check."""
    pipe = Link.objects.filter(model=model, name=impact.get("pipe", "")).first()
    valves = valve_ids(model.pk, impact.get("valves", []))
    critical = [
        c | {"effect_label": str(EFFECT_LABELS.get(c.get("effect"), c.get("effect", "")))}
        for c in impact.get("critical", [])
    ]
    hydraulic = impact.get("hydraulic") or {}
    unintended = set(impact.get("unintended_nodes", []))
    return {
        "impact": impact,
        "model": model,
        "pipe": pipe,
        "valves": valves,
        "critical": critical,
        "segment_nodes": [n for n in impact.get("cut_nodes", []) if n not in unintended],
        "unintended_nodes": sorted(unintended),
        "lost": [_node_id(n) for n in hydraulic.get("lost", [])],
        "low": [_node_id(n) for n in hydraulic.get("low", [])],
        "hydraulic": bool(impact.get("hydraulic")),
    }
