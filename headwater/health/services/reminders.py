"""Check-in reminders: at the organization's reminder times, each person who has not checked
in gets a reminder in the app, and each unit head the list of their unit's missing people
(in the app and, where a group robot is configured, in the group)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core.models import Organization, RoleGrant, User
from headwater.core.roles import Role
from headwater.health.reminders import due_time, missing_people

NAMES_LISTED = 200


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
