"""What the solver needs for a unit's posts over a period, read in a handful of queries: the
shifts to fill (one per post's ShiftDef per day, not yet saved), the teams, reserve pools and
leaders, the rules' facts (rules.load_facts: qualifications, absences, codes), wishes, the
previous period's hours and nights (published rosters) and the people's shifts on other
rosters (busy)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from headwater.core.choices import EmploymentStatus
from headwater.duty import rules
from headwater.duty.choices import RosterState
from headwater.duty.models import Assignment, Eligibility, Preference
from headwater.duty.patterns import bounds
from headwater.duty.solver import Problem


@dataclass(frozen=True)
class ShiftRow:
    key: tuple  # (shift def id, day)
    slot: rules.Slot
    fields: dict  # the Shift's columns but its roster and organization


def shift_rows(posts, start: dt.date, end: dt.date) -> list[ShiftRow]:
    rows = []
    day = start
    while day <= end:
        for post in posts:
            for d in post.shift_defs.all():
                begins, ends = bounds(day, d.starts, d.hours)
                key = (d.pk, day)
                slot = rules.Slot(
                    key,
                    post.pk,
                    post.name,
                    d.label,
                    begins,
                    ends,
                    post.min_people,
                    post.min_qualified,
                    post.qualification,
                )
                fields = {
                    "post": post,
                    "shift_def": d,
                    "label": d.label,
                    "starts_at": begins,
                    "ends_at": ends,
                    "night": d.night,
                }
                rows.append(ShiftRow(key, slot, fields))
        day += dt.timedelta(days=1)
    return rows


def build_problem(organization, posts, rows, start, end, *, roster_id=None) -> Problem:
    post_ids = [p.pk for p in posts]
    team, reserve, leaders = defaultdict(set), defaultdict(set), defaultdict(set)
    for post_id, pid, is_reserve, is_leader in Eligibility.objects.filter(
        post_id__in=post_ids, person__employment_status=EmploymentStatus.ACTIVE
    ).values_list("post_id", "person_id", "reserve", "is_leader"):
        (reserve if is_reserve else team)[post_id].add(pid)
        if is_leader:
            leaders[post_id].add(pid)
    people = {p for group in (team, reserve) for ps in group.values() for p in ps}
    facts = rules.load_facts(organization, people, start, end, post_ids)
    return Problem(
        slots=[r.slot for r in rows],
        nights={r.key for r in rows if r.fields["night"]},
        team=dict(team),
        reserve=dict(reserve),
        leaders=dict(leaders),
        facts=facts,
        limits=rules.Limits.of(organization),
        wishes=list(
            Preference.objects.filter(
                person_id__in=people, day__gte=start, day__lte=end
            ).values_list("person_id", "day", "kind")
        ),
        previous=_previous(people, start, end),
        busy=_busy(people, rows, roster_id),
    )


def _previous(people, start, end) -> dict[int, tuple[float, int]]:
    """Hours and nights each person worked on published rosters in the period as long as
    this one just before it."""
    length = dt.timedelta(days=(end - start).days + 1)
    begins, ends = _day_bounds(start - length, start)
    totals: dict[int, list] = defaultdict(lambda: [0.0, 0])
    rows = Assignment.objects.filter(
        person_id__in=people,
        shift__roster__state=RosterState.PUBLISHED,
        shift__starts_at__gte=begins,
        shift__starts_at__lt=ends,
    ).values_list("person_id", "shift__starts_at", "shift__ends_at", "shift__night")
    for pid, shift_start, shift_end, night in rows:
        totals[pid][0] += (shift_end - shift_start).total_seconds() / 3600
        totals[pid][1] += int(night)
    return {pid: (h, n) for pid, (h, n) in totals.items()}


def _day_bounds(first: dt.date, after_last: dt.date):
    begins, _end = bounds(first, dt.time(0), 0)
    ends, _end = bounds(after_last, dt.time(0), 0)
    return begins, ends


def _busy(people, rows, roster_id) -> dict[int, list]:
    """The people's shifts on other rosters around the period (another unit's roster, for a
    reserve person): the solver keeps them apart, rest included."""
    if not rows:
        return {}
    begins = min(r.slot.starts_at for r in rows) - dt.timedelta(days=2)
    ends = max(r.slot.ends_at for r in rows) + dt.timedelta(days=2)
    found: dict[int, list] = defaultdict(list)
    query = Assignment.objects.filter(
        person_id__in=people, shift__starts_at__lt=ends, shift__ends_at__gt=begins
    )
    if roster_id:
        query = query.filter(~Q(shift__roster_id=roster_id))
    for pid, s, e in query.values_list("person_id", "shift__starts_at", "shift__ends_at"):
        found[pid].append((s, e))
    return dict(found)
