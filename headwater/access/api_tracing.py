"""Contact-tracing endpoints (office): trace a person two levels deep, open follow-ups or
isolation cases for chosen contacts — what the page does."""

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from ninja import Router

from headwater.access.inputs_tracing import TraceInput
from headwater.access.permissions import TRACE
from headwater.access.schemas_tracing import FollowupsIn, FollowupsOut, TraceIn, TraceOut
from headwater.access.services import tracing as service
from headwater.access.services.tracing_followups import open_followups
from headwater.core.apiauth import SessionAuth
from headwater.core.errors import require
from headwater.core.models import Person

router = Router(auth=SessionAuth())
TAG = "contact tracing"


@router.post("/tracing", response=TraceOut, tags=[TAG])
def trace(request, payload: TraceIn):
    require(request.user, TRACE)
    people = Person.objects.visible_to(request.user)
    get_object_or_404(people, pk=payload.person_id)
    data = TraceInput.parse(payload.dict(), people)
    result = service.trace(data.person, data.start, data.end, depth=data.depth, by=request.user)
    return asdict(result)


@router.post("/tracing/followups", response=FollowupsOut, tags=[TAG])
def followups(request, payload: FollowupsIn):
    done = open_followups(
        payload.person_ids,
        by=request.user,
        reason=payload.reason,
        action=payload.action,
        exposure_on=payload.exposure_on,
    )
    return asdict(done)
