"""Trend charts: one sampling point's indicator over a period, the lab results with the limit
they were held against and the online analyzer's readings (hourly means over longer ranges).
Scoped like the compliance report (reports.report_points)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Avg
from django.db.models.functions import TruncHour

from headwater.quality import catalog
from headwater.quality.models import AnalyzerReading, SamplingPoint
from headwater.quality.reports import catalog_order, official_results

READINGS_RAW_DAYS = 7  # longer ranges show the analyzer's hourly means: a year is 8,760 points


@dataclass
class Trend:
    """One point's indicator over a period: the official lab results, the online analyzer's
    readings (hourly means over long periods) and the limit to draw."""

    point: SamplingPoint
    indicator: str
    label: str
    unit: str
    date_from: dt.date
    date_to: dt.date
    results: list[tuple[dt.datetime, float | None, str, str]]  # at, value, raw, outcome
    readings: list[tuple[dt.datetime, float]]
    minimum: float | None
    maximum: float | None
    limit_text: str
    readings_hourly: bool


def trend(
    organization, point: SamplingPoint, indicator: str, *, date_from, date_to, user=None
) -> Trend:
    """The trend of `indicator` at `point`; the caller has checked that the user may see the
    point (report_points)."""
    rows = list(
        official_results(organization, user)
        .filter(point=point, indicator=indicator)
        .filter(sampled_on__gte=date_from, sampled_on__lte=date_to)
        .order_by("sampled_at")
        .values_list("sampled_at", "value", "raw", "outcome", "limit_text")
    )
    readings = (
        AnalyzerReading.objects.of(organization)
        .filter(
            point=point,
            indicator=indicator,
            at__date__gte=date_from,
            at__date__lte=date_to,
        )
        .order_by()
    )
    hourly = (date_to - date_from).days >= READINGS_RAW_DAYS
    if hourly:
        series = (
            readings.annotate(hour=TruncHour("at"))
            .values("hour")
            .annotate(v=Avg("value"))
            .order_by("hour")
            .values_list("hour", "v")
        )
    else:
        series = readings.order_by("at").values_list("at", "value")
    limit_text = next((r[4] for r in reversed(rows) if r[4]), "")
    minimum, maximum = limit_bounds(limit_text)
    if minimum is None and maximum is None:
        minimum, maximum, limit_text = _catalog_bounds(point, indicator, date_to, limit_text)
    meta = _indicator_meta(indicator)
    return Trend(
        point=point,
        indicator=indicator,
        label=meta[0],
        unit=meta[1],
        date_from=date_from,
        date_to=date_to,
        results=[(at, _float(v), raw, outcome) for at, v, raw, outcome, _t in rows],
        readings=[(at, float(v)) for at, v in series if v is not None],
        minimum=minimum,
        maximum=maximum,
        limit_text=limit_text,
        readings_hourly=hourly,
    )


def _float(value) -> float | None:
    return None if value is None else float(value)


def _indicator_meta(code: str) -> tuple[str, str]:
    try:
        found = catalog.indicator(code)
        return found.name_zh, found.unit
    except (KeyError, LookupError):
        return code, ""


_NUMBER = r"(\d+(?:\.\d+)?)"


def limit_bounds(text: str) -> tuple[float | None, float | None]:
    """(minimum, maximum) read from a limit as the evaluator writes it: "≤1 NTU",
    "≥0.05 mg/L", "6.5–8.5", "Ⅲ类 ≤1.0"; (None, None) for "不得检出" and the like."""
    text = text or ""
    if m := re.search(_NUMBER + r"\s*[–~-]\s*" + _NUMBER, text):
        return float(m[1]), float(m[2])
    low = re.search(r"[≥>]\s*=?\s*" + _NUMBER, text)
    high = re.search(r"[≤<]\s*=?\s*" + _NUMBER, text)
    return (float(low[1]) if low else None), (float(high[1]) if high else None)


def _catalog_bounds(point, code: str, on: dt.date, text: str):
    try:
        limits = catalog.limits_for(code, kind=point.kind, supply_type=point.supply_type, on=on)
    except (KeyError, LookupError):
        return None, None, text
    for limit in limits:
        if limit.minimum is not None or limit.maximum is not None:
            low = None if limit.minimum is None else float(limit.minimum)
            high = None if limit.maximum is None else float(limit.maximum)
            return low, high, limit.text()
    return None, None, text


def trend_indicators(organization, point: SamplingPoint, user=None) -> list[str]:
    """The indicators with official results at the point, for the trend page's choice."""
    codes = (
        official_results(organization, user)
        .filter(point=point)
        .order_by()
        .values_list("indicator", flat=True)
        .distinct()
    )
    return sorted(codes, key=catalog_order)


def points_with(organization, code: str, user=None) -> set[int]:
    """The ids of the points with official results of `code`."""
    qs = official_results(organization, user).filter(indicator=code).order_by()
    return set(qs.values_list("point_id", flat=True).distinct())
