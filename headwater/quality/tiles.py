"""The water-quality dashboard tiles (core.tiles interface); its daily-briefing section is in
quality.sections.

Tiles, for holders of quality.view_reports, in the scope of headwater.quality.reports:
- the month-to-date pass rate (per test, the per-sample rate in the note);
- open exceedances this month: failing results (any review state but returned) whose
  re-sampling has not been done yet — an exceedance is closed by the re-sample taken for it;
- results awaiting the user's review: entered ones for a checker (not their own entries),
  checked ones for an approver (not the ones they checked themselves), as the three-level
  review asks for a different person at each level.
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.tiles import Tile, tile_provider
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
