"""The critical customers' board (重点用户保障看板): each active customer's supply state now,
with the reasons, its feed redundancy, its pressure point's last reading and the active work
orders near it. Read-only; the rules (ADR 0026, "Critical customers and the board"):

- cut: an active work order's impact (`impact["critical"]`, what the burst service computed
  when it was opened) lists the customer with effect "cut";
- at risk: an active work order lists it "lost" or "low"; or its pressure point's last value
  is below the customer's minimum pressure or the point's low threshold; or the point has been
  silent longer than `network.reading_stale_minutes` (never read counts as silent); or the
  customer has a single feed and an active work order lies within `network.nearby_metres`
  of it (the model's coordinates);
- fed otherwise.

A handful of queries whatever the number of customers: the customers with their points, the
active work orders, the coordinates of the nodes that are needed, the current model and the
two settings."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import clock, levels
from headwater.core.tiles import Text
from headwater.network.choices import PointKind, SupplyState, WorkOrderState
from headwater.network.models import CriticalCustomer, PressurePoint, WorkOrder
from headwater.network.services.customers import current_model, node_places

ORDER = {SupplyState.CUT: 0, SupplyState.AT_RISK: 1, SupplyState.FED: 2}
COLOURS = {SupplyState.CUT: "danger", SupplyState.AT_RISK: "warning", SupplyState.FED: "success"}
EFFECTS = ("cut", "lost", "low")


def redundancy(feeds: int) -> str:
    if feeds <= 1:
        return _("Single source")
    if feeds == 2:
        return _("Dual source")
    return _("%(n)s sources") % {"n": feeds}


def effect_label(effect: str) -> str:
    labels = {"cut": _("Cut off"), "lost": _("Loses water"), "low": _("Low pressure")}
    return labels.get(effect, "")


@dataclass
class NearbyOrder:
    """An active work order near a customer (or naming it in its impact)."""

    id: int
    number: str
    title: str
    kind: str
    state: str
    distance: float | None
    effect: str = ""

    @property
    def state_label(self) -> str:
        return str(WorkOrderState(self.state).label) if self.state in WorkOrderState.values else ""

    @property
    def effect_label(self) -> str:
        return effect_label(self.effect)


@dataclass
class CustomerState:
    customer: CriticalCustomer
    state: str
    reasons: list[Text] = field(default_factory=list)  # rendered in the active language
    redundancy: str = ""
    pressure: float | None = None
    pressure_at: dt.datetime | None = None
    silent: bool = False
    orders: list[NearbyOrder] = field(default_factory=list)

    @property
    def point(self) -> PressurePoint | None:
        return self.customer.pressure_point

    @property
    def state_label(self) -> str:
        return str(SupplyState(self.state).label)

    @property
    def colour(self) -> str:
        return COLOURS[self.state]


@dataclass
class _Order:
    row: WorkOrder
    x: float | None
    y: float | None
    critical: dict[int, str]  # customer id → worst effect


def _effects(impact) -> dict[int, str]:
    """Customer id → its worst effect in a work order's impact (cut before lost before low);
    anything malformed in the stored JSON is skipped, never raised."""
    out: dict[int, str] = {}
    items = impact.get("critical") if isinstance(impact, dict) else None
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("effect") not in EFFECTS:
            continue
        try:
            customer_id = int(item.get("id"))
        except (TypeError, ValueError):
            continue
        effect = item["effect"]
        if customer_id not in out or EFFECTS.index(effect) < EFFECTS.index(out[customer_id]):
            out[customer_id] = effect
    return out


def _distance(a: tuple, b: tuple) -> float | None:
    if None in a or None in b:
        return None
    return math.hypot(a[0] - b[0], a[1] - b[1])


def states(organization, customers=None) -> list[CustomerState]:
    """Every active customer's state (or those of `customers`, a queryset of the
    organization's), worst first, then by kind and name."""
    if customers is None:
        customers = CriticalCustomer.objects.filter(organization=organization, active=True)
    customers = list(customers.select_related("pressure_point").order_by("kind", "name", "pk"))
    if not customers:
        return []
    orders_rows = list(
        WorkOrder.objects.filter(organization=organization, state__in=WorkOrderState.active()).only(
            "pk", "number", "title", "kind", "state", "x", "y", "node", "impact"
        )
    )
    model = current_model(organization)
    wanted = {c.nodes[0] for c in customers if c.x is None and c.nodes}
    wanted |= {o.node for o in orders_rows if o.x is None and o.node}
    places = node_places(model, wanted)
    orders = [_Order(o, *_place(o.x, o.y, o.node, places), _effects(o.impact)) for o in orders_rows]
    now = clock.now()
    stale = dt.timedelta(minutes=levels.value(organization, "network.reading_stale_minutes"))
    nearby = levels.value(organization, "network.nearby_metres")
    out = [_state(c, orders, places, now, stale, nearby) for c in customers]
    out.sort(key=lambda s: ORDER[s.state])
    return out


def _place(x, y, node: str, places: dict) -> tuple:
    if x is not None and y is not None:
        return x, y
    return places.get(node, (None, None)) if node else (None, None)


def _state(customer, orders, places, now, stale, nearby) -> CustomerState:
    here = _place(customer.x, customer.y, customer.nodes[0] if customer.nodes else "", places)
    state = CustomerState(customer, SupplyState.FED, redundancy=redundancy(customer.feeds))
    risk: list[Text] = []
    cut: list[Text] = []
    for order in orders:
        effect = order.critical.get(customer.pk, "")
        distance = _distance(here, (order.x, order.y))
        close = distance is not None and distance <= nearby
        if not effect and not close:
            continue
        row = order.row
        state.orders.append(
            NearbyOrder(row.pk, row.number, row.title, row.kind, row.state, distance, effect)
        )
        if effect == "cut":
            cut.append(Text(gettext_lazy("Cut off by work order %(number)s"), number=row.number))
        elif effect == "lost":
            risk.append(
                Text(gettext_lazy("Loses water by work order %(number)s"), number=row.number)
            )
        elif effect == "low":
            risk.append(
                Text(gettext_lazy("Low pressure by work order %(number)s"), number=row.number)
            )
        elif customer.feeds <= 1:
            risk.append(
                Text(
                    gettext_lazy("Single source, work order %(number)s %(distance)s m away"),
                    number=row.number,
                    distance=f"{distance:,.0f}",
                )
            )
    state.orders.sort(key=lambda o: (o.effect == "", o.distance is None, o.distance or 0))
    risk += _pressure(customer, state, now, stale)
    state.reasons = cut + risk
    if cut:
        state.state = SupplyState.CUT
    elif risk:
        state.state = SupplyState.AT_RISK
    return state


def _pressure(customer, state: CustomerState, now, stale) -> list[Text]:
    point = customer.pressure_point
    if point is None or not point.active:
        return []
    state.pressure, state.pressure_at = point.last_value, point.last_at
    if point.last_at is None:
        state.silent = True
        return [Text(gettext_lazy("Pressure point %(code)s has sent no reading"), code=point.code)]
    reasons = []
    if now - point.last_at > stale:
        state.silent = True
        minutes = int((now - point.last_at).total_seconds() // 60)
        reasons.append(
            Text(
                gettext_lazy("Pressure point %(code)s silent for %(minutes)s minutes"),
                code=point.code,
                minutes=minutes,
            )
        )
    if point.kind == PointKind.PRESSURE and point.last_value is not None:
        floor = max(customer.min_pressure, point.low if point.low is not None else -math.inf)
        if point.last_value < floor:
            reasons.append(
                Text(
                    gettext_lazy("Pressure %(value)s m below the %(floor)s m required"),
                    value=f"{point.last_value:.1f}",
                    floor=f"{floor:g}",
                )
            )
    return reasons


def counts(rows: list[CustomerState]) -> dict[str, int]:
    out = {s.value: 0 for s in SupplyState}
    for row in rows:
        out[row.state] += 1
    out["total"] = len(rows)
    return out
