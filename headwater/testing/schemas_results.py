"""API shapes of the results part."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Moment
from headwater.core.privacy import mask_phone


class ResultIn(Schema):
    barcode: str = Field(..., max_length=40)
    result: str = Field(
        ..., max_length=20, description="negative, positive, invalid (or 阴性, 阳性, 无效)"
    )
    result_at: Moment | None = Field(
        None, description="when the laboratory reported it; now if left out"
    )
    lab_members: int | None = Field(
        None, ge=1, le=100, description="the laboratory's count of people in the tube"
    )
    correction_reason: str = Field(
        "", max_length=200, description="only to change a result already recorded"
    )


class TubeResultOut(Schema):
    id: int
    barcode: str
    campaign_id: int
    kind: str
    result: str
    result_at: dt.datetime | None
    lab_members: int | None


class ResultsImportOut(Schema):
    total: int = Field(..., description="rows read")
    updated: int = Field(..., description="tubes whose result was recorded")
    unchanged: int = Field(..., description="rows whose result the tube already had")


class RetestOut(Schema):
    id: int
    campaign_id: int
    entry_id: int
    name: str
    unit: str
    company: str
    phone: str = Field(..., description="masked")
    pool: str
    pool_result: str
    state: str
    result: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    retest_tube: str

    @staticmethod
    def resolve_name(r) -> str:
        return r.entry.subject().name

    @staticmethod
    def resolve_unit(r) -> str:
        return r.entry.unit.name if r.entry.unit_id else ""

    @staticmethod
    def resolve_company(r) -> str:
        return r.entry.company

    @staticmethod
    def resolve_phone(r) -> str:
        return mask_phone(r.entry.subject().phone or "")

    @staticmethod
    def resolve_pool(r) -> str:
        return r.pool.barcode

    @staticmethod
    def resolve_pool_result(r) -> str:
        return r.pool.result

    @staticmethod
    def resolve_retest_tube(r) -> str:
        return r.sample.tube.barcode if r.sample_id else ""


class RetestSampleIn(Schema):
    barcode: str = Field(..., max_length=40)
    taken_at: Moment | None = None


class ResultSampleOut(Schema):
    id: int
    entry_id: int
    tube: str
    taken_at: dt.datetime
    retest_of_id: int | None
