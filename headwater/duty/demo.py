"""Demo data of the duty app for `headwater demo`: posts for the demo organization (each
plant's control room with its licensed operators, the dispatch desk, the leader on duty, an
on-call repair team), their teams and reserve pools, a published roster of the current month
for each post built by a simple round-robin that keeps every hard rule (each shift goes to the
next of the team who `rules.fits` it), then one operator of each plant's roster on sick leave
for a coming shift — a flag with its suggested replacements — and two closed-loop groups per
control room (one on site, the next planned). Deterministic."""

import calendar
import datetime as dt
from collections import defaultdict

from auditlog.context import disable_auditlog
from django.utils import timezone

from headwater.core import clock
from headwater.core.choices import QualificationKind
from headwater.core.demo import extension
from headwater.core.models import Organization, Person, Site, Unit
from headwater.duty import rules
from headwater.duty.choices import LeaveKind, LoopState, PostKind, RosterState, ShiftPattern
from headwater.duty.models import (
    Assignment,
    Eligibility,
    Leave,
    LoopGroup,
    Post,
    Roster,
    Shift,
    ShiftDef,
)
from headwater.duty.patterns import bounds, specs
from headwater.duty.services import continuity

OPERATOR = QualificationKind.PLANT_OPERATOR
PLANTS = (("P1", "WP-1", "P2"), ("P2", "WP-2", "P1"), ("P3", "WP-3", "P1"))  # reserve from
TEAM = 10
RESERVE = 2


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    today = clock.today()
    start = today.replace(day=1)
    end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    units = {u.code: u for u in Unit.objects.filter(organization=org)}
    sites = {s.code: s for s in Site.objects.filter(organization=org)}
    with disable_auditlog():  # made-up rosters, not changes anyone made
        posts = _posts(org, units, sites, start, end)
        for post in posts:
            _roster(post, start, end)
        for post in posts:
            if post.kind == PostKind.CONTROL_ROOM:
                _loop_groups(post, start)
        for post in posts:
            if post.kind == PostKind.CONTROL_ROOM:
                _sick_leave(post, today)
        continuity.sweep(org)


def _people(org, unit, start, end, *, qualified=False, n=TEAM, exclude=()):
    """Up to `n` active people of the unit's subtree, in employee-number order, who are
    available and green all month (and licensed through it when `qualified`)."""
    qs = Person.objects.filter(
        organization=org, unit__path__startswith=unit.path, employment_status="active"
    ).exclude(pk__in=list(exclude))
    if qualified:
        qs = qs.filter(qualifications__kind=OPERATOR)
    found = list(qs.order_by("employee_no").distinct()[: n * 3])
    facts = rules.load_facts(org, [p.pk for p in found], start, end)
    keep = [
        p
        for p in found
        if p.pk not in facts.absences
        and p.pk not in facts.not_green
        and (not qualified or facts.holds(p.pk, OPERATOR, end))
    ]
    return keep[:n]


def _post(org, unit, name, kind, pattern, *, site=None, phone="", min_people=1, qualified=False):
    post = Post.objects.create(
        organization=org,
        name=name,
        kind=kind,
        unit=unit,
        site=site,
        duty_phone=phone,
        min_people=min_people,
        qualification=OPERATOR if qualified else "",
        min_qualified=1 if qualified else 0,
        critical=kind in (PostKind.CONTROL_ROOM, PostKind.DISPATCH),
    )
    ShiftDef.objects.bulk_create(
        ShiftDef(
            organization=org,
            post=post,
            label=s.label,
            starts=s.starts,
            hours=s.hours,
            night=s.night,
        )
        for s in specs(pattern)
    )
    return post


def _team(post, people, *, reserve=False, leaders=False) -> None:
    Eligibility.objects.bulk_create(
        Eligibility(
            organization=post.organization,
            post=post,
            person=p,
            reserve=reserve,
            is_leader=leaders,
        )
        for p in people
    )


def _posts(org, units, sites, start, end) -> list[Post]:
    posts = []
    for n, (code, site, reserve_from) in enumerate(PLANTS, 1):
        if code not in units:
            continue
        post = _post(
            org,
            units[code],
            f"{units[code].name}中控室",
            PostKind.CONTROL_ROOM,
            ShiftPattern.DAY_NIGHT,
            site=sites.get(site),
            phone=f"0731-8866000{n}",
            qualified=True,
        )
        team = _people(org, units[code], start, end, qualified=True)
        _team(post, team)
        if reserve_from in units:
            pool = _people(org, units[reserve_from], start, end, qualified=True, n=TEAM + RESERVE)
            _team(post, [p for p in pool if p not in team][-RESERVE:], reserve=True)
        posts.append(post)
    others = (
        ("DC-D", "DC", "调度中心值班台", PostKind.DISPATCH, ShiftPattern.DAY_NIGHT, 1, False),
        ("HQ-LD", "HQ", "带班领导", PostKind.LEADER, ShiftPattern.FULL_DAY, 1, True),
        ("RC-1", "RC", "抢修一队24小时备勤", PostKind.REPAIR_TEAM, ShiftPattern.FULL_DAY, 2, False),
    )
    for code, site, name, kind, pattern, min_people, leaders in others:
        if code not in units:
            continue
        post = _post(
            org,
            units[code],
            name,
            kind,
            pattern,
            site=sites.get(site),
            phone="0731-88660000" if kind == PostKind.DISPATCH else "",
            min_people=min_people,
        )
        team = _people(org, units[code], start, end, n=12)
        if leaders and len(team) < 8 and "HQ-SC" in units:  # the production department helps
            team += _people(org, units["HQ-SC"], start, end, n=8 - len(team))
        _team(post, team, leaders=leaders)
        posts.append(post)
    return posts


def _roster(post: Post, start: dt.date, end: dt.date) -> Roster | None:
    """A published roster of the month: each shift to the next of the team in turn who fits
    it under every hard rule (their shifts so far, rest, days in a row, weekly hours)."""
    org = post.organization
    team = list(post.eligible.filter(reserve=False).order_by("person__employee_no"))
    if len(team) < 4:
        return None
    ids = [e.person_id for e in team]
    facts = rules.load_facts(org, ids, start, end, [post.pk])
    limits = rules.Limits.of(org)
    roster = Roster.objects.create(
        organization=org,
        unit=post.unit,
        starts_on=start,
        ends_on=end,
        state=RosterState.PUBLISHED,
        solver_status="demo",
        published_at=timezone.make_aware(dt.datetime.combine(start, dt.time(8))),
    )
    defs = list(post.shift_defs.order_by("starts"))
    theirs: dict[int, list[rules.Slot]] = defaultdict(list)
    turn = 0
    day = start
    while day <= end:
        for sd in defs:
            starts_at, ends_at = bounds(day, sd.starts, sd.hours)
            shift = Shift.objects.create(
                organization=org,
                roster=roster,
                post=post,
                shift_def=sd,
                label=sd.label,
                starts_at=starts_at,
                ends_at=ends_at,
                night=sd.night,
            )
            slot = rules.slots_of([shift])[0]
            chosen: list[int] = []
            for i in range(len(ids)):
                if len(chosen) == post.min_people:
                    break
                pid = ids[(turn + i) % len(ids)]
                if pid in chosen or rules.fits(slot, pid, theirs[pid], chosen, facts, limits):
                    continue
                chosen.append(pid)
            turn = (ids.index(chosen[-1]) + 1) % len(ids) if chosen else turn
            for pid in chosen:
                theirs[pid].append(slot)
            Assignment.objects.bulk_create(
                Assignment(
                    organization=org,
                    shift=shift,
                    person_id=pid,
                    leads=post.kind == PostKind.LEADER,
                    created_at=roster.published_at,
                )
                for pid in chosen
            )
        day += dt.timedelta(days=1)
    return roster


def _loop_groups(post: Post, start: dt.date) -> None:
    team = [e.person for e in post.eligible.filter(reserve=False).order_by("person__employee_no")]
    half = len(team) // 2
    if half < 2:
        return
    for i, (name, members, state) in enumerate(
        (
            ("第一轮值组", team[:half], LoopState.ON_SITE),
            ("第二轮值组", team[half:], LoopState.PLANNED),
        )
    ):
        group = LoopGroup.objects.create(
            organization=post.organization,
            post=post,
            name=name,
            starts_on=start + dt.timedelta(days=14 * i),
            ends_on=start + dt.timedelta(days=14 * i + 13),
            state=state,
        )
        group.members.set(members)


def _sick_leave(post: Post, today: dt.date) -> None:
    """The person on the post's day shift the day after tomorrow goes on sick leave for it."""
    assignment = (
        Assignment.objects.filter(
            shift__post=post,
            shift__night=False,
            shift__starts_at__date=today + dt.timedelta(days=2),
        )
        .order_by("shift__starts_at")
        .first()
    )
    if assignment is None:
        return
    day = today + dt.timedelta(days=2)
    Leave.objects.create(
        organization=post.organization,
        person_id=assignment.person_id,
        kind=LeaveKind.SICK,
        starts_on=day,
        ends_on=day,
        note="发热就医",
    )
