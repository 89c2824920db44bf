"""Reads of the pressure watch for the pages and the API: the points a user sees with their
state, and a point's readings of the last hours (the chart)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock, levels
from headwater.network.models import PressurePoint, Reading
from headwater.network.pressure_state import PointState, point_state

HOURS_MAX = 168
ROWS_MAX = 20_000  # a chart of a week at one reading every 30 s; beyond that the newest


def points(user):
    return PressurePoint.objects.visible_to(user).select_related("device").order_by("code", "pk")


def stale(organization) -> dt.timedelta:
    return dt.timedelta(minutes=levels.value(organization, "network.reading_stale_minutes"))


def with_states(rows, organization) -> list[PressurePoint]:
    """The points, each with `state` (PointState value) and `state_label`."""
    now, gap = clock.now(), stale(organization)
    out = list(rows)
    for p in out:
        p.state = point_state(p, now, gap)
        p.state_label = PointState(p.state).label
        p.state_colour = PointState.colour(p.state)
    return out


def readings(point: PressurePoint, hours: int) -> list[tuple[dt.datetime, float]]:
    """The point's readings of the last `hours` (1–168), oldest first."""
    since = clock.now() - dt.timedelta(hours=max(1, min(hours, HOURS_MAX)))
    rows = (
        Reading.objects.filter(point=point, at__gte=since)
        .order_by("-at")
        .values_list("at", "value")[:ROWS_MAX]
    )
    return list(reversed(rows))


def unit(point: PressurePoint) -> str:
    return "m" if point.kind == "pressure" else "L/s"


def chart(point: PressurePoint, hours: int = 24) -> dict:
    """What static/network/pressure.js draws: [time (ms), value] pairs, the thresholds as
    mark lines, the words in the user's language."""
    rows = readings(point, hours)
    return {
        "values": [[int(at.timestamp() * 1000), value] for at, value in rows],
        "low": point.low,
        "high": point.high,
        "labels": {
            "series": str(point.get_kind_display()),
            "unit": unit(point),
            "low": _("Low threshold"),
            "high": _("High threshold"),
        },
        "from": timezone.localtime(clock.now() - dt.timedelta(hours=hours)).isoformat(),
        "to": timezone.localtime(clock.now()).isoformat(),
    }
