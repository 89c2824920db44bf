"""The water-quality panels of the command dashboard (core.screen interface): the compliance
rate of the month and of today, and the open exceedances with point and value.

Compliance is per test of approved results, raw water left out, as in the compliance report
(headwater.quality.reports): one query counts the month's and the day's passes and failures.
An exceedance is open while its re-sampling has not been done: a failing result (entered,
checked or approved — the screen should not wait for the review; a returned one is being
corrected) of the last OPEN_DAYS days with no re-sampling task caused by it done.
"""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core.screen import Panel, figure, screen_panel
from headwater.core.tiles import Text
from headwater.quality import reports
from headwater.quality.choices import Outcome, PointKind, ReviewStatus, TaskStatus
from headwater.quality.models import Result, SamplingPoint, SamplingTask

OPEN_DAYS = 30
LISTED = 8


def rates(organization, day: dt.date) -> dict[str, reports.Tally]:
    """Per-test counts of approved results: the month to `day`, and `day`."""
    month = Q(sampled_on__gte=reports.month_start(day))
    today = Q(sampled_on=day)
    passed, failed = Q(outcome=Outcome.PASS), Q(outcome=Outcome.FAIL)
    counts = (
        Result.objects.of(organization)
        .official()
        .filter(sampled_on__gte=reports.month_start(day), sampled_on__lte=day)
        .exclude(point_kind=PointKind.RAW)
        .aggregate(
            month_pass=Count("pk", filter=month & passed),
            month_fail=Count("pk", filter=month & failed),
            day_pass=Count("pk", filter=today & passed),
            day_fail=Count("pk", filter=today & failed),
        )
    )

    return {
        period: reports.Tally(counts[f"{period}_pass"], counts[f"{period}_fail"])
        for period in ("month", "day")
    }


def open_exceedances(organization, day: dt.date):
    resampled = SamplingTask.objects.filter(cause=OuterRef("pk"), status=TaskStatus.DONE)
    return (
        Result.objects.of(organization)
        .filter(
            sampled_on__gte=day - dt.timedelta(days=OPEN_DAYS - 1),
            sampled_on__lte=day,
            outcome=Outcome.FAIL,
        )
        .exclude(status=ReviewStatus.RETURNED)
        .exclude(Exists(resampled))
    )


def _rate_figure(key: str, label, tally: reports.Tally) -> dict:
    colour = "secondary" if not tally.total else "danger" if tally.below_target else "success"
    return figure(key, label, tally.rate, unit="%", decimals=2, colour=colour)


@screen_panel
def quality_panels(organization, day: dt.date) -> list[Panel]:
    if not SamplingPoint.objects.of(organization).filter(active=True).exists():
        return []
    r = rates(organization, day)
    exceedances = list(
        open_exceedances(organization, day)
        .order_by("-sampled_at", "-id")
        .values("id", "sampled_at", "indicator", "raw", "limit_text", "point__name")[: LISTED + 1]
    )
    total = len(exceedances)
    if total > LISTED:
        total = open_exceedances(organization, day).count()
    colour = "danger" if total else "success"
    return [
        Panel(
            "quality.compliance",
            _("Water quality compliance"),
            "figures",
            {
                "items": [
                    _rate_figure("month", _("This month"), r["month"]),
                    _rate_figure("today", pgettext_lazy("dashboard", "Today"), r["day"]),
                    figure("open", _("Open exceedances"), total, colour=colour),
                ],
                "previous_label": "",
            },
            order=70,
            note=Text(_("approved results; target %(target)s%%"), target=reports.TARGET),
        ),
        Panel(
            "quality.exceedances",
            _("Open exceedances"),
            "list",
            {
                "items": [
                    {
                        "id": f"result-{e['id']}",
                        "time": f"{timezone.localtime(e['sampled_at']):%m-%d %H:%M}",
                        "text": f"{e['point__name']} · {reports.indicator_name(e['indicator'])}",
                        "note": Text(
                            _("%(value)s (limit %(limit)s)"), value=e["raw"], limit=e["limit_text"]
                        ),
                        "colour": "danger",
                        "muted": False,
                    }
                    for e in exceedances[:LISTED]
                ],
                "empty": _("No open exceedances."),
                "more": max(total - LISTED, 0),
            },
            order=80,
            note=Text(_("last %(days)s days"), days=OPEN_DAYS),
        ),
    ]
