"""Supervision pages (ADR 0022): the supervisor's phone page "today's supervision" (draw the
day's sample, the calls to make), the checklist of one call, and the correction items for
unit heads and the office. Thin: reads through `visible_to`, writes through the services."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.isolation.inputs_supervision import CallInput
from headwater.isolation.models_supervision import Correction, Finding, SupervisionCall
from headwater.isolation.permissions import SUPERVISE, VIEW_CASES
from headwater.isolation.services import supervision

CALL_RELATED = supervision.CALL_RELATED
PAGE = 100


def _calls(request):
    return SupervisionCall.objects.visible_to(request.user).select_related(*CALL_RELATED)


@login_required
@permission_required(SUPERVISE, raise_exception=True)
def today(request):
    """Today's sample: a button to draw it, then the calls to make (those not made first)."""
    day = clock.today()
    if request.method == "POST":
        try:
            calls, created = supervision.draw_sample(request.user.organization, by=request.user)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        if created:
            messages.success(request, _("%(n)s cases drawn for today.") % {"n": len(calls)})
        return redirect("isolation:supervision")
    calls = list(_calls(request).filter(date=day).order_by("called_at", "id"))
    context = {
        "day": day,
        "todo": [c for c in calls if c.called_at is None],
        "done": [c for c in calls if c.called_at is not None],
        "drawn": bool(calls),
    }
    return render(request, "isolation/supervision_today.html", context)


@login_required
@permission_required(SUPERVISE, raise_exception=True)
def call(request, pk: int):
    """One call's checklist: each question yes or no with a note; a "no" opens a correction."""
    item = get_object_or_404(_calls(request), pk=pk)
    errors, values = {}, {"key": uuid.uuid4().hex}
    if request.method == "POST":
        values = request.POST
        try:
            data = CallInput.parse(request.POST)
            supervision.record_call(item, data, by=request.user, key=request.POST.get("key", ""))
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            errors = e.fields
            messages.error(request, e.message)
        else:
            messages.success(request, _("Call recorded."))
            return redirect("isolation:supervision")
    questions = [
        {
            "name": f.value,
            "label": f.label,
            "answer": values.get(f"{f.value}_ok", ""),
            "note": values.get(f"{f.value}_note", ""),
            "error": errors.get(f"{f.value}_ok") or errors.get(f"{f.value}_note"),
        }
        for f in Finding
    ]
    context = {"call": item, "case": item.case, "questions": questions, "values": values}
    return render(request, "isolation/supervision_call.html", context)


@login_required
@permission_required(VIEW_CASES, raise_exception=True)
def corrections(request):
    """Correction items (open ones, or ?state=closed), each closable with a note by the head
    of the case's unit."""
    if request.method == "POST":
        item = get_object_or_404(Correction.objects.visible_to(request.user), pk=_int(request))
        try:
            supervision.close_correction(item, request.POST.get("note", ""), by=request.user)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            messages.error(request, " ".join([e.message, *e.fields.values()]))
        else:
            messages.success(request, _("Correction item closed."))
        return redirect("isolation:corrections")
    closed = request.GET.get("state") == "closed"
    items = (
        Correction.objects.visible_to(request.user)
        .filter(closed_at__isnull=not closed)
        .select_related("case__person", "case__household_member", "case__unit", "closed_by__person")
        .order_by("-opened_at", "-id")[:PAGE]
    )
    items = list(items)
    mine = supervision.closable(request.user, items)
    rows = [(c, c.pk in mine) for c in items]
    return render(
        request, "isolation/supervision_corrections.html", {"rows": rows, "closed": closed}
    )


def _int(request) -> int:
    try:
        value = int(request.POST.get("pk", ""))
    except ValueError:
        return 0
    return value if 0 < value < 2**63 else 0
