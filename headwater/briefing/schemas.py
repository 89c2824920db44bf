"""Request and response bodies of the briefing API."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from headwater.core.apitypes import Day


class BriefingRow(Schema):
    id: int
    kind: str
    day: dt.date
    number: int
    version: int
    is_latest: bool
    generated_at: dt.datetime
    quiet: bool = Field(..., description="A zero report: no section raised a flag.")
    flags: int = Field(..., description="How many items (flags) need attention.")
    versions: int = Field(1, description="How many versions the day's briefing has.")


class BriefingOut(BriefingRow):
    previous_versions: list[int] = Field(
        default_factory=list, description="Ids of the day's other versions, newest first."
    )
    document: dict[str, Any] = Field(
        ..., description="The briefing document in the language asked (docs: briefing-doc)."
    )


class GenerateIn(Schema):
    day: Day = Field(..., description="The day reported (the briefing of 12-03 is issued 12-04).")


class DispatchOut(Schema):
    channel: str
    status: str
    recipients: int
    created_at: dt.datetime
    sent_at: dt.datetime | None


class SendOut(Schema):
    sent_now: list[DispatchOut]
    dispatches: list[DispatchOut]
