"""Visitor and vehicle endpoints (/api/v1/access): visits listed, registered at a gate,
approved, refused, ended and cancelled; the host's pending visits; vehicles listed and
recorded. Thin: parse, call a service, return; refusals in the one error shape."""

from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.access import visit_pass
from headwater.access.choices import VisitState
from headwater.access.inputs_visits import RefuseInput, VehicleInput, VisitInput
from headwater.access.models import Visit
from headwater.access.querysets_visitors import guard_gates, vehicles_for, visits_for
from headwater.access.schemas_visits import (
    RefuseIn,
    VehicleIn,
    VehicleOut,
    VisitApproveIn,
    VisitCreated,
    VisitIn,
    VisitOut,
)
from headwater.access.services import vehicles as vehicle_service
from headwater.access.services import visits as service
from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id, Pagination

router = Router(auth=SessionAuth(), tags=["access visitors"])
PAGE = 50
KEY = Header("", alias="Idempotency-Key")


def _visits(request):
    return visits_for(request.user).select_related("host")


def _visit(request, visit_id: int) -> Visit:
    return get_object_or_404(_visits(request).select_related("site", "gate"), pk=visit_id)


def _created(request, visit: Visit) -> Visit:
    visit.pass_url = request.build_absolute_uri(visit_pass.pass_path(visit))
    return visit


@router.get("/visits", response=list[VisitOut])
@paginate(Pagination, page_size=PAGE)
def list_visits(
    request, site_id: Id | None = None, day: Day | None = None, state: str | None = None
):
    """Visits the caller may see (their sites, the gates they guard, the visits they host),
    newest first; phones and ID numbers masked."""
    qs = _visits(request)
    if site_id:
        qs = qs.filter(site_id=site_id)
    if day:
        start, end = clock.day_bounds(day)
        qs = qs.filter(registered_at__gte=start, registered_at__lt=end)
    if state in VisitState.values:
        qs = qs.filter(state=state)
    return qs.order_by("-registered_at", "-pk")


@router.get("/visits/mine", response=list[VisitOut])
@paginate(Pagination, page_size=PAGE)
def my_visits(request):
    """The visits the caller hosts: waiting ones first, then the latest."""
    person_id = request.user.person_id
    qs = Visit.objects.visible_to(request.user).filter(host_id=person_id or 0)
    waiting = Case(When(state=VisitState.PENDING, then=Value(0)), default=Value(1))
    return qs.select_related("host").order_by(waiting, "-registered_at", "-pk")


@router.post("/gates/{gate_id}/visits", response={200: VisitCreated, 201: VisitCreated})
def create_visit(request, gate_id: Id, payload: VisitIn, idempotency_key: str = KEY):
    """Register a visitor at a gate the caller guards: 201 when registered (pending, approved
    or refused for a fever — see `state`), 200 for a replayed Idempotency-Key."""
    gate = get_object_or_404(guard_gates(request.user).select_related("site"), pk=gate_id)
    data = VisitInput.parse(payload.dict())
    visit, created = service.register_visit(gate, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, _created(request, visit))


@router.post("/visits/{visit_id}/approve", response=VisitOut)
def approve_visit(request, visit_id: Id, payload: VisitApproveIn):
    """The host (or the office) approves; at a closed site with the override reason."""
    visit, _created = service.approve_visit(
        _visit(request, visit_id), by=request.user, override_reason=payload.override_reason
    )
    return visit


@router.post("/visits/{visit_id}/refuse", response=VisitOut)
def refuse_visit(request, visit_id: Id, payload: RefuseIn):
    visit, _created = service.refuse_visit(
        _visit(request, visit_id), RefuseInput.parse(payload.dict()), by=request.user
    )
    return visit


@router.post("/visits/{visit_id}/end", response=VisitOut)
def end_visit(request, visit_id: Id):
    """The visitor left (the guard at the exit): the pass stops."""
    visit, _created = service.end_visit(_visit(request, visit_id), by=request.user)
    return visit


@router.post("/visits/{visit_id}/cancel", response=VisitOut)
def cancel_visit(request, visit_id: Id):
    visit, _created = service.cancel_visit(_visit(request, visit_id), by=request.user)
    return visit


@router.get("/vehicles", response=list[VehicleOut])
@paginate(Pagination, page_size=PAGE)
def list_vehicles(request, gate_id: Id | None = None, day: Day | None = None):
    qs = vehicles_for(request.user)
    if gate_id:
        qs = qs.filter(gate_id=gate_id)
    if day:
        start, end = clock.day_bounds(day)
        qs = qs.filter(at__gte=start, at__lt=end)
    return qs.order_by("-at", "-pk")


@router.post("/gates/{gate_id}/vehicles", response={200: VehicleOut, 201: VehicleOut})
def create_vehicle(request, gate_id: Id, payload: VehicleIn, idempotency_key: str = KEY):
    """A vehicle at a gate the caller guards and the decision on it (`decision`, `reason`)."""
    gate = get_object_or_404(guard_gates(request.user).select_related("site"), pk=gate_id)
    data = VehicleInput.parse(payload.dict())
    entry, created = vehicle_service.record_vehicle(
        gate, data, by=request.user, key=idempotency_key
    )
    return Status(201 if created else 200, entry)
