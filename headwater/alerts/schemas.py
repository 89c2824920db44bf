"""Request and response bodies of the alerts API."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Id, Patch


class InboxItemOut(Schema):
    id: int
    alert_id: int
    kind: str = Field(..., alias="alert.kind")
    severity: str = Field(..., alias="alert.severity")
    severity_label: str
    title: str = Field(..., alias="alert.title")
    body: str = Field(..., alias="alert.body")
    link: str = Field(..., alias="alert.link")
    unit_id: int | None = Field(None, alias="alert.unit_id")
    created_at: dt.datetime = Field(..., alias="alert.created_at")
    read_at: dt.datetime | None
    updated_at: dt.datetime | None = Field(
        None, alias="alert.updated_at", description="When its episode last raised it again."
    )
    updates: int = Field(0, alias="alert.updates", description="How often it was raised again.")
    state: str = Field(..., description="open, acknowledged or closed.")
    state_label: str
    acknowledged_at: dt.datetime | None = Field(None, alias="alert.acknowledged_at")
    acknowledged_by: str = Field("", alias="alert.acknowledged_by_name")
    closed_at: dt.datetime | None = Field(None, alias="alert.closed_at")
    closed_by: str = Field("", alias="alert.closed_by_name")
    close_note: str = Field("", alias="alert.close_note")
    escalated_at: dt.datetime | None = Field(
        None, alias="alert.escalated_at", description="When nobody had acknowledged it in time."
    )
    escalated: bool = Field(False, description="It reached this user by escalation.")

    @staticmethod
    def resolve_severity_label(obj) -> str:
        return str(obj.alert.get_severity_display())

    @staticmethod
    def resolve_state(obj) -> str:
        return str(obj.alert.state)

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.alert.state_label


class CloseIn(Schema):
    note: str = Field(..., description="What was done; required, at most 1000 characters.")


class ReadIn(Schema):
    ids: list[Id]


class ReadOut(Schema):
    marked: int


class ChannelOut(Schema):
    """The secret is never sent back; `has_secret` says whether one is set."""

    id: int
    name: str
    kind: str
    url: str
    has_secret: bool
    kinds: list[str]
    min_severity: str
    unit_id: int | None
    active: bool

    @staticmethod
    def resolve_has_secret(obj) -> bool:
        return bool(obj.secret)


class ChannelIn(Schema):
    name: str
    kind: str
    url: str
    secret: str = ""
    kinds: list[str] = []
    min_severity: str = "info"
    unit_id: Id | None = None
    active: bool = True


class ChannelPatch(Patch):
    nullable = frozenset({"unit_id"})  # null clears the unit

    name: str | None = None
    kind: str | None = None
    url: str | None = None
    secret: str | None = None
    kinds: list[str] | None = None
    min_severity: str | None = None
    unit_id: Id | None = None
    active: bool | None = None


class DeliveryOut(Schema):
    id: int
    alert_id: int
    alert_title: str = Field(..., alias="alert.title")
    channel_id: int
    channel_name: str = Field(..., alias="channel.name")
    status: str
    attempts: int
    last_error: str
    response: str
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    digest_id: int | None = Field(None, description="Sent in the digest this delivery posted.")
