"""Online analyzers: readings (turbidity, residual chlorine … every few minutes) sent with a
device token, stored as a time series beside the lab results, evaluated against the same
limits and able to raise the same alerts."""

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core.errors import DomainError
from headwater.core.roles import Role
from headwater.core.writes import Written
from headwater.quality import catalog, evaluate
from headwater.quality.choices import Outcome
from headwater.quality.models import AnalyzerReading, SamplingPoint
from headwater.quality.services.entry import evaluation_context, organization_limits


def record_readings(device, readings: list[dict]) -> list[Written[AnalyzerReading]]:
    """Store analyzer readings (point code, indicator, time, value) sent with a device token,
    all or none; returns (reading, created) for each in order. A reading already stored (same
    point, indicator and time) is not stored again, so a retried batch stores nothing twice. A
    reading outside its limit raises the exceedance alert, at most one per point and indicator
    an hour."""
    org = device.organization
    rows = _checked(device, readings)
    written = []
    with transaction.atomic():
        for point, ind, at, m, ev in rows:
            reading, created = AnalyzerReading.objects.get_or_create(
                point=point,
                indicator=ind.code,
                at=at,
                defaults={
                    "organization": org,
                    "value": m.value,
                    "outcome": ev.outcome,
                    "device": device,
                },
            )
            written.append((reading, created))
            if created and ev.outcome == Outcome.FAIL:
                _alert(org, point, ind, at, m, ev)
    return written


def _checked(device, readings: list[dict]) -> list[tuple]:
    """Every reading parsed and evaluated, or DomainError naming each bad one ("1.value")."""
    org = device.organization
    points = {p.code: p for p in SamplingPoint.objects.of(org).select_related("unit")}
    limits = organization_limits(org.pk)
    errors, rows = {}, []
    for i, item in enumerate(readings):
        point = points.get(str(item.get("point", "")))
        if device.site_id and point and point.site_id != device.site_id:
            point = None
        if point is None:
            errors[f"{i}.point"] = _("Unknown sampling point.")
            continue
        try:
            ind = catalog.indicator(str(item.get("indicator", "")))
        except KeyError:
            errors[f"{i}.indicator"] = _("Unknown indicator.")
            continue
        try:
            m = evaluate.parse_value(str(item.get("value", "")), ind)
        except ValueError as e:
            errors[f"{i}.value"] = str(e)
            continue
        if m.value is None:
            errors[f"{i}.value"] = _("An analyzer reading must be a number.")
            continue
        at = item["at"]
        ev = evaluate.evaluate(
            ind.code, m, evaluation_context(point, timezone.localdate(at), limits=limits)
        )
        rows.append((point, ind, at, m, ev))
    if errors:
        raise DomainError(_("Please correct the marked readings."), fields=errors)
    return rows


def _alert(org, point, ind, at, m, ev) -> None:
    local = timezone.localtime(at)
    raise_alert(
        org,
        kind="quality.analyzer_exceedance",
        title=_("Online analyzer at %(point)s: %(name)s %(value)s (limit %(limit)s)")
        % {"point": point.name, "name": ind.name_zh, "value": m.raw, "limit": ev.limit_text},
        severity=Severity.CRITICAL,
        link=f"{reverse('quality:trend')}?{urlencode({'point': point.pk, 'indicator': ind.code})}",
        unit=point.unit,
        to_roles=[Role.LAB_REVIEWER, Role.UNIT_HEAD, Role.QUALITY, Role.OFFICE],
        dedup_key=f"quality.analyzer:{point.pk}:{ind.code}:{local:%Y%m%d%H}",
    )
