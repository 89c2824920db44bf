"""The water-quality dashboard tiles and daily-briefing section (core.tiles interface).

Tiles, for holders of quality.view_reports, in the scope of headwater.quality.reports:
- the month-to-date pass rate (per test, the per-sample rate in the note);
- open exceedances this month: failing results (any review state but returned) whose
  re-sampling has not been done yet — an exceedance is closed by the re-sample taken for it;
- results awaiting the user's review: entered ones for a checker (not their own entries),
  checked ones for an approver (not the ones they checked themselves), as the three-level
  review asks for a different person at each level.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.tiles import BriefingSection, Tile, briefing_section, tile_provider
from headwater.quality import reports
from headwater.quality.choices import Outcome, ReviewStatus, TaskStatus
from headwater.quality.models import Result, SamplingTask
from headwater.quality.permissions import APPROVE_RESULTS, CHECK_RESULTS, VIEW, VIEW_REPORTS


def _rate_text(tally: reports.Tally) -> str:
    return "—" if tally.rate is None else f"{tally.rate:.2f}%"


def _colour(tally: reports.Tally) -> str:
    if tally.rate is None:
        return "secondary"
    return "danger" if tally.below_target else "success"


def _scoped(user, organization):
    """Every result (any review state) the user may see, for the counts of open work."""
    qs = Result.objects.of(organization)
    if user.has_perm(VIEW):
        return qs.visible_to(user)
    return qs.none()


def open_exceedances(results):
    """Failing, not returned, and no re-sampling task caused by it is done."""
    resampled = SamplingTask.objects.filter(cause=OuterRef("pk"), status=TaskStatus.DONE)
    return (
        results.filter(outcome=Outcome.FAIL)
        .exclude(status=ReviewStatus.RETURNED)
        .exclude(Exists(resampled))
    )


def awaiting_review(user, results):
    """Results the user may check or approve next (not their own earlier step)."""
    wanted = Q(pk__in=[])
    if user.has_perm(CHECK_RESULTS):
        wanted |= Q(status=ReviewStatus.ENTERED) & ~Q(sample__entered_by=user)
    if user.has_perm(APPROVE_RESULTS):
        wanted |= Q(status=ReviewStatus.CHECKED) & ~Q(checked_by=user)
    return results.filter(wanted)


@tile_provider
def quality_tiles(user, organization) -> list[Tile]:
    if not user.has_perm(VIEW_REPORTS):
        return []
    today = clock.today()
    start = reports.month_start(today)
    official = reports.official_results(organization, user).filter(
        sampled_on__gte=start, sampled_on__lte=today
    )
    tests, samples = reports.rates(official)
    url = reverse("quality:report")
    tiles = [
        Tile(
            _("Water quality this month"),
            _rate_text(tests),
            note=_("%(tests)s tests; samples %(rate)s")
            % {"tests": f"{tests.total:,}", "rate": _rate_text(samples)},
            url=url,
            colour=_colour(tests),
            order=30,
        )
    ]
    month = _scoped(user, organization).filter(sampled_on__gte=start, sampled_on__lte=today)
    if user.has_perm(VIEW):
        n = open_exceedances(month).count()
        tiles.append(
            Tile(
                _("Open exceedances this month"),
                f"{n:,}",
                note=_("awaiting re-sampling"),
                url=url,
                colour="danger" if n else "success",
                order=31,
            )
        )
    if user.has_perm(CHECK_RESULTS) or user.has_perm(APPROVE_RESULTS):
        n = awaiting_review(user, _scoped(user, organization)).count()
        tiles.append(
            Tile(
                _("Results awaiting your review"),
                f"{n:,}",
                url=reverse("quality:review"),
                colour="warning" if n else "primary",
                order=32,
            )
        )
    return tiles


@briefing_section
def quality_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date` and the month to it: official pass rates; that day's
    exceedances (entered, checked or approved: the morning briefing should not wait for the
    review); the results still waiting for review. None when the organization has no results."""
    if not Result.objects.of(organization).exists():
        return None
    day = date - dt.timedelta(days=1)
    official = reports.official_results(organization)
    y_tests, y_samples = reports.rates(official.filter(sampled_on=day))
    m_tests, m_samples = reports.rates(
        official.filter(sampled_on__gte=reports.month_start(day), sampled_on__lte=day)
    )
    failures = list(
        Result.objects.of(organization)
        .filter(sampled_on=day, outcome=Outcome.FAIL)
        .exclude(status=ReviewStatus.RETURNED)
        .select_related("point")
        .order_by("sampled_at", "indicator")
    )
    pending = (
        Result.objects.of(organization)
        .filter(status__in=[ReviewStatus.ENTERED, ReviewStatus.CHECKED])
        .count()
    )
    lines = [
        _("%(day)s: tests %(tests)s, samples %(samples)s pass.")
        % {"day": f"{day:%m-%d}", "tests": _rate_text(y_tests), "samples": _rate_text(y_samples)},
        _("Month to date: tests %(tests)s, samples %(samples)s pass (target %(target)s%%).")
        % {
            "tests": _rate_text(m_tests),
            "samples": _rate_text(m_samples),
            "target": reports.TARGET,
        },
        _("Exceedances: %(n)s; results awaiting review: %(pending)s.")
        % {"n": len(failures), "pending": pending},
    ]
    table = []
    if failures:
        table.append([_("Sampling point"), _("Time"), _("Indicator"), _("Value"), _("Limit")])
        for r in failures:
            table.append(
                [
                    str(r.point),
                    f"{timezone.localtime(r.sampled_at):%H:%M}",
                    reports.indicator_name(r.indicator),
                    r.raw,
                    r.limit_text,
                ]
            )
    return BriefingSection(_("Water quality"), lines=lines, table=table, order=30)
