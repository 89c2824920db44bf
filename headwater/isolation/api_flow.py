"""Escalation flow endpoints: open one for a person on duty, list the open ones (late first),
one flow with its steps and next actions, and take a step (Idempotency-Key: a retry answers
the first outcome). Thin: reads through `visible_to`, writes through services.flow."""

import datetime as dt
from typing import Literal

from django.db.models import F
from django.shortcuts import get_object_or_404
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import require
from headwater.core.models import Person
from headwater.isolation.models_flow import OPEN_STATES, Flow
from headwater.isolation.permissions import HANDLE_FLOWS
from headwater.isolation.services import flow as flows

router = Router(auth=SessionAuth())
TAGS = ["isolation escalation flows"]
Action = Literal[tuple(flows.ACTIONS)]


class FlowIn(Schema):
    person_id: Id
    finding: str = Field(..., min_length=1, max_length=300)


class StepIn(Schema):
    action: Action
    note: str = Field("", max_length=300)


class StepOut(Schema):
    step: str
    actor: str
    done_at: dt.datetime
    deadline: dt.datetime | None
    note: str

    @staticmethod
    def resolve_actor(obj) -> str:
        if obj.actor is None:
            return ""
        return obj.actor.person.name if obj.actor.person_id else obj.actor.username


class FlowOut(Schema):
    id: int
    person_id: int
    person_name: str
    case_id: int | None
    unit_id: int
    finding: str
    state: str
    state_label: str
    opened_at: dt.datetime
    due_at: dt.datetime | None

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class FlowDetailOut(FlowOut):
    steps: list[StepOut]
    next_actions: list[str]

    @staticmethod
    def resolve_steps(obj) -> list:
        return obj.steps_list


def _flows(request):
    return Flow.objects.visible_to(request.user).select_related("person", "unit", "case")


def _detail(request, flow_id: int) -> Flow:
    flow = get_object_or_404(_flows(request), pk=flow_id)
    flow.steps_list = list(flow.steps.select_related("actor__person"))
    flow.next_actions = [a for a, _t in flows.next_actions(flow, request.user)]
    return flow


@router.post("/flows", response={200: FlowDetailOut, 201: FlowDetailOut}, tags=TAGS)
def open_flow(request, payload: FlowIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Report a finding for a person on duty (office, the person's unit head): 201 opened;
    200 when the same Idempotency-Key was seen before."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=payload.person_id
    )
    flow, created = flows.open_flow(
        request.user.organization, person, payload.finding, by=request.user, key=idempotency_key
    )
    return Status(201 if created else 200, _detail(request, flow.pk))


@router.get("/flows", response=list[FlowOut], tags=TAGS)
@paginate(Pagination, page_size=50)
def list_flows(request, open: bool = True):
    """Flows the user sees; open ones by default, the late ones first."""
    require(request.user, HANDLE_FLOWS)
    qs = _flows(request)
    if open:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs.order_by(F("due_at").asc(nulls_last=True), "-opened_at", "id")


@router.get("/flows/{int:flow_id}", response=FlowDetailOut, tags=TAGS)
def get_flow(request, flow_id: Id):
    return _detail(request, flow_id)


@router.post("/flows/{int:flow_id}/advance", response=FlowDetailOut, tags=TAGS)
def advance_flow(
    request,
    flow_id: Id,
    payload: StepIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Take the next step; a step out of order is refused (409) and nothing changes."""
    flow = get_object_or_404(_flows(request), pk=flow_id)
    flows.advance(flow, payload.action, by=request.user, note=payload.note, key=idempotency_key)
    return _detail(request, flow_id)
