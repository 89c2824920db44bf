"""Service request endpoints: a case's requests and booking, the logged-in person's and the
volunteer's lists, one request with its history, and the steps (accept, deliver, confirm,
reopen). Writes take an Idempotency-Key header: a retry answers 200 with the first outcome.
Thin: reads through `visible_to`, writes through services.requests."""

from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id
from headwater.isolation.choices_requests import RequestState as S
from headwater.isolation.contact_requests import contact_for
from headwater.isolation.inputs_requests import RequestInput
from headwater.isolation.models import Case, ServiceRequest
from headwater.isolation.schemas_requests import (
    RequestEventOut,
    RequestIn,
    RequestNoteIn,
    RequestOut,
)
from headwater.isolation.services import requests as svc

router = Router(auth=SessionAuth())
TAGS = ["isolation service requests"]
LIMIT = 100
RELATED = ("case__person", "case__household_member", "case__unit", "accepted_by")
KEY = Header("", alias="Idempotency-Key")


def _with_contact(user, rows):
    rows = list(rows)
    for r in rows:
        r.contact = contact_for(user, r)
    return rows


def _request(request, request_id: int) -> ServiceRequest:
    row = get_object_or_404(
        ServiceRequest.objects.visible_to(request.user).select_related(*RELATED), pk=request_id
    )
    row.contact = contact_for(request.user, row)
    return row


@router.get("/cases/{int:case_id}/requests", response=list[RequestOut], tags=TAGS)
def case_requests(request, case_id: Id):
    """A case's requests, newest first (the last 100)."""
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    rows = ServiceRequest.objects.filter(case=case).select_related(*RELATED)[:LIMIT]
    return _with_contact(request.user, rows)


@router.post(
    "/cases/{int:case_id}/requests", response={200: RequestOut, 201: RequestOut}, tags=TAGS
)
def book(request, case_id: Id, payload: RequestIn, idempotency_key: str = KEY):
    """Book a service (the person, their monitor or the office): 201 when booked, 200 for a
    retry with the same Idempotency-Key."""
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("unit"), pk=case_id
    )
    data = RequestInput.parse(payload.dict())
    row, created = svc.book(case, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, _request(request, row.pk))


@router.get("/requests/mine", response=list[RequestOut], tags=TAGS)
def my_requests(request):
    """The logged-in person's requests (their own cases), newest first."""
    rows = (
        ServiceRequest.objects.visible_to(request.user)
        .filter(case__person_id=request.user.person_id or 0)
        .select_related(*RELATED)[:LIMIT]
    )
    return _with_contact(request.user, rows)


@router.get("/requests/todo", response=list[RequestOut], tags=TAGS)
def todo(request):
    """The volunteer's to-do: not closed requests of their cases and their pool, open first."""
    user = request.user
    rows = (
        ServiceRequest.objects.visible_to(user)
        .exclude(state=S.CLOSED)
        .select_related(*RELATED)
        .order_by("window_start", "id")[:LIMIT]
    )
    order = {S.OPEN: 0, S.REOPENED: 1, S.ACCEPTED: 2}
    mine = [
        r
        for r in rows
        if svc.may_serve(user, r.case) or (user.person_id and r.accepted_by_id == user.person_id)
    ]
    return _with_contact(user, sorted(mine, key=lambda r: order.get(r.state, 3)))


@router.get("/requests/{int:request_id}", response=RequestOut, tags=TAGS)
def get_request(request, request_id: Id):
    return _request(request, request_id)


@router.get("/requests/{int:request_id}/events", response=list[RequestEventOut], tags=TAGS)
def request_events(request, request_id: Id):
    row = _request(request, request_id)
    return row.events.select_related("actor__person")


@router.post("/requests/{int:request_id}/accept", response=RequestOut, tags=TAGS)
def accept(request, request_id: Id, idempotency_key: str = KEY):
    svc.accept(_request(request, request_id), by=request.user, key=idempotency_key)
    return _request(request, request_id)


@router.post("/requests/{int:request_id}/deliver", response=RequestOut, tags=TAGS)
def deliver(request, request_id: Id, payload: RequestNoteIn, idempotency_key: str = KEY):
    row = _request(request, request_id)
    svc.deliver(row, payload.note, by=request.user, key=idempotency_key)
    return _request(request, request_id)


@router.post("/requests/{int:request_id}/confirm", response=RequestOut, tags=TAGS)
def confirm(request, request_id: Id, idempotency_key: str = KEY):
    svc.confirm(_request(request, request_id), by=request.user, key=idempotency_key)
    return _request(request, request_id)


@router.post("/requests/{int:request_id}/reopen", response=RequestOut, tags=TAGS)
def reopen(request, request_id: Id, payload: RequestNoteIn, idempotency_key: str = KEY):
    row = _request(request, request_id)
    svc.reopen(row, payload.note, by=request.user, key=idempotency_key)
    return _request(request, request_id)
