"""The completeness page of a campaign (office desktop; a unit head for their units, a desk
operator for their campaign): totals, the per-unit and per-company table worst first and the
names behind one gap a page at a time; htmx redraws the live part every REFRESH_SECONDS.
Exported to Excel with one sheet per gap."""

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.downloads import attachment
from headwater.core.models import Unit
from headwater.testing import completeness_names as names
from headwater.testing.choices import CampaignState
from headwater.testing.completeness import GAPS, PERSON_GAPS, reconcile, viewer
from headwater.testing.exports_completeness import workbook
from headwater.testing.models import Campaign

REFRESH_SECONDS = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def campaigns_for(user):
    """The campaigns the user may look at, the running ones first, then the latest."""
    today = clock.today()
    running = When(state=CampaignState.OPEN, starts_on__lte=today, ends_on__gte=today, then=0)
    return (
        Campaign.objects.visible_to(user)
        .exclude(state=CampaignState.DRAFT)
        .annotate(rank=Case(running, default=Value(1), output_field=IntegerField()))
        .order_by("rank", "-starts_on", "-pk")
    )


@login_required
def current(request):
    """The completeness of the campaign running now (or the latest one)."""
    campaigns = campaigns_for(request.user)
    wanted = request.GET.get("campaign", "")
    if wanted.isdigit() and len(wanted) < 12:
        campaigns = campaigns.filter(pk=int(wanted))
    campaign = campaigns.first()
    if campaign is None:
        return render(request, "testing/completeness_none.html")
    return redirect("testing:completeness", pk=campaign.pk)


def _viewer(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    unit, company = None, request.GET.get("company", "").strip()[:100]
    unit_id = request.GET.get("unit", "")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        unit = get_object_or_404(
            Unit.objects.filter(organization_id=campaign.organization_id), pk=int(unit_id)
        )
    try:
        return viewer(request.user, campaign, unit=unit, company=company)
    except LookupError:
        raise Http404 from None


def _number(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 7 else 1


@login_required
def completeness(request, pk: int):
    v = _viewer(request, pk)
    r = reconcile(v)
    counts = r.gap_counts
    gaps = [(key, label, counts[key]) for key, label in GAPS.items()]
    if not v.whole:
        gaps = [g for g in gaps if g[0] != "orphan_results"]
    gap = request.GET.get("gap", "")
    if gap not in dict((g[0], g) for g in gaps):
        gap = next((key for key, _label, n in gaps if n), "not_sampled")
    number = _number(request.GET.get("page", "1"))
    pages = max(1, -(-counts[gap] // names.PAGE))
    number = min(number, pages)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("gap", None)
    context = {
        "campaign": v.campaign,
        "v": v,
        "r": r,
        "totals": r.totals,
        "gaps": gaps,
        "gap": gap,
        "gap_label": GAPS[gap],
        "person_gap": gap in PERSON_GAPS,
        "rows_of_gap": names.page(v, gap, number),
        "page_number": number,
        "pages": pages,
        "params": params.urlencode(),
        "refresh": REFRESH_SECONDS,
        "campaigns": campaigns_for(request.user)[:20] if not _partial(request) else [],
    }
    live = _partial(request)
    return render(request, f"testing/completeness{'_live' if live else ''}.html", context)


def _partial(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def completeness_export(request, pk: int):
    v = _viewer(request, pk)
    response = HttpResponse(workbook(reconcile(v)), content_type=XLSX)
    name = _("Completeness %(campaign)s") % {"campaign": v.campaign.name}
    return attachment(response, f"{name}.xlsx", f"completeness-{v.campaign.pk}.xlsx")
