"""Sampling points and plans: the list (everyone who works with quality), and their edit pages
(the quality department)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from headwater.core.views.generic import ServiceFormView
from headwater.quality import catalog, services
from headwater.quality.forms import PlanForm, PointForm
from headwater.quality.models import Lab, SamplingPlan, SamplingPoint
from headwater.quality.permissions import MANAGE, VIEW


@login_required
@permission_required(VIEW, raise_exception=True)
def setup(request):
    user = request.user
    points = SamplingPoint.objects.visible_to(user).select_related("unit", "lab", "site")
    plans = SamplingPlan.objects.visible_to(user).select_related("lab", "point")
    names = catalog.indicators()
    for plan in plans:
        plan.indicator_names = "、".join(names[c].name_zh for c in plan.indicators if c in names)
    return render(
        request,
        "quality/setup.html",
        {
            "points": points,
            "plans": plans,
            "labs": Lab.objects.visible_to(user).select_related("unit"),
            "can_manage": user.has_perm(MANAGE),
        },
    )


class _Edit(ServiceFormView):
    """A new row (no id in the URL) or one of the user's scope (404 otherwise)."""

    model = None
    id_kwarg = ""
    context_name = ""
    permission_required = MANAGE
    success_url = reverse_lazy("quality:setup")
    # An anonymous visitor is sent to the login page; a signed-in one without the
    # permission gets 403 (as login_required + permission_required(raise_exception=True)).
    raise_exception = False

    @cached_property
    def object(self):
        pk = self.kwargs.get(self.id_kwarg)
        if pk is None:
            return None
        return get_object_or_404(self.model.objects.visible_to(self.request.user), pk=pk)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {self.context_name: self.object}


class PointEdit(_Edit):
    """A sampling point: where it is (site, network model node), who owns it (unit), which lab
    samples it, and the supply type its limits follow."""

    model = SamplingPoint
    id_kwarg = "point_id"
    context_name = "point"
    form_class = PointForm
    template_name = "quality/point_edit.html"
    success_message = _("Sampling point saved.")

    def save(self, form):
        return services.save_point(form.input(), point=self.object, by=self.request.user)


class PlanEdit(_Edit):
    model = SamplingPlan
    id_kwarg = "plan_id"
    context_name = "plan"
    form_class = PlanForm
    template_name = "quality/plan_edit.html"
    success_message = _("Plan saved.")

    def save(self, form):
        return services.save_plan(form.input(), plan=self.object, by=self.request.user)
