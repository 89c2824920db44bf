"""A campaign's figures as they stood at the end of each of a run of days, for the briefing:
a few aggregate queries for all the days (timestamps, not the entries' current status, so that
a briefing generated again later tells the same day)."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from headwater.core import clock
from headwater.core.models import Unit
from headwater.testing.choices import TubeResult
from headwater.testing.models import Retest, RosterEntry, Sample

FIGURES = ("rostered", "sampled", "results", "cleared")


def per_day(campaigns, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """day -> {"rostered", "sampled", "results", "cleared"} at the end of the day, summed over
    `campaigns` (ids)."""
    ends = [clock.day_bounds(day)[1] for day in days]
    entries = RosterEntry.objects.filter(campaign_id__in=campaigns).aggregate(
        **{f"e{i}": Count("id", filter=Q(created_at__lt=end)) for i, end in enumerate(ends)}
    )
    pooled = Sample.objects.filter(campaign_id__in=campaigns, retest_of__isnull=True)
    samples = pooled.aggregate(
        **{
            f"{k}{i}": Count("entry_id", distinct=True, filter=q)
            for i, end in enumerate(ends)
            for k, q in (
                ("s", Q(taken_at__lt=end)),
                ("r", Q(tube__result_at__lt=end)),
                ("c", Q(tube__result_at__lt=end, tube__result=TubeResult.NEGATIVE)),
            )
        }
    )
    retests = Retest.objects.filter(campaign_id__in=campaigns).aggregate(
        **{
            f"c{i}": Count(
                "entry_id", distinct=True, filter=Q(closed_at__lt=end, result=TubeResult.NEGATIVE)
            )
            for i, end in enumerate(ends)
        }
    )
    return {
        day: {
            "rostered": entries[f"e{i}"],
            "sampled": samples[f"s{i}"],
            "results": samples[f"r{i}"],
            "cleared": samples[f"c{i}"] + retests[f"c{i}"],
        }
        for i, day in enumerate(days)
    }


def open_retests(campaign, day: dt.date) -> int:
    end = clock.day_bounds(day)[1]
    return (
        Retest.objects.filter(campaign=campaign, opened_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .count()
    )


def positive_pools(campaign, day: dt.date) -> list[tuple[str, str, int]]:
    """(barcode, result, members) of the pools found positive or invalid during the day."""
    start, end = clock.day_bounds(day)
    return list(
        campaign.tubes.filter(
            result__in=(TubeResult.POSITIVE, TubeResult.INVALID),
            result_at__gte=start,
            result_at__lt=end,
            kind="pool",
        )
        .annotate(n=Count("samples"))
        .order_by("barcode")
        .values_list("barcode", "result", "n")
    )


def untested_by_unit(campaign, day: dt.date) -> list[tuple[str, int, int]]:
    """(unit or company, on the roster, not sampled) at the end of the day, per reporting unit
    (the top unit's children, each with its subtree) and per company, worst first."""
    end = clock.day_bounds(day)[1]
    sampled = Sample.objects.filter(
        entry_id=OuterRef("pk"), retest_of__isnull=True, taken_at__lt=end
    )
    rows = (
        RosterEntry.objects.filter(campaign=campaign, created_at__lt=end)
        .annotate(done=Exists(sampled))
        .order_by()
        .values_list("unit__path", "company")
        .annotate(roster=Count("id"), missing=Count("id", filter=Q(done=False)))
    )
    units = list(
        Unit.objects.filter(organization_id=campaign.organization_id, depth__lte=2)
        .order_by("-depth", "path")
        .values_list("path", "name")
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, company, roster, missing in rows:
        label = (
            company
            if path is None
            else next((name for p, name in units if path.startswith(p)), company)
        )
        totals[label][0] += roster
        totals[label][1] += missing
    return sorted(((label, r, m) for label, (r, m) in totals.items()), key=lambda t: (-t[2], t[0]))
