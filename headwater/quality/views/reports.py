"""The compliance report page, its Excel and PDF exports, and the trend chart of one point's
indicator. Thin: the figures come from quality.reports, the files from quality.exports."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.downloads import attachment
from headwater.core.errors import DomainError
from headwater.quality import catalog, exports, reports, trends
from headwater.quality.choices import Outcome
from headwater.quality.permissions import VIEW_REPORTS

TREND_DAYS = 90


def _organization(request):
    if request.user.organization_id is None:
        raise Http404
    return request.user.organization


def _period(request) -> reports.Period:
    today = clock.today()
    try:
        return reports.parse_period(request.GET, today)
    except DomainError as e:
        messages.error(request, e.message)
        return reports.Period.month(today.year, today.month)


def _unit(request, org):
    """The plant filter: one of the units owning points the user may see, or None (all)."""
    wanted = request.GET.get("unit", "")
    if not wanted:
        return None, reports.report_units(org, request.user)
    units = reports.report_units(org, request.user)
    for unit in units:
        if str(unit.pk) == wanted:
            return unit, units
    raise Http404


def _report(request):
    org = _organization(request)
    period = _period(request)
    unit, units = _unit(request, org)
    report = reports.compliance_report(
        org,
        date_from=period.date_from,
        date_to=period.date_to,
        user=request.user,
        unit=unit,
        period=period,
    )
    return report, units


@login_required
@permission_required(VIEW_REPORTS, raise_exception=True)
def report(request):
    """The compliance report of a month (default this one), a year or a range of days, for
    the whole scope or one plant: rates per test and per sample, 95% flags, the network's
    综合合格率, raw-water classes, the exceedances and the relaxations in force."""
    rep, units = _report(request)
    query = rep.period.params()
    if rep.unit is not None:
        query["unit"] = str(rep.unit.pk)
    today = clock.today()
    context = {
        "report": rep,
        "units": units,
        "query": urlencode(query),
        "month_value": f"{rep.period.date_from:%Y-%m}",
        "today": today,
        "trend_from": rep.period.date_from.isoformat(),
        "trend_to": rep.period.date_to.isoformat(),
        "classes": [_("Class %(n)s") % {"n": n} for n in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")]
        + [_("Worse than V")],
        "raw_classes": [{"row": r, "counts": r.counts, "total": r.total} for r in rep.raw_classes],
        "tables": exports.rate_tables(rep),
    }
    return render(request, "quality/report.html", context)


@login_required
@permission_required(VIEW_REPORTS, raise_exception=True)
def export(request, fmt: str):
    """The same report as an Excel workbook (one sheet per table) or an A4 PDF."""
    if fmt not in exports.FORMATS:
        raise Http404
    rep, _units = _report(request)
    data = exports.render(rep, fmt)
    response = HttpResponse(data, content_type=exports.FORMATS[fmt])
    return attachment(response, *exports.filename(rep, fmt))


@login_required
@permission_required(VIEW_REPORTS, raise_exception=True)
def trend(request):
    """One point's indicator over a period (the last 90 days by default) with its limit and
    the online analyzer's readings."""
    org = _organization(request)
    today = clock.today()
    try:
        if request.GET.get("from") or request.GET.get("to") or request.GET.get("month"):
            period = reports.parse_period(request.GET, today)
        else:
            period = reports.Period(today - dt.timedelta(days=TREND_DAYS - 1), today)
    except DomainError as e:
        messages.error(request, e.message)
        period = reports.Period(today - dt.timedelta(days=TREND_DAYS - 1), today)
    points = list(reports.report_points(org, request.user).order_by("code"))
    point = _chosen_point(request, points, org)
    indicators = trends.trend_indicators(org, point, request.user) if point else []
    code = request.GET.get("indicator") or _default_indicator(indicators)
    data = None
    if point and code:
        data = trends.trend(
            org,
            point,
            code,
            date_from=period.date_from,
            date_to=period.date_to,
            user=request.user,
        )
    context = {
        "points": points,
        "point": point,
        "indicators": [(c, reports.indicator_name(c)) for c in indicators],
        "code": code,
        "period": period,
        "trend": data,
        "chart": _chart(data) if data else None,
    }
    return render(request, "quality/trend.html", context)


def _default_indicator(codes: list[str]) -> str:
    """Turbidity where the point has it (the figure every plant watches), else the first
    indicator with figures: a detected / not-detected one draws no line."""
    if "turbidity" in codes:
        return "turbidity"
    figures = [c for c in codes if not catalog.indicator(c).presence]
    return (figures or codes or [""])[0]


def _chosen_point(request, points, org):
    """The asked point (404 outside the user's scope); without one, the first point with
    results of the asked indicator, or the first point."""
    wanted = request.GET.get("point", "")
    if not wanted:
        code = request.GET.get("indicator", "")
        having = trends.points_with(org, code, request.user) if code else set()
        return next((p for p in points if p.pk in having), points[0] if points else None)
    for point in points:
        if str(point.pk) == wanted:
            return point
    raise Http404


def _chart(data: trends.Trend) -> dict:
    """What the ECharts line chart needs, as JSON."""

    def iso(at):
        return timezone.localtime(at).isoformat(timespec="seconds")

    return {
        "results": [
            {"value": [iso(at), v], "raw": raw, "fail": outcome == Outcome.FAIL}
            for at, v, raw, outcome in data.results
            if v is not None
        ],
        "readings": [[iso(at), round(v, 4)] for at, v in data.readings],
        "minimum": data.minimum,
        "maximum": data.maximum,
        "labels": {
            "results": _("Lab results"),
            "readings": _("Online analyzer (hourly mean)")
            if data.readings_hourly
            else _("Online analyzer"),
            "minimum": _("Minimum"),
            "maximum": _("Maximum"),
            "unit": data.unit,
        },
    }
