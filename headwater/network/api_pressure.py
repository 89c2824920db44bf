"""Pressure watch endpoints (/api/v1/network): telemetry readings sent with a device token,
and the pressure points (list, detail, create, patch), their device (enrol — the raw token
once — and revoke) and their readings of the last hours. Thin: reads through `visible_to`,
writes through services/points.py and services/readings.py."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from headwater.core.apiauth import DeviceTokenAuth, SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.network import reads_pressure as reads
from headwater.network.inputs_pressure import FIELDS_OUT, DeviceInput, PointInput
from headwater.network.models import PressurePoint
from headwater.network.schemas_pressure import (
    NetworkReadingsIn,
    NetworkReadingsOut,
    PressureDeviceIn,
    PressureDeviceOut,
    PressurePointIn,
    PressurePointOut,
    PressurePointPatch,
    PressureReadingsOut,
)
from headwater.network.services import points as service
from headwater.network.services import readings as readings_service

router = Router(auth=SessionAuth())
POINTS = ["pressure points"]
KEY = Header("", alias="Idempotency-Key")


@router.post("/readings", response=NetworkReadingsOut, auth=DeviceTokenAuth(), tags=POINTS)
def post_readings(request, payload: NetworkReadingsIn):
    """Readings of pressure and flow points, sent by a telemetry device with its token
    (`Authorization: Bearer hw_…`), up to 1,000 at a time. A reading of a point the device
    does not feed, in the future or out of range is refused with its reason and the rest are
    written; a reading already stored (same point and time) counts as a duplicate."""
    rows = [(r.point, r.at, r.value) for r in payload.readings]
    result = readings_service.record(request.auth, rows)
    return {
        "written": result.written,
        "duplicates": result.duplicates,
        "refused": [vars(r) for r in result.refused],
    }


def _point(request, pressure_point_id: int) -> PressurePoint:
    return get_object_or_404(reads.points(request.user), pk=pressure_point_id)


def _out(p: PressurePoint) -> dict:
    return {
        "id": p.pk,
        **{f: getattr(p, f) for f in FIELDS_OUT},
        "kind_label": str(p.get_kind_display()),
        "device_id": p.device_id,
        "device": p.device.name if p.device else "",
        "device_revoked": bool(p.device and p.device.revoked_at),
        "last_value": p.last_value,
        "last_at": p.last_at,
        "state": p.state,
        "state_label": str(p.state_label),
    }


def _one(request, pk: int) -> dict:
    return _out(reads.with_states([_point(request, pk)], request.user.organization)[0])


@router.get("/points", response=list[PressurePointOut], tags=POINTS)
@paginate(Pagination, page_size=100)
def list_points(request, active: bool | None = None):
    """The pressure and flow points, with their last reading and state."""
    qs = reads.points(request.user)
    if active is not None:
        qs = qs.filter(active=active)
    return [_out(p) for p in reads.with_states(qs, request.user.organization)]


@router.post("/points", response={200: PressurePointOut, 201: PressurePointOut}, tags=POINTS)
def create_point(request, payload: PressurePointIn, idempotency_key: str = KEY):
    """A new point (the same Idempotency-Key answers 200 with the first)."""
    point, created = service.save_point(
        PointInput.parse(payload.dict()), by=request.user, key=idempotency_key
    )
    return Status(201 if created else 200, _one(request, point.pk))


@router.get("/points/{int:pressure_point_id}", response=PressurePointOut, tags=POINTS)
def get_point(request, pressure_point_id: Id):
    return _one(request, pressure_point_id)


@router.patch("/points/{int:pressure_point_id}", response=PressurePointOut, tags=POINTS)
def edit_point(request, pressure_point_id: Id, payload: PressurePointPatch):
    """Change a point: thresholds (null clears one), node, device (`device_id` of an enrolled
    device: one device may feed several points), `active: false` stops watching it."""
    point = _point(request, pressure_point_id)
    values = {f: getattr(point, f) for f in FIELDS_OUT}
    values.update(payload.dict(exclude_unset=True))
    service.save_point(PointInput.parse(values), by=request.user, point=point)
    return _one(request, pressure_point_id)


@router.post(
    "/points/{int:pressure_point_id}/device", response={201: PressureDeviceOut}, tags=POINTS
)
def enrol_device(request, pressure_point_id: Id, payload: PressureDeviceIn, response: HttpResponse):
    """Enrol a telemetry device for the point: the raw token is in this answer only."""
    point = _point(request, pressure_point_id)
    point, raw = service.enrol_device(point, DeviceInput.parse(payload.dict()), by=request.user)
    response["Cache-Control"] = "no-store"
    return Status(
        201,
        {
            "point_id": point.pk,
            "device_id": point.device_id,
            "name": point.device.name,
            "token": raw,
        },
    )


@router.post(
    "/points/{int:pressure_point_id}/device/revoke", response=PressurePointOut, tags=POINTS
)
def revoke_device(request, pressure_point_id: Id):
    """The point's device stops authenticating (for every point it feeds)."""
    service.revoke_device(_point(request, pressure_point_id), by=request.user)
    return _one(request, pressure_point_id)


class PressureHoursQuery(Schema):
    hours: int = Field(24, ge=1, le=reads.HOURS_MAX)


@router.get("/points/{int:pressure_point_id}/readings", response=PressureReadingsOut, tags=POINTS)
def point_readings(request, pressure_point_id: Id, q: Query[PressureHoursQuery]):
    """The point's readings of the last `hours` (1–168), oldest first."""
    point = _point(request, pressure_point_id)
    return {
        "point_id": point.pk,
        "hours": q.hours,
        "unit": reads.unit(point),
        "low": point.low,
        "high": point.high,
        "readings": [{"at": at, "value": v} for at, v in reads.readings(point, q.hours)],
    }
