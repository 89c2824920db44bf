"""The three-level review: a queue of samples waiting for the viewer's step (the plant lab head
checks, the central lab approves) and a sample's page with its results, their evaluation and
the review actions. Thin over services.check_results / approve_results / return_results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core.errors import DomainError
from headwater.quality import catalog, services
from headwater.quality.choices import Outcome, ReviewStatus
from headwater.quality.models import Result, Sample
from headwater.quality.permissions import APPROVE_RESULTS, CHECK_RESULTS, ENTER_RESULTS, VIEW

PAGE_SIZE = 50


def waiting_states(user) -> list[str]:
    """The review states the user acts on: entered (lab head), checked (central lab), returned
    (the technician corrects)."""
    states = []
    if user.has_perm(CHECK_RESULTS):
        states.append(ReviewStatus.ENTERED)
    if user.has_perm(APPROVE_RESULTS):
        states.append(ReviewStatus.CHECKED)
    if user.has_perm(ENTER_RESULTS) and not states:
        states.append(ReviewStatus.RETURNED)
    return states


@login_required
@permission_required(VIEW, raise_exception=True)
def queue(request):
    states = waiting_states(request.user)
    status = request.GET.get("status") or (states[0] if states else ReviewStatus.ENTERED)
    if status not in ReviewStatus.values:
        status = ReviewStatus.ENTERED
    samples = (
        Sample.objects.visible_to(request.user)
        .filter(results__status=status)
        .annotate(
            waiting=Count("results", filter=Q(results__status=status)),
            fails=Count("results", filter=Q(results__status=status, results__outcome=Outcome.FAIL)),
        )
        .select_related("point", "lab")
        .order_by("-fails", "sampled_at")
    )
    page = Paginator(samples, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        Result.objects.visible_to(request.user)
        .exclude(status=ReviewStatus.APPROVED)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    tabs = [
        {"value": s, "label": ReviewStatus(s).label, "count": counts.get(s, 0), "mine": s in states}
        for s in (ReviewStatus.ENTERED, ReviewStatus.CHECKED, ReviewStatus.RETURNED)
    ]
    return render(
        request,
        "quality/review.html",
        {"page": page, "status": status, "tabs": tabs, "states": states},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def sample(request, sample_id: int):
    sample = get_object_or_404(
        Sample.objects.visible_to(request.user).select_related(
            "point", "lab", "task", "entered_by"
        ),
        pk=sample_id,
    )
    results = list(sample.results.select_related("checked_by", "approved_by", "relaxation"))
    if request.method == "POST":
        chosen = [r for r in results if str(r.pk) in request.POST.getlist("result")] or [
            r for r in results if r.status in _from_states(request.POST.get("action"))
        ]
        try:
            _act(request, chosen)
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("quality:sample", sample_id=sample.pk)
    indicators = catalog.indicators()
    for r in results:
        r.info = indicators.get(r.indicator)
        r.class_label = services.class_label(r.source_class)
    user = request.user
    return render(
        request,
        "quality/sample.html",
        {
            "sample": sample,
            "results": results,
            "can_check": user.has_perm(CHECK_RESULTS)
            and any(r.status == ReviewStatus.ENTERED for r in results),
            "can_approve": user.has_perm(APPROVE_RESULTS)
            and any(r.status == ReviewStatus.CHECKED for r in results),
            "can_correct": user.has_perm(ENTER_RESULTS)
            and sample.task_id
            and any(ReviewStatus.is_correctable(r.status) for r in results),
        },
    )


def _from_states(action: str | None) -> tuple[str, ...]:
    return {
        "check": (ReviewStatus.ENTERED,),
        "approve": (ReviewStatus.CHECKED,),
        "return": (ReviewStatus.ENTERED, ReviewStatus.CHECKED),
    }.get(action or "", ())


def _act(request, chosen) -> None:
    action, user = request.POST.get("action"), request.user
    if action == "check":
        n = services.check_results(chosen, by=user)
        messages.success(request, _("%(count)s results checked.") % {"count": n})
    elif action == "approve":
        n = services.approve_results(chosen, by=user)
        messages.success(request, _("%(count)s results approved.") % {"count": n})
    elif action == "return":
        n = services.return_results(chosen, by=user, reason=request.POST.get("reason", ""))
        messages.success(request, _("%(count)s results returned.") % {"count": n})
    else:
        raise DomainError(_("Choose an action."))
