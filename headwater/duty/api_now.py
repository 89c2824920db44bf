"""The "now" endpoints (/api/v1/duty/...): on duty now, one's shifts and calendar link,
swaps, the duty log, handovers and the shifts left without one. Writes take an
Idempotency-Key header. Thin: reads through `visible_to`, writes through services."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status

from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id
from headwater.core.errors import require
from headwater.duty import now
from headwater.duty import serialize_now as out
from headwater.duty.choices import SwapState
from headwater.duty.inputs_now import DecisionInput, HandoverInput, LogInput, SwapInput
from headwater.duty.models import Assignment, Handover, LogEntry, Post, Shift, Swap
from headwater.duty.permissions import VIEW_ON_DUTY
from headwater.duty.schemas_now import (
    CalendarOut,
    DecisionIn,
    HandoverOut,
    LogIn,
    LogOut,
    MissingOut,
    MyShiftOut,
    PostNowOut,
    ShiftHandoverIn,
    SwapIn,
    SwapOut,
)
from headwater.duty.services import now_feed, now_log, now_swaps

router = Router(auth=SessionAuth())
TAGS = ["duty now"]
KEY = Header("", alias="Idempotency-Key")
LIMIT = 100
SWAP_RELATED = ("assignment__shift__post", "from_person", "to_person")


@router.get("/now", response=list[PostNowOut], tags=TAGS)
def on_duty(request):
    """Every active post with the people on its current shift (published rosters), the
    leader of the watch and the duty phone; personal phones masked."""
    require(request.user, VIEW_ON_DUTY)
    return [
        out.post_now(r) for r in now.on_duty(Post.objects.visible_to(request.user), clock.now())
    ]


@router.get("/shifts/mine", response=list[MyShiftOut], tags=TAGS)
def my_shifts(request):
    """The caller's own shifts not yet over, soonest first."""
    return [out.my_shift(a) for a in now.upcoming(request.user, clock.now())]


@router.get("/calendar", response=CalendarOut, tags=TAGS)
def calendar(request):
    """The caller's secret calendar feed URL (iCalendar), for a calendar app."""
    person = _person(request)
    return {"url": request.build_absolute_uri(now_feed.path(now_feed.feed_of(person)))}


@router.post("/calendar/renew", response=CalendarOut, tags=TAGS)
def renew_calendar(request):
    """A new calendar URL; the old one answers 404 from now on."""
    feed, _ = now_feed.regenerate(_person(request), by=request.user)
    return {"url": request.build_absolute_uri(now_feed.path(feed))}


def _person(request):
    from django.http import Http404

    if not request.user.person_id:
        raise Http404
    return request.user.person


def _swap(request, swap_id: int) -> Swap:
    return get_object_or_404(
        Swap.objects.visible_to(request.user).select_related(*SWAP_RELATED), pk=swap_id
    )


@router.get("/swaps", response=list[SwapOut], tags=TAGS)
def swaps(request, state: SwapState | None = None):
    """Swaps the caller asked, is asked to take, or decides on (newest first, last 100)."""
    rows = Swap.objects.visible_to(request.user).select_related(*SWAP_RELATED)
    if state:
        rows = rows.filter(state=state)
    return [out.swap(w) for w in rows[:LIMIT]]


@router.post(
    "/assignments/{int:assignment_id}/swap",
    response={200: SwapOut, 201: SwapOut},
    tags=TAGS,
)
def request_swap(request, assignment_id: Id, payload: SwapIn, idempotency_key: str = KEY):
    """Ask to hand one's shift to a colleague: 201 when asked, 200 for a retry."""
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("shift__post"),
        pk=assignment_id,
    )
    data = SwapInput.parse(payload.dict())
    swap, created = now_swaps.request(assignment, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, out.swap(_swap(request, swap.pk)))


@router.post("/swaps/{int:swap_id}/approve", response=SwapOut, tags=TAGS)
def approve_swap(request, swap_id: Id, idempotency_key: str = KEY):
    now_swaps.approve(_swap(request, swap_id), by=request.user, key=idempotency_key)
    return out.swap(_swap(request, swap_id))


@router.post("/swaps/{int:swap_id}/refuse", response=SwapOut, tags=TAGS)
def refuse_swap(request, swap_id: Id, payload: DecisionIn, idempotency_key: str = KEY):
    data = DecisionInput.parse(payload.dict())
    now_swaps.refuse(_swap(request, swap_id), data, by=request.user, key=idempotency_key)
    return out.swap(_swap(request, swap_id))


@router.post("/swaps/{int:swap_id}/withdraw", response=SwapOut, tags=TAGS)
def withdraw_swap(request, swap_id: Id, idempotency_key: str = KEY):
    now_swaps.withdraw(_swap(request, swap_id), by=request.user, key=idempotency_key)
    return out.swap(_swap(request, swap_id))


def _shift(request, shift_id: int) -> Shift:
    return get_object_or_404(
        Shift.objects.visible_to(request.user).select_related("post__unit", "roster"),
        pk=shift_id,
    )


@router.get("/shifts/{int:shift_id}/log", response=list[LogOut], tags=TAGS)
def shift_log(request, shift_id: Id):
    shift = _shift(request, shift_id)
    rows = LogEntry.objects.filter(shift=shift).select_related("written_by__person")
    return [out.log_entry(e) for e in rows]


@router.post("/shifts/{int:shift_id}/log", response={200: LogOut, 201: LogOut}, tags=TAGS)
def add_log_entry(request, shift_id: Id, payload: LogIn, idempotency_key: str = KEY):
    """An entry in the shift's duty log (people on the shift, its unit head) during it."""
    shift = _shift(request, shift_id)
    data = LogInput.parse(payload.dict())
    entry, created = now_log.add_entry(shift, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, out.log_entry(entry))


@router.get("/shifts/{int:shift_id}/handover", response=HandoverOut, tags=TAGS)
def get_handover(request, shift_id: Id):
    shift = _shift(request, shift_id)
    handover = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related(
            "written_by__person", "acknowledged_by__person"
        ),
        shift=shift,
    )
    return out.handover(handover)


@router.post(
    "/shifts/{int:shift_id}/handover", response={200: HandoverOut, 201: HandoverOut}, tags=TAGS
)
def write_handover(request, shift_id: Id, payload: ShiftHandoverIn, idempotency_key: str = KEY):
    """The shift's handover note to the next shift (rewritten until acknowledged)."""
    shift = _shift(request, shift_id)
    data = HandoverInput.parse(payload.dict())
    handover, created = now_log.write_handover(shift, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, out.handover(handover))


@router.post("/handovers/{int:handover_id}/acknowledge", response=HandoverOut, tags=TAGS)
def acknowledge_handover(request, handover_id: Id, idempotency_key: str = KEY):
    """The person on the next shift has read the handover; refused for anyone else."""
    handover = get_object_or_404(Handover.objects.visible_to(request.user), pk=handover_id)
    handover, _ = now_log.acknowledge(handover, by=request.user, key=idempotency_key)
    return out.handover(handover)


@router.get("/handovers/missing", response=list[MissingOut], tags=TAGS)
def missing_handovers(request):
    """Shifts of the last 7 days that ended without a handover (the caller's scope)."""
    moment = clock.now()
    rows = now_log.without_handover(
        Shift.objects.visible_to(request.user), moment - dt.timedelta(days=7), moment
    )
    return [out.missing(s) for s in rows[:LIMIT]]
