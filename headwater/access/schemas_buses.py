"""Shapes of the commute buses' API: inputs bounded (core.apitypes), outputs with counts."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from headwater.core.apitypes import Day, Id, Moment


class RouteIn(Schema):
    name: str = Field(..., max_length=100)
    gate_id: Id
    stops: str = Field("", max_length=500)
    active: bool = True


class RouteOut(Schema):
    id: int
    name: str
    gate_id: int
    stops: str
    active: bool


class TimetableIn(Schema):
    starts_on: Day
    departures: list[str] = Field(..., max_length=24)
    days: int = Field(7, ge=1, le=14)
    plate: str = Field("", max_length=16)
    driver_name: str = Field("", max_length=50)


class TripOut(Schema):
    id: int
    route_id: int
    route: str
    day: dt.date
    departs: dt.time
    plate: str
    driver_name: str
    boarded: int
    refused: int
    disinfected_at: dt.datetime | None
    disinfection_note: str


class GeneratedOut(Schema):
    created: int
    trips: list[TripOut]


class DisinfectionIn(Schema):
    at: Moment | None = None
    note: str = Field("", max_length=200)


class CorrectionIn(DisinfectionIn):
    reason: str = Field(..., max_length=200)


class PassengerOut(Schema):
    id: int
    name: str
    person_id: int | None
    visit_id: int | None
    at: dt.datetime
    temperature: Decimal | None
    decision: str
    reason: str
