"""Shapes of the "now" API: on duty now, one's shifts and calendar link, swaps, the duty log
and handovers. Personal phones are masked; posts' duty phones are in full."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Id


class OnDutyOut(Schema):
    person_id: int
    name: str
    phone: str
    leads: bool


class ShiftBrief(Schema):
    id: int
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    night: bool


class PostNowOut(Schema):
    post_id: int
    post: str
    kind: str
    site: str
    duty_phone: str
    min_people: int
    below_minimum: bool
    shifts: list[ShiftBrief]
    people: list[OnDutyOut]
    leader: str


class MyShiftOut(Schema):
    assignment_id: int
    shift_id: int
    post: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    site: str
    duty_phone: str
    leads: bool


class CalendarOut(Schema):
    url: str


class SwapIn(Schema):
    to_person: Id
    reason: str = Field("", max_length=200)


class DecisionIn(Schema):
    note: str = Field("", max_length=200)


class SwapOut(Schema):
    id: int
    assignment_id: int
    shift_id: int
    post: str
    shift: str
    starts_at: dt.datetime
    from_person_id: int
    from_name: str
    to_person_id: int
    to_name: str
    reason: str
    state: str
    state_label: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None


class LogIn(Schema):
    kind: str = Field(..., max_length=12)
    text: str = Field(..., max_length=2000)


class LogOut(Schema):
    id: int
    shift_id: int
    at: dt.datetime
    kind: str
    kind_label: str
    text: str
    written_by: str


class ShiftHandoverIn(Schema):
    note: str = Field(..., max_length=4000)


class HandoverOut(Schema):
    id: int
    shift_id: int
    next_shift_id: int | None
    note: str
    written_by: str
    written_at: dt.datetime
    acknowledged_by: str
    acknowledged_at: dt.datetime | None


class MissingOut(Schema):
    shift_id: int
    post: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
