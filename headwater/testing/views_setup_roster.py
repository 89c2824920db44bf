"""Setup pages around the roster: the roster (counts by unit and company, search, masked
personal data, reveal, remove), the outside people's import, their printable lists per company
(PDF, Excel), a batch's edit page and a label sheet's PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from headwater.core import privacy
from headwater.core.downloads import attachment, pdf
from headwater.core.errors import DomainError
from headwater.core.importer import CONTENT_TYPES
from headwater.core.roles import VIEW_PERSONAL_DATA
from headwater.core.views.generic import xlsx_response
from headwater.core.views.imports import import_page
from headwater.testing.api_setup import roster_queryset
from headwater.testing.choices import CampaignState
from headwater.testing.forms_setup import BatchForm
from headwater.testing.inputs_setup import BatchInput
from headwater.testing.models import Batch, LabelSheet, RosterEntry
from headwater.testing.permissions import MANAGE_CAMPAIGNS
from headwater.testing.services import (
    setup,
    setup_batches,
    setup_labels,
    setup_notices,
    setup_outsiders,
    setup_roster,
)
from headwater.testing.views_setup import campaign_of, refused

PAGE = 50


@login_required
def roster(request, pk: int):
    """The roster as the user may see it: counts by unit and company, a search, phones and ID
    numbers masked (revealed one person at a time, logged)."""
    campaign = campaign_of(request, pk)
    if request.method == "POST":
        return _act(request, campaign)
    q = request.GET.get("q", "").strip()[:50]
    entries = roster_queryset(request.user, campaign, q).select_related("site", "batch")
    visible = RosterEntry.objects.visible_to(request.user).filter(campaign=campaign)
    counts = (
        visible.values("unit__name", "company")
        .annotate(n=Count("pk"))
        .order_by("unit__name", "company")
    )
    page = Paginator(entries, PAGE).get_page(request.GET.get("page"))
    revealed = request.session.pop("testing_revealed", None)
    rows = [
        {
            "entry": e,
            "subject": e.subject(),
            "phone": privacy.mask_phone(e.subject().phone),
            "id_number": privacy.mask_id_number(e.subject().id_number),
        }
        for e in page
    ]
    for row in rows:
        if revealed and revealed["entry"] == row["entry"].pk:
            row.update(phone=revealed["phone"], id_number=revealed["id_number"], revealed=True)
    return render(
        request,
        "testing/setup_roster.html",
        {
            "campaign": campaign,
            "rows": rows,
            "page": page,
            "q": q,
            "counts": counts,
            "total": visible.count(),
            "can_reveal": request.user.has_perm(VIEW_PERSONAL_DATA),
            "manage": setup.may_manage(request.user, campaign.organization_id)
            and campaign.state != CampaignState.CLOSED,
        },
    )


def _act(request, campaign):
    entry = get_object_or_404(
        RosterEntry.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("person", "outsider", "campaign"),
        pk=_int(request.POST.get("entry")),
    )
    action = request.POST.get("action")
    try:
        if action == "reveal":
            shown = privacy.reveal(request.user, entry.subject(), purpose=_("test campaign roster"))
            request.session["testing_revealed"] = {"entry": entry.pk, **shown}
        elif action == "remove":
            setup_roster.remove_entry(entry, by=request.user)
            messages.success(request, _("%(name)s taken off the roster.") % {"name": entry})
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except DomainError as e:
        refused(request, e)
    return redirect(f"{request.path}?{request.GET.urlencode()}")


@login_required
@permission_required(MANAGE_CAMPAIGNS, raise_exception=True)
def import_outsiders(request, pk: int):
    campaign = campaign_of(request, pk)
    fmt = request.GET.get("template")
    if fmt is not None:
        if fmt not in ("xlsx", "csv"):
            return HttpResponseBadRequest(_("Choose xlsx or csv."))
        response = HttpResponse(setup_outsiders.template(fmt), content_type=CONTENT_TYPES[fmt])
        return attachment(response, f"{_('Outside people')}.{fmt}", f"outside-people.{fmt}")

    def run(upload):
        try:
            return setup_outsiders.import_outsiders(campaign, upload, upload.name, by=request.user)
        except DomainError as e:
            refused(request, e)
            return None

    response = import_page(request, "testing/setup_import.html", run)
    return response


def _outsider_groups(request, campaign):
    if not setup.may_manage(request.user, campaign.organization_id):
        raise PermissionDenied(_("Only the epidemic-prevention office may prepare test campaigns."))
    company = request.GET.get("company", "").strip()[:100]
    rows = setup_notices.outsider_rows(campaign, company)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row["company"], []).append(row)
    return company, groups


@login_required
def outsiders_pdf(request, pk: int):
    """The printable notice list of outside people, one page per company (or one company)."""
    campaign = campaign_of(request, pk)
    company, groups = _outsider_groups(request, campaign)
    html = render_to_string(
        "testing/setup_outsiders_pdf.html", {"campaign": campaign, "groups": groups.items()}
    )
    response = HttpResponse(pdf(html), content_type="application/pdf")
    name = f"{campaign.name} {company or _('Outside people')}.pdf"
    return attachment(response, name, "outside-people.pdf")


@login_required
def outsiders_xlsx(request, pk: int):
    campaign = campaign_of(request, pk)
    company, groups = _outsider_groups(request, campaign)
    header = [
        _("Name"),
        _("Phone"),
        _("Company"),
        _("Sampling site"),
        _("Time window"),
        _("What to bring"),
    ]
    rows = (
        [r["name"], r["phone"], r["company"], r["site"], r["window"], r["bring"]]
        for rows in groups.values()
        for r in rows
    )
    return xlsx_response(
        header, rows, f"{campaign.name} {company or _('Outside people')}", "outside-people.xlsx"
    )


@login_required
@permission_required(MANAGE_CAMPAIGNS, raise_exception=True)
def batch_edit(request, pk: int):
    batch = get_object_or_404(
        Batch.objects.visible_to(request.user).select_related("campaign", "site"), pk=pk
    )
    sites = batch.campaign.sites.order_by("pk")
    initial = {
        "label": batch.label,
        "site_id": batch.site_id,
        "starts_at": batch.starts_at,
        "ends_at": batch.ends_at,
    }
    form = BatchForm(request.POST or None, initial=initial, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            setup_batches.edit_batch(
                batch, BatchInput.parse(form.cleaned_data, batch), by=request.user
            )
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Batch saved."))
            return redirect("testing:campaign", batch.campaign_id)
    return render(request, "testing/setup_batch.html", {"form": form, "batch": batch})


@login_required
@permission_required(MANAGE_CAMPAIGNS, raise_exception=True)
def label_sheet_pdf(request, pk: int):
    sheet = get_object_or_404(
        LabelSheet.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    response = HttpResponse(setup_labels.sheet_pdf(sheet), content_type="application/pdf")
    return attachment(response, f"{sheet.campaign.name} 采样管标签 {sheet}.pdf", "labels.pdf")


def _int(raw) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None
