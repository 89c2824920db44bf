"""Commute bus pages: the office's desktop pages (routes and the trips of a day with their
counts and missing disinfections, a route with its timetable, a trip with its passengers) and
the crew's phone pages (today's trips of their bus, a trip's count and its disinfection).
Thin: reads through `visible_to` and reads_buses.py, writes through services/buses.py."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.access import reads_buses as reads
from headwater.access.choices import Decision, GateKind
from headwater.access.forms_buses import CorrectionForm, DisinfectionForm, RouteForm, TimetableForm
from headwater.access.inputs_buses import DisinfectionInput, RouteInput, TimetableInput
from headwater.access.models import BusRoute, BusTrip, Gate
from headwater.access.permissions import VIEW_PASSAGES
from headwater.access.services import buses as services
from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed


def _office(request) -> None:
    if not request.user.has_perm(VIEW_PASSAGES):
        raise PermissionDenied(_("Your role may not see the commute buses."))


def _day(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return clock.today()


def _bus_gates(user):
    return Gate.objects.filter(
        organization_id=user.organization_id, kind=GateKind.BUS
    ).select_related("site")


@login_required
def buses(request):
    """The routes and the trips of a day (today unless `?day=`), trips without a disinfection
    record flagged; the office adds routes here."""
    _office(request)
    user = request.user
    manage = reads.may_manage(user, user.organization_id)
    form = RouteForm(request.POST or None, gates=_bus_gates(user))
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("Only the epidemic-prevention office may manage bus routes."))
        if form.is_valid():
            try:
                data = RouteInput.parse(form.cleaned_data, user.organization_id)
                route, _c = services.save_route(user.organization, data, by=user)
            except DomainError as e:
                form.add_domain_error(e)
            else:
                messages.success(request, _("Route saved. Generate its trips for the week."))
                return redirect("access:bus_route", route.pk)
    day = _day(request)
    trips = reads.with_counts(reads.trips_of(user.organization_id, day))
    routes = BusRoute.objects.visible_to(user).select_related("gate__site").order_by("name", "pk")
    return render(
        request,
        "access/buses_list.html",
        {
            "routes": routes,
            "trips": trips,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "not_disinfected": sum(1 for t in trips if t.disinfected_at is None),
            "manage": manage,
            "form": form,
        },
    )


@login_required
def route_page(request, pk: int):
    """A route: its details (editable by the office), the week's timetable generated in one
    step, the trips of the coming week with their counts."""
    _office(request)
    user = request.user
    route = get_object_or_404(BusRoute.objects.visible_to(user).select_related("gate"), pk=pk)
    manage = reads.may_manage(user, route.organization_id)
    initial = {"name": route.name, "gate_id": route.gate_id, "stops": route.stops}
    initial["active"] = route.active
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    form = RouteForm(post if action == "route" else None, initial=initial, gates=_bus_gates(user))
    timetable = TimetableForm(
        post if action == "timetable" else None, initial={"starts_on": clock.today(), "days": 7}
    )
    if post is not None:
        if not manage:
            raise PermissionDenied(_("Only the epidemic-prevention office may manage bus routes."))
        done = _route_action(request, route, action, form, timetable)
        if done:
            return redirect("access:bus_route", route.pk)
    today = clock.today()
    trips = reads.with_counts(
        BusTrip.objects.filter(route=route, day__gte=today, day__lt=today + dt.timedelta(days=7))
        .select_related("route")
        .order_by("day", "departs")
    )
    return render(
        request,
        "access/buses_route.html",
        {"route": route, "trips": trips, "manage": manage, "form": form, "timetable": timetable},
    )


def _route_action(request, route, action, form, timetable) -> bool:
    user = request.user
    try:
        if action == "route" and form.is_valid():
            services.save_route(
                user.organization,
                RouteInput.parse(form.cleaned_data, route.organization_id),
                by=user,
                route=route,
            )
            messages.success(request, pgettext("bus", "Route saved."))
            return True
        if action == "timetable" and timetable.is_valid():
            created, _c = services.generate_trips(
                route, TimetableInput.parse(timetable.cleaned_data), by=user
            )
            messages.success(request, _("%(n)s trips added.") % {"n": len(created)})
            return True
    except DomainError as e:
        (form if action == "route" else timetable).add_domain_error(e)
    return False


def _trip(request, pk: int) -> BusTrip:
    return get_object_or_404(
        BusTrip.objects.visible_to(request.user).select_related(
            "route__gate__site", "disinfected_by"
        ),
        pk=pk,
    )


def _passengers(trip, user) -> list:
    rows = list(reads.passengers(trip, user))
    for p in rows:
        p.name = reads.passenger_name(p)
    return rows


@login_required
def trip_page(request, pk: int):
    """A trip (desktop): its passengers with time and temperature, the count, the
    disinfection record; the office corrects a record here, with a reason."""
    _office(request)
    user = request.user
    trip = _trip(request, pk)
    manage = reads.may_manage(user, trip.organization_id)
    correction = CorrectionForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("Only the epidemic-prevention office may manage bus routes."))
        if correction.is_valid():
            try:
                data = DisinfectionInput.parse(correction.cleaned_data, correction=True)
                services.correct_disinfection(trip, data, by=user)
            except DomainError as e:
                correction.add_domain_error(e)
            else:
                messages.success(request, _("Disinfection record corrected."))
                return redirect("access:bus_trip", trip.pk)
    return render(
        request,
        "access/buses_trip.html",
        {
            "trip": reads.with_counts([trip])[0],
            "passengers": _passengers(trip, user),
            "manage": manage,
            "correction": correction,
            "allow": Decision.ALLOW,
        },
    )


@login_required
def my_trips(request):
    """The crew's phone page: today's trips of the buses they run, count and disinfection."""
    gates = list(reads.runnable_gates(request.user).values_list("pk", flat=True))
    trips = reads.with_counts(
        reads.trips_of(request.user.organization_id, clock.today(), gate_ids=gates)
    )
    return render(request, "access/buses_mine.html", {"trips": trips, "gates": gates})


@login_required
def run_trip(request, pk: int):
    """One trip on the crew's phone: the passenger count, the disinfection (record it once),
    the passengers who boarded."""
    user = request.user
    trip = _trip(request, pk)
    if not reads.may_run(user, trip):
        raise Http404
    form = DisinfectionForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            data = DisinfectionInput.parse(form.cleaned_data)
            services.record_disinfection(trip, data, by=user, key=form.cleaned_data["key"])
        except DomainError as e:
            if isinstance(e, NotAllowed):
                raise PermissionDenied(e.message) from e
            form.add_domain_error(e)
        else:
            messages.success(request, _("Disinfection recorded."))
            return redirect("access:bus_run", trip.pk)
    return render(
        request,
        "access/buses_run.html",
        {
            "trip": reads.with_counts([trip])[0],
            "passengers": _passengers(trip, user),
            "form": form,
            "allow": Decision.ALLOW,
        },
    )
