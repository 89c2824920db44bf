"""The duty section of the daily briefing (core.tiles interface): the leader on duty on the
briefing's day, the shifts of the day reported below their minimum (people or qualified
people), the shifts of that day that ended without a handover, and the swaps asked and
approved. None when the organization has no posts."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.tiles import (
    BriefingSection,
    Figure,
    Flag,
    FlagKind,
    Text,
    briefing_section,
    counts_by_day,
    days_to,
)
from headwater.duty import rules
from headwater.duty.choices import PostKind, RosterState, SwapState
from headwater.duty.errors import DutyError
from headwater.duty.models import Assignment, Post, Shift, Swap
from headwater.duty.services.now_log import without_handover

NAMED = 10


def _published(organization):
    return Shift.objects.of(organization).filter(roster__state=RosterState.PUBLISHED)


def _leaders(organization, day: dt.date) -> list[str]:
    start, end = clock.day_bounds(day)
    return list(
        Assignment.objects.of(organization)
        .filter(
            shift__roster__state=RosterState.PUBLISHED,
            shift__post__kind=PostKind.LEADER,
            shift__starts_at__lt=end,
            shift__ends_at__gt=start,
        )
        .order_by("shift__starts_at", "person__name")
        .values_list("person__name", flat=True)
        .distinct()
    )


def _below_minimum(organization, day: dt.date) -> list[rules.Break]:
    """The shifts starting on `day` short of people or of qualified people (rules.check)."""
    start, end = clock.day_bounds(day)
    shifts = list(
        _published(organization)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("post")
    )
    assigned: dict[object, list[int]] = defaultdict(list)
    for shift_id, person_id in Assignment.objects.filter(shift__in=shifts).values_list(
        "shift_id", "person_id"
    ):
        assigned[shift_id].append(person_id)
    people = {p for ps in assigned.values() for p in ps}
    facts = rules.load_facts(organization, people, day, day, {s.post_id for s in shifts})
    minimums = (DutyError.BELOW_MINIMUM, DutyError.NOT_QUALIFIED)
    return [
        b
        for b in rules.check(rules.slots_of(shifts), assigned, facts, rules.Limits.of(organization))
        if b.rule in minimums and b.person_id is None
    ]


@briefing_section
def duty_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`; the leader on duty of `date` itself."""
    if not Post.objects.of(organization).exists():
        return None
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    start, end = clock.day_bounds(days[0])[0], clock.day_bounds(day)[1]
    missing_all = list(without_handover(Shift.objects.of(organization), start, end))
    missing_by_day = defaultdict(int)
    for s in missing_all:
        missing_by_day[timezone.localtime(s.ends_at).date()] += 1
    missing = [s for s in missing_all if timezone.localtime(s.ends_at).date() == day]
    swaps = Swap.objects.of(organization)
    asked = counts_by_day(swaps, "requested_at", days)
    approved = counts_by_day(swaps.filter(state=SwapState.APPROVED), "decided_at", days)
    short = _below_minimum(organization, day)
    leaders = _leaders(organization, date)
    flags = [Flag(FlagKind.ABNORMAL, Text.plain(b.message)) for b in short[:NAMED]]
    flags += [
        Flag(
            FlagKind.OVERDUE,
            Text(
                _("%(post)s %(shift)s ended at %(end)s without a handover"),
                post=Text.plain(s.post.name),
                shift=Text.plain(s.label),
                end=f"{timezone.localtime(s.ends_at):%H:%M}",
            ),
        )
        for s in missing[:NAMED]
    ]
    waiting = swaps.filter(state=SwapState.REQUESTED).count()
    if waiting:
        flags.append(
            Flag(FlagKind.DECISION, Text(_("%(n)s swaps wait for a unit head"), n=waiting))
        )
    lines = [
        Text(
            _("Leader on duty on %(day)s: %(names)s."),
            day=f"{date:%m-%d}",
            names=Text.plain("、".join(leaders)) if leaders else _("nobody rostered"),
        ),
        Text(
            _(
                "Shifts below their minimum: %(short)s; shifts without a handover: "
                "%(missing)s; swaps asked: %(asked)s, approved: %(approved)s."
            ),
            short=len(short),
            missing=len(missing),
            asked=asked[day],
            approved=approved[day],
        ),
    ]
    return BriefingSection(
        _("Duty"),
        key="duty",
        order=45,
        lines=lines,
        figures=[
            Figure.over_days(
                "duty.no_handover",
                _("Shifts without a handover"),
                [missing_by_day.get(d, 0) for d in days],
                better="down",
            ),
            Figure.over_days("duty.swaps", _("Swaps asked"), [asked[d] for d in days]),
        ],
        flags=flags,
        quiet="" if flags else _("Every shift was staffed and handed over."),
    )
