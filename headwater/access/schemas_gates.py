"""Schemas of the gates API: inputs bounded (core.apitypes), outputs with labels; phones in
the ledger masked."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Id, Patch


class GateIn(Schema):
    site_id: Id
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=20)
    checks_temperature: bool = True
    active: bool = True


class GatePatch(Patch):
    site_id: Id | None = None
    name: str | None = Field(None, max_length=100)
    kind: str | None = Field(None, max_length=20)
    checks_temperature: bool | None = None
    active: bool | None = None


class GateOut(Schema):
    id: int
    site_id: int
    site: str
    name: str
    kind: str
    kind_label: str
    checks_temperature: bool
    active: bool
    devices: int
    teams: int


class GateDeviceIn(Schema):
    name: str = Field(..., max_length=100)


class GateDeviceOut(Schema):
    id: int
    gate_id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class GateEnrolledOut(GateDeviceOut):
    token: str  # shown this once; only a fingerprint is kept
    qr: str  # the token as a QR code (an SVG data: URI) for the scanner page to read


class MemberOut(Schema):
    id: int
    person_id: int
    name: str
    unit: str


class TeamIn(Schema):
    name: str = Field(..., max_length=100)
    batch: int = Field(1, ge=1, le=99)
    leader_id: Id | None = None


class TeamPatch(Patch):
    nullable = frozenset({"leader_id"})

    name: str | None = Field(None, max_length=100)
    batch: int | None = Field(None, ge=1, le=99)
    leader_id: Id | None = None


class TeamOut(Schema):
    id: int
    gate_id: int
    name: str
    batch: int
    leader_id: int | None
    members: list[MemberOut]


class TeamMemberIn(Schema):
    person_id: Id


class TeamImportOut(Schema):
    total: int
    created: int
    updated: int
    unchanged: int


class LedgerLineOut(Schema):
    n: int
    id: int
    at: dt.datetime
    name: str
    phone: str
    unit: str
    visitor: bool
    direction: str
    direction_label: str
    temperature: str
    decision: str
    decision_label: str
    reason: str
    remark: str
    guard: str


class VehicleLineOut(Schema):
    n: int
    id: int
    at: dt.datetime
    plate: str
    driver: str
    driver_phone: str
    cargo: str
    disinfected: bool
    temperature: str
    direction: str
    direction_label: str
    decision: str
    decision_label: str
    reason: str
    remark: str
    guard: str


class RefusalCountOut(Schema):
    reason: str
    label: str
    count: int


class LedgerSummaryOut(Schema):
    gate_id: int
    gate: str
    day: dt.date
    on_duty: list[str]
    people_in: int
    people_out: int
    refused: int
    passages: int
    refused_by_reason: list[RefusalCountOut]
    vehicles: int
    vehicles_in: int
    vehicles_out: int
    vehicles_refused: int
