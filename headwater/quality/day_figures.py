"""The organization's water-quality figures of past days for the daily briefing: sampling
tasks by day and status, the missed tasks and the exceedances of a day. Each reads a run of
days in one grouped query."""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from headwater.core import clock
from headwater.quality.choices import Outcome, ReviewStatus, TaskStatus
from headwater.quality.models import Result, SamplingTask


def tasks_by_day(organization, days: list[dt.date], now) -> dict[dt.date, dict[str, int]]:
    """day -> done / missed / open tasks due that day (an open task past its deadline is
    missed even before the quarter-hourly job marks it), from one grouped query."""
    start, end = clock.day_bounds(days[0])[0], clock.day_bounds(days[-1])[1]
    missed = Q(status=TaskStatus.MISSED) | Q(status=TaskStatus.OPEN, deadline__lt=now)
    rows = (
        SamplingTask.objects.of(organization)
        .filter(due_at__gte=start, due_at__lt=end)
        .annotate(day=TruncDate("due_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            missed=Count("id", filter=missed),
            open=Count("id", filter=Q(status=TaskStatus.OPEN, deadline__gte=now)),
        )
    )
    found = {r["day"]: r for r in rows}
    empty = {"done": 0, "missed": 0, "open": 0}
    return {d: found.get(d, empty) for d in days}


def missed_tasks(organization, day: dt.date, now) -> list[SamplingTask]:
    """The tasks due on `day` that were missed, with their point and lab, by time."""
    start, end = clock.day_bounds(day)
    return list(
        SamplingTask.objects.of(organization)
        .filter(due_at__gte=start, due_at__lt=end)
        .filter(Q(status=TaskStatus.MISSED) | Q(status=TaskStatus.OPEN, deadline__lt=now))
        .select_related("point", "lab")
        .order_by("due_at", "point__code")
    )


def exceedances(organization, days: list[dt.date]) -> tuple[list[int], list[Result]]:
    """The number of exceedances of each day (failing results not returned), and those of
    the last day with their point, by time."""
    failing = (
        Result.objects.of(organization)
        .filter(outcome=Outcome.FAIL, sampled_on__gte=days[0], sampled_on__lte=days[-1])
        .exclude(status=ReviewStatus.RETURNED)
    )
    counts = dict(
        failing.order_by()
        .values("sampled_on")
        .annotate(n=Count("id"))
        .values_list("sampled_on", "n")
    )
    listed = list(
        failing.filter(sampled_on=days[-1])
        .select_related("point")
        .order_by("sampled_at", "point__code", "indicator")
    )
    return [counts.get(d, 0) for d in days], listed
