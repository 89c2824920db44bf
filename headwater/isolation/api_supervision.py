"""Supervision endpoints (ADR 0022): draw the day's sample, list and record the calls, list
and close the correction items. Thin: reads through `visible_to`, writes through
isolation.services.supervision; refusals in the one error shape."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate

from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.errors import require
from headwater.isolation.inputs_supervision import CallInput
from headwater.isolation.models_supervision import Correction, SupervisionCall
from headwater.isolation.permissions import SUPERVISE, VIEW_CASES
from headwater.isolation.services import supervision

router = Router(auth=SessionAuth(), tags=["isolation supervision"])
NOTE = 200


class AnswerOut(Schema):
    finding: str
    question: str
    ok: bool | None
    note: str


class CallOut(Schema):
    id: int
    case_id: int
    subject_name: str = Field(..., alias="case.subject_name")
    unit_name: str = Field(..., alias="case.unit.name")
    date: dt.date
    called_at: dt.datetime | None
    answers: list[AnswerOut]
    note: str

    @staticmethod
    def resolve_answers(obj) -> list[dict]:
        return [
            {"finding": f, "question": str(q), "ok": ok, "note": n} for f, q, ok, n in obj.answers
        ]


class DrawOut(Schema):
    date: dt.date
    created: bool
    calls: list[CallOut]


class SupervisionCallIn(Schema):
    temperature_ok: bool
    family_ok: bool
    supplies_ok: bool
    helpers_ok: bool
    temperature_note: str = Field("", max_length=NOTE)
    family_note: str = Field("", max_length=NOTE)
    supplies_note: str = Field("", max_length=NOTE)
    helpers_note: str = Field("", max_length=NOTE)
    note: str = Field("", max_length=300)


class CorrectionOut(Schema):
    id: int
    case_id: int
    call_id: int
    subject_name: str = Field(..., alias="case.subject_name")
    unit_name: str = Field(..., alias="case.unit.name")
    finding: str
    finding_label: str
    detail: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    note: str

    @staticmethod
    def resolve_finding_label(obj) -> str:
        return str(obj.get_finding_display())


class CorrectionCloseIn(Schema):
    note: str = Field(..., max_length=300)


def _calls(request):
    return SupervisionCall.objects.visible_to(request.user).select_related(
        *supervision.CALL_RELATED
    )


@router.post("/supervision/draw", response={200: DrawOut, 201: DrawOut})
def draw(request):
    """Draw today's sample (once per organization and day: a repeat answers 200 with the
    same calls)."""
    calls, created = supervision.draw_sample(request.user.organization, by=request.user)
    body = {"date": clock.today(), "created": created, "calls": calls}
    return Status(201 if created else 200, body)


@router.get("/supervision/calls", response=list[CallOut])
def list_calls(request, date: Day | None = None):
    """The calls of a day (today by default)."""
    require(request.user, SUPERVISE)
    return _calls(request).filter(date=date or clock.today()).order_by("id")


@router.post("/supervision/calls/{int:call_id}", response={200: CallOut, 201: CallOut})
def record_call(
    request,
    call_id: Id,
    payload: SupervisionCallIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """The checklist's answers: 201 when recorded (each "no" opens a correction item); 200
    when the same Idempotency-Key was seen before."""
    call = get_object_or_404(_calls(request), pk=call_id)
    data = CallInput.parse(payload.dict())
    call, created = supervision.record_call(call, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, get_object_or_404(_calls(request), pk=call.pk))


@router.get("/supervision/corrections", response=list[CorrectionOut])
@paginate(Pagination, page_size=50)
def list_corrections(request, state: str | None = None):
    """Correction items, open ones (`state=closed` for the closed)."""
    require(request.user, VIEW_CASES)
    qs = Correction.objects.visible_to(request.user).select_related(
        "case__person", "case__household_member", "case__unit"
    )
    return qs.filter(closed_at__isnull=state != "closed").order_by("-opened_at", "-id")


@router.post("/supervision/corrections/{int:correction_id}/close", response=CorrectionOut)
def close_correction(request, correction_id: Id, payload: CorrectionCloseIn):
    """Close with a note (the head of the case's unit); closing again changes nothing."""
    qs = Correction.objects.visible_to(request.user).select_related(
        "case__person", "case__household_member", "case__unit"
    )
    item = get_object_or_404(qs, pk=correction_id)
    supervision.close_correction(item, payload.note, by=request.user)
    return get_object_or_404(qs, pk=correction_id)
