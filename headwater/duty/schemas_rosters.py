"""Shapes of the posts, rosters, shifts, assignments, leave and wishes API."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from headwater.core.apitypes import Day, Id


class PostIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=20)
    unit: Id
    site: Id | None = None
    duty_phone: str = Field("", max_length=20)
    min_people: int = Field(1, ge=1, le=50)
    qualification: str = Field("", max_length=30)
    min_qualified: int = Field(0, ge=0, le=50)
    critical: bool = False
    active: bool = True
    pattern: str = Field("", max_length=20)


class ShiftDefIn(Schema):
    label: str = Field(..., max_length=30)
    starts: dt.time
    hours: Decimal = Field(..., ge=1, le=24, decimal_places=1)
    night: bool = False


class ShiftDefOut(Schema):
    id: int
    label: str
    starts: dt.time
    hours: Decimal
    night: bool


class PostOut(Schema):
    id: int
    name: str
    kind: str
    unit_id: int
    site_id: int | None
    duty_phone: str
    min_people: int
    qualification: str
    min_qualified: int
    critical: bool
    active: bool
    shifts: list[ShiftDefOut]

    @staticmethod
    def resolve_shifts(obj):
        return list(obj.shift_defs.all())


class PeopleIn(Schema):
    people: list[Id] = Field(default_factory=list, max_length=1000)
    leaders: list[Id] = Field(default_factory=list, max_length=1000)


class EligibleOut(Schema):
    person_id: int
    name: str
    reserve: bool
    is_leader: bool

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name


class RosterGenerateIn(Schema):
    unit: Id
    starts_on: Day
    ends_on: Day


class RosterOut(Schema):
    id: int
    unit_id: int
    starts_on: dt.date
    ends_on: dt.date
    state: str
    solver_status: str
    objective: float | None
    solve_seconds: float | None
    explanation: list[dict]
    published_at: dt.datetime | None


class RosterAssignmentOut(Schema):
    id: int
    shift_id: int
    person_id: int
    name: str
    leads: bool
    source: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name


class ShiftOut(Schema):
    id: int
    post_id: int
    post: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    night: bool
    assignments: list[RosterAssignmentOut]

    @staticmethod
    def resolve_post(obj) -> str:
        return obj.post.name

    @staticmethod
    def resolve_assignments(obj):
        return list(obj.assignments.all())


class BreakOut(Schema):
    rule: str
    message: str
    shift_id: int | None
    person_id: int | None


class RosterAssignIn(Schema):
    person: Id
    leads: bool = False


class LeaveIn(Schema):
    person: Id
    kind: str = Field(..., max_length=10)
    starts_on: Day
    ends_on: Day
    note: str = Field("", max_length=200)


class LeaveOut(Schema):
    id: int
    person_id: int
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    note: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name


class WishIn(Schema):
    day: Day
    kind: str = Field(..., max_length=10)


class WishOut(Schema):
    id: int
    day: dt.date
    kind: str
