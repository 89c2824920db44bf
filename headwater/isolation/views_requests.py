"""Service request pages (phone first): the person's "my service requests" (booking and
states, refreshed by htmx every 30 s), the same for a case (monitor, office), the volunteer's
"service to-do" and one request with its actions. Thin: reads through `visible_to`, writes
through services.requests."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case as When_
from django.db.models import IntegerField, Value, When
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.isolation.choices_requests import RequestState as S
from headwater.isolation.contact_requests import contact_for
from headwater.isolation.forms_requests import RequestForm
from headwater.isolation.inputs_requests import RequestInput
from headwater.isolation.models import Case, ServiceRequest
from headwater.isolation.services import requests as svc

REFRESH = 30
RELATED = ("case__person", "case__household_member", "case__unit", "accepted_by")


def _initial() -> dict:
    start = clock.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    return {
        "window_start": start,
        "window_end": start + dt.timedelta(hours=2),
        "key": uuid.uuid4().hex,
    }


@login_required
def mine(request):
    """The isolated person's own page: their open case's requests."""
    case = (
        Case.objects.open()
        .filter(person_id=request.user.person_id or 0, household_member=None)
        .first()
    )
    if case is None:
        raise Http404(_("You are not in isolation."))
    return redirect("isolation:case_requests", case.pk)


@login_required
def case_requests(request, pk: int):
    """A case's requests and the booking form (the person, their monitor, the office)."""
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person", "household_member"), pk=pk
    )
    rows = ServiceRequest.objects.filter(case=case).select_related("accepted_by")
    if request.GET.get("part") == "list":
        return render(
            request,
            "isolation/requests_list.html",
            {"rows": rows, "case": case, "refresh": REFRESH},
        )
    may_book = svc.may_book(request.user, case) and case.is_open
    form = RequestForm(request.POST or None, initial=_initial()) if may_book else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("Only the isolated person, their monitor or the office may book.")
            )
        if form.is_valid():
            try:
                data = RequestInput.parse(form.cleaned_data)
                svc.book(case, data, by=request.user, key=form.cleaned_data["key"])
            except NotAllowed as e:
                raise PermissionDenied(e.message) from e
            except DomainError as e:
                form.add_domain_error(e)
            else:
                messages.success(request, _("Service booked. Your volunteer will accept it."))
                return redirect("isolation:case_requests", case.pk)
    context = {"case": case, "rows": rows, "form": form, "refresh": REFRESH}
    return render(request, "isolation/requests_case.html", context)


@login_required
def todo(request):
    """The volunteer's phone page: requests of their cases and their pool, open first."""
    if not request.user.person_id:
        raise Http404
    order = When_(
        When(state=S.OPEN, then=Value(0)),
        When(state=S.REOPENED, then=Value(1)),
        When(state=S.ACCEPTED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    rows = [
        r
        for r in ServiceRequest.objects.visible_to(request.user)
        .exclude(state=S.CLOSED)
        .select_related(*RELATED)
        .annotate(rank=order)
        .order_by("rank", "window_start", "id")[:100]
        if svc.may_serve(request.user, r.case) or r.accepted_by_id == request.user.person_id
    ]
    for r in rows:
        r.contact = contact_for(request.user, r)
    return render(request, "isolation/requests_todo.html", {"rows": rows})


@login_required
def detail(request, pk: int):
    """One request: its state, contact for delivery, history and the actions the user may take."""
    req = get_object_or_404(
        ServiceRequest.objects.visible_to(request.user).select_related(*RELATED), pk=pk
    )
    if request.method == "POST":
        return _act(request, req)
    user = request.user
    context = {
        "req": req,
        "contact": contact_for(user, req),
        "events": req.events.select_related("actor__person"),
        "serve": svc.may_serve(user, req.case),
        "accepter": bool(user.person_id) and req.accepted_by_id == user.person_id,
        "booker": svc.may_book(user, req.case),
        "key": uuid.uuid4().hex,
    }
    return render(request, "isolation/requests_detail.html", context)


def _act(request, req: ServiceRequest):
    action, post, user = request.POST.get("action"), request.POST, request.user
    key, note = post.get("key", ""), post.get("note", "")
    steps = {
        "accept": lambda: svc.accept(req, by=user, key=key),
        "deliver": lambda: svc.deliver(req, note, by=user, key=key),
        "confirm": lambda: svc.confirm(req, by=user, key=key),
        "reopen": lambda: svc.reopen(req, note, by=user, key=key),
    }
    if action not in steps:
        return HttpResponseBadRequest(_("Unknown action."))
    try:
        steps[action]()
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
    else:
        messages.success(request, _("Saved."))
    if post.get("next") == "todo":
        return redirect("isolation:requests_todo")
    return redirect("isolation:request", req.pk)
