"""Sampling points and plans: the list (everyone who works with quality), and the plan editor
(the quality department)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core.errors import DomainError
from headwater.quality import catalog, services
from headwater.quality.forms import PlanForm, PointForm
from headwater.quality.models import Lab, SamplingPlan, SamplingPoint
from headwater.quality.permissions import MANAGE, VIEW
from headwater.quality.planning import save_plan


@login_required
@permission_required(VIEW, raise_exception=True)
def setup(request):
    org = request.user.organization
    points = SamplingPoint.objects.visible_to(request.user).select_related("unit", "lab", "site")
    plans = SamplingPlan.objects.filter(organization=org).select_related("lab", "point")
    names = catalog.indicators()
    for plan in plans:
        plan.indicator_names = "、".join(names[c].name_zh for c in plan.indicators if c in names)
    return render(
        request,
        "quality/setup.html",
        {
            "points": points,
            "plans": plans,
            "labs": Lab.objects.filter(organization=org).select_related("unit"),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def plan_edit(request, plan_id: int | None = None):
    org = request.user.organization
    plan = get_object_or_404(SamplingPlan, pk=plan_id, organization=org) if plan_id else None
    form = PlanForm(request.POST or None, instance=plan, organization=org)
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        candidate.organization = org
        if _saved(form, lambda: save_plan(candidate, by=request.user)):
            messages.success(request, _("Plan saved."))
            return redirect("quality:setup")
    return render(request, "quality/plan_edit.html", {"form": form, "plan": plan})


@login_required
@permission_required(MANAGE, raise_exception=True)
def point_edit(request, point_id: int | None = None):
    """A sampling point: where it is (site, network model node), who owns it (unit), which lab
    samples it, and the supply type its limits follow."""
    org = request.user.organization
    points = SamplingPoint.objects.visible_to(request.user)
    point = get_object_or_404(points, pk=point_id) if point_id else None
    form = PointForm(request.POST or None, instance=point, organization=org)
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        candidate.organization = org
        if _saved(form, lambda: services.save_point(candidate, by=request.user)):
            messages.success(request, _("Sampling point saved."))
            return redirect("quality:setup")
    return render(request, "quality/point_edit.html", {"form": form, "point": point})


def _saved(form, save) -> bool:
    """Run a service's save; its refusal goes beside the form's fields."""
    try:
        save()
    except DomainError as e:
        for field, message in (e.fields or {None: e.message}).items():
            form.add_error(field if field in form.fields else None, message)
        return False
    return True
