"""The burst page (爆管影响清单): a pipe of the current model (typed, from the map, or a work
order's pipe) and what its burst cuts off, as a printable list — valves to close with their
coordinates, critical customers with their phones and tanker points, junctions that lose
water or pressure, demand and population — with a PDF and "open work order"."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from headwater.core import clock
from headwater.core.downloads import attachment, pdf
from headwater.core.errors import DomainError
from headwater.core.inputs import id_value
from headwater.network import reads_map
from headwater.network.errors import NetworkError
from headwater.network.inputs_map import BurstInput
from headwater.network.permissions import MANAGE_WORK_ORDERS, VIEW_NETWORK
from headwater.network.services import map as service


def _order_pipe(request, raw) -> tuple[str, object]:
    """The pipe and model of a work order the viewer sees (404 otherwise)."""
    pk = id_value(raw)
    if pk is None:
        raise Http404
    order = get_object_or_404(reads_map.orders_of(request.user).select_related("model"), pk=pk)
    if not order.link:
        message = _("This work order is not at a pipe.")
        raise DomainError(message, fields={"pipe": message})
    return order.link, order


def analysis(request) -> dict:
    """The page's context: the pipe asked for (or the work order's) and its sheet, or the
    error to show beside the form. Nothing is asked for: just the form."""
    context: dict = {"pipe_value": request.GET.get("pipe", "")[:64]}
    order = None
    try:
        if request.GET.get("work_order"):
            pipe, order = _order_pipe(request, request.GET["work_order"])
            context["pipe_value"] = pipe
        elif request.GET.get("pipe"):
            pipe = BurstInput.parse(request.GET).pipe
        else:
            reads_map.current_model(request.user)
            return context
        model = order.model if order is not None and order.model else None
        model = model or reads_map.current_model(request.user)
        impact = service.analyse(model, pipe, hydraulic=True)
    except DomainError as e:
        return context | {"error": e}
    return context | {"sheet": reads_map.burst_sheet(model, impact), "order": order}


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def burst_page(request):
    if request.method == "POST":
        return _open_order(request)
    context = analysis(request)
    context |= {
        "key": uuid.uuid4().hex,
        "may_open": request.user.has_perm(MANAGE_WORK_ORDERS),
        "now": clock.now(),
        "query": request.GET.urlencode(),
    }
    error = context.get("error")
    status = 200 if error is None or error.code == NetworkError.NO_MODEL else error.status
    return render(request, "network/map_burst.html", context, status=min(status, 404))


def _open_order(request):
    try:
        data = BurstInput.parse(request.POST)
        order, created = service.open_burst_order(
            request.user, data.pipe, key=request.POST.get("key", ""), note=data.note
        )
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
        return redirect(f"{request.path}?{urlencode({'pipe': request.POST.get('pipe', '')[:64]})}")
    if created:
        messages.success(request, _("Work order %(n)s opened.") % {"n": order.number})
    return redirect("network:work_order", work_order_id=order.pk)


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def burst_pdf(request):
    context = analysis(request)
    if "sheet" not in context:
        raise Http404
    sheet = context["sheet"]
    html = render_to_string(
        "network/map_burst_pdf.html", context | {"now": clock.now()}, request=request
    )
    response = HttpResponse(pdf(html), content_type="application/pdf")
    name = _("Burst list %(pipe)s") % {"pipe": sheet["impact"].get("pipe", "")}
    return attachment(response, f"{name}.pdf", "burst.pdf")
