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
from headwater.quality.choices import Category, PointKind, SupplyType
from headwater.quality.forms import InternalLimitForm, RelaxationForm
from headwater.quality.models import InternalLimit, Relaxation
from headwater.quality.permissions import APPROVE_RELAXATION, MANAGE, MANAGE_LIMITS, VIEW

KINDS = [PointKind.RAW, PointKind.FINISHED, PointKind.NETWORK]


@login_required
@permission_required(VIEW, raise_exception=True)
def limits(request):
    org, user = request.user.organization, request.user
    internal_form = InternalLimitForm(prefix="internal")
    relax_form = RelaxationForm(prefix="relax")
    which = request.POST.get("form")
    allowed = user.has_perm(MANAGE_LIMITS if which == "internal" else MANAGE)
    if request.method == "POST" and allowed:
        form = (
            InternalLimitForm(request.POST, prefix="internal")
            if which == "internal"
            else (RelaxationForm(request.POST, prefix="relax"))
        )
        if form.is_valid():
            obj = form.save(commit=False)
            obj.organization = org
            try:
                if which == "internal":
                    services.save_internal_limit(obj, by=user)
                    messages.success(request, _("Internal limit saved."))
                else:
                    services.propose_relaxation(obj, by=user)
                    messages.success(request, _("Relaxation proposed; it applies once approved."))
                return redirect("quality:limits")
            except DomainError as e:
                for field, message in e.fields.items():
                    form.add_error(field if field in form.fields else None, message)
                if not e.fields:
                    form.add_error(None, e.message)
        if which == "internal":
            internal_form = form
        else:
            relax_form = form
    today = clock.today()
    rows = []
    for code, ind in catalog.indicators().items():
        cells = []
        for kind in KINDS:
            found = catalog.limits_for(code, kind=kind, supply_type=SupplyType.URBAN, on=today)
            cells.append("；".join(limit.text() for limit in found))
        clauses = {
            limit.clause
            for kind in KINDS
            for limit in catalog.limits_for(code, kind=kind, supply_type=SupplyType.URBAN, on=today)
        }
        rows.append(
            {
                "indicator": ind,
                "category": Category(ind.category).label,
                "cells": cells,
                "clauses": "；".join(sorted(clauses)),
            }
        )
    relaxations = Relaxation.objects.filter(organization=org).select_related(
        "proposed_by", "decided_by"
    )
    names = catalog.indicators()
    for r in relaxations:
        r.name = names[r.indicator].name_zh if r.indicator in names else r.indicator
        r.in_force = r.status == "approved" and r.valid_from <= today <= r.valid_until
    internal = InternalLimit.objects.filter(organization=org)
    for i in internal:
        i.name = names[i.indicator].name_zh if i.indicator in names else i.indicator
    return render(
        request,
        "quality/limits.html",
        {
            "rows": rows,
            "kinds": [PointKind(k).label for k in KINDS],
            "internal": internal,
            "relaxations": relaxations,
            "internal_form": internal_form,
            "relax_form": relax_form,
            "can_manage": user.has_perm(MANAGE),
            "can_set_limits": user.has_perm(MANAGE_LIMITS),
            "can_decide": user.has_perm(APPROVE_RELAXATION),
        },
    )


@login_required
@permission_required(APPROVE_RELAXATION, raise_exception=True)
def decide(request, relaxation_id: int):
    relaxation = get_object_or_404(
        Relaxation, pk=relaxation_id, organization=request.user.organization
    )
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
