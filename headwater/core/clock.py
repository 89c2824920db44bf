"""The one clock. Every "now" in Headwater comes from here, so tests can move time
(time-machine travels this along with everything else) and so local dates are Asia/Shanghai."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())
