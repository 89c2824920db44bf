"""Service requests (服务预约): booking, and the volunteer's and the person's steps.

open → accepted (the case's volunteer, or the pool when the case has none) → delivered (by
the volunteer who accepted, with a note) → closed (the person confirms) or reopened (back to
the same volunteer, who delivers again). Each step locks the request row, re-checks its state,
writes a history row and is audited; a retried step from a phone with the same
Idempotency-Key answers the first outcome."""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.querysets import grants_for
from headwater.core.writes import Written, idempotent
from headwater.isolation.choices import CaseState
from headwater.isolation.choices_requests import RequestState as S
from headwater.isolation.errors import IsolationError, RequestError
from headwater.isolation.inputs_requests import RequestInput
from headwater.isolation.models import Case, RequestEvent, ServiceRequest
from headwater.isolation.permissions import SERVE_REQUESTS
from headwater.isolation.services.common import is_office


def may_book(by, case: Case) -> bool:
    """The isolated person (the staff member of the case), their monitor, or the office."""
    pid = by.person_id
    return bool(pid and pid in (case.person_id, case.monitor_id)) or is_office(
        by, case.organization_id
    )


def may_serve(by, case: Case) -> bool:
    """The case's volunteer; when it has none, the pool over the case's unit."""
    if not by.person_id or by.organization_id != case.organization_id:
        return False
    if case.volunteer_id:
        return by.person_id == case.volunteer_id
    org_wide, paths = grants_for(by, SERVE_REQUESTS)
    return org_wide or any(case.unit.path.startswith(p) for p in paths)


def book(case: Case, data: RequestInput, *, by, key: str = "") -> Written[ServiceRequest]:
    """Book a service for an open case. Refused for anyone but the person, their monitor and
    the office, and for a released case."""
    if not may_book(by, case):
        raise NotAllowed(_("Only the isolated person, their monitor or the office may book."))
    return idempotent(
        "isolation.request",
        by=by,
        key=key,
        model=ServiceRequest,
        write=lambda: _book(case, data, by),
    )


def _book(case: Case, data: RequestInput, by) -> Written[ServiceRequest]:
    with transaction.atomic(), acting_as(by):
        state = Case.objects.filter(pk=case.pk).values_list("state", flat=True).first()
        if state != CaseState.OPEN:
            raise DomainError(
                _("This isolation case has been released: no more service requests."),
                code=IsolationError.CASE_RELEASED,
            )
        request = ServiceRequest.objects.create(
            organization_id=case.organization_id,
            case=case,
            kind=data.kind,
            details=data.details,
            window_start=data.window_start,
            window_end=data.window_end,
            created_by=by,
        )
        _event(request, S.OPEN, by)
    return request, True


def accept(request: ServiceRequest, *, by, key: str = "") -> Written[ServiceRequest]:
    """The case's volunteer (or one of the pool) takes the request on."""
    if not may_serve(by, request.case):
        raise NotAllowed(_("Only the case's volunteer or the unit's volunteers may accept."))
    return _step(request, by, key, "accept", {S.OPEN}, S.ACCEPTED)


def deliver(request: ServiceRequest, note: str, *, by, key: str = "") -> Written[ServiceRequest]:
    """The volunteer who accepted the request has delivered it (a note: what, where)."""
    return _step(request, by, key, "deliver", {S.ACCEPTED, S.REOPENED}, S.DELIVERED, note)


def confirm(request: ServiceRequest, *, by, key: str = "") -> Written[ServiceRequest]:
    """The person (or their monitor, the office) confirms the delivery: the request closes."""
    _require_booker(by, request)
    return _step(request, by, key, "confirm", {S.DELIVERED}, S.CLOSED)


def reopen(request: ServiceRequest, note: str, *, by, key: str = "") -> Written[ServiceRequest]:
    """Not as asked: back to the volunteer who accepted it, with what is wrong."""
    _require_booker(by, request)
    if not note.strip():
        raise DomainError(_("Say what is wrong."), fields={"note": _("This field is required.")})
    return _step(request, by, key, "reopen", {S.DELIVERED}, S.REOPENED, note)


def _require_booker(by, request: ServiceRequest) -> None:
    if not may_book(by, request.case):
        raise NotAllowed(_("Only the isolated person, their monitor or the office may do this."))


def _step(request, by, key, action, sources, target, note="") -> Written[ServiceRequest]:
    return idempotent(
        f"isolation.request.{action}",
        by=by,
        key=key,
        model=ServiceRequest,
        write=lambda: _move(request.pk, by, sources, target, note),
    )


def _move(pk: int, by, sources: set, target: str, note: str) -> Written[ServiceRequest]:
    with transaction.atomic(), acting_as(by):
        # Only the request's row: the case is read, not changed (a lock on it would hold up
        # the case's other requests and follow-ups).
        request = locks.lock_one(ServiceRequest.objects.select_related("case"), pk)
        if target == S.DELIVERED and request.accepted_by_id != by.person_id:
            raise NotAllowed(_("Only the volunteer who accepted this request may deliver it."))
        if request.state not in sources:
            raise DomainError(
                _("This request is %(state)s: it cannot be moved that way.")
                % {"state": request.get_state_display()},
                code=RequestError.WRONG_STATE,
            )
        if target != S.CLOSED and request.case.state != CaseState.OPEN:
            raise DomainError(
                _("This isolation case has been released: no more service requests."),
                code=IsolationError.CASE_RELEASED,
            )
        now = clock.now()
        request.state = target
        fields = ["state"]
        if target == S.ACCEPTED:
            request.accepted_by_id, request.accepted_at = by.person_id, now
            fields += ["accepted_by", "accepted_at"]
        elif target == S.DELIVERED:
            request.delivery_note, request.delivered_at = note.strip()[:300], now
            fields += ["delivery_note", "delivered_at"]
        elif target == S.CLOSED:
            request.closed_at = now
            fields.append("closed_at")
        request.save(update_fields=fields)
        _event(request, target, by, note)
    return request, True


def _event(request: ServiceRequest, state: str, by, note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        organization_id=request.organization_id,
        request=request,
        state=state,
        actor=by if getattr(by, "pk", None) else None,
        note=note.strip()[:300],
    )
