"""Escalation flow pages: the open flows (office, unit heads; overdue first) with a form to
report a finding for a person on duty, and the step buttons' target (from the case page or
the list). Thin: reads through `visible_to`, writes through services.flow."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person
from headwater.isolation.models_flow import OPEN_STATES, Flow
from headwater.isolation.permissions import HANDLE_FLOWS
from headwater.isolation.services import flow as flows
from headwater.isolation.templatetags.isolation_flow import flow_view, with_steps

LIST = 200


@login_required
@permission_required(HANDLE_FLOWS, raise_exception=True)
def flow_list(request):
    """Open flows, the late ones first, then by deadline; and the report form."""
    user = request.user
    if request.method == "POST":
        return _open(request)
    now = clock.now()
    rows = with_steps(
        Flow.objects.visible_to(user)
        .filter(state__in=OPEN_STATES)
        .select_related("person", "unit", "case", "case__monitor")
        .order_by(F("due_at").asc(nulls_last=True), "id")[:LIST]
    )
    shown = [flow_view(f, user, now) | {"late": f.due_at and f.due_at <= now} for f in rows]
    return render(
        request, "isolation/flow_list.html", {"rows": shown, "now": now, "key": uuid.uuid4().hex}
    )


def _open(request):
    user = request.user
    number = request.POST.get("employee_no", "").strip()[:40]
    person = (
        Person.objects.visible_to(user)
        .active()
        .select_related("unit")
        .filter(employee_no=number)
        .first()
        if number
        else None
    )
    if person is None:
        messages.error(request, _("No such member of staff."))
        return redirect("isolation:flows")
    try:
        flows.open_flow(
            user.organization,
            person,
            request.POST.get("finding", ""),
            by=user,
            key=request.POST.get("key", ""),
        )
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
    else:
        messages.success(request, _("The finding was reported; the flow has started."))
    return redirect("isolation:flows")


@login_required
@require_POST
def flow_advance(request, pk: int):
    """Take one step of a flow (a button of the case page or the list)."""
    flow = get_object_or_404(Flow.objects.visible_to(request.user), pk=pk)
    try:
        flows.advance(
            flow,
            request.POST.get("action", "")[:20],
            by=request.user,
            note=request.POST.get("note", ""),
            key=request.POST.get("key", ""),
        )
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Step recorded."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if target:
        return redirect(target)
    if flow.case_id:
        return redirect("isolation:case", flow.case_id)
    return redirect("isolation:flows")
