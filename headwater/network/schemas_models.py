"""Schemas of the network models API: inputs bounded, outputs with labels."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from headwater.network.services.models import SEED_MAX


class NetworkModelOut(Schema):
    id: int
    version: int
    name: str
    filename: str
    title: str
    flow_units: str
    nodes: int
    links: int
    valves: int
    valve_layer: str
    valve_layer_label: str
    valve_layer_note: str
    current: bool
    note: str
    uploaded_at: dt.datetime
    ranking_wanted_at: dt.datetime | None
    ranked_at: dt.datetime | None


class NetworkValveLayerIn(Schema):
    placement: Literal["strategic", "random"] = "strategic"
    n: int = Field(1, ge=0, le=100_000)
    seed: int = Field(0, ge=0, le=SEED_MAX)


class NetworkValveOut(Schema):
    name: str
    link: str
    node: str
    source: str


class NetworkNodeOut(Schema):
    name: str
    kind: str
    x: float | None
    y: float | None
    elevation: float
    demand: float
    customers: int
    population: int


class NetworkLinkOut(Schema):
    name: str
    kind: str
    start: str
    end: str
    diameter: float
    length: float
    material: str
    status: str
    vertices: list[list[float]]
