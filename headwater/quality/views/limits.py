"""Limits: the national limits of the catalog (read-only, with their clauses), the
organization's internal limits (内控指标) and the temporary relaxations — proposed by the
quality department, approved by a leader or the office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError
from headwater.quality import catalog, services
from headwater.quality.choices import Category, PointKind, RelaxationStatus, SupplyType
from headwater.quality.forms import InternalLimitForm, RelaxationForm
from headwater.quality.models import InternalLimit, Relaxation
from headwater.quality.permissions import APPROVE_RELAXATION, MANAGE, MANAGE_LIMITS, VIEW

KINDS = [PointKind.RAW, PointKind.FINISHED, PointKind.NETWORK]


@login_required
@permission_required(VIEW, raise_exception=True)
def limits(request):
    user = request.user
    forms = {
        "internal": InternalLimitForm(prefix="internal"),
        "relax": RelaxationForm(prefix="relax"),
    }
    which = "internal" if request.POST.get("form") == "internal" else "relax"
    allowed = user.has_perm(MANAGE_LIMITS if which == "internal" else MANAGE)
    if request.method == "POST" and allowed:
        form = forms[which] = type(forms[which])(request.POST, prefix=which)
        if form.is_valid() and _saved(request, which, form):
            return redirect("quality:limits")
    today = clock.today()
    names = catalog.indicators()
    relaxations = Relaxation.objects.visible_to(user).select_related("proposed_by", "decided_by")
    for r in relaxations:
        r.name = names[r.indicator].name_zh if r.indicator in names else r.indicator
        in_period = r.valid_from <= today <= r.valid_until
        r.in_force = r.status == RelaxationStatus.APPROVED and in_period
    internal = InternalLimit.objects.visible_to(user)
    unreadable = [
        names[code].name_zh if code in names else code
        for code in internal.unreadable().values_list("indicator", flat=True)
    ]
    internal = internal.readable()
    for i in internal:
        i.name = names[i.indicator].name_zh if i.indicator in names else i.indicator
    return render(
        request,
        "quality/limits.html",
        {
            "rows": _national_rows(today),
            "kinds": [PointKind(k).label for k in KINDS],
            "internal": internal,
            "unreadable": unreadable,
            "relaxations": relaxations,
            "internal_form": forms["internal"],
            "relax_form": forms["relax"],
            "can_manage": user.has_perm(MANAGE),
            "can_set_limits": user.has_perm(MANAGE_LIMITS),
            "can_decide": user.has_perm(APPROVE_RELAXATION),
        },
    )


def _saved(request, which: str, form) -> bool:
    """Save through the form's service; a refusal is shown on the form."""
    if which == "internal":
        service, done = services.save_internal_limit, _("Internal limit saved.")
    else:
        service, done = (
            services.propose_relaxation,
            _("Relaxation proposed; it applies once approved."),
        )
    if form.call(service, form.input(), by=request.user) is None:
        return False
    messages.success(request, done)
    return True


def _national_rows(today) -> list[dict]:
    rows = []
    for code, ind in catalog.indicators().items():
        found = {
            kind: catalog.limits_for(code, kind=kind, supply_type=SupplyType.URBAN, on=today)
            for kind in KINDS
        }
        rows.append(
            {
                "indicator": ind,
                "category": Category(ind.category).label,
                "cells": ["；".join(limit.text() for limit in found[kind]) for kind in KINDS],
                "clauses": "；".join(sorted({lim.clause for kind in KINDS for lim in found[kind]})),
            }
        )
    return rows


@login_required
@permission_required(APPROVE_RELAXATION, raise_exception=True)
def decide(request, relaxation_id: int):
    relaxation = get_object_or_404(Relaxation.objects.visible_to(request.user), pk=relaxation_id)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "revoke":
                services.revoke_relaxation(relaxation, by=request.user)
            else:
                services.decide_relaxation(relaxation, by=request.user, approve=action == "approve")
            messages.success(request, _("Decision recorded."))
        except DomainError as e:
            messages.error(request, e.message)
    return redirect("quality:limits")
