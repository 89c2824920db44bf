"""Schemas of the map's API: the geometry, a burst's impact, the work orders."""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

ElementId = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(max_length=1000)]
Short = Annotated[str, Field(max_length=200)]
Code = Annotated[str, Field(max_length=20)]


class NetworkMapCustomerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    x: float | None
    y: float | None
    nodes: list[str]
    feeds: int
    min_pressure: float
    contact: str
    contact_phone: str
    duty_phone: str
    state: str


class NetworkMapOrderOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    title: str
    x: float | None
    y: float | None
    link: str
    node: str


class NetworkMapOut(Schema):
    model: int
    version: int
    name: str
    nodes: list[list[Any]] = Field(
        description="[[id, kind, x, y, elevation m, base demand L/s], ...]"
    )
    links: list[list[Any]] = Field(
        description="[[id, kind, start, end, dn mm, vertices [[x, y]...], length m, material, "
        "status], ...]"
    )
    valves: list[list[str]] = Field(description="[[id, link, node], ...]: the valve layer")
    customers: list[NetworkMapCustomerOut]
    work_orders: list[NetworkMapOrderOut]


class NetworkBurstOut(Schema):
    """`services.burst.Impact.as_dict()` (its docstring documents each field)."""

    model: int
    version: int
    pipe: str
    valves: list[dict[str, Any]]
    segment: dict[str, list[str]]
    cut_nodes: list[str]
    unintended_nodes: list[str]
    customers: int
    demand: float
    population: int
    critical: list[dict[str, Any]]
    hydraulic: dict[str, Any] | None
    seconds: dict[str, Any]
    hydraulic_error: str = ""


class NetworkWorkOrderOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    title: str
    model: int | None
    link: str
    node: str
    x: float | None
    y: float | None
    location: str
    note: str
    impact: dict[str, Any]
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    next_state: str


class NetworkWorkOrderIn(Schema):
    kind: Literal["burst", "pressure", "check", "other"]
    title: Short = ""
    pipe: Annotated[str, Field(max_length=64)] = ""
    node: Annotated[str, Field(max_length=64)] = ""
    location: Short = ""
    note: Text = ""


class NetworkWorkOrderAdvanceIn(Schema):
    to: Literal["isolated", "repaired", "closed"]
    note: Text = ""
