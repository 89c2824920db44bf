"""Continuity endpoints: unavailability flags and their suggested replacements (accept one),
drawing on the reserve pool for a short shift, the 14-day staffing margin, the reserve pool,
closed-loop groups and their hand-over. Thin: scoped reads, writes through
duty.services.continuity_*; refusals in the one error shape."""

from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import require
from headwater.duty import reads_continuity as reads
from headwater.duty.choices import FlagState
from headwater.duty.inputs_continuity import GroupInput, HandoverInput, PickInput
from headwater.duty.permissions import VIEW_ROSTERS
from headwater.duty.schemas_continuity import (
    CandidateOut,
    ContinuityAssignmentOut,
    FlagDetailOut,
    FlagOut,
    GroupIn,
    GroupOut,
    LoopHandoverIn,
    MarginOut,
    PickIn,
    ReserveOut,
    candidate_out,
    group_out,
)
from headwater.duty.services import continuity_loops, continuity_margin, continuity_replace

router = Router(auth=SessionAuth(), tags=["duty continuity"])


@router.get("/flags", response=list[FlagOut])
@paginate(Pagination, page_size=50)
def list_flags(request, state: FlagState = FlagState.OPEN):
    """Shifts whose person became unavailable (open ones by default), soonest first."""
    require(request.user, VIEW_ROSTERS)
    return (
        reads.flags(request.user).filter(state=state).order_by("assignment__shift__starts_at", "id")
    )


@router.get("/flags/{int:flag_id}", response=FlagDetailOut)
def flag_detail(request, flag_id: Id):
    """A flag with the replacements that can take the shift, best first."""
    flag = get_object_or_404(reads.flags(request.user), pk=flag_id)
    found = continuity_replace.suggestions(flag) if flag.state == FlagState.OPEN else []
    return {"flag": flag, "suggestions": [candidate_out(c) for c in found]}


@router.post("/flags/{int:flag_id}/accept", response={200: FlagOut, 201: FlagOut})
def accept(
    request,
    flag_id: Id,
    payload: PickIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Accept a replacement: 201 when the shift was handed over; 200 for a repeat."""
    flag = get_object_or_404(reads.flags(request.user), pk=flag_id)
    data = PickInput.parse(payload.dict())
    flag, created = continuity_replace.accept(
        flag, data.person_id, by=request.user, key=idempotency_key
    )
    return Status(201 if created else 200, get_object_or_404(reads.flags(request.user), pk=flag.pk))


@router.get("/shifts/{int:shift_id}/candidates", response=list[CandidateOut])
def shift_candidates(request, shift_id: Id):
    """The team and reserve people who can take a shift (a short one), best first."""
    shift = get_object_or_404(reads.shifts(request.user), pk=shift_id)
    return [candidate_out(c) for c in continuity_replace.candidates(shift)]


@router.post(
    "/shifts/{int:shift_id}/draw",
    response={200: ContinuityAssignmentOut, 201: ContinuityAssignmentOut},
)
def draw(
    request,
    shift_id: Id,
    payload: PickIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Put a team or reserve person on a shift: 201 when added; 200 when already on it."""
    shift = get_object_or_404(reads.shifts(request.user), pk=shift_id)
    data = PickInput.parse(payload.dict())
    assignment, created = continuity_replace.draw(
        shift, data.person_id, by=request.user, key=idempotency_key
    )
    return Status(201 if created else 200, assignment)


@router.get("/margins", response=list[MarginOut])
def margins(request):
    """Each critical post's margin for the next 14 days: qualified available vs needed."""
    require(request.user, VIEW_ROSTERS)
    found = continuity_margin.margins(reads.posts(request.user).filter(critical=True))
    return [
        {
            "post_id": m.post.pk,
            "post_name": m.post.name,
            "unit_name": m.post.unit.name,
            "qualification": m.post.qualification,
            "lowest": m.lowest.margin if m.lowest else None,
            "days": [
                {"day": d.day, "available": d.available, "needed": d.needed, "margin": d.margin}
                for d in m.days
            ],
        }
        for m in found
    ]


@router.get("/reserve", response=list[ReserveOut])
def reserve(request):
    """The reserve pool of the posts one sees: who, from which unit, qualified, free today."""
    require(request.user, VIEW_ROSTERS)
    rows = continuity_margin.reserve_pool(reads.posts(request.user))
    return [
        {
            "post_id": r.post.pk,
            "post_name": r.post.name,
            "person_id": r.person_id,
            "name": r.name,
            "unit_name": r.unit,
            "qualified": r.qualified,
            "free": r.free,
            "reason": str(r.reason),
        }
        for r in rows
    ]


@router.get("/loop-groups", response=list[GroupOut])
def list_groups(request):
    """Closed-loop groups with each member's code and absence today."""
    require(request.user, VIEW_ROSTERS)
    groups = reads.groups(request.user).order_by("post_id", "starts_on", "id")
    return [group_out(h) for h in continuity_loops.health(groups)]


@router.post("/loop-groups", response={201: GroupOut})
def create_group(request, payload: GroupIn):
    """A new (planned) closed-loop group of the post's team or reserve people."""
    post = get_object_or_404(reads.posts(request.user), pk=payload.post_id)
    data = GroupInput.parse(payload.dict())
    group, _created = continuity_loops.create_group(post, data, by=request.user)
    health = continuity_loops.health(reads.groups(request.user).filter(pk=group.pk))
    return Status(201, group_out(health[0]))


@router.post("/loop-groups/{int:group_id}/handover", response={200: GroupOut, 201: GroupOut})
def handover(request, group_id: Id, payload: LoopHandoverIn):
    """The group takes over the site (refused unless every member's code is green); the
    group on site goes into reserve or ends its rotation. 200 when it already is on site."""
    group = get_object_or_404(reads.groups(request.user), pk=group_id)
    data = HandoverInput.parse(payload.dict())
    group, created = continuity_loops.hand_over(
        group, by=request.user, outgoing_to=data.outgoing_to
    )
    health = continuity_loops.health(reads.groups(request.user).filter(pk=group.pk))
    return Status(201 if created else 200, group_out(health[0]))
