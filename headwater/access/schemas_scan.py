"""Shapes of the scan API (/api/v1/access/scans, /scanner/sync, /passages)."""

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from headwater.access.choices import RefusalReason
from headwater.core.apitypes import Id


class ScanIn(Schema):
    """One scan. `gate_id` names the post for a logged-in guard (a scanner device scans for
    the post it is enrolled at, whatever it sends); `at` is the device's scan time (kept when
    the scan was queued offline; the server's clock when null); `key` makes a retry safe."""

    gate_id: Id | None = None
    token: str | None = Field(None, max_length=400)
    staff_number: str | None = Field(None, max_length=30)
    temperature: str | float | None = None
    direction: str = Field("in", max_length=3)
    at: str | None = Field(None, max_length=40)
    key: str = Field(..., min_length=8, max_length=64)
    override_reason: str = Field("", max_length=200)
    device_decision: str = Field("", max_length=6)


class BatchIn(Schema):
    """Up to 200 scans, each taken on its own (a bad item never loses the others): items are
    checked one by one, so an item is any object and its faults come back in its answer."""

    items: list[dict[str, Any]] = Field(..., max_length=200)


class ScanPersonRef(Schema):
    id: int
    name: str
    unit: str


class VisitRef(Schema):
    id: int
    name: str
    company: str


class SlotRef(Schema):
    name: str
    starts: str
    minutes: int


class GateRef(Schema):
    id: int
    name: str


class ScanOut(Schema):
    id: int
    created: bool
    decision: str
    reason: str
    reason_label: str
    person: ScanPersonRef | None
    visit: VisitRef | None
    colour: str | None
    slot: SlotRef | None
    at: dt.datetime
    gate: GateRef


class ItemError(Schema):
    code: str
    message: str


class BatchItemOut(Schema):
    key: str | None
    ok: bool
    result: ScanOut | None
    error: ItemError | None


class BatchOut(Schema):
    items: list[BatchItemOut]


class SyncGate(Schema):
    id: int
    name: str
    kind: str
    site_id: int
    site_name: str
    checks_temperature: bool
    closed_to_outsiders: bool


class SyncOut(Schema):
    """What a scanner keeps to decide offline: the public keys (never a private one), the
    revoked cards, the codes that are not green, the fever threshold, today's canteen slots
    and names to show."""

    organization_id: int
    gate: SyncGate
    keys: dict[str, str]
    revoked_cards: list[str]
    codes: dict[str, str]
    fever_tenths: int
    slots: dict[str, list[str | int]]
    people: dict[str, list[str]]
    synced_at: dt.datetime
    pass_seconds: int


def _label(reason: str) -> str:
    return str(RefusalReason(reason).label) if reason else ""


class PassageOut(Schema):
    """A passage as the list shows it (read from the row and its related rows)."""

    id: int
    at: dt.datetime
    recorded_at: dt.datetime
    gate: GateRef
    person: ScanPersonRef | None
    visit: VisitRef | None
    credential: str
    direction: str
    temperature: str | None
    decision: str
    reason: str
    reason_label: str
    override_reason: str
    device_decision: str
    slot: SlotRef | None
    trip_id: int | None

    @staticmethod
    def resolve_at(obj) -> dt.datetime:
        return timezone.localtime(obj.at)

    @staticmethod
    def resolve_gate(obj) -> dict:
        return {"id": obj.gate.pk, "name": obj.gate.name}

    @staticmethod
    def resolve_person(obj) -> dict | None:
        p = obj.person
        return None if p is None else {"id": p.pk, "name": p.name, "unit": p.unit.name}

    @staticmethod
    def resolve_visit(obj) -> dict | None:
        v = obj.visit
        return None if v is None else {"id": v.pk, "name": v.name, "company": v.company}

    @staticmethod
    def resolve_temperature(obj) -> str | None:
        return None if obj.temperature is None else str(obj.temperature)

    @staticmethod
    def resolve_reason_label(obj) -> str:
        return _label(obj.reason)

    @staticmethod
    def resolve_slot(obj) -> dict | None:
        s = obj.slot
        if s is None:
            return None
        return {"name": s.name, "starts": s.starts.strftime("%H:%M"), "minutes": s.minutes}
