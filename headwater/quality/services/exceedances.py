"""Exceedances: which stored results alert, the alert per point (escalated when an indicator
keeps exceeding) and the re-sampling task it opens."""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, levels
from headwater.core.roles import Role
from headwater.quality import catalog
from headwater.quality.choices import Outcome, PointKind
from headwater.quality.models import Result, SamplingPoint
from headwater.quality.services.sampling import open_resample_task

ESCALATION_DAYS = 30
# Exceedances in water sampled longer ago than this are history (an import of old results):
# reported, not alerted or re-sampled.
RECENT_DAYS = 7
MAX_LINES = 20


def should_alert(result: Result) -> bool:
    """Whether a stored result alerts: an exceedance, or raw water of a poor GB 3838 class."""
    if result.outcome == Outcome.FAIL:
        return True
    if result.point_kind == PointKind.RAW and result.source_class:
        threshold = levels.value(result.point.organization, "quality.raw_alert_class")
        return result.source_class >= threshold
    return False


def handle_exceedances(results: Sequence[Result]) -> None:
    """Alert at once on each point's exceedances (lab head, the plant, the office, the quality
    department; robots if configured) and open one re-sampling task per point. The same
    indicator exceeding at the same point `quality.escalate_after` times in 30 days turns the
    alert critical and adds the leaders.

    Only water sampled in the last RECENT_DAYS days alerts: an import of last year's results
    is history to report, not something to re-sample now. One alert per point however many
    results a call brings (an import may bring hundreds), its body capped at MAX_LINES."""
    since = clock.today() - dt.timedelta(days=RECENT_DAYS)
    by_point: dict[int, list[Result]] = defaultdict(list)
    for r in results:
        if r.sampled_on >= since:
            by_point[r.point_id].append(r)
    if not by_point:
        return
    points = SamplingPoint.objects.select_related("organization", "unit").in_bulk(by_point)
    for point_id, failed in by_point.items():
        _alert_point(points[point_id], failed)


def _alert_point(point: SamplingPoint, failed: list[Result]) -> None:
    org = point.organization
    codes = list(dict.fromkeys(r.indicator for r in failed))
    repeated = _repeated(point, codes)
    lines = [_exceedance_line(r) for r in failed[:MAX_LINES]]
    if len(failed) > MAX_LINES:
        lines.append(_("… and %(count)s more.") % {"count": len(failed) - MAX_LINES})
    if repeated:
        lines.append(
            _("Repeated: %(names)s exceeded %(count)s times or more in %(days)s days.")
            % {
                "names": "、".join(_name(c) for c in repeated),
                "count": levels.value(org, "quality.escalate_after"),
                "days": ESCALATION_DAYS,
            }
        )
    roles = [Role.LAB_REVIEWER, Role.UNIT_HEAD, Role.OFFICE, Role.QUALITY]
    if repeated:
        roles.append(Role.LEADER)
    latest = max(failed, key=lambda r: (r.sampled_at, r.pk))
    # The same results never alert twice (a corrected entry keeps its result rows).
    ids = ",".join(str(r.pk) for r in sorted(failed, key=lambda r: r.pk))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:24]
    raise_alert(
        org,
        kind="quality.exceedance",
        title=_("Water quality exceedance at %(point)s: %(names)s")
        % {"point": point.name, "names": "、".join(_name(c) for c in codes)},
        body="\n".join(lines),
        severity=Severity.CRITICAL if repeated or point.kind != PointKind.RAW else Severity.WARNING,
        link=reverse("quality:sample", args=[latest.sample_id]),
        unit=point.unit,
        to_roles=roles,
        dedup_key=f"quality.exceedance:{point.pk}:{digest}",
    )
    hours = levels.value(org, "quality.resample_within_hours")
    open_resample_task(latest, codes, hours)


def _repeated(point: SamplingPoint, codes: list[str]) -> list[str]:
    org = point.organization
    threshold = levels.value(org, "quality.escalate_after")
    raw_class = levels.value(org, "quality.raw_alert_class")
    since = clock.today() - dt.timedelta(days=ESCALATION_DAYS)
    counts = defaultdict(int)
    for code in (
        Result.objects.filter(point=point, indicator__in=codes, sampled_on__gte=since)
        .filter(Q(outcome=Outcome.FAIL) | Q(point_kind=PointKind.RAW, source_class__gte=raw_class))
        .values_list("indicator", flat=True)
    ):
        counts[code] += 1
    return [c for c in codes if counts[c] >= threshold]


def _name(code: str) -> str:
    try:
        return catalog.indicator(code).name_zh
    except KeyError:
        return code


def _exceedance_line(r: Result) -> str:
    ind = catalog.indicator(r.indicator)
    limit = r.limit_text or "—"
    if r.source_class:
        return _("%(name)s %(value)s %(unit)s: GB 3838 class %(cls)s") % {
            "name": ind.name_zh,
            "value": r.raw,
            "unit": ind.unit,
            "cls": class_label(r.source_class),
        }
    return _("%(name)s %(value)s %(unit)s (limit %(limit)s)") % {
        "name": ind.name_zh,
        "value": r.raw,
        "unit": ind.unit,
        "limit": limit,
    }


def class_label(cls: int | None) -> str:
    return {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: _("worse than V")}.get(cls or 0, "")
