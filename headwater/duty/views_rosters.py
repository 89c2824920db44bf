"""Roster pages (desktop, for unit heads and the office): the rosters with the generate
form, a roster's grid (posts × days, people per shift, nights marked, breaks highlighted,
publish), and a shift's hand edit. Thin: reads through `visible_to`, writes through
services.rosters."""

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person, Unit
from headwater.duty import rules
from headwater.duty.choices import RosterState
from headwater.duty.forms_rosters import AssignForm, GenerateForm
from headwater.duty.models import Assignment, Eligibility, Roster, Shift
from headwater.duty.permissions import VIEW_ROSTERS
from headwater.duty.services import rosters as svc


def _managed_units(user):
    return [u for u in Unit.objects.visible_to(user).order_by("path") if svc.may_manage(user, u)]


def _next_month() -> tuple[dt.date, dt.date]:
    today = clock.today()
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


@login_required
def roster_list(request):
    """The rosters of the user's units, and the generate form for the units they manage."""
    if not request.user.has_perm(VIEW_ROSTERS):
        raise PermissionDenied
    units = _managed_units(request.user)
    first, last = _next_month()
    form = None
    if units:
        form = GenerateForm(
            request.POST or None, units=units, initial={"starts_on": first, "ends_on": last}
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
            data = form.cleaned_data
            try:
                roster, _created = svc.generate(
                    unit, data["starts_on"], data["ends_on"], by=request.user
                )
            except NotAllowed as e:
                raise PermissionDenied(e.message) from e
            except DomainError as e:
                form.add_domain_error(e)
            else:
                return redirect("duty:roster", roster.pk)
    rows = Roster.objects.visible_to(request.user).select_related("unit")[:100]
    return render(request, "duty/rosters_list.html", {"rows": rows, "form": form})


def _grid(roster, broken):
    shifts = (
        roster.shifts.select_related("post")
        .prefetch_related("assignments__person")
        .order_by("post__unit__path", "post__name", "post_id", "starts_at")
    )
    days, day = [], roster.starts_on
    while day <= roster.ends_on:
        days.append(day)
        day += dt.timedelta(days=1)
    cells: dict = defaultdict(lambda: defaultdict(list))
    posts = {}
    for shift in shifts:
        shift.broken = broken.get(shift.pk, [])
        shift.people = sorted(shift.assignments.all(), key=lambda a: (not a.leads, a.person.name))
        posts.setdefault(shift.post_id, shift.post)
        cells[shift.post_id][timezone.localtime(shift.starts_at).date()].append(shift)
    return days, [(post, [cells[pid][d] for d in days]) for pid, post in posts.items()]


@login_required
def roster_page(request, pk: int):
    roster = get_object_or_404(
        Roster.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    manage = svc.may_manage(request.user, roster.unit)
    if request.method == "POST":
        return _act(request, roster)
    breaks = rules.roster_breaks(roster)
    broken = defaultdict(list)
    for b in breaks:
        broken[b.slot_key].append(b.message)
    days, rows = _grid(roster, broken)
    context = {
        "roster": roster,
        "days": days,
        "rows": rows,
        "breaks": breaks,
        "manage": manage,
        "draft": roster.state == RosterState.DRAFT,
    }
    return render(request, "duty/rosters_grid.html", context)


def _act(request, roster):
    action, user = request.POST.get("action"), request.user
    try:
        if action == "publish":
            svc.publish(roster, by=user)
            messages.success(request, _("Roster published."))
        elif action == "regenerate":
            svc.generate(roster.unit, roster.starts_on, roster.ends_on, by=user)
            messages.success(request, _("Roster generated again."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("duty:roster", roster.pk)


@login_required
def shift_page(request, pk: int):
    """One shift: who is on it, take someone off, put someone on (hand edits)."""
    shift = get_object_or_404(
        Shift.objects.visible_to(request.user).select_related("post", "roster__unit"), pk=pk
    )
    manage = svc.may_manage(request.user, shift.roster.unit)
    on_it = list(shift.assignments.select_related("person").order_by("person__name"))
    taken = {a.person_id for a in on_it}
    eligible = Eligibility.objects.filter(post=shift.post).values_list("person_id", flat=True)
    people = list(
        Person.objects.visible_to(request.user)
        .active()
        .filter(pk__in=eligible)
        .exclude(pk__in=taken)
        .order_by("name")
    )
    form = AssignForm(request.POST or None, people=people) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            if request.POST.get("remove"):
                row = get_object_or_404(Assignment, pk=request.POST["remove"], shift=shift)
                svc.unassign(row, by=request.user)
                messages.success(request, _("Taken off the shift."))
                return redirect("duty:shift", shift.pk)
            if form.is_valid():
                person = next(p for p in people if p.pk == form.cleaned_data["person"])
                svc.assign(shift, person, by=request.user)
                messages.success(request, _("Put on the shift."))
                return redirect("duty:shift", shift.pk)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            messages.error(request, e.message)
    context = {"shift": shift, "on_it": on_it, "form": form, "manage": manage}
    return render(request, "duty/rosters_shift.html", context)
