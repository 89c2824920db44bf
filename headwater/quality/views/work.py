"""The technician's phone pages: today's sampling tasks by point, and entering a sample's
results (on a task, or without one). Thin over services; the evaluation shows at once."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError
from headwater.quality import catalog, services
from headwater.quality.choices import Outcome, ReviewStatus, SampleSource, TaskStatus
from headwater.quality.models import SamplingPoint, SamplingTask
from headwater.quality.permissions import ENTER_RESULTS
from headwater.quality.views.presets import indicator_choice


@login_required
@permission_required(ENTER_RESULTS, raise_exception=True)
def tasks(request):
    """Today's tasks (and any still open from before), grouped by point, open first."""
    today = clock.today()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = start + dt.timedelta(days=1)
    rows = (
        SamplingTask.objects.visible_to(request.user)
        .filter(Q(due_at__gte=start, due_at__lt=end) | Q(status=TaskStatus.OPEN, due_at__lt=end))
        .select_related("point", "lab")
        .order_by("point__code", "due_at")
    )
    groups: dict[int, dict] = {}
    for task in rows:
        group = groups.setdefault(task.point_id, {"point": task.point, "tasks": [], "open": 0})
        task.overdue = task.status == TaskStatus.OPEN and task.deadline < clock.now()
        group["tasks"].append(task)
        group["open"] += task.status == TaskStatus.OPEN
    ordered = sorted(groups.values(), key=lambda g: (g["open"] == 0, g["point"].code))
    return render(
        request,
        "quality/tasks.html",
        {
            "groups": ordered,
            "today": today,
            "open": sum(g["open"] for g in ordered),
            "points": SamplingPoint.objects.visible_to(request.user).active(),
        },
    )


@login_required
@permission_required(ENTER_RESULTS, raise_exception=True)
def task(request, task_id: int):
    task = get_object_or_404(
        SamplingTask.objects.visible_to(request.user).select_related("point", "lab"), pk=task_id
    )
    sample = getattr(task, "sample", None)
    return _entry(request, task.point, task.indicators, task=task, sample=sample)


@login_required
@permission_required(ENTER_RESULTS, raise_exception=True)
def new_sample(request):
    """Results without a task (an extra sample): pick the point, then the indicators — a
    preset (`?preset=`: the quick check, one of the point's plans, all routine ones) or the
    technician's own choice (`?indicator=…`); the quick check by default. The choice travels
    in the address, so the page needs no script and the results form posts back to it."""
    points = SamplingPoint.objects.visible_to(request.user).active()
    point = points.filter(pk=request.GET.get("point") or 0).first()
    if point is None:
        return render(request, "quality/pick_point.html", {"points": points})
    chooser = indicator_choice(request, point)
    return _entry(request, point, chooser.codes, task=None, sample=None, chooser=chooser)


def _entry(request, point, codes, *, task, sample, chooser=None):
    existing = {r.indicator: r for r in sample.results.all()} if sample else {}
    errors, message = {}, ""
    values = {c: existing[c].raw if c in existing else "" for c in codes}
    sampled_at = sample.sampled_at if sample else clock.now()
    if request.method == "POST":
        values = {c: request.POST.get(f"v_{c}", "") for c in codes}
        when = parse_datetime(request.POST.get("sampled_at", "") or "")
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when)
        sampled_at = sample.sampled_at if sample else (when or clock.now())
        try:
            saved, _created = services.record_sample(
                point,
                sampled_at=sampled_at,
                values=values,
                by=request.user,
                task=task,
                source=SampleSource.TASK if task else SampleSource.PAGE,
                key=request.POST.get("key", ""),
            )
        except DomainError as e:
            errors, message = e.fields, e.message
        else:
            _saved_message(request, saved)
            return redirect("quality:sample", sample_id=saved.pk)
    rows = []
    for code in codes:
        ind = catalog.indicator(code)
        result = existing.get(code)
        rows.append(
            {
                "indicator": ind,
                "value": values.get(code, ""),
                "error": errors.get(code, ""),
                "result": result,
                "locked": bool(result and not ReviewStatus.is_correctable(result.status)),
                "limit": _limit_hint(point, code),
            }
        )
    return render(
        request,
        "quality/entry.html",
        {
            "point": point,
            "task": task,
            "sample": sample,
            "chooser": chooser,
            "rows": rows,
            "message": message,
            "sampled_at": timezone.localtime(sampled_at),
            # A double tap or a resend on a weak signal submits the same key: one sample.
            "key": request.POST.get("key") or uuid.uuid4().hex,
        },
    )


def _saved_message(request, saved) -> None:
    outcomes = list(saved.results.values_list("outcome", flat=True))
    failed, guidance = outcomes.count(Outcome.FAIL), outcomes.count(Outcome.GUIDANCE)
    if failed:
        messages.warning(
            request,
            _(
                "Saved. %(count)s results exceed the limit: the lab head has been alerted "
                "and a re-sampling task opened."
            )
            % {"count": failed},
        )
    if guidance:
        messages.warning(
            request,
            _("Saved. %(count)s results exceed a guidance value: a nuclide analysis is needed.")
            % {"count": guidance},
        )
    if not failed and not guidance:
        messages.success(request, _("Saved."))


def _limit_hint(point, code: str) -> str:
    limits = catalog.limits_for(
        code, kind=point.kind, supply_type=point.supply_type, on=clock.today()
    )
    return "；".join(limit.text() for limit in limits)
