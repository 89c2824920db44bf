"""Flags when someone rostered becomes unavailable (一防三保): every future shift of a
published roster whose person is away (an epidemiological status, isolation, leave — read
through core.availability) or holds a red or yellow code (core.codes) gets one open
`ShiftFlag`, and the unit head of the post is alerted once per flag; a flag clears itself
when the person is available again before the shift.

`sweep(org)` checks every published assignment of the next `HORIZON_DAYS` (the periodic
task, every few minutes); `sweep_people(org, ids)` checks only those people's (called when
a code, a status or a leave changes: the signals of core.codes and core.availability, and
duty's own Leave). Both read in bulk: the assignments (one query), then the rules' facts for
the people on them (`rules.load_facts`), then the open flags (one query).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.duty import rules
from headwater.duty.choices import FlagState, RosterState
from headwater.duty.models import Assignment, ShiftFlag

HORIZON_DAYS = 31


def _upcoming(organization, person_ids=None):
    now = clock.now()
    qs = Assignment.objects.filter(
        organization=organization,
        shift__roster__state=RosterState.PUBLISHED,
        shift__starts_at__gt=now,
        shift__starts_at__lt=now + dt.timedelta(days=HORIZON_DAYS),
    ).select_related("shift__post")
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    return list(qs.order_by("shift__starts_at", "pk"))


def _reason(slot: rules.Slot, person_id: int, facts: rules.Facts) -> str:
    """The short reason a person cannot take a slot ("" when they can): the absence's reason
    or the code's label."""
    if not rules.can_take(slot, person_id, facts, check_eligible=False):
        return ""
    away = facts.away_on(person_id, slot.day)
    if away:
        return away.reason[:100]
    return facts.not_green[person_id][0][:100]


def sweep(organization, person_ids=None) -> tuple[int, int]:
    """Flag every upcoming published shift whose person cannot take it any more and clear
    the open flags whose person can again. Returns (flags raised, flags cleared)."""
    assignments = _upcoming(organization, person_ids)
    open_flags = ShiftFlag.objects.filter(organization=organization, state=FlagState.OPEN)
    if person_ids is not None:
        open_flags = open_flags.filter(assignment__person_id__in=list(person_ids))
    flagged = {
        f.assignment_id: f for f in open_flags.filter(assignment__shift__starts_at__gt=clock.now())
    }
    if not assignments and not flagged:
        return 0, 0
    people = {a.person_id for a in assignments}
    days = [timezone.localtime(a.shift.starts_at).date() for a in assignments] or [clock.today()]
    facts = rules.load_facts(organization, people, min(days), max(days))
    raised, cleared = [], []
    with transaction.atomic():
        for assignment, slot in zip(
            assignments, rules.slots_of([a.shift for a in assignments]), strict=True
        ):
            reason = _reason(slot, assignment.person_id, facts)
            flag = flagged.pop(assignment.pk, None)
            if reason and flag is None:
                try:
                    with transaction.atomic():  # a sweep running beside this one
                        raised.append(
                            ShiftFlag.objects.create(
                                organization=organization,
                                assignment=assignment,
                                person_id=assignment.person_id,
                                reason=reason,
                            )
                        )
                except IntegrityError:
                    pass
            elif not reason and flag is not None:
                cleared.append(flag)
        # an open flag whose assignment no longer belongs to its person (reassigned by hand)
        cleared.extend(f for f in flagged.values() if person_ids is None)
        for flag in cleared:
            flag.state = FlagState.CLEARED
            flag.resolved_at = clock.now()
            flag.save(update_fields=["state", "resolved_at"])
        if raised:
            ids = [f.pk for f in raised]
            transaction.on_commit(lambda: _alert_flags(ids))
    return len(raised), len(cleared)


def sweep_people(organization, person_ids) -> tuple[int, int]:
    """Check only these people's upcoming shifts (a code, a status or a leave changed)."""
    return sweep(organization, list(person_ids))


def _alert_flags(flag_ids) -> None:
    from headwater.alerts.services import raise_alert

    for flag in ShiftFlag.objects.filter(pk__in=flag_ids).select_related(
        "organization", "assignment__person", "assignment__shift__post__unit"
    ):
        shift = flag.assignment.shift
        raise_alert(
            flag.organization,
            kind="duty.flag",
            title=_("%(person)s cannot take %(shift)s: %(reason)s")
            % {
                "person": flag.assignment.person.name,
                "shift": shift_name(shift),
                "reason": flag.reason,
            },
            body=_("Accept a replacement on the flag's page."),
            link=reverse("duty:flag", args=[flag.pk]),
            unit=shift.post.unit,
            to_roles=["unit_head"],
            dedup_key=f"duty.flag:{flag.pk}",
        )


def shift_name(shift) -> str:
    start = timezone.localtime(shift.starts_at)
    return f"{shift.post.name} {start:%m-%d %H:%M} {shift.label}"
