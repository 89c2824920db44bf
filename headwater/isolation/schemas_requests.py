"""Shapes of the service request API. The person's phone and address appear in full only to
whoever serves or booked the request (contact_requests); no health data at all."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Moment


class RequestIn(Schema):
    kind: str = Field(..., max_length=12)
    details: str = Field(..., max_length=500)
    window_start: Moment
    window_end: Moment


class RequestNoteIn(Schema):
    note: str = Field("", max_length=300)


class RequestContactOut(Schema):
    name: str
    phone: str
    address: str
    full: bool


class RequestOut(Schema):
    id: int
    case_id: int
    kind: str
    kind_label: str
    details: str
    window_start: dt.datetime
    window_end: dt.datetime
    state: str
    state_label: str
    accepted_by_id: int | None
    accepted_by_name: str
    delivery_note: str
    created_at: dt.datetime
    accepted_at: dt.datetime | None
    delivered_at: dt.datetime | None
    closed_at: dt.datetime | None
    contact: RequestContactOut

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_accepted_by_name(obj) -> str:
        return obj.accepted_by.name if obj.accepted_by_id else ""


class RequestEventOut(Schema):
    id: int
    state: str
    at: dt.datetime
    actor: str
    note: str

    @staticmethod
    def resolve_actor(obj) -> str:
        if obj.actor is None:
            return ""
        return obj.actor.person.name if obj.actor.person_id else obj.actor.username
