"""Setup pages (the office, on a desktop): the campaign list, a new campaign, its page with
sites, desk operators, roster counts, batches, notices and label sheets, and its edit page.
Thin: reads through `visible_to`, writes through services/setup*.py."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person, Site, Unit
from headwater.testing.api_setup import batch_queryset
from headwater.testing.choices import CampaignState
from headwater.testing.forms_setup import CampaignForm, PlanForm, SiteForm
from headwater.testing.inputs_setup import (
    BatchPlanInput,
    CampaignInput,
    LabelsInput,
    OperatorInput,
    SiteInput,
)
from headwater.testing.models import Campaign, CampaignOperator, LabelSheet, RosterEntry
from headwater.testing.permissions import MANAGE_CAMPAIGNS
from headwater.testing.services import (
    setup,
    setup_batches,
    setup_labels,
    setup_notices,
    setup_roster,
)


def campaign_of(request, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)


def refused(request, e: DomainError) -> None:
    if isinstance(e, NotAllowed):
        raise PermissionDenied(e.message)
    messages.error(request, " ".join([e.message, *e.fields.values()]))


@login_required
def campaign_list(request):
    """Every campaign the user may see (office, leaders, unit heads; an operator theirs)."""
    campaigns = (
        Campaign.objects.visible_to(request.user)
        .annotate(people=Count("entries", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    return render(
        request,
        "testing/setup_list.html",
        {
            "campaigns": campaigns,
            "may_manage": setup.may_manage(request.user, request.user.organization_id),
        },
    )


@login_required
@permission_required(MANAGE_CAMPAIGNS, raise_exception=True)
def campaign_new(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = CampaignInput.parse(form.cleaned_data)
            campaign, _c = setup.create_campaign(request.user.organization, data, by=request.user)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Campaign created. Add its sampling sites and roster."))
            return redirect("testing:campaign", campaign.pk)
    return render(request, "testing/setup_edit.html", {"form": form, "campaign": None})


@login_required
@permission_required(MANAGE_CAMPAIGNS, raise_exception=True)
def campaign_edit(request, pk: int):
    campaign = campaign_of(request, pk)
    initial = {f: getattr(campaign, f) for f in CampaignInput.__dataclass_fields__}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.edit_campaign(campaign, CampaignInput.parse(form.cleaned_data), by=request.user)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("testing:campaign", campaign.pk)
    return render(request, "testing/setup_edit.html", {"form": form, "campaign": campaign})


@login_required
def campaign_page(request, pk: int):
    """The campaign, its sites, operators, roster counts, batches and label sheets; the
    office's actions."""
    campaign = campaign_of(request, pk)
    if request.method == "POST":
        return _act(request, campaign)
    user = request.user
    manage = setup.may_manage(user, campaign.organization_id)
    entries = RosterEntry.objects.visible_to(user).filter(campaign=campaign)
    context = {
        "campaign": campaign,
        "manage": manage and campaign.state != CampaignState.CLOSED,
        "sites": campaign.sites.select_related("site").order_by("pk"),
        # Who works the desks is people's data: shown to the office only.
        "operators": CampaignOperator.objects.filter(campaign=campaign).select_related(
            "person__unit", "site"
        )
        if manage
        else None,
        "total": entries.count(),
        "by_unit": entries.filter(unit__isnull=False)
        .values("unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")[:12],
        "by_company": entries.filter(unit__isnull=True)
        .values("company")
        .annotate(n=Count("pk"))
        .order_by("company"),
        "batches": batch_queryset(campaign),
        "sheets": LabelSheet.objects.filter(campaign=campaign).order_by("-first"),
    }
    if context["manage"]:
        context.update(
            units=Unit.objects.filter(organization_id=campaign.organization_id).order_by("path"),
            site_form=SiteForm(
                sites=Site.objects.filter(organization_id=campaign.organization_id).order_by("code")
            ),
            plan_form=PlanForm(),
            label_key=uuid.uuid4().hex,
        )
    return render(request, "testing/setup_campaign.html", context)


def _act(request, campaign: Campaign):
    action, post, user = request.POST.get("action"), request.POST, request.user
    if not setup.may_manage(user, campaign.organization_id):
        raise PermissionDenied(_("Only the epidemic-prevention office may prepare test campaigns."))
    try:
        if action == "open":
            setup.open_campaign(campaign, by=user)
            messages.success(request, _("The campaign is open."))
        elif action == "close":
            setup.close_campaign(campaign, by=user)
            messages.success(request, _("The campaign is closed."))
        elif action == "site":
            setup.save_site(campaign, SiteInput.parse(post, campaign.organization_id), by=user)
            messages.success(request, _("Sampling site added."))
        elif action == "operator":
            _add_operator(request, campaign)
        elif action == "remove_operator":
            operator = get_object_or_404(
                CampaignOperator.objects.filter(campaign=campaign), pk=_int(post.get("operator"))
            )
            setup.remove_operator(operator, by=user)
            messages.success(request, _("Desk operator removed."))
        elif action == "units":
            ids = [i for i in (_int(v) for v in post.getlist("unit_ids")) if i]
            added, _c = setup_roster.add_units(campaign, ids, by=user)
            messages.success(
                request,
                _("%(added)s people added to the roster, %(skipped)s already on it.")
                % {"added": added.added, "skipped": added.skipped},
            )
        elif action == "batches":
            made, _c = setup_batches.generate_batches(campaign, BatchPlanInput.parse(post), by=user)
            messages.success(request, _("%(n)s batches made.") % {"n": made})
        elif action in ("notices", "resend"):
            sent, _c = setup_notices.send_notices(campaign, by=user, resend=action == "resend")
            messages.success(request, _("%(n)s notices sent.") % {"n": sent})
        elif action == "labels":
            sheet, _c = setup_labels.print_labels(
                campaign, LabelsInput.parse(post), by=user, key=post.get("key", "")
            )
            messages.success(
                request,
                _("%(n)s tube labels made: %(sheet)s.") % {"n": sheet.count, "sheet": sheet},
            )
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except DomainError as e:
        refused(request, e)
    return redirect("testing:campaign", campaign.pk)


def _add_operator(request, campaign: Campaign) -> None:
    number = request.POST.get("employee_no", "").strip()[:30]
    person = (
        Person.objects.visible_to(request.user).active().filter(employee_no=number).first()
        if number
        else None
    )
    data = OperatorInput.parse(
        {"person_id": person.pk if person else None, "site_id": request.POST.get("site_id")},
        campaign,
    )
    operator, _c = setup.add_operator(campaign, data, by=request.user)
    messages.success(
        request, _("%(name)s works a desk of this campaign.") % {"name": operator.person.name}
    )


def _int(raw) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None
