"""Posts, their shifts and people, rosters (generate, publish), shifts, assignments (hand
edits), leave and wishes. Thin: reads through `visible_to`, writes through
services.rosters and services.rosters_posts."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id
from headwater.core.models import Person, Unit
from headwater.duty import rules
from headwater.duty.inputs_rosters import (
    GenerateInput,
    LeaveInput,
    PostInput,
    ShiftDefInput,
    WishInput,
)
from headwater.duty.models import Assignment, Eligibility, Leave, Post, Preference, Roster, Shift
from headwater.duty.schemas_rosters import (
    BreakOut,
    EligibleOut,
    LeaveIn,
    LeaveOut,
    PeopleIn,
    PostIn,
    PostOut,
    RosterAssignIn,
    RosterAssignmentOut,
    RosterGenerateIn,
    RosterOut,
    ShiftDefIn,
    ShiftOut,
    WishIn,
    WishOut,
)
from headwater.duty.services import rosters as svc
from headwater.duty.services import rosters_posts as posts_svc

router = Router(auth=SessionAuth())
POSTS, ROSTERS, PEOPLE = ["duty posts"], ["duty rosters"], ["duty leave and wishes"]
LIMIT = 500


def _post(request, post_id: int) -> Post:
    return get_object_or_404(
        Post.objects.visible_to(request.user).prefetch_related("shift_defs"), pk=post_id
    )


def _roster(request, roster_id: int) -> Roster:
    return get_object_or_404(
        Roster.objects.visible_to(request.user).select_related("unit"), pk=roster_id
    )


@router.get("/posts", response=list[PostOut], tags=POSTS)
def posts(request):
    return Post.objects.visible_to(request.user).prefetch_related("shift_defs")[:LIMIT]


@router.post("/posts", response={201: PostOut}, tags=POSTS)
def create_post(request, payload: PostIn):
    """Create a post with the shifts of a ready-made pattern (office)."""
    post, _ = posts_svc.save_post(PostInput.parse(payload.dict()), by=request.user)
    return Status(201, _post(request, post.pk))


@router.get("/posts/{int:post_id}", response=PostOut, tags=POSTS)
def get_post(request, post_id: Id):
    return _post(request, post_id)


@router.put("/posts/{int:post_id}", response=PostOut, tags=POSTS)
def change_post(request, post_id: Id, payload: PostIn):
    post = _post(request, post_id)
    posts_svc.save_post(PostInput.parse(payload.dict()), by=request.user, post=post)
    return _post(request, post_id)


@router.put("/posts/{int:post_id}/shifts", response=PostOut, tags=POSTS)
def set_shifts(request, post_id: Id, payload: list[ShiftDefIn]):
    """Replace the post's shifts of the day."""
    post = _post(request, post_id)
    defs = [ShiftDefInput.parse(s.dict(), prefix=f"{i}.") for i, s in enumerate(payload[:12])]
    posts_svc.set_shifts(post, defs, by=request.user)
    return _post(request, post_id)


@router.get("/posts/{int:post_id}/people", response=list[EligibleOut], tags=POSTS)
def post_people(request, post_id: Id):
    """The team and reserve pool of a post (as far as the user sees them)."""
    post = _post(request, post_id)
    return Eligibility.objects.visible_to(request.user).filter(post=post).select_related("person")


@router.put("/posts/{int:post_id}/team", response=list[EligibleOut], tags=POSTS)
def set_team(request, post_id: Id, payload: PeopleIn):
    post = _post(request, post_id)
    posts_svc.set_people(post, payload.people, payload.leaders, reserve=False, by=request.user)
    return post_people(request, post_id)


@router.put("/posts/{int:post_id}/reserve", response=list[EligibleOut], tags=POSTS)
def set_reserve(request, post_id: Id, payload: PeopleIn):
    post = _post(request, post_id)
    posts_svc.set_people(post, payload.people, reserve=True, by=request.user)
    return post_people(request, post_id)


@router.get("/rosters", response=list[RosterOut], tags=ROSTERS)
def roster_list(request):
    return Roster.objects.visible_to(request.user)[:LIMIT]


@router.post("/rosters/generate", response={200: RosterOut, 201: RosterOut}, tags=ROSTERS)
def generate(request, payload: RosterGenerateIn):
    """Generate a unit's draft roster for a period (201), or regenerate it (200)."""
    data = GenerateInput.parse(payload.dict())
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=data.unit_id)
    roster, created = svc.generate(unit, data.starts_on, data.ends_on, by=request.user)
    return Status(201 if created else 200, roster)


@router.get("/rosters/{int:roster_id}", response=RosterOut, tags=ROSTERS)
def get_roster(request, roster_id: Id):
    return _roster(request, roster_id)


@router.get("/rosters/{int:roster_id}/shifts", response=list[ShiftOut], tags=ROSTERS)
def roster_shifts(request, roster_id: Id):
    roster = _roster(request, roster_id)
    return roster.shifts.select_related("post").prefetch_related("assignments__person")


@router.get("/rosters/{int:roster_id}/breaks", response=list[BreakOut], tags=ROSTERS)
def roster_breaks(request, roster_id: Id):
    """Every hard rule the roster breaks now (what publishing would refuse)."""
    return [
        {
            "rule": str(b.rule),
            "message": b.message,
            "shift_id": b.slot_key,
            "person_id": b.person_id,
        }
        for b in rules.roster_breaks(_roster(request, roster_id))
    ]


@router.post("/rosters/{int:roster_id}/publish", response=RosterOut, tags=ROSTERS)
def publish(request, roster_id: Id):
    roster, _ = svc.publish(_roster(request, roster_id), by=request.user)
    return roster


@router.get("/shifts/{int:shift_id}", response=ShiftOut, tags=ROSTERS)
def get_shift(request, shift_id: Id):
    return get_object_or_404(
        Shift.objects.visible_to(request.user)
        .select_related("post")
        .prefetch_related("assignments__person"),
        pk=shift_id,
    )


@router.post(
    "/shifts/{int:shift_id}/assignments",
    response={200: RosterAssignmentOut, 201: RosterAssignmentOut},
    tags=ROSTERS,
)
def assign(request, shift_id: Id, payload: RosterAssignIn):
    """Put a person on a shift by hand (200 when they are on it already)."""
    shift = get_object_or_404(
        Shift.objects.visible_to(request.user).select_related("roster__unit"), pk=shift_id
    )
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=payload.person)
    row, created = svc.assign(shift, person, by=request.user, leads=payload.leads)
    return Status(201 if created else 200, row)


@router.delete("/assignments/{int:assignment_id}", response={204: None}, tags=ROSTERS)
def unassign(request, assignment_id: Id):
    row = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("shift__roster__unit"),
        pk=assignment_id,
    )
    svc.unassign(row, by=request.user)
    return Status(204, None)


@router.get("/leave", response=list[LeaveOut], tags=PEOPLE)
def leave_list(request):
    return (
        Leave.objects.visible_to(request.user)
        .select_related("person")
        .order_by("-starts_on", "-pk")[:LIMIT]
    )


@router.post("/leave", response={201: LeaveOut}, tags=PEOPLE)
def record_leave(request, payload: LeaveIn):
    """The unit head records leave for one of their people."""
    leave, _ = posts_svc.record_leave(LeaveInput.parse(payload.dict()), by=request.user)
    return Status(201, leave)


@router.delete("/leave/{int:leave_id}", response={204: None}, tags=PEOPLE)
def remove_leave(request, leave_id: Id):
    leave = get_object_or_404(
        Leave.objects.visible_to(request.user).select_related("person__unit"), pk=leave_id
    )
    posts_svc.remove_leave(leave, by=request.user)
    return Status(204, None)


@router.get("/wishes", response=list[WishOut], tags=PEOPLE)
def my_wishes(request):
    """The logged-in person's own wishes."""
    return (
        Preference.objects.visible_to(request.user)
        .filter(person_id=request.user.person_id or 0)
        .order_by("day")[:LIMIT]
    )


@router.post("/wishes", response={200: WishOut, 201: WishOut}, tags=PEOPLE)
def add_wish(request, payload: WishIn):
    wish, created = posts_svc.add_wish(WishInput.parse(payload.dict()), by=request.user)
    return Status(201 if created else 200, wish)


@router.delete("/wishes/{int:wish_id}", response={204: None}, tags=PEOPLE)
def remove_wish(request, wish_id: Id):
    wish = get_object_or_404(Preference.objects.visible_to(request.user), pk=wish_id)
    posts_svc.remove_wish(wish, by=request.user)
    return Status(204, None)
