"""What is happening at the gates now, for the home tiles and the command dashboard: the
visitors on site, the meal slots running. Small reads shared by tiles.py and screen.py."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from headwater.access.choices import VisitState
from headwater.access.models import MealSlot


def on_site_q(now: dt.datetime) -> Q:
    """Visitors whose pass is valid now: approved by their host and not over."""
    return Q(state=VisitState.APPROVED, registered_at__lte=now) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    )


def on_site(visits, now: dt.datetime):
    return visits.filter(on_site_q(now))


def window(slot: MealSlot, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, slot.starts))
    return start, start + dt.timedelta(minutes=slot.minutes)


def running(slots: list[MealSlot], now: dt.datetime) -> list[MealSlot]:
    """The slots whose window holds `now` (local time)."""
    local = timezone.localtime(now)
    return [s for s in slots if window(s, local.date())[0] <= local < window(s, local.date())[1]]
