"""Builders for the customers part's tests: a small current model written as rows (no .inp
needed), critical customers, pressure points with their last reading and work orders with an
`impact` written by hand, so a test states its board in a few lines."""

import itertools

from headwater.core import clock
from headwater.network.choices import CustomerKind, NodeKind, WorkOrderKind, WorkOrderState
from headwater.network.models import (
    CriticalCustomer,
    NetworkModel,
    Node,
    PressurePoint,
    WorkOrder,
)

# id → (x, y): a line of junctions 100 units apart, a reservoir at the start.
NODES = {"R1": (0, 0), "J1": (100, 0), "J2": (200, 0), "J3": (300, 0), "J4": (5000, 0)}
_numbers = itertools.count(1)


def make_model(org, version=1, nodes=NODES, current=True) -> NetworkModel:
    model = NetworkModel.objects.create(
        organization=org,
        version=version,
        name="城区管网",
        inp="[TITLE]\n",
        current=current,
        node_count=len(nodes),
    )
    Node.objects.bulk_create(
        Node(
            organization=org,
            model=model,
            name=name,
            kind=NodeKind.RESERVOIR if name.startswith("R") else NodeKind.JUNCTION,
            x=x,
            y=y,
        )
        for name, (x, y) in nodes.items()
    )
    return model


def make_customer(org, name="市第一人民医院", nodes=("J1",), **fields) -> CriticalCustomer:
    x, y = NODES.get(nodes[0], (None, None))
    values = {
        "kind": CustomerKind.DESIGNATED_HOSPITAL,
        "feeds": 1,
        "min_pressure": 20,
        "x": x,
        "y": y,
        "duty_phone": "0731-84440120",
    }
    values.update(fields)
    return CriticalCustomer.objects.create(organization=org, name=name, nodes=list(nodes), **values)


def make_point(org, code="P-01", *, value=None, at=None, low=None, high=None, node="J1"):
    return PressurePoint.objects.create(
        organization=org,
        code=code,
        name=f"{code} 压力点",
        node=node,
        low=low,
        high=high,
        last_value=value,
        last_at=at,
    )


def make_order(org, *, critical=(), x=None, y=None, node="", state=WorkOrderState.OPEN, **fields):
    """A work order whose impact lists `critical` as (customer, effect) pairs."""
    impact = {
        "critical": [
            {"id": c.pk, "name": c.name, "kind": c.kind, "effect": effect} for c, effect in critical
        ]
    }
    values = {"kind": WorkOrderKind.BURST, "title": "DN600 爆管", "opened_at": clock.now()}
    values.update(fields)
    return WorkOrder.objects.create(
        organization=org,
        number=f"GD-T{next(_numbers):04d}",
        state=state,
        x=x,
        y=y,
        node=node,
        impact=impact,
        **values,
    )
