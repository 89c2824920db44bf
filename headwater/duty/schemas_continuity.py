"""API shapes of continuity: flags with their suggestions, margins, the reserve pool,
closed-loop groups."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Day, Id
from headwater.duty.choices import LoopState


class FlagOut(Schema):
    id: int
    state: str
    reason: str
    raised_at: dt.datetime
    person_id: int | None
    person_name: str
    shift_id: int = Field(..., alias="assignment.shift_id")
    post_id: int = Field(..., alias="assignment.shift.post_id")
    post_name: str = Field(..., alias="assignment.shift.post.name")
    shift_label: str = Field(..., alias="assignment.shift.label")
    starts_at: dt.datetime = Field(..., alias="assignment.shift.starts_at")
    ends_at: dt.datetime = Field(..., alias="assignment.shift.ends_at")
    replacement_id: int | None
    resolved_at: dt.datetime | None

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name if obj.person_id else ""


class CandidateOut(Schema):
    person_id: int
    name: str
    unit_name: str
    reserve: bool
    qualified: bool
    rest_hours: float | None
    period_hours: float
    nearness: int
    near_label: str


def candidate_out(c) -> dict:
    return {
        "person_id": c.person.pk,
        "name": c.person.name,
        "unit_name": c.person.unit.name,
        "reserve": c.reserve,
        "qualified": c.qualified,
        "rest_hours": None if c.rest_hours is None else round(c.rest_hours, 1),
        "period_hours": c.period_hours,
        "nearness": c.nearness,
        "near_label": str(c.near_label),
    }


class FlagDetailOut(Schema):
    flag: FlagOut
    suggestions: list[CandidateOut]


class PickIn(Schema):
    person_id: Id


class ContinuityAssignmentOut(Schema):
    id: int
    shift_id: int
    person_id: int
    source: str


class DayOut(Schema):
    day: dt.date
    available: int
    needed: int
    margin: int


class MarginOut(Schema):
    post_id: int
    post_name: str
    unit_name: str
    qualification: str
    lowest: int | None
    days: list[DayOut]


class ReserveOut(Schema):
    post_id: int
    post_name: str
    person_id: int
    name: str
    unit_name: str
    qualified: bool
    free: bool
    reason: str


class LoopMemberOut(Schema):
    person_id: int
    name: str
    colour: str
    code_label: str
    away: str
    ok: bool


class GroupOut(Schema):
    id: int
    post_id: int
    post_name: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    state: str
    ok: bool
    members: list[LoopMemberOut]


class GroupIn(Schema):
    post_id: Id
    name: str = Field(..., max_length=50)
    starts_on: Day
    ends_on: Day
    member_ids: list[Id] = Field(..., min_length=1, max_length=200)


class LoopHandoverIn(Schema):
    outgoing_to: LoopState = LoopState.ENDED


def group_out(h) -> dict:
    g = h.group
    return {
        "id": g.pk,
        "post_id": g.post_id,
        "post_name": g.post.name,
        "name": g.name,
        "starts_on": g.starts_on,
        "ends_on": g.ends_on,
        "state": g.state,
        "ok": h.ok,
        "members": [
            {
                "person_id": m.person.pk,
                "name": m.person.name,
                "colour": m.colour,
                "code_label": str(m.code_label),
                "away": m.away,
                "ok": m.ok,
            }
            for m in h.members
        ],
    }
