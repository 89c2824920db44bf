"""The network's work orders (管网工单) for the office and the crews on their phones: the list
filtered by state and kind, and a work order with its impact summary and the buttons that
move it on (isolated → repaired → closed, or closed early with a note)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from headwater.core.errors import DomainError
from headwater.network import reads_map
from headwater.network.choices import WorkOrderKind, WorkOrderState
from headwater.network.inputs_map import AdvanceInput
from headwater.network.permissions import MANAGE_WORK_ORDERS, VIEW_NETWORK
from headwater.network.services import map as service

PAGE = 30


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def order_list(request):
    state = request.GET.get("state", "active")[:20]
    kind = request.GET.get("kind", "")[:20]
    rows = reads_map.orders_filtered(request.user, state, kind)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/map_orders.html",
        {
            "page": page,
            "orders": page.object_list,
            "state": state,
            "kind": kind,
            "states": [
                ("active", pgettext("work orders", "Active")),
                *WorkOrderState.choices,
                ("all", pgettext("work orders", "All states")),
            ],
            "kinds": WorkOrderKind.choices,
        },
    )


def _summary(order) -> dict:
    """What the detail page shows of the impact kept on the work order."""
    impact = order.impact if isinstance(order.impact, dict) else {}
    hydraulic = impact.get("hydraulic") or {}
    return {
        "valves": reads_map.valve_ids(order.model_id, impact.get("valves", [])),
        "cut": len(impact.get("cut_nodes", [])),
        "unintended": len(impact.get("unintended_nodes", [])),
        "demand": impact.get("demand"),
        "population": impact.get("population"),
        "critical": impact.get("critical", []),
        "lost": len(hydraulic.get("lost", [])),
        "low": len(hydraulic.get("low", [])),
        "hydraulic": bool(impact.get("hydraulic")),
    }


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_page(request, work_order_id: int):
    order = get_object_or_404(reads_map.orders_of(request.user), pk=work_order_id)
    error = None
    if request.method == "POST":
        try:
            data = AdvanceInput.parse(request.POST)
            order, changed = service.advance_order(order, data, by=request.user)
        except DomainError as e:
            error = e
        else:
            if changed:
                messages.success(
                    request, _("The work order is now %(s)s.") % {"s": order.get_state_display()}
                )
            return redirect("network:work_order", work_order_id=order.pk)
    next_state = reads_map.next_state(order)
    return render(
        request,
        "network/map_order.html",
        {
            "order": order,
            "summary": _summary(order),
            "next_state": next_state,
            "next_label": WorkOrderState(next_state).label if next_state else "",
            "may_advance": request.user.has_perm(MANAGE_WORK_ORDERS)
            and order.state in WorkOrderState.active(),
            "error": error,
            "note_value": request.POST.get("note", "")[:1000] if error else "",
        },
        status=400 if error else 200,
    )
