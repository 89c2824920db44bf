"""Schemas of the critical customers' API: inputs bounded (core.apitypes), outputs with labels."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from headwater.core.apitypes import Id, Patch
from headwater.network.inputs_customers import (
    ADDRESS_MAX,
    CONTACT_MAX,
    COORDINATE_MAX,
    FEEDS_MAX,
    NAME_MAX,
    NODE_MAX,
    NODES_MAX,
    NOTE_MAX,
    PHONE_MAX,
    PRESSURE_MAX,
)

NodeId = Annotated[str, Field(max_length=NODE_MAX)]


class NetworkCustomerIn(Schema):
    name: str = Field(..., max_length=NAME_MAX)
    kind: str = Field(..., max_length=30)
    address: str = Field("", max_length=ADDRESS_MAX)
    contact: str = Field("", max_length=CONTACT_MAX)
    contact_phone: str = Field("", max_length=PHONE_MAX)
    duty_phone: str = Field("", max_length=PHONE_MAX)
    nodes: list[NodeId] = Field(..., max_length=NODES_MAX)
    feeds: int = Field(1, ge=1, le=FEEDS_MAX)
    min_pressure: float = Field(20, ge=0, le=PRESSURE_MAX)
    x: float | None = Field(None, ge=-COORDINATE_MAX, le=COORDINATE_MAX)
    y: float | None = Field(None, ge=-COORDINATE_MAX, le=COORDINATE_MAX)
    pressure_point_id: Id | None = None
    note: str = Field("", max_length=NOTE_MAX)


class NetworkCustomerPatch(Patch):
    nullable = frozenset({"x", "y", "pressure_point_id"})

    name: str | None = Field(None, max_length=NAME_MAX)
    kind: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=ADDRESS_MAX)
    contact: str | None = Field(None, max_length=CONTACT_MAX)
    contact_phone: str | None = Field(None, max_length=PHONE_MAX)
    duty_phone: str | None = Field(None, max_length=PHONE_MAX)
    nodes: list[NodeId] | None = Field(None, max_length=NODES_MAX)
    feeds: int | None = Field(None, ge=1, le=FEEDS_MAX)
    min_pressure: float | None = Field(None, ge=0, le=PRESSURE_MAX)
    x: float | None = Field(None, ge=-COORDINATE_MAX, le=COORDINATE_MAX)
    y: float | None = Field(None, ge=-COORDINATE_MAX, le=COORDINATE_MAX)
    pressure_point_id: Id | None = None
    note: str | None = Field(None, max_length=NOTE_MAX)
    active: bool | None = None


class NetworkCustomerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    address: str
    contact: str
    contact_phone: str
    duty_phone: str
    nodes: list[str]
    feeds: int
    min_pressure: float
    x: float | None
    y: float | None
    pressure_point_id: int | None
    note: str
    active: bool


class NetworkBoardOrderOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    state: str
    distance: float | None
    effect: str


class NetworkBoardRowOut(Schema):
    customer: NetworkCustomerOut
    state: str
    state_label: str
    reasons: list[str]
    redundancy: str
    pressure: float | None
    pressure_at: dt.datetime | None
    silent: bool
    orders: list[NetworkBoardOrderOut]


class NetworkBoardCountsOut(Schema):
    total: int
    fed: int
    at_risk: int
    cut: int


class NetworkBoardOut(Schema):
    counts: NetworkBoardCountsOut
    items: list[NetworkBoardRowOut]
