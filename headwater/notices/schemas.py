"""Request and response bodies of the notices API."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Id


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str = Field(..., description="Plain text; line breaks are \\n.")
    requirement: str = Field(..., description="read, acknowledge or quiz.")
    statement: str = Field(..., description="What an acknowledgement accepts.")
    question: str
    options: list[str]
    published_at: dt.datetime
    audience: int


class MyNoticeOut(Schema):
    notice: NoticeOut
    read_at: dt.datetime | None
    acknowledged_at: dt.datetime | None = Field(..., description="When the person was done.")
    answer: int | None = Field(..., description="Their last answer (an index of options).")
    correct: bool | None
    attempts: int


class ConfirmIn(Schema):
    answer: int | None = Field(
        None, ge=0, le=5, description="For a quiz: the chosen option's index (from 0)."
    )


class PublishIn(Schema):
    kind: str = Field(..., max_length=20)
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=10000)
    requirement: str = Field("read", max_length=20)
    statement: str = Field("", max_length=200)
    question: str = Field("", max_length=300)
    options: list[str] = Field([], max_length=6)
    answer: int | None = Field(None, ge=0, le=5, description="The correct option's index.")
    unit_ids: list[Id] = Field([], max_length=100, description="None: the whole organization.")


class SentOut(NoticeOut):
    answer: int | None
    unit_ids: list[int]
    reminders: int

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return [u.pk for u in obj.units.all()]


class UnitReceiptsOut(Schema):
    unit_id: int
    name: str
    total: int
    read: int
    done: int
    not_read: int
    pending: int


class PendingOut(Schema):
    person_id: int
    employee_no: str = Field(..., alias="person.employee_no")
    name: str = Field(..., alias="person.name")
    unit_id: int
    read_at: dt.datetime | None


class ReceiptsOut(Schema):
    notice_id: int
    total: int
    read: int
    done: int
    units: list[UnitReceiptsOut] = Field(..., description="Worst (lowest share done) first.")


class RemindOut(Schema):
    sent: bool = Field(..., description="False: this sender reminded within 30 minutes.")
    round: int
    recipients: int
    sent_at: dt.datetime
