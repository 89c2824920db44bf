"""The organization's isolation figures of a run of days, for the briefing: one aggregate
query for all the days."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from headwater.core import clock
from headwater.isolation.models import Case, CaseCheck


def per_day(organization, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """day -> {"opened", "released", "current"}: opened and released during the day, open at
    its end."""
    aggregates = {}
    for i, day in enumerate(days):
        start, end = clock.day_bounds(day)
        aggregates[f"o{i}"] = Count("id", filter=Q(opened_at__gte=start, opened_at__lt=end))
        aggregates[f"r{i}"] = Count("id", filter=Q(released_at__gte=start, released_at__lt=end))
        aggregates[f"c{i}"] = Count(
            "id",
            filter=Q(opened_at__lt=end) & (Q(released_at__isnull=True) | Q(released_at__gte=end)),
        )
    row = Case.objects.of(organization).aggregate(**aggregates)
    return {
        day: {"opened": row[f"o{i}"], "released": row[f"r{i}"], "current": row[f"c{i}"]}
        for i, day in enumerate(days)
    }


def unchecked(organization, day: dt.date) -> list[Case]:
    """Cases open at the end of `day`, started by then, without a follow-up dated `day`."""
    end = clock.day_bounds(day)[1]
    return list(
        Case.objects.of(organization)
        .filter(opened_at__lt=end, started_on__lte=day)
        .filter(Q(released_at__isnull=True) | Q(released_at__gte=end))
        .annotate(checked=Exists(CaseCheck.objects.filter(case_id=OuterRef("pk"), date=day)))
        .filter(checked=False)
        .select_related("person", "household_member", "unit")
        .order_by("unit__path", "id")
    )
