"""The one clock. Every "now" in Headwater comes from here, so tests can move time
(time-machine travels this along with everything else) and so local dates are Asia/Shanghai."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start of `day` and of the next, as aware local times (for `__gte`/`__lt` filters
    on a timestamp, which keep its index usable)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return start, start + dt.timedelta(days=1)
