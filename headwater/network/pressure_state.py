"""A pressure point's state on the board (normal / low / high / silent), decided in one place
for the readings service, the silent-point task, the pages and the API."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PointState(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("pressure state", "Normal")
    LOW = "low", pgettext_lazy("pressure state", "Low")
    HIGH = "high", pgettext_lazy("pressure state", "High")
    SILENT = "silent", pgettext_lazy("pressure state", "Silent")
    NO_DATA = "no_data", _("No readings yet")

    @classmethod
    def colour(cls, value: str) -> str:
        return {
            "normal": "success",
            "low": "danger",
            "high": "warning",
            "silent": "secondary",
        }.get(value, "light")


def value_state(low: float | None, high: float | None, value: float | None) -> str:
    """Normal, low or high for a value against a point's thresholds (either may be absent)."""
    if value is None:
        return PointState.NO_DATA
    if low is not None and value < low:
        return PointState.LOW
    if high is not None and value > high:
        return PointState.HIGH
    return PointState.NORMAL


def point_state(point, now: dt.datetime, stale: dt.timedelta) -> str:
    """The board's state: silent when its last reading is older than `stale` (or there is
    none while a device is bound), else its last value against the thresholds."""
    if point.last_at is None:
        return PointState.SILENT if point.device_id else PointState.NO_DATA
    if now - point.last_at > stale:
        return PointState.SILENT
    return value_state(point.low, point.high, point.last_value)
