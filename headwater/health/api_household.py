"""The grid screening of relatives (网格化筛查) as JSON: for a unit and below and a day, every
active relative of its staff with the status of their health line, and the counts. Thin over
health.household; the unit through the caller's scope."""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id
from headwater.core.errors import require
from headwater.core.household import shown
from headwater.health import household, pages_support
from headwater.health.choices import ScreeningStatus
from headwater.health.permissions import VIEW_UNIT_CHECKINS

router = Router(auth=SessionAuth(), tags=["health household"])
PAGE = 200


class ScreeningRowOut(Schema):
    member_id: int
    name: str
    relation: str
    phone: str
    person_id: int
    person_name: str
    unit_id: int
    unit_name: str
    status: str
    temperature: float | None
    symptoms: list[str]
    travel: bool
    note: str


class ScreeningCounts(Schema):
    total: int
    normal: int
    abnormal: int
    not_reported: int


class ScreeningOut(Schema):
    unit_id: int
    unit_name: str
    date: dt.date
    counts: ScreeningCounts
    count: int = Field(..., description="Rows of the status asked for (all when none)")
    items: list[ScreeningRowOut]


@router.get("/household-screening", response=ScreeningOut)
def household_screening(
    request,
    unit: Id | None = None,
    day: Day | None = None,
    status: ScreeningStatus | None = None,
    page: int = Query(1, ge=1, le=1_000_000),
):
    """Every active relative of the staff of `unit` (default: the first unit in scope) and
    below on `day` (default today), abnormal first, then not reported, then normal;
    `status` keeps one of them. 200 rows a page; phones masked."""
    require(request.user, VIEW_UNIT_CHECKINS)
    units = pages_support.units_in_scope(request.user, VIEW_UNIT_CHECKINS).order_by("path")
    picked = get_object_or_404(units, pk=unit) if unit else units.first()
    if picked is None:
        raise Http404
    result = household.screening(request.user, picked, day or clock.today(), status or "")
    rows = result.rows[(page - 1) * PAGE : page * PAGE]
    return {
        "unit_id": picked.pk,
        "unit_name": picked.name,
        "date": result.day,
        "counts": {"total": result.total, **result.counts},
        "count": result.counts[status] if status else result.total,
        "items": [_row(m, request.user) for m in rows],
    }


def _row(m, viewer) -> dict:
    return {
        "member_id": m.pk,
        "name": m.name,
        "relation": m.relation,
        "phone": shown(m, viewer)["phone"],
        "person_id": m.person_id,
        "person_name": m.person.name,
        "unit_id": m.person.unit_id,
        "unit_name": m.person.unit.name,
        "status": m.status,
        "temperature": m.line_temperature,
        "symptoms": m.line_symptoms or [],
        "travel": bool(m.line_travel),
        "note": m.line_note or "",
    }
