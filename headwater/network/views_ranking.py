"""Pages of the criticality ranking (排查隐患; office and dispatchers, desktop): the ranking of
the current model's pipes with filters, paging, the Excel file and "recompute now"; and one
critical customer's risks (its single points of failure and the pipes that leave it on one
feed), each pipe linking to the burst page."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from headwater.core.downloads import attachment
from headwater.core.errors import DomainError
from headwater.network import exports_ranking
from headwater.network import reads_ranking as reads
from headwater.network.choices import CustomerKind
from headwater.network.models import CriticalCustomer
from headwater.network.permissions import MANAGE_NETWORK, VIEW_NETWORK
from headwater.network.services import ranking as service

PAGE = 50
BURST_PAGE = "/network/burst/"  # the burst page (the engine's map part owns it): ?pipe=<id>
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def criticality(request):
    model = reads.current_model(request.user)
    filters = reads.Filters.of(request.GET)
    context = {
        "model": model,
        "filters": filters,
        "kinds": CustomerKind.choices,
        "may_recompute": request.user.has_perm(MANAGE_NETWORK),
        "burst_page": BURST_PAGE,
        "key": uuid.uuid4().hex,
    }
    if model is not None:
        rows = reads.ranking(request.user, model, filters)
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(
                exports_ranking.workbook(request.user, model, filters), content_type=XLSX
            )
            return attachment(response, *exports_ranking.filename(model))
        page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
        customers = reads.customers_of(request.user)
        context |= {
            "page": page,
            "rows": reads.with_customers(page.object_list, customers),
            "offset": page.start_index(),
            "pending": reads.is_pending(model),
            "customers": [c for c in customers.values() if c.active],
        }
    return render(request, "network/ranking_list.html", context)


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
@require_POST
def recompute(request):
    try:
        _model, asked = service.recompute(request.user, key=request.POST.get("key", ""))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        if asked:
            messages.success(request, pgettext("ranking", "The ranking is being recomputed."))
        else:
            messages.info(request, pgettext("ranking", "The ranking is already being recomputed."))
    return redirect("network:criticality")


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def customer_risks(request, customer_id: int):
    customer = get_object_or_404(CriticalCustomer.objects.visible_to(request.user), pk=customer_id)
    model = reads.current_model(request.user)
    sections = []
    if model is not None:
        risks = reads.risks(request.user, model, customer)
        sections = [
            (pgettext("ranking", "Pipes whose burst cuts it off"), risks.cut, "risk-cut", "danger"),
            (
                pgettext("ranking", "Pipes whose burst leaves it on one feed"),
                risks.low,
                "risk-low",
                "warning",
            ),
        ]
    return render(
        request,
        "network/ranking_customer.html",
        {
            "customer": customer,
            "model": model,
            "sections": sections,
            "pending": model is not None and reads.is_pending(model),
            "burst_page": BURST_PAGE,
        },
    )
