"""Background and periodic work of the health app (Huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from headwater.core import clock
from headwater.core.models import Organization


@db_task()
def recompute_organization(organization_id: int) -> int:
    """Recompute every active person's code (after the rules or risk areas changed)."""
    from headwater.health.facts import risk_areas_on
    from headwater.health.services import active_rule_set, recompute_code

    org = Organization.objects.get(pk=organization_id)
    rule_set = active_rule_set(org)
    areas = risk_areas_on(org.pk, clock.today())
    count = 0
    for person in org.people.active().select_related("organization").iterator(chunk_size=500):
        recompute_code(person, rule_set=rule_set, areas=areas)
        count += 1
    return count


@db_periodic_task(crontab(hour="0", minute="5"))
def daily_recompute() -> int:
    """After midnight: codes whose date to turn green has come, and people who stopped
    checking in, get their codes recomputed."""
    from headwater.health.services import recompute_stale_codes

    return sum(recompute_stale_codes(org) for org in Organization.objects.all())


@db_periodic_task(crontab(minute="*/5"))
def send_due_reminders() -> int:
    """Every 5 minutes: if a reminder time of an organization fell in the last 5 minutes,
    remind the people who have not checked in and send each unit head their list."""
    from headwater.health.reminders import remind_if_due

    return sum(remind_if_due(org, clock.now()) for org in Organization.objects.all())
