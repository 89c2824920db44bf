"""Shapes of the isolation API: inputs bounded (core.apitypes), outputs with labels. Phone
numbers appear only on the service card (its purpose is contact); elsewhere masked."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from headwater.core.apitypes import Day, Id


class CaseIn(Schema):
    person_id: Id
    household_member_id: Id | None = None
    kind: str = Field(..., max_length=20)
    reason: str = Field(..., max_length=300)
    exposure_on: Day | None = None
    started_on: Day | None = None
    planned_end: Day | None = None
    address: str = Field("", max_length=200)
    household_ids: list[Id] = Field(default_factory=list, max_length=20)
    monitor_id: Id | None = None
    volunteer_id: Id | None = None


class FromFollowUpIn(Schema):
    kind: str = Field(..., max_length=20)
    reason: str = Field("", max_length=300)
    exposure_on: Day | None = None
    started_on: Day | None = None
    planned_end: Day | None = None
    address: str = Field("", max_length=200)
    monitor_id: Id | None = None
    volunteer_id: Id | None = None


class CheckIn_(Schema):
    channel: str = Field(..., max_length=10)
    morning_temperature: Decimal | None = Field(None, max_digits=3, decimal_places=1)
    afternoon_temperature: Decimal | None = Field(None, max_digits=3, decimal_places=1)
    symptoms: str = Field("", max_length=200)
    needs: str = Field("", max_length=300)
    mood: str = Field("good", max_length=10)
    note: str = Field("", max_length=300)


class ExtendIn(Schema):
    planned_end: Day
    reason: str = Field(..., max_length=300)


class AssignIn(Schema):
    monitor_id: Id | None = None
    volunteer_id: Id | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=300)


class ApproveIn(Schema):
    override: str = Field("", max_length=300)


class CaseOut(Schema):
    id: int
    person_id: int
    household_member_id: int | None
    subject_name: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    kind: str
    kind_label: str
    state: str
    reason: str
    exposure_on: dt.date | None
    started_on: dt.date
    planned_end: dt.date
    monitor_id: int | None
    monitor_name: str
    volunteer_id: int | None
    volunteer_name: str
    release_proposed: bool
    released_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_monitor_name(obj) -> str:
        return obj.monitor.name if obj.monitor_id else ""

    @staticmethod
    def resolve_volunteer_name(obj) -> str:
        return obj.volunteer.name if obj.volunteer_id else ""

    @staticmethod
    def resolve_release_proposed(obj) -> bool:
        return obj.release_proposed_at is not None


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    at: dt.datetime
    actor: str
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj) -> str:
        if obj.actor is None:
            return ""
        return obj.actor.person.name if obj.actor.person_id else obj.actor.username


class CheckOut(Schema):
    id: int
    case_id: int
    date: dt.date
    morning_temperature: Decimal | None
    afternoon_temperature: Decimal | None
    symptoms: str
    needs: str
    mood: str
    channel: str
    note: str
    is_normal: bool
    recorded_at: dt.datetime


class TodayOut(Schema):
    case: CaseOut
    checked: bool


class ContactOut(Schema):
    role: str
    name: str
    phone: str


class CardOut(Schema):
    case: CaseOut
    rules: str
    contacts: list[ContactOut]
    office_phone: str


class CountsOut(Schema):
    current: int
    new_today: int
    released_today: int
    overdue: int


class CaseImportOut(Schema):
    total: int = Field(..., description="rows read")
    created: int = Field(..., description="cases opened")
