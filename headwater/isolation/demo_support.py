"""Demo data of the isolation app's support around the cases (isolation/demo.py builds the
cases): service requests in each state, escalation flows at a few steps, and today's
supervision sample with two calls recorded, one of which opened a correction item.

Written through the models in a few bulk inserts (a demo of the states, not a replay of the
services: their permission checks would need a login per volunteer). Deterministic."""

import datetime as dt
from itertools import cycle

from headwater.core import clock
from headwater.core.models import User
from headwater.isolation.choices_requests import RequestKind
from headwater.isolation.choices_requests import RequestState as R
from headwater.isolation.models import Case, RequestEvent, ServiceRequest
from headwater.isolation.models_flow import Flow, FlowState, FlowStep
from headwater.isolation.models_supervision import Correction, SupervisionCall
from headwater.isolation.services.flow import deadline_after

# (kind, details, the states it went through): the cases with a volunteer take them in turn.
REQUESTS = (
    (RequestKind.SHOPPING, "大米5斤、鸡蛋一盒、青菜两把", (R.OPEN,)),
    (RequestKind.MEDICINE, "布洛芬一盒、体温计一支", (R.OPEN, R.ACCEPTED)),
    (RequestKind.GARBAGE, "两袋生活垃圾，已放门口", (R.OPEN, R.ACCEPTED, R.DELIVERED)),
    (RequestKind.SHOPPING, "牛奶一箱、面条两包", (R.OPEN, R.ACCEPTED, R.DELIVERED, R.CLOSED)),
    (RequestKind.PLUMBING, "厨房水龙头漏水", (R.OPEN, R.ACCEPTED, R.DELIVERED, R.REOPENED)),
)
DELIVERY_NOTES = {R.DELIVERED: "已放门口，共86元，请扫码付款"}
REOPEN_NOTE = "水龙头仍在滴水"
# (finding, the states after the report): the last cases take them in turn (the open ones
# first: a person has one open flow at most).
FLOWS = (
    ("随访：37.8°C，咳嗽", ()),
    ("随访：38.1°C", (FlowState.HEAD_INFORMED, FlowState.OFFICE_INFORMED)),
    (
        "家属发热，已自行就医",
        (FlowState.HEAD_INFORMED, FlowState.OFFICE_INFORMED, FlowState.CLEARED),
    ),
)
CALLS = 3  # today's sample; the first two recorded, the second with a "no"


def build(org, cases: list[Case]) -> None:
    """Everything dated in the last few hours before now, so that the demo looks alive at
    whatever time it is built."""
    office = User.objects.filter(organization=org, username="office").first()
    now = clock.now().replace(second=0, microsecond=0)
    _requests(org, [c for c in cases if c.volunteer_id], now, office)
    _flows(org, cases[-len(FLOWS) :], now, office)
    _calls(org, cases[:CALLS], now, office)


def _requests(org, cases: list[Case], now: dt.datetime, office) -> None:
    requests, steps = [], []
    for case, (kind, details, states) in zip(cycle(cases), REQUESTS if cases else ()):
        times = [now - dt.timedelta(minutes=40 * (len(states) - i)) for i in range(len(states))]
        moments = dict(zip(states, times, strict=True))
        requests.append(
            ServiceRequest(
                organization=org,
                case=case,
                kind=kind,
                details=details,
                window_start=now + dt.timedelta(hours=1),
                window_end=now + dt.timedelta(hours=3),
                state=states[-1],
                accepted_by_id=case.volunteer_id if R.ACCEPTED in states else None,
                delivery_note=DELIVERY_NOTES[R.DELIVERED] if R.DELIVERED in states else "",
                created_at=times[0],
                accepted_at=moments.get(R.ACCEPTED),
                delivered_at=moments.get(R.DELIVERED),
                closed_at=moments.get(R.CLOSED),
                created_by=office,
            )
        )
        steps.append(moments)
    ServiceRequest.objects.bulk_create(requests)
    RequestEvent.objects.bulk_create(
        RequestEvent(
            organization=org,
            request=request,
            state=state,
            at=at,
            note=REOPEN_NOTE if state == R.REOPENED else DELIVERY_NOTES.get(state, ""),
        )
        for request, moments in zip(requests, steps, strict=True)
        for state, at in moments.items()
    )


def _flows(org, cases: list[Case], now: dt.datetime, office) -> None:
    flows, steps = [], []
    for case, (finding, later) in zip(cycle(cases), FLOWS if cases else ()):
        opened = now - dt.timedelta(minutes=20 * (len(later) + 1))
        moments = [(FlowState.REPORTED, opened)] + [
            (state, opened + dt.timedelta(minutes=20 * (i + 1))) for i, state in enumerate(later)
        ]
        state, last = moments[-1]
        flows.append(
            Flow(
                organization=org,
                person=case.person,
                case=case,
                unit_id=case.person.unit_id,
                finding=finding,
                state=state,
                opened_at=opened,
                opened_by=office,
                due_at=deadline_after(org, state, last),
            )
        )
        steps.append(moments)
    Flow.objects.bulk_create(flows)
    FlowStep.objects.bulk_create(
        FlowStep(
            organization=org,
            flow=flow,
            step=state,
            actor=office,
            done_at=at,
            deadline=deadline_after(org, moments[i - 1][0], moments[i - 1][1]) if i else None,
        )
        for flow, moments in zip(flows, steps, strict=True)
        for i, (state, at) in enumerate(moments)
    )


def _calls(org, cases: list[Case], now: dt.datetime, office) -> None:
    calls = [
        SupervisionCall(
            organization=org, case=case, date=now.date(), drawn_at=now - dt.timedelta(hours=2)
        )
        for case in cases
    ]
    for i, call in enumerate(calls[:2]):
        call.called_at, call.called_by = now - dt.timedelta(minutes=60 - 15 * i), office
        call.temperature_ok = call.family_ok = call.helpers_ok = True
        call.supplies_ok = i == 0
        if i == 1:
            call.supplies_note = "垃圾两天未清运"
    SupervisionCall.objects.bulk_create(calls)
    if len(calls) > 1:
        Correction.objects.create(
            organization=org,
            case=calls[1].case,
            call=calls[1],
            finding="supplies",
            detail=calls[1].supplies_note,
            opened_at=calls[1].called_at,
        )
