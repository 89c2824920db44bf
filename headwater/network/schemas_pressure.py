"""Schemas of the pressure watch's API: inputs bounded (core.apitypes; values and thresholds
within the widest bounds of any kind — the service applies the kind's own), outputs with
labels."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Id, Moment, Patch

WIDEST = 100_000  # flow's bound; pressure's narrower one is the service's


class NetworkReadingIn(Schema):
    point: str = Field(..., max_length=40, description="the point's code")
    at: Moment
    value: float = Field(..., ge=-WIDEST, le=WIDEST)


class NetworkReadingsIn(Schema):
    readings: list[NetworkReadingIn] = Field(..., min_length=1, max_length=1000)


class NetworkReadingRefusedOut(Schema):
    index: int
    point: str
    reason: str


class NetworkReadingsOut(Schema):
    written: int
    duplicates: int
    refused: list[NetworkReadingRefusedOut]


class PressurePointIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=100)
    kind: str = Field("pressure", max_length=10)
    node: str = Field("", max_length=64)
    low: float | None = Field(None, ge=-WIDEST, le=WIDEST)
    high: float | None = Field(None, ge=-WIDEST, le=WIDEST)
    open_work_order: bool = False
    active: bool = True
    device_id: Id | None = None


class PressurePointPatch(Patch):
    nullable = frozenset({"low", "high"})

    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=100)
    kind: str | None = Field(None, max_length=10)
    node: str | None = Field(None, max_length=64)
    low: float | None = Field(None, ge=-WIDEST, le=WIDEST)
    high: float | None = Field(None, ge=-WIDEST, le=WIDEST)
    open_work_order: bool | None = None
    active: bool | None = None
    device_id: Id | None = None


class PressurePointOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    node: str
    low: float | None
    high: float | None
    open_work_order: bool
    active: bool
    device_id: int | None
    device: str
    device_revoked: bool
    last_value: float | None
    last_at: dt.datetime | None
    state: str
    state_label: str


class PressureDeviceIn(Schema):
    name: str = Field(..., max_length=100)


class PressureDeviceOut(Schema):
    point_id: int
    device_id: int
    name: str
    token: str  # shown this once; only a fingerprint is kept


class PressureReadingOut(Schema):
    at: dt.datetime
    value: float


class PressureReadingsOut(Schema):
    point_id: int
    hours: int
    unit: str
    low: float | None
    high: float | None
    readings: list[PressureReadingOut]
