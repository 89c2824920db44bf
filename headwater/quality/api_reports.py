"""Compliance report and trend endpoints (mounted under /api/v1/quality).

Thin: the figures come from quality.reports, in the scope it documents (a regulator without
quality.view gets organization-wide official figures); quality.view_reports is required; a
point outside the caller's scope is 404."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from headwater.core import clock
from headwater.core.apiauth import user_of
from headwater.core.apitypes import Day, Id, Year
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Unit
from headwater.quality import reports, trends
from headwater.quality.permissions import VIEW_REPORTS

router = Router(tags=["quality"])
TREND_DAYS = 90
FROM = Query(None, alias="from")  # `from` is a Python keyword


def _user(request):
    user = user_of(request)
    if user is None or not user.is_authenticated or not user.has_perm(VIEW_REPORTS):
        raise NotAllowed(_("Your role may not do this."))
    if user.organization_id is None:
        raise NotAllowed(_("Your login belongs to no organization."))
    return user


def _rows(rows: list[reports.Row]) -> list[dict]:
    return [
        {
            "key": r.key,
            "label": r.label,
            "tests": r.tests.as_dict(),
            "samples": r.samples.as_dict() if r.samples is not None else None,
        }
        for r in rows
    ]


def report_dict(rep: reports.ComplianceReport) -> dict:
    """The report as JSON: the same figures as the page and the exports."""
    c = rep.composite
    return {
        "date_from": rep.period.date_from,
        "date_to": rep.period.date_to,
        "unit_id": rep.unit.pk if rep.unit is not None else None,
        "target": rep.target,
        "tests": rep.tests.as_dict(),
        "samples": rep.samples.as_dict(),
        "by_plant": _rows(rep.by_plant),
        "by_kind": _rows(rep.by_kind),
        "by_indicator": _rows(rep.by_indicator),
        "by_month": _rows(rep.by_month),
        "composite": {
            "rate": c.rate,
            "below_target": c.below_target,
            "items": [
                {"key": i.key, "label": i.label, "codes": list(i.codes), **i.tests.as_dict()}
                for i in c.items
            ],
            "others": c.others.as_dict(),
        },
        "raw_classes": [
            {"unit": r.unit, "indicator": r.indicator, "label": r.label, "counts": r.counts}
            for r in rep.raw_classes
        ],
        "guidance_total": rep.guidance_total,
        "guidance": [
            {
                "result_id": e.result_id,
                "point_id": e.point_id,
                "point": e.point,
                "unit": e.unit,
                "sampled_at": e.sampled_at,
                "indicator": e.indicator,
                "label": e.label,
                "raw": e.raw,
                "guidance_value": e.limit_text,
            }
            for e in rep.guidance
        ],
        "exceedance_total": rep.exceedance_total,
        "exceedances": [
            {
                "result_id": e.result_id,
                "point_id": e.point_id,
                "point": e.point,
                "unit": e.unit,
                "sampled_at": e.sampled_at,
                "indicator": e.indicator,
                "label": e.label,
                "raw": e.raw,
                "limit": e.limit_text,
                "relaxed": e.relaxed,
            }
            for e in rep.exceedances
        ],
        "relaxations": [
            {
                "id": r.relaxation.pk,
                "indicator": r.relaxation.indicator,
                "point_kind": r.relaxation.point_kind,
                "valid_from": r.relaxation.valid_from,
                "valid_until": r.relaxation.valid_until,
                "results": r.results,
            }
            for r in rep.relaxations
        ],
    }


def _params(**given) -> dict[str, str]:
    return {k.rstrip("_"): str(v) for k, v in given.items() if v not in (None, "")}


@router.get("/report")
def compliance_report(
    request,
    month: str = "",
    year: Year | None = None,
    from_: Day | None = FROM,
    to: Day | None = None,
    unit_id: Id | None = None,
):
    """Compliance of a month (`month=YYYY-MM`, default this one), a `year`, or `from`/`to`
    dates, for the caller's scope or one plant (`unit_id`)."""
    user = _user(request)
    org = user.organization
    period = reports.parse_period(
        _params(month=month, year=year, from_=from_, to=to), clock.today()
    )
    unit = None
    if unit_id is not None:
        unit = next((u for u in reports.report_units(org, user) if u.pk == unit_id), None)
        if unit is None:
            raise Unit.DoesNotExist
    rep = reports.compliance_report(
        org,
        date_from=period.date_from,
        date_to=period.date_to,
        user=user,
        unit=unit,
        period=period,
    )
    return report_dict(rep)


@router.get("/trend")
def trend(
    request,
    point_id: Id,
    indicator: str,
    from_: Day | None = FROM,
    to: Day | None = None,
):
    """One point's indicator: official results, analyzer readings (hourly means over a week
    or more) and the limit; the last 90 days by default."""
    user = _user(request)
    org = user.organization
    point = get_object_or_404(reports.report_points(org, user), pk=point_id)
    end = to or clock.today()
    start = from_ or end - dt.timedelta(days=TREND_DAYS - 1)
    if end < start:
        raise DomainError(_("The period ends before it starts."), fields={"to": ""})
    data = trends.trend(org, point, indicator, date_from=start, date_to=end, user=user)
    return {
        "point_id": point.pk,
        "point": str(point),
        "indicator": indicator,
        "label": data.label,
        "unit": data.unit,
        "date_from": start,
        "date_to": end,
        "minimum": data.minimum,
        "maximum": data.maximum,
        "limit": data.limit_text,
        "results": [
            {"at": timezone.localtime(at), "value": v, "raw": raw, "outcome": outcome}
            for at, v, raw, outcome in data.results
        ],
        "readings": [{"at": timezone.localtime(at), "value": v} for at, v in data.readings],
        "readings_hourly": data.readings_hourly,
    }
