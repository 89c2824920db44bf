"""Read helpers of the staff and unit-head phone pages: the code to show, the personal
timeline, which units a user may pick, and the daily report's suggested counts.

They sit beside the services and overview.py (which they only read) so that the pages stay
thin; none of them writes (a page is only read: GET never changes anything)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from headwater.core import clock, levels
from headwater.core.models import Person, RoleGrant, Unit
from headwater.core.roles import ROLE_PERMISSIONS, Role
from headwater.health import rules as rules_mod
from headwater.health import services
from headwater.health.choices import CodeColour, Whereabouts
from headwater.health.models import CheckIn, HealthCode, StatusRecord
from headwater.health.overview import reporting_units
from headwater.health.rules import ISOLATING

TIMELINE_DAYS = 30


def code_to_show(user, person) -> HealthCode:
    """The person's code in force. Before their first code is written (by their first
    check-in or the nightly job), the code the rules give them now, unsaved."""
    code = HealthCode.objects.visible_to(user).current_by_person([person.pk]).get(person.pk)
    return code or services.unsaved_code(person)


@dataclass
class CodeHelp:
    """What a person with a yellow or red code does next, shown under their own code: the
    steps, whether only the office can end it, whom to call."""

    steps: list[str]
    waits_for_office: bool
    unit_head: Person | None
    office_phone: str


def code_help(person, code: HealthCode) -> CodeHelp | None:
    """None for a green code. The unit head is the nearest one above the person (not the
    person): their name and unit only — their phone is personal data, masked to staff — and
    the office's number is the organization's setting."""
    if code.colour == CodeColour.GREEN:
        return None
    rule = code.rule if code.rule_id else None
    if rule is None and code.rule_name:  # an unsaved first code under the default rules
        rule = next((r for r in rules_mod.DEFAULT_RULES if r.name == code.rule_name), None)
    return CodeHelp(
        steps=rules_mod.next_steps(rule, code.colour),
        waits_for_office=code.green_on is None,
        unit_head=unit_head_of(person),
        office_phone=levels.value(person.organization, "health.office_phone"),
    )


def unit_head_of(person) -> Person | None:
    """The unit head of the person's unit or, failing one, of the nearest unit above it; never
    the person themselves. One query."""
    unit = person.unit
    step = Unit.steplen
    paths = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    grants = (
        RoleGrant.objects.filter(
            user__organization_id=person.organization_id,
            role=Role.UNIT_HEAD,
            unit__path__in=paths,
            user__is_active=True,
            user__person__isnull=False,
        )
        .exclude(user__person=person)
        .select_related("user__person", "unit")
    )
    nearest = max(grants, key=lambda g: (len(g.unit.path), -g.pk), default=None)
    return nearest.user.person if nearest else None


def todays_checkin(user, person, slot: str) -> CheckIn | None:
    return (
        CheckIn.objects.visible_to(user)
        .filter(person=person, date=clock.today(), slot=slot)
        .first()
    )


@dataclass
class TimelineEvent:
    """One line of a person's health timeline: a check-in or a change of code."""

    at: dt.datetime
    checkin: CheckIn | None = None
    code: HealthCode | None = None
    text: str = ""


def timeline(user, person, today: dt.date, days: int = TIMELINE_DAYS) -> list[TimelineEvent]:
    """The person's check-ins of the last `days` days and every code they have held,
    newest first. A check-in is placed at its first submission; a code at its `since`."""
    since = today - dt.timedelta(days=days - 1)
    checkins = CheckIn.objects.visible_to(user).filter(
        person=person, date__gte=since, date__lte=today
    )
    events = [
        TimelineEvent(c.submitted_at, checkin=c, text=services.describe_checkin(c))
        for c in checkins
    ]
    codes = HealthCode.objects.visible_to(user).filter(person=person)
    events += [TimelineEvent(h.since, code=h) for h in codes]
    # On a tie the code sorts first: it is the consequence of the check-in made at that time.
    return sorted(events, key=lambda e: (e.at, e.code is not None), reverse=True)


# --- Which unit a page is about ------------------------------------------------------------


def _grants(user, perm: str) -> list:
    return [
        g
        for g in user.role_grants.select_related("unit")
        if perm in ROLE_PERMISSIONS.get(g.role, set())
    ]


def units_in_scope(user, perm: str):
    """Every unit the user may pick for `perm`: the subtrees of their grants of roles holding
    it (the whole organization for a grant without a unit), within what they can see."""
    visible = Unit.objects.visible_to(user)
    if user.is_superuser:
        return visible
    grants = _grants(user, perm)
    if any(g.unit_id is None for g in grants):
        return visible
    if not grants:
        return visible.none()
    q = Q()
    for g in grants:
        q |= Q(path__startswith=g.unit.path)
    return visible.filter(q)


def report_units(user, perm: str) -> list[Unit]:
    """The units whose daily report the user files: the units of their grants of roles
    holding `perm`; with an organization-wide grant, every reporting unit they can see."""
    grants = _grants(user, perm)
    if user.is_superuser or any(g.unit_id is None for g in grants):
        return list(reporting_units(user))
    allowed = Unit.objects.visible_to(user).filter(pk__in=[g.unit_id for g in grants])
    return list(allowed.order_by("path"))


def indented(units) -> list[Unit]:
    """The units with `indent` set (ideographic spaces by depth) for a picker's options."""
    units = list(units)
    top = min((u.depth for u in units), default=1)
    for u in units:
        u.indent = "\u3000" * (u.depth - top)
    return units


def pick(units, wanted: Any) -> Unit | None:
    """The unit asked for (`?unit=`) among `units`, else the first; None when none is allowed
    or the one asked for is not among them."""
    units = list(units)
    if wanted in (None, ""):
        return units[0] if units else None
    return next((u for u in units if str(u.pk) == str(wanted)), None)


# --- The unit daily report -----------------------------------------------------------------


def report_suggestions(user, unit, day: dt.date) -> dict[str, int]:
    """Counts for the daily report from today's check-ins: isolated people by their open
    status, everybody else by where they said they are (their latest check-in today).
    People who have not checked in are counted nowhere; `missing` says how many they are.
    Counted from plain values, so a unit of thousands costs no model objects."""
    ids = set(
        Person.objects.visible_to(user)
        .active()
        .filter(unit__path__startswith=unit.path)
        .values_list("id", flat=True)
    )
    isolated = ids & set(
        StatusRecord.objects.visible_to(user)
        .open_on(day)
        .filter(person__unit__path__startswith=unit.path, kind__in=ISOLATING, started_on__lte=day)
        .values_list("person_id", flat=True)
    )
    latest: dict[int, str] = {}
    abnormal: set[int] = set()
    today = CheckIn.objects.filter(unit__path__startswith=unit.path, date=day).order_by("slot")
    for pid, whereabouts, is_abnormal in today.values_list(
        "person_id", "whereabouts", "is_abnormal"
    ):
        if pid in ids:
            latest[pid] = whereabouts
            if is_abnormal:
                abnormal.add(pid)
    counts = dict.fromkeys(
        ["on_duty", "working_from_home", "on_leave", "isolated", "abnormal", "missing"], 0
    )
    bucket = {
        Whereabouts.AT_WORK: "on_duty",
        Whereabouts.AT_HOME: "working_from_home",
        Whereabouts.IN_CITY: "on_leave",
        Whereabouts.AWAY: "on_leave",
    }
    counts["abnormal"] = len(abnormal)
    for pid in ids:
        if pid in isolated:
            counts["isolated"] += 1
        elif pid in latest:
            counts[bucket[latest[pid]]] += 1
        else:
            counts["missing"] += 1
    return counts
