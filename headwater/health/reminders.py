"""Check-in reminders: at the organization's reminder times, each person who has not checked
in gets a reminder in the app, and each unit head the list of their unit's missing people
(in the app and, where a group robot is configured, in the group)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.core import levels
from headwater.core.models import Organization, RoleGrant, User

WINDOW = dt.timedelta(minutes=5)


def due_time(organization: Organization, now: dt.datetime) -> str | None:
    """The reminder time (HH:MM) that fell in the 5 minutes up to now, if any."""
    local = timezone.localtime(now)
    for text in levels.value(organization, "health.reminder_times"):
        try:
            hours, minutes = (int(x) for x in text.split(":"))
        except ValueError:
            continue
        at = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        if at <= local < at + WINDOW:
            return text
    return None


def missing_people(organization: Organization, now: dt.datetime):
    """Active people with no check-in in the slot open now."""
    from headwater.health.services import current_slot

    day = timezone.localdate(now)
    slot = current_slot(organization, now)
    return (
        organization.people.active()
        .exclude(checkins__date=day, checkins__slot=slot)
        .select_related("unit")
    )


def remind_if_due(organization: Organization, now: dt.datetime) -> int:
    """Send the reminders of a due time once (dedup keys make a second run a no-op)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _remind(organization, now)


def _remind(organization: Organization, now: dt.datetime) -> int:
    from headwater.alerts.services import raise_alert

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
        severity="info",
        title=_("Please check in today"),
        body=_("You have not checked in yet."),
        link="/health/checkin/",
        to_users=list(users),
        dedup_key=f"health.reminder:{day}:{at}",
    )
    heads = RoleGrant.objects.filter(
        role="unit_head", unit__organization=organization, user__is_active=True
    ).select_related("unit", "user")
    for grant in heads:
        names = [p.name for p in missing if p.unit.path.startswith(grant.unit.path)]
        if not names:
            continue
        raise_alert(
            organization,
            kind="health.reminder.unit",
            severity="warning",
            unit=grant.unit,
            title=_("%(unit)s: %(n)s people have not checked in")
            % {"unit": grant.unit.name, "n": len(names)},
            body="、".join(names[:200]),
            link="/health/unit/",
            to_users=[grant.user],
            dedup_key=f"health.reminder.unit:{grant.pk}:{day}:{at}",
        )
    return len(missing)
