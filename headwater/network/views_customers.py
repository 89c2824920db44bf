"""Pages of the critical customers (重点用户; office, leaders, dispatchers on a desktop): the
board (state badges with reasons, filters, counts, redrawn by htmx every 30 s, Excel export),
a customer's page (details, state, nearby work orders, deactivate), the form and the
spreadsheet import. Thin: reads through `visible_to` and services/board.py, writes through
services/customers*.py."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core.downloads import attachment
from headwater.core.errors import DomainError
from headwater.core.importer import CONTENT_TYPES
from headwater.core.views.generic import xlsx_response
from headwater.core.views.imports import import_page
from headwater.network.choices import CustomerKind, SupplyState
from headwater.network.forms_customers import CustomerForm
from headwater.network.inputs_customers import CustomerInput
from headwater.network.models import CriticalCustomer, PressurePoint
from headwater.network.permissions import MANAGE_NETWORK, VIEW_NETWORK
from headwater.network.services import board
from headwater.network.services import customers as service
from headwater.network.services import customers_import as importer

REFRESH_SECONDS = 30


def customer_of(request, customer_id: int) -> CriticalCustomer:
    return get_object_or_404(
        CriticalCustomer.objects.visible_to(request.user).select_related("pressure_point"),
        pk=customer_id,
    )


def board_rows(request):
    """The board's rows the filters keep, and the counts of all of them (the tabs)."""
    rows = board.states(
        request.user.organization,
        CriticalCustomer.objects.visible_to(request.user).filter(active=True),
    )
    state = request.GET.get("state", "")[:20]
    kind = request.GET.get("kind", "")[:30]
    by_kind = [r for r in rows if kind not in CustomerKind.values or r.customer.kind == kind]
    shown = [r for r in by_kind if state not in SupplyState.values or r.state == state]
    return shown, board.counts(by_kind), state, kind


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def customer_board(request):
    shown, counts, state, kind = board_rows(request)
    if request.GET.get("export") == "xlsx":
        return _export(shown)
    context = {
        "rows": shown,
        "counts": counts,
        "state": state,
        "kind": kind,
        "states": SupplyState.choices,
        "kinds": CustomerKind.choices,
        "refresh": REFRESH_SECONDS,
        "may_manage": request.user.has_perm(MANAGE_NETWORK),
        "model": service.current_model(request.user.organization),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "network/customers_board_live.html", context)
    return render(request, "network/customers_board.html", context)


def _export(rows) -> HttpResponse:
    header = [
        _("Critical customer"),
        _("Kind of customer"),
        _("Supply state"),
        _("Reasons"),
        _("Feed redundancy"),
        _("Feeding nodes"),
        _("Last pressure (m)"),
        _("Read at"),
        _("Work orders nearby"),
        _("Contact person"),
        _("Contact phone"),
        _("Duty phone"),
        _("Address"),
    ]
    lines = (
        [
            r.customer.name,
            str(r.customer.get_kind_display()),
            r.state_label,
            "；".join(str(reason) for reason in r.reasons),
            r.redundancy,
            "、".join(r.customer.nodes),
            r.pressure if r.pressure is not None else "",
            f"{timezone.localtime(r.pressure_at):%Y-%m-%d %H:%M}" if r.pressure_at else "",
            "、".join(o.number for o in r.orders),
            r.customer.contact,
            r.customer.contact_phone,
            r.customer.duty_phone,
            r.customer.address,
        ]
        for r in rows
    )
    return xlsx_response(header, lines, _("Critical customers"), "critical-customers.xlsx")


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def customer_page(request, customer_id: int):
    customer = customer_of(request, customer_id)
    qs = CriticalCustomer.objects.filter(pk=customer.pk)
    (row,) = board.states(customer.organization, qs) or [None]
    return render(
        request,
        "network/customers_detail.html",
        {
            "customer": customer,
            "row": row,
            "may_manage": request.user.has_perm(MANAGE_NETWORK),
            "model": service.current_model(customer.organization),
        },
    )


def _points(user):
    return PressurePoint.objects.visible_to(user).filter(active=True).order_by("code")


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
def customer_new(request):
    return _form(request, None)


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
def customer_edit(request, customer_id: int):
    return _form(request, customer_of(request, customer_id))


def _initial(customer: CriticalCustomer | None) -> dict:
    if customer is None:
        return {"key": uuid.uuid4().hex}
    values = {f: getattr(customer, f) for f in service.FIELDS if f != "pressure_point_id"}
    values["nodes"] = "、".join(customer.nodes)
    values["pressure_point"] = customer.pressure_point_id
    return values


def _form(request, customer: CriticalCustomer | None):
    form = CustomerForm(
        request.POST or None, initial=_initial(customer), points=_points(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "pressure_point_id": form.cleaned_data["pressure_point"]}
        if customer is not None:
            data["active"] = customer.active
        try:
            parsed = CustomerInput.parse(data)
            if customer is None:
                saved, _created = service.create_customer(
                    request.user.organization, parsed, by=request.user, key=data["key"]
                )
            else:
                saved, _created = service.update_customer(customer, parsed, by=request.user)
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Critical customer %(name)s saved.") % {"name": saved.name})
            return redirect("network:customer", saved.pk)
    return render(
        request,
        "network/customers_form.html",
        {
            "form": form,
            "customer": customer,
            "model": service.current_model(request.user.organization),
        },
    )


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
@require_POST
def customer_deactivate(request, customer_id: int):
    customer = customer_of(request, customer_id)
    _customer, changed = service.deactivate_customer(customer, by=request.user)
    if changed:
        messages.success(
            request,
            _("%(name)s is no longer on the board.") % {"name": customer.name},
        )
    return redirect("network:customer", customer.pk)


@login_required
@permission_required(MANAGE_NETWORK, raise_exception=True)
def customers_import(request):
    fmt = request.GET.get("template")
    if fmt is not None:
        if fmt not in ("xlsx", "csv"):
            return HttpResponseBadRequest(_("Choose xlsx or csv."))
        response = HttpResponse(importer.template(fmt), content_type=CONTENT_TYPES[fmt])
        return attachment(response, f"{_('Critical customers')}.{fmt}", f"critical-customers.{fmt}")

    def run(upload):
        return importer.import_customers(
            request.user.organization, upload, upload.name, by=request.user
        )

    return import_page(request, "network/customers_import.html", run)
