"""Background and periodic work of the health app (Huey). The work itself is in the
services; these say when it runs."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core import clock
from headwater.core.models import Organization
from headwater.health import services

# Queued by the services after a commit that changes every code (new rules, risk areas). It
# is declared beside its work in services/codes.py, so that the services need not import this
# module (which imports them); named here so that every queued job of health is listed here.
recompute_organization = services.recompute_organization


@db_periodic_task(crontab(hour="0", minute="5"))
def daily_recompute() -> int:
    """After midnight: codes whose date to turn green has come, and people who stopped
    checking in, get their codes recomputed."""
    return sum(services.recompute_stale_codes(org) for org in Organization.objects.all())


@db_periodic_task(crontab(minute="*/10"))
def catch_up_recomputes() -> int:
    """Every 10 minutes: an organization-wide recompute that did not finish (its job died or
    ran out of retries) is finished, so no code stays stale after new rules or risk areas."""
    return services.catch_up_recomputes()


@db_periodic_task(crontab(minute="*/5"))
def send_due_reminders() -> int:
    """Every 5 minutes: if a reminder time of an organization fell in the last 5 minutes,
    remind the people who have not checked in and send each unit head their list."""
    return sum(services.remind_if_due(org, clock.now()) for org in Organization.objects.all())
