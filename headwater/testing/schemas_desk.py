"""Shapes of the desk API (/api/v1/testing/desk). Phones and ID numbers are masked."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Count, Id, Moment


class DeskSiteOut(Schema):
    id: int
    name: str
    address: str
    desks: int


class DeskCampaignOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    pool_size: int
    sites: list[DeskSiteOut]

    @staticmethod
    def resolve_sites(obj) -> list:
        return obj.desk_sites


class FoundOut(Schema):
    id: int
    name: str
    kind: str
    employee_no: str
    unit_or_company: str
    phone: str
    id_number: str
    status: str
    status_label: str


class TubeIn(Schema):
    barcode: str = Field(..., max_length=40)


class TubeOut(Schema):
    id: int
    barcode: str
    state: str
    state_label: str
    capacity: int
    members: int
    places_left: int


class RegisterIn(Schema):
    barcode: str = Field(..., max_length=40)
    entry_id: Id | None = None
    identifier: str = Field("", max_length=30)
    queue_number: Id | None = None
    proxy_name: str = Field("", max_length=100)
    offline: bool = False
    taken_at: Moment | None = None


class DeskSampleOut(Schema):
    id: int
    entry_id: int
    name: str
    taken_at: dt.datetime
    proxy_name: str
    queue_number: int | None
    offline: bool
    conflict: bool
    tube: TubeOut


class DeskEntryIn(Schema):
    reason: str = Field(..., max_length=200)
    employee_no: str = Field("", max_length=30)
    name: str = Field("", max_length=100)
    company: str = Field("", max_length=100)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)


class TicketOut(Schema):
    id: int
    number: int
    issued_at: dt.datetime
    called_at: dt.datetime | None


class DeskCallIn(Schema):
    count: Count = 1


class DeskBatchOut(Schema):
    id: int
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    called_at: dt.datetime | None
    registered: int
    waiting: int


class CallsOut(Schema):
    batches: list[DeskBatchOut]
    next_numbers: list[int]
    last_called: int | None
    issued: int


class BatchCalledOut(Schema):
    id: int
    label: str
    called_at: dt.datetime | None
