"""Check-in reminders: at the organization's reminder times, each person who has not checked
in gets a reminder in the app, and each unit head the list of their unit's missing people
(in the app and, where a group robot is configured, in the group). Between those times a unit
head (for their unit) or the office (for any unit, or all) may "remind now": the same
reminder to the people not checked in and, from the office, to the heads of the units that
have not sent their daily report."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import NotAllowed, require
from headwater.core.models import Organization, RoleGrant, Unit, User
from headwater.core.querysets import grants_for
from headwater.core.roles import Role
from headwater.core.writes import Written
from headwater.health.models import ReminderRun, UnitReport
from headwater.health.permissions import SEND_REMINDERS
from headwater.health.reminders import due_time, missing_people
from headwater.health.windows import report_deadline

NAMES_LISTED = 200
# A second "remind now" for the same unit within this time (a double click, a retry, a
# colleague pressing too) sends nothing and answers the first one.
REMIND_AGAIN_AFTER = dt.timedelta(minutes=5)


def remind_if_due(organization: Organization, now: dt.datetime) -> int:
    """Send the reminders of a due time once (dedup keys make a second run a no-op). Returns
    how many people had not checked in (0 when no reminder time is due)."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        return _remind(organization, now)


def _remind(organization: Organization, now: dt.datetime) -> int:
    at = due_time(organization, now)
    if at is None:
        return 0
    day = timezone.localdate(now).isoformat()
    missing = list(missing_people(organization, now))
    if not missing:
        return 0
    users = User.objects.filter(person__in=missing, is_active=True)
    raise_alert(
        organization,
        kind="health.reminder",
        severity=Severity.INFO,
        title=_("Please check in today"),
        body=_("You have not checked in yet."),
        link=reverse("health:checkin"),
        to_users=list(users),
        dedup_key=f"health.reminder:{day}:{at}",
    )
    heads = RoleGrant.objects.filter(
        role=Role.UNIT_HEAD, unit__organization=organization, user__is_active=True
    ).select_related("unit", "user")
    for grant in heads:
        names = [p.name for p in missing if p.unit.path.startswith(grant.unit.path)]
        if not names:
            continue
        raise_alert(
            organization,
            kind="health.reminder.unit",
            severity=Severity.WARNING,
            unit=grant.unit,
            title=_("%(unit)s: %(n)s people have not checked in")
            % {"unit": grant.unit.name, "n": len(names)},
            body="、".join(names[:NAMES_LISTED]),
            link=reverse("health:unit"),
            to_users=[grant.user],
            dedup_key=f"health.reminder.unit:{grant.pk}:{day}:{at}",
        )
    return len(missing)


def remind_now(organization: Organization, *, by, unit: Unit | None = None) -> Written[ReminderRun]:
    """Remind, now, the people of `unit` (of the organization when None) who have not checked
    in for the slot open now; with an organization-wide grant (the office) also the heads of
    the reporting units there that have not sent today's report. A unit head may remind their
    own units only. Returns (run, created): within REMIND_AGAIN_AFTER of the last run for the
    same unit, that run and False — nothing is sent twice."""
    require(by, SEND_REMINDERS)
    org_wide, paths = grants_for(by, SEND_REMINDERS)
    org_wide = org_wide or by.is_superuser
    if by.organization_id != organization.pk or (
        unit is not None
        and (
            unit.organization_id != organization.pk
            or not (org_wide or any(unit.path.startswith(p) for p in paths))
        )
    ):
        raise NotAllowed(_("You may only remind the people of your own units."))
    if unit is None and not org_wide:
        raise NotAllowed(_("Choose one of your units."))
    now = clock.now()
    with (
        translation.override(settings.LANGUAGE_CODE),
        transaction.atomic(),
        acting_as(by),
    ):
        # One run at a time per unit (per organization for the whole): the second of two
        # parallel presses waits here, then finds the first run.
        if unit is not None:
            locks.lock_one(Unit, unit.pk)
        else:
            locks.lock_one(Organization, organization.pk)
        recent = (
            ReminderRun.objects.of(organization)
            .filter(unit=unit, sent_at__gt=now - REMIND_AGAIN_AFTER)
            .order_by("-sent_at")
            .first()
        )
        if recent is not None:
            return recent, False
        run = ReminderRun.objects.create(
            organization=organization, unit=unit, sent_at=now, sent_by=by
        )
        run.people = _remind_people(organization, unit, now, run)
        run.units = _remind_units(organization, unit, now, run) if org_wide else 0
        run.save(update_fields=["people", "units"])
    return run, True


def _remind_people(organization, unit, now, run: ReminderRun) -> int:
    missing = missing_people(organization, now)
    if unit is not None:
        missing = missing.filter(unit__path__startswith=unit.path)
    users = list(User.objects.filter(person__in=missing, is_active=True))
    if users:
        raise_alert(
            organization,
            kind="health.reminder",
            severity=Severity.INFO,
            title=_("Please check in today"),
            body=_("You have not checked in yet."),
            link=reverse("health:checkin"),
            to_users=users,
            dedup_key=f"health.remind_now:{run.pk}",
        )
    return len(users)


def _remind_units(organization, unit, now, run: ReminderRun) -> int:
    day = timezone.localdate(now)
    heads = RoleGrant.objects.filter(
        role=Role.UNIT_HEAD, unit__organization=organization, user__is_active=True
    ).select_related("unit", "user")
    if unit is not None:
        heads = heads.filter(unit__path__startswith=unit.path)
    reported = set(
        UnitReport.objects.of(organization).filter(date=day).values_list("unit_id", flat=True)
    )
    by_unit: dict[int, list] = {}
    units: dict[int, Unit] = {}
    for grant in heads:
        if grant.unit_id not in reported:
            by_unit.setdefault(grant.unit_id, []).append(grant.user)
            units[grant.unit_id] = grant.unit
    due = timezone.localtime(report_deadline(organization, day))
    for pk, users in sorted(by_unit.items()):
        raise_alert(
            organization,
            kind="health.reminder.report",
            severity=Severity.WARNING,
            unit=units[pk],
            title=_("%(unit)s: please send today's daily report") % {"unit": units[pk].name},
            body=_("The daily report is due by %(time)s.") % {"time": f"{due:%H:%M}"},
            link=f"{reverse('health:unit_report')}?unit={pk}",
            to_users=users,
            dedup_key=f"health.remind_now:{run.pk}:{pk}",
        )
    return len(by_unit)
