"""Shapes of the setup API (campaigns, sites, operators, roster, batches, notices, labels):
inputs bounded (core.apitypes), outputs with labels; phones and ID numbers masked."""

import datetime as dt

from ninja import Field, Schema

from headwater.core import privacy
from headwater.core.apitypes import Count, Day, Id, Moment, Patch


class CampaignIn(Schema):
    name: str = Field(..., max_length=100)
    starts_on: Day
    ends_on: Day
    pool_size: int = Field(5, ge=0, le=100)
    bring: str = Field("", max_length=300)
    notes: str = Field("", max_length=2000)


class CampaignPatch(Patch):
    name: str | None = Field(None, max_length=100)
    starts_on: Day | None = None
    ends_on: Day | None = None
    pool_size: int | None = Field(None, ge=0, le=100)
    bring: str | None = Field(None, max_length=300)
    notes: str | None = Field(None, max_length=2000)


class SamplingSiteOut(Schema):
    id: int
    name: str
    address: str
    site_id: int | None
    desks: int


class CampaignOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    pool_size: int
    state: str
    state_label: str = Field(..., alias="get_state_display")
    bring: str
    notes: str
    created_at: dt.datetime
    closed_at: dt.datetime | None


class SamplingSiteIn(Schema):
    name: str = Field(..., max_length=100)
    address: str = Field("", max_length=200)
    site_id: Id | None = None
    desks: int = Field(1, ge=0, le=1000)


class OperatorIn(Schema):
    person_id: Id
    site_id: Id | None = None


class OperatorOut(Schema):
    id: int
    person_id: int
    name: str = Field(..., alias="person.name")
    site_id: int | None


class UnitsIn(Schema):
    unit_ids: list[Id] = Field(..., min_length=1, max_length=200)


class AddedOut(Schema):
    added: int
    skipped: int


class RosterImportOut(Schema):
    total: int
    created: int
    updated: int
    unchanged: int


class EntryOut(Schema):
    id: int
    name: str
    person_id: int | None
    outsider_id: int | None
    unit_id: int | None
    unit: str
    company: str
    site_id: int | None
    batch_id: int | None
    status: str
    phone: str
    id_number: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.subject().name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name if obj.unit_id else ""

    @staticmethod
    def resolve_phone(obj) -> str:
        return privacy.mask_phone(obj.subject().phone)

    @staticmethod
    def resolve_id_number(obj) -> str:
        return privacy.mask_id_number(obj.subject().id_number)


class BatchPlanIn(Schema):
    start: str = Field("08:00", max_length=5)
    minutes: int = Field(30, ge=0, le=10000)
    day_end: str = Field("18:00", max_length=5)


class CampaignBatchOut(Schema):
    id: int
    label: str
    unit_id: int | None
    company: str
    site_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    people: int = 0
    notified: bool = False


class BatchPatch(Patch):
    label: str | None = Field(None, max_length=100)
    site_id: Id | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None


class RosterCountOut(Schema):
    count: int


class NoticesIn(Schema):
    resend: bool = False


class LabelsIn(Schema):
    count: Count


class SheetOut(Schema):
    id: int
    first: int
    count: int
    barcodes: list[str]
    pdf: str
