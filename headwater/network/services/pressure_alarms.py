"""Alarms of the pressure watch: a point leaving its thresholds, and a point gone silent.

A pressure alarm starts when a newly stored reading, newer than the point's last reading
before it, is below `low` or above `high` while the reading before it was within them (or
there was none): one alert per episode (`network.pressure:<point id>`; while that alert is
open a new excursion updates it), and, when the point says so, its one active work order
(`workorders.open_for_point`). Coming back within the thresholds closes nothing: people
close alerts. A silent point (a bound device, no reading for `network.reading_stale_minutes`)
alerts once per silence (`network.silent:<point id>`, keyed by its last reading's time)."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, levels
from headwater.core.models import Organization
from headwater.core.roles import Role
from headwater.network.models import PressurePoint
from headwater.network.pressure_state import PointState, value_state
from headwater.network.services import workorders

TO_ROLES = [Role.OFFICE, Role.DISPATCHER]


def _link(point: PressurePoint) -> str:
    return reverse("network:pressure_point", args=[point.pk])


def _unit(point: PressurePoint) -> str:
    return "m" if point.kind == "pressure" else "L/s"


def judge(point: PressurePoint, before: float | None, newer: list[tuple[dt.datetime, float]]):
    """Raise the alarm if the newer readings (oldest first) leave the thresholds from within
    them. Runs in the readings' transaction, on the locked point."""
    if not point.active or (point.low is None and point.high is None):
        return None
    state = value_state(point.low, point.high, before)
    start = None
    for at, value in newer:
        now_state = value_state(point.low, point.high, value)
        if now_state != PointState.NORMAL and state in (PointState.NORMAL, PointState.NO_DATA):
            start = (at, value, now_state)
        state = now_state
    if start is None:
        return None
    return _raise(point, *start)


def _raise(point: PressurePoint, at: dt.datetime, value: float, state: str):
    values = {
        "code": point.code,
        "name": point.name,
        "value": f"{value:g}",
        "unit": _unit(point),
        "low": "—" if point.low is None else f"{point.low:g}",
        "high": "—" if point.high is None else f"{point.high:g}",
        "at": f"{timezone.localtime(at):%Y-%m-%d %H:%M}",
    }
    if state == PointState.LOW:
        title = _("%(code)s %(name)s: %(value)s %(unit)s, below the low threshold %(low)s") % values
    else:
        title = (
            _("%(code)s %(name)s: %(value)s %(unit)s, above the high threshold %(high)s") % values
        )
    body = _("Reading at %(at)s. Thresholds: low %(low)s, high %(high)s %(unit)s.") % values
    alert = raise_alert(
        point.organization,
        kind="network.pressure",
        episode=f"network.pressure:{point.pk}",
        dedup_key=f"network.pressure:{point.pk}:{at.timestamp():.0f}",
        severity=Severity.CRITICAL if state == PointState.LOW else Severity.WARNING,
        title=title,
        body=body,
        link=_link(point),
        to_roles=TO_ROLES,
    )
    if point.open_work_order:
        workorders.open_for_point(point, title=title, note=body)
    return alert


def alert_silent_points(organization: Organization, now: dt.datetime | None = None) -> int:
    """Alert each active point whose bound (unrevoked) device has sent nothing for the
    organization's `network.reading_stale_minutes`; returns how many were raised or found
    raised. Once per silence: the key names the last reading's time."""
    now = now or clock.now()
    stale = dt.timedelta(minutes=levels.value(organization, "network.reading_stale_minutes"))
    cutoff = now - stale
    points = (
        PressurePoint.objects.of(organization)
        .filter(active=True, device__isnull=False, device__revoked_at__isnull=True)
        .select_related("device")
        .filter(Q(last_at__lt=cutoff) | Q(last_at__isnull=True, device__created_at__lt=cutoff))
        .order_by("pk")
    )
    count = 0
    for point in points:
        since = point.last_at or point.device.created_at
        values = {
            "code": point.code,
            "name": point.name,
            "since": f"{timezone.localtime(since):%Y-%m-%d %H:%M}",
            "minutes": int(stale.total_seconds() // 60),
        }
        raise_alert(
            organization,
            kind="network.silent",
            episode=f"network.silent:{point.pk}",
            dedup_key=f"network.silent:{point.pk}:{since.timestamp():.0f}",
            severity=Severity.WARNING,
            title=_("%(code)s %(name)s has sent no reading since %(since)s") % values,
            body=_("No reading for more than %(minutes)s minutes: check the device.") % values,
            link=_link(point),
            to_roles=TO_ROLES,
        )
        count += 1
    return count
