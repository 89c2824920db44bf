"""The daily briefing on the task queue (run by the Huey worker: `headwater run_huey`)."""

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.briefing import services
from headwater.briefing.choices import BriefingKind
from headwater.briefing.mail import send_email
from headwater.briefing.models import Briefing
from headwater.briefing.settings_registry import GENERATE_AT
from headwater.core import clock, levels
from headwater.core.models import Organization

log = logging.getLogger(__name__)
__all__ = ["generate_due_briefings", "send_email"]


def due(organization, now: dt.datetime) -> bool:
    """Whether the organization's time of day for the briefing has come today."""
    hours, minutes = map(int, levels.value(organization, GENERATE_AT).split(":"))
    local = dt.datetime.combine(now.date(), dt.time(hours, minutes), tzinfo=now.tzinfo)
    return now >= local


@db_periodic_task(crontab(minute="*/5"))
def generate_due_briefings() -> int:
    """Every five minutes: yesterday's daily briefing for each organization whose time has
    come today and that has none yet (a worker down at the time catches up at its next run),
    then sent. One organization failing does not stop the others. Returns how many were
    generated."""
    now = timezone.localtime(clock.now())
    day = now.date() - dt.timedelta(days=1)
    made = 0
    for organization in Organization.objects.order_by("pk"):
        try:
            made += generate_one(organization, day, now)
        except Exception:
            log.exception("daily briefing of organization %s failed", organization.pk)
    return made


def generate_one(organization, day: dt.date, now: dt.datetime) -> bool:
    if not due(organization, now):
        return False
    if Briefing.objects.of_day(organization, day, BriefingKind.DAILY).exists():
        return False
    briefing, created = services.generate(organization, day)
    if created:
        services.distribute(briefing)
    return created
