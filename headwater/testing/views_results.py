"""Results pages (office, desktop): type a tube's result, import the laboratory's sheet, the
retest list with "take the retest sample". Thin: parse, call a service, show its refusal."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core.downloads import attachment
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.importer import CONTENT_TYPES
from headwater.core.models import Unit
from headwater.core.privacy import mask_phone
from headwater.core.views.imports import import_page
from headwater.testing.choices import RetestState, TubeResult
from headwater.testing.forms_results import ResultForm, RetestSampleForm
from headwater.testing.inputs_results import ResultInput, RetestSampleInput
from headwater.testing.models import Campaign, CampaignOperator, Retest, Tube
from headwater.testing.permissions import MANAGE_CAMPAIGNS, VIEW_CAMPAIGNS
from headwater.testing.services import results_import
from headwater.testing.services.results import record_result
from headwater.testing.services.results_retests import take_retest_sample

RECENT = 20
PAGE = 50


@login_required
@permission_required(MANAGE_CAMPAIGNS, raise_exception=True)
def results(request):
    """Type one tube's result (scanner or keyboard), and the latest results recorded."""
    form = ResultForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            data = ResultInput.parse(form.cleaned_data)
            tube, created = record_result(
                request.user.organization, data, by=request.user, key=form.cleaned_data["key"]
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            form.add_domain_error(e)
        else:
            if created:
                messages.success(
                    request,
                    _("Result %(result)s recorded for tube %(barcode)s.")
                    % {"result": tube.get_result_display(), "barcode": tube.barcode},
                )
            else:
                messages.info(
                    request,
                    _("Tube %(barcode)s already had this result.") % {"barcode": tube.barcode},
                )
            return redirect("testing:results")
    recent = (
        Tube.objects.visible_to(request.user)
        .exclude(result=TubeResult.PENDING)
        .select_related("campaign")
        .order_by("-result_at", "-pk")[:RECENT]
    )
    return render(request, "testing/results_enter.html", {"form": form, "recent": recent})


@login_required
@permission_required(MANAGE_CAMPAIGNS, raise_exception=True)
def import_results(request):
    fmt = request.GET.get("template")
    if fmt is not None:
        if fmt not in CONTENT_TYPES:
            return HttpResponseBadRequest(_("Choose xlsx or csv."))
        response = HttpResponse(results_import.template(fmt), content_type=CONTENT_TYPES[fmt])
        return attachment(response, f"{_('Test results')}.{fmt}", f"test-results.{fmt}")
    return import_page(
        request,
        "testing/results_import.html",
        lambda upload: results_import.import_results(
            request.user.organization, upload, upload.name, by=request.user
        ),
    )


def _may_see_retests(user) -> bool:
    return user.has_perm(VIEW_CAMPAIGNS) or (
        bool(user.person_id) and CampaignOperator.objects.filter(person_id=user.person_id).exists()
    )


@login_required
def retests(request):
    """Open (or closed) retests by unit or company: who, their phone masked, since when, the
    pool that flagged them, and the retest tube once the swab is taken."""
    if not _may_see_retests(request.user):
        raise PermissionDenied(_("Your role may not see retests."))
    qs = Retest.objects.visible_to(request.user).select_related(
        "campaign", "entry__person", "entry__outsider", "entry__unit", "pool", "sample__tube"
    )
    state = request.GET.get("state", RetestState.OPEN)
    if state in RetestState.values:
        qs = qs.filter(state=state)
    campaigns = Campaign.objects.visible_to(request.user)
    campaign_id = request.GET.get("campaign", "")
    if campaign_id.isdigit():
        qs = qs.filter(campaign=get_object_or_404(campaigns, pk=int(campaign_id)))
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=int(unit_id))
        qs = qs.filter(entry__unit__path__startswith=unit.path)
    if company := request.GET.get("company", "").strip()[:100]:
        qs = qs.filter(entry__company=company)
    qs = qs.order_by("entry__unit__path", "entry__company", "opened_at", "pk")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    rows = [_row(r) for r in page.object_list]
    return render(
        request,
        "testing/results_retests.html",
        {
            "page": page,
            "rows": rows,
            "count": page.paginator.count,
            "state": state,
            "campaigns": campaigns.only("name")[:50],
            "campaign_id": campaign_id,
            "company": company,
            "key": uuid.uuid4().hex,
        },
    )


def _row(retest: Retest) -> dict:
    entry = retest.entry
    subject = entry.person or entry.outsider
    return {
        "retest": retest,
        "name": subject.name,
        "where": entry.unit.name if entry.unit_id else entry.company,
        "outsider": entry.outsider_id is not None,
        "phone": mask_phone(subject.phone or ""),
        "tube": retest.sample.tube.barcode if retest.sample_id else "",
    }


@login_required
def retest_sample(request, pk: int):
    """Take one person's retest swab into a printed individual tube."""
    retest = get_object_or_404(
        Retest.objects.visible_to(request.user).select_related(
            "campaign", "entry__person", "entry__outsider", "pool"
        ),
        pk=pk,
    )
    form = RetestSampleForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            data = RetestSampleInput.parse(form.cleaned_data)
            sample, _created = take_retest_sample(
                retest, data, by=request.user, key=form.cleaned_data["key"]
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(
                request,
                _("Retest sample of %(name)s taken into tube %(barcode)s.")
                % {"name": retest.entry.subject().name, "barcode": sample.tube.barcode},
            )
            return redirect(f"{reverse('testing:retests')}?campaign={retest.campaign_id}")
    return render(request, "testing/results_retest_sample.html", {"retest": retest, "form": form})
