"""The staffing margin of the critical posts for the next 14 days, its alert, and the reserve
pool view.

For each critical post and day: the qualified people available (its team and reserve pool,
holding the post's qualification on that day — any of them when the post needs none — minus
those away through core.availability and those with a red or yellow code that day) against
the people the day's shifts need (the sum over the post's shifts of the qualified minimum, or
of the minimum of people when the post needs no qualification: nobody works two shifts of a
day under the rest rule). Read in bulk: posts with their shifts, eligibility, qualifications,
absences and codes — a handful of queries whatever the number of posts.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.duty import rules
from headwater.duty.models import Eligibility, Post

DAYS = 14


@dataclass(frozen=True)
class Day:
    day: dt.date
    available: int
    needed: int

    @property
    def margin(self) -> int:
        return self.available - self.needed

    @property
    def short(self) -> bool:
        return self.margin < 0


@dataclass
class PostMargin:
    post: Post
    days: list[Day] = field(default_factory=list)

    @property
    def lowest(self) -> Day | None:
        return min(self.days, key=lambda d: (d.margin, d.day)) if self.days else None

    @property
    def short_days(self) -> list[Day]:
        return [d for d in self.days if d.short]


def _needed(post: Post) -> int:
    defs = list(post.shift_defs.all())
    per_shift = post.min_qualified if post.qualification else post.min_people
    return per_shift * len(defs)


def margins(posts, *, start: dt.date | None = None, days: int = DAYS) -> list[PostMargin]:
    """The margin of each post (critical posts, as the caller chose them) over `days`."""
    posts = list(posts.prefetch_related("shift_defs").select_related("unit"))
    if not posts:
        return []
    start = start or clock.today()
    end = start + dt.timedelta(days=days - 1)
    pool: dict[int, set[int]] = defaultdict(set)
    for post_id, pid in Eligibility.objects.filter(
        post_id__in=[p.pk for p in posts], person__employment_status="active"
    ).values_list("post_id", "person_id"):
        pool[post_id].add(pid)
    people = {p for ps in pool.values() for p in ps}
    facts = rules.load_facts(posts[0].organization, people, start, end)
    out = []
    for post in posts:
        needed = _needed(post)
        margin = PostMargin(post)
        for i in range(days):
            day = start + dt.timedelta(days=i)
            available = sum(
                1
                for pid in pool[post.pk]
                if facts.holds(pid, post.qualification, day) and _free(pid, day, facts)
            )
            margin.days.append(Day(day, available, needed))
        out.append(margin)
    return out


def _free(person_id: int, day: dt.date, facts: rules.Facts) -> bool:
    if facts.away_on(person_id, day):
        return False
    code = facts.not_green.get(person_id)
    return not (code and (code[1] is None or day < code[1]))


def critical_posts(organization):
    return Post.objects.filter(organization=organization, critical=True, active=True)


def alert_shortfalls(organization) -> int:
    """Alert the office once per post and day that will fall below its minimum in the next
    14 days, naming the day and the gap. Returns how many were raised (a repeat is a no-op
    through the dedup key, so it counts as raised again but sends nothing)."""
    from headwater.alerts.services import raise_alert

    raised = 0
    for margin in margins(critical_posts(organization)):
        for day in margin.short_days:
            raise_alert(
                organization,
                kind="duty.margin",
                title=_("%(post)s is %(gap)s qualified people short on %(day)s")
                % {"post": margin.post.name, "gap": -day.margin, "day": day.day.isoformat()},
                body=_("%(available)s available, %(needed)s needed.")
                % {"available": day.available, "needed": day.needed},
                link=reverse("duty:margins"),
                unit=margin.post.unit,
                to_roles=["office"],
                dedup_key=f"duty.margin:{margin.post.pk}:{day.day.isoformat()}",
            )
            raised += 1
    return raised


@dataclass(frozen=True)
class ReserveRow:
    post: Post
    person_id: int
    name: str
    unit: str
    qualified: bool
    free: bool
    reason: str


def reserve_pool(posts, day: dt.date | None = None) -> list[ReserveRow]:
    """The reserve people of these posts (across units), whether they hold the post's
    qualification and whether they are free on `day` (not away, green, not on a shift)."""
    from headwater.duty.models import Assignment

    day = day or clock.today()
    posts = {p.pk: p for p in posts}
    rows = list(
        Eligibility.objects.filter(post_id__in=list(posts), reserve=True)
        .select_related("person__unit")
        .order_by("post_id", "person__unit__path", "person__name")
    )
    ids = {e.person_id for e in rows}
    facts = (
        rules.load_facts(next(iter(posts.values())).organization, ids, day, day) if ids else None
    )
    busy = set(
        Assignment.objects.filter(person_id__in=list(ids), shift__starts_at__date=day).values_list(
            "person_id", flat=True
        )
    )
    out = []
    for e in rows:
        post = posts[e.post_id]
        away = facts.away_on(e.person_id, day)
        code = facts.not_green.get(e.person_id)
        reason = ""
        if away:
            reason = away.reason
        elif code and (code[1] is None or day < code[1]):
            reason = code[0]
        elif e.person_id in busy:
            reason = _("On a shift")
        out.append(
            ReserveRow(
                post,
                e.person_id,
                e.person.name,
                e.person.unit.name,
                facts.holds(e.person_id, post.qualification, day),
                not reason,
                reason,
            )
        )
    return out
