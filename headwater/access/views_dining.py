"""Staggered dining pages: the office's canteens, a canteen's slots and rotation (a week grid,
days × slots) with its edit forms; meal orders for a day (unit heads and the office) with
totals and the kitchen's Excel; the live fill of today's slots (phone and screen, redrawn by
htmx). Thin: reads through `visible_to` and dining_reads.py, writes through services."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.access import dining_reads
from headwater.access.choices import MealOrderKind
from headwater.access.inputs_dining import (
    GenerateInput,
    GroupInput,
    OrderInput,
    SlotInput,
    SpreadInput,
)
from headwater.access.models import DiningGroup, MealSlot
from headwater.access.models_dining import UnitMealOrder
from headwater.access.permissions import MANAGE_GATES
from headwater.access.permissions_dining import ORDER_MEALS
from headwater.access.services import dining as service
from headwater.access.services import dining_orders
from headwater.core import clock
from headwater.core.choices import SiteKind
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.inputs import date_field
from headwater.core.models import Site, Unit
from headwater.core.views.generic import xlsx_response

REFRESH_SECONDS = 20


def refused(request, e: DomainError) -> None:
    if isinstance(e, NotAllowed):
        raise PermissionDenied(e.message)
    messages.error(request, " ".join([e.message, *e.fields.values()]))


def canteens_of(user):
    return Site.objects.visible_to(user).filter(kind=SiteKind.CANTEEN).order_by("name", "pk")


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def canteens(request):
    """The organization's canteens with their slots and units in rotation."""
    rows = canteens_of(request.user)
    slots = dict(
        MealSlot.objects.visible_to(request.user).values_list("canteen_id").annotate(n=Count("pk"))
    )
    groups = dict(
        DiningGroup.objects.visible_to(request.user)
        .values_list("canteen_id")
        .annotate(n=Count("pk"))
    )
    listed = [(c, slots.get(c.pk, 0), groups.get(c.pk, 0)) for c in rows]
    return render(request, "access/dining_canteens.html", {"canteens": listed})


def _first_day(request) -> dt.date:
    errors: dict = {}
    return date_field(request.GET, "from", errors) or clock.today()


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def canteen(request, site_id: int):
    """A canteen's slots, the week's rotation as a grid, its units' groups and the forms that
    change them; capacity warnings for the coming week."""
    site = get_object_or_404(canteens_of(request.user), pk=site_id)
    if request.method == "POST":
        return _act(request, site)
    first = _first_day(request)
    week = dining_reads.week(site, first)
    units = Unit.objects.visible_to(request.user).order_by("path")
    return render(
        request,
        "access/dining_canteen.html",
        {
            "canteen": site,
            "week": week,
            "first": first,
            "previous": first - dt.timedelta(days=7),
            "next": first + dt.timedelta(days=7),
            "today": clock.today(),
            "units": units,
            "manage": service.may_manage(request.user, site.organization_id),
        },
    )


def _act(request, site: Site):
    user, data = request.user, request.POST
    action = data.get("action", "")
    # an unticked box is not sent: here it means "does not rotate"
    checked = {"rotates": data.get("rotates", "0")}
    org = site.organization_id
    try:
        if action == "slot":
            service.save_slot(site, SlotInput.parse(data), by=user)
            messages.success(request, _("Slot saved."))
        elif action == "generate":
            service.generate_slots(site, GenerateInput.parse(data), by=user)
            messages.success(request, _("Slots made."))
        elif action == "group":
            service.set_group(site, GroupInput.parse({**data.dict(), **checked}, org), by=user)
            messages.success(request, _("The unit's place in the rotation is saved."))
        elif action == "spread":
            payload = {**data.dict(), **checked, "unit_ids": data.getlist("unit_ids")}
            service.spread_units(site, SpreadInput.parse(payload, org), by=user)
            messages.success(request, _("The units are spread over the slots."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as e:
        refused(request, e)
    else:
        _warn_capacity(request, site)
    return redirect("access:dining_canteen", site.pk)


def _warn_capacity(request, site: Site) -> None:
    for day, cell in dining_reads.week(site).warnings:
        messages.warning(
            request,
            _("%(day)s %(slot)s: %(people)s people for %(places)s places.")
            % {
                "day": day.isoformat(),
                "slot": cell.slot.name,
                "people": cell.people,
                "places": cell.slot.capacity,
            },
        )


@login_required
@permission_required(MANAGE_GATES, raise_exception=True)
def slot_edit(request, pk: int):
    slot = get_object_or_404(MealSlot.objects.visible_to(request.user), pk=pk)
    values = {
        "name": slot.name,
        "starts": slot.starts.strftime("%H:%M"),
        "minutes": slot.minutes,
        "capacity": slot.capacity,
        "position": slot.position,
    }
    errors: dict = {}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            service.save_slot(
                slot.canteen, SlotInput.parse(request.POST), by=request.user, slot=slot
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from None
        except DomainError as e:
            messages.error(request, e.message)
            errors = e.fields
        else:
            messages.success(request, _("Slot saved."))
            _warn_capacity(request, slot.canteen)
            return redirect("access:dining_canteen", slot.canteen_id)
    return render(
        request, "access/dining_slot.html", {"slot": slot, "values": values, "errors": errors}
    )


@login_required
@require_POST
def slot_delete(request, pk: int):
    slot = get_object_or_404(MealSlot.objects.visible_to(request.user), pk=pk)
    try:
        service.delete_slot(slot, by=request.user)
    except DomainError as e:
        refused(request, e)
    else:
        messages.success(request, _("Slot deleted."))
    return redirect("access:dining_canteen", slot.canteen_id)


@login_required
@require_POST
def group_delete(request, pk: int):
    group = get_object_or_404(DiningGroup.objects.visible_to(request.user), pk=pk)
    try:
        service.delete_group(group, by=request.user)
    except DomainError as e:
        refused(request, e)
    else:
        messages.success(request, _("The unit is out of the rotation."))
    return redirect("access:dining_canteen", group.canteen_id)


def orders_of_day(user, day: dt.date):
    return (
        UnitMealOrder.objects.visible_to(user)
        .filter(day=day)
        .select_related("canteen", "unit", "ordered_by")
        .order_by("canteen__name", "unit__path", "kind")
    )


def totals_of(orders) -> list[dict]:
    """Meals per canteen and kind (what the kitchen cooks)."""
    return list(
        orders.order_by()
        .values("canteen__name", "kind")
        .annotate(meals=Sum("count"), units=Count("unit", distinct=True))
        .order_by("canteen__name", "kind")
    )


@login_required
@permission_required(ORDER_MEALS, raise_exception=True)
def orders(request):
    """Meal orders of a day (tomorrow unless `?day=`): the form, the units' orders, totals per
    canteen and kind; `?export=xlsx` for the kitchen."""
    errors: dict = {}
    day = date_field(request.GET, "day", errors) or clock.today() + dt.timedelta(days=1)
    if request.method == "POST":
        return _order(request, day)
    rows = orders_of_day(request.user, day)
    totals = totals_of(rows)
    kinds = dict(MealOrderKind.choices)
    if request.GET.get("export") == "xlsx":
        return _export(day, rows, totals, kinds)
    units = [
        u
        for u in Unit.objects.visible_to(request.user).order_by("path")
        if dining_orders.may_order(request.user, u)
    ]
    for t in totals:
        t["kind_label"] = kinds.get(t["kind"], t["kind"])
    return render(
        request,
        "access/dining_orders.html",
        {
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "orders": rows,
            "totals": totals,
            "canteens": canteens_of(request.user),
            "units": units,
            "kinds": MealOrderKind.choices,
            "deadline": dining_orders.deadline(request.user.organization),
            "key": uuid.uuid4().hex,
        },
    )


def _order(request, day: dt.date):
    data = request.POST
    try:
        site = service.canteen_of(request.user.organization_id, data.get("canteen_id") or 0)
        parsed = OrderInput.parse(data, request.user.organization_id, day)
        order, created = dining_orders.place_order(
            site, parsed, by=request.user, key=data.get("key", "")
        )
    except DomainError as e:
        refused(request, e)
        return redirect(f"{request.path}?day={day.isoformat()}")
    messages.success(request, _("Order saved: %(n)s meals.") % {"n": order.count})
    return redirect(f"{request.path}?day={order.day.isoformat()}")


def _export(day, rows, totals, kinds):
    header = [_("Canteen"), _("Unit"), _("Kind"), _("Number of meals"), _("Note")]
    lines = [
        [o.canteen.name, o.unit.name, str(kinds.get(o.kind, o.kind)), o.count, o.note] for o in rows
    ]
    lines.append([])
    lines += [
        [t["canteen__name"], _("Total"), str(kinds.get(t["kind"])), t["meals"], ""] for t in totals
    ]
    name = _("Meal orders %(day)s") % {"day": day.isoformat()}
    return xlsx_response(header, lines, name, f"meal-orders-{day.isoformat()}.xlsx")


@login_required
def live(request):
    """Today's slots of each canteen the user may watch, with the people let in so far, the
    slot on now; the live part is redrawn every 20 s (`?part=live`)."""
    canteens_shown = dining_reads.live_canteens(request.user)
    wanted = request.GET.get("canteen")
    if wanted and wanted.isdigit():
        canteens_shown = [c for c in canteens_shown if c.pk == int(wanted)] or canteens_shown
    context = {
        "fills": dining_reads.fill(request.user, canteens_shown),
        "refresh": REFRESH_SECONDS,
        "now": clock.now(),
    }
    if request.headers.get("HX-Request") == "true" or request.GET.get("part") == "live":
        return render(request, "access/dining_live_part.html", context)
    return render(request, "access/dining_live.html", context)
