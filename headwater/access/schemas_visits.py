"""API shapes of visitors and vehicles. Phones and ID numbers leave masked."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from headwater.core.apitypes import Id
from headwater.core.privacy import mask_id_number, mask_phone


class VisitIn(Schema):
    name: str = Field(..., max_length=50)
    phone: str = Field(..., max_length=20)
    id_number: str = Field("", max_length=18)
    company: str = Field("", max_length=100)
    reason: str = Field(..., max_length=200)
    host: str = Field("", max_length=100, description="staff number, phone or name of the host")
    host_id: Id | None = Field(None, description="the host's person id (instead of `host`)")
    plate: str = Field("", max_length=16)
    temperature: str | float | None = None
    travel_history: str = Field("", max_length=300)
    contact_history: str = Field("", max_length=300)


class VisitApproveIn(Schema):
    override_reason: str = Field("", max_length=200, description="required at a closed site")


class RefuseIn(Schema):
    note: str = Field(..., max_length=200)


class VisitOut(Schema):
    id: int
    site_id: int
    gate_id: int | None
    name: str
    phone: str = Field(..., description="masked")
    id_number: str = Field(..., description="masked")
    company: str
    reason: str
    host_id: int | None
    host_name: str
    plate: str
    temperature: Decimal | None
    state: str
    valid_until: dt.datetime | None
    registered_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    override_reason: str

    @staticmethod
    def resolve_phone(v) -> str:
        return mask_phone(v.phone)

    @staticmethod
    def resolve_id_number(v) -> str:
        return mask_id_number(v.id_number)

    @staticmethod
    def resolve_host_name(v) -> str:
        return v.host.name if v.host_id else ""


class VisitCreated(VisitOut):
    pass_url: str = Field("", description="the public pass page the visitor opens (no login)")


class VehicleIn(Schema):
    plate: str = Field(..., max_length=16)
    direction: str = Field("in", max_length=3, description="in or out")
    driver_name: str = Field("", max_length=50)
    driver_phone: str = Field("", max_length=20)
    driver_temperature: str | float | None = None
    cargo: str = Field("", max_length=200)
    disinfected: bool = False
    visit_id: Id | None = None
    override_host: str = Field("", max_length=100, description="closed site: the host")
    override_reason: str = Field("", max_length=200, description="closed site: their reason")


class VehicleOut(Schema):
    id: int
    gate_id: int
    at: dt.datetime
    direction: str
    plate: str
    driver_name: str
    driver_phone: str = Field(..., description="masked")
    driver_temperature: Decimal | None
    cargo: str
    disinfected: bool
    visit_id: int | None
    decision: str
    reason: str
    override_reason: str
    override_by_id: int | None

    @staticmethod
    def resolve_driver_phone(e) -> str:
        return mask_phone(e.driver_phone)
