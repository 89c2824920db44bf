"""Shapes of the dining API: slots, the rotation's groups, the week grid, today's fill, the
caller's slot and meal orders. Inputs bounded (core.apitypes); times as HH:MM."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Count, Day, Id, Patch

HHMM = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"


class SlotIn(Schema):
    starts: str = Field(..., pattern=HHMM, examples=["11:10"])
    minutes: int = Field(..., ge=0, le=1440)
    capacity: Count
    position: int | None = Field(None, ge=0, le=1000)
    name: str = Field("", max_length=50)


class SlotPatch(Patch):
    starts: str | None = Field(None, pattern=HHMM)
    minutes: int | None = Field(None, ge=0, le=1440)
    capacity: Count | None = None
    position: int | None = Field(None, ge=0, le=1000)
    name: str | None = Field(None, max_length=50)


class SlotsGenerateIn(Schema):
    first: str = Field(..., pattern=HHMM, examples=["11:10"])
    minutes: int = Field(..., ge=0, le=1440, examples=[15])
    count: int = Field(..., ge=0, le=100, examples=[3])
    capacity: Count


class SlotOut(Schema):
    id: int
    canteen_id: int
    name: str
    starts: dt.time
    minutes: int
    capacity: int
    position: int


class DiningGroupIn(Schema):
    unit_id: Id
    position: int = Field(..., ge=0, le=1000)
    starts_on: Day
    rotates: bool = True


class SpreadIn(Schema):
    unit_ids: list[Id] = Field(..., max_length=500)
    starts_on: Day
    rotates: bool = True


class DiningGroupOut(Schema):
    id: int
    canteen_id: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    position: int
    starts_on: dt.date
    rotates: bool
    people: int = 0


class WarningOut(Schema):
    day: dt.date
    slot_id: int
    slot_name: str
    people: int
    capacity: int


class GroupsOut(Schema):
    groups: list[DiningGroupOut]
    warnings: list[WarningOut]


class CellOut(Schema):
    slot_id: int
    units: list[str]
    people: int
    over: bool


class DiningDayOut(Schema):
    day: dt.date
    cells: list[CellOut]


class WeekOut(Schema):
    canteen_id: int
    slots: list[SlotOut]
    days: list[DiningDayOut]
    warnings: list[WarningOut]


class SlotFillOut(Schema):
    slot: SlotOut
    starts: dt.datetime
    ends: dt.datetime
    people: int
    capacity: int
    state: str


class CanteenFillOut(Schema):
    canteen_id: int
    canteen_name: str
    slots: list[SlotFillOut]


class MySlotOut(Schema):
    day: dt.date
    slot: SlotOut | None
    canteen_name: str | None = None


class OrderIn(Schema):
    canteen_id: Id
    unit_id: Id
    day: Day | None = None
    kind: str = Field(..., max_length=8)
    count: Count
    note: str = Field("", max_length=200)


class OrderOut(Schema):
    id: int
    canteen_id: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    day: dt.date
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    count: int
    note: str
    ordered_at: dt.datetime
