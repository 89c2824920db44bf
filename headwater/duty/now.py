"""Reads of the "now" part: who is on duty now at every active post (from published rosters
only), the leader on duty, and one's own upcoming shifts.

"On duty now" is two queries whatever the number of posts: the posts, then the assignments of
the shifts running at the moment (the (starts_at, ends_at) index). Names and the posts' duty
phones are shown to every member (the duty phones are meant to be called); personal phones
leave here masked (core.privacy) and are revealed one at a time, logged, through core's
reveal page by a viewer allowed to."""

import datetime as dt
from dataclasses import dataclass, field

from headwater.core.privacy import mask_phone
from headwater.duty.choices import PostKind, RosterState
from headwater.duty.models import Assignment, Post, Shift


@dataclass
class OnDuty:
    person_id: int
    name: str
    phone: str  # masked
    leads: bool
    shift_id: int


@dataclass
class PostNow:
    post: Post
    shifts: list[Shift] = field(default_factory=list)
    people: list[OnDuty] = field(default_factory=list)

    @property
    def leader(self) -> OnDuty | None:
        return next((p for p in self.people if p.leads), None)

    @property
    def shift(self) -> Shift | None:
        return self.shifts[0] if self.shifts else None

    @property
    def short(self) -> bool:
        """Fewer people on duty than the post's minimum."""
        return len(self.people) < self.post.min_people


def running(moment: dt.datetime):
    """Assignments of published shifts running at `moment` (start included, end excluded)."""
    return Assignment.objects.filter(
        shift__roster__state=RosterState.PUBLISHED,
        shift__starts_at__lte=moment,
        shift__ends_at__gt=moment,
    )


def on_duty(posts, moment: dt.datetime) -> list[PostNow]:
    """Every active post of `posts` (a queryset already scoped) with its people on duty."""
    rows = {
        p.pk: PostNow(p)
        for p in posts.filter(active=True)
        .select_related("site", "unit")
        .order_by("unit__path", "name")
    }
    assignments = (
        running(moment)
        .filter(shift__post_id__in=list(rows))
        .select_related("shift", "person")
        .only(
            "leads",
            "person__name",
            "person__phone",
            "shift__post_id",
            "shift__label",
            "shift__starts_at",
            "shift__ends_at",
            "shift__night",
        )
        .order_by("shift__post_id", "-leads", "person__name", "pk")
    )
    for a in assignments:
        row = rows[a.shift.post_id]
        if all(s.pk != a.shift_id for s in row.shifts):
            row.shifts.append(a.shift)
        row.people.append(
            OnDuty(a.person_id, a.person.name, mask_phone(a.person.phone), a.leads, a.shift_id)
        )
    return list(rows.values())


def leaders(rows: list[PostNow]) -> list[OnDuty]:
    """The leader on duty (带班领导): the people at the posts of the leader kind."""
    return [p for r in rows if r.post.kind == PostKind.LEADER for p in r.people]


def upcoming(user, moment: dt.datetime, limit: int = 60):
    """The user's own shifts not yet over (published rosters), soonest first."""
    return (
        Assignment.objects.visible_to(user)
        .filter(
            person_id=user.person_id or 0,
            shift__roster__state=RosterState.PUBLISHED,
            shift__ends_at__gt=moment,
        )
        .select_related("shift__post__site")
        .order_by("shift__starts_at", "pk")[:limit]
    )


def next_shift(shift: Shift) -> Shift | None:
    """The shift of the same post that follows `shift` in a published roster."""
    return (
        Shift.objects.filter(
            post_id=shift.post_id,
            roster__state=RosterState.PUBLISHED,
            starts_at__gt=shift.starts_at,
        )
        .order_by("starts_at", "pk")
        .first()
    )


def previous_shift(shift: Shift) -> Shift | None:
    return (
        Shift.objects.filter(
            post_id=shift.post_id,
            roster__state=RosterState.PUBLISHED,
            starts_at__lt=shift.starts_at,
        )
        .order_by("-starts_at", "-pk")
        .first()
    )
