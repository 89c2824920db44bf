"""Dining endpoints (/api/v1/access/dining): canteen slots (list, create, generate, change,
delete), the rotation's groups (set one, spread several, remove), the week grid, today's
fill, the caller's slot today, meal orders (list, place). Thin: reads through `visible_to`
and dining_reads.py, writes through services/dining*.py; refusals in the one error shape."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate

from headwater.access import dining, dining_reads
from headwater.access.inputs_dining import (
    GenerateInput,
    GroupInput,
    OrderInput,
    SlotInput,
    SpreadInput,
)
from headwater.access.models import DiningGroup, MealSlot
from headwater.access.models_dining import UnitMealOrder
from headwater.access.permissions_dining import ORDER_MEALS
from headwater.access.schemas_dining import (
    CanteenFillOut,
    DiningGroupIn,
    GroupsOut,
    MySlotOut,
    OrderIn,
    OrderOut,
    SlotIn,
    SlotOut,
    SlotPatch,
    SlotsGenerateIn,
    SpreadIn,
    WeekOut,
)
from headwater.access.services import dining as service
from headwater.access.services import dining_orders
from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.choices import SiteKind
from headwater.core.errors import require
from headwater.core.models import Site

router = Router(auth=SessionAuth())
TAGS = ["canteen slots"]
ORDERS = ["meal orders"]
KEY = Header("", alias="Idempotency-Key")
CANTEEN = "/dining/canteens/{int:canteen_id}"


def _canteen(request, canteen_id: int) -> Site:
    return get_object_or_404(
        Site.objects.visible_to(request.user).filter(kind=SiteKind.CANTEEN), pk=canteen_id
    )


def _slot(request, slot_id: int) -> MealSlot:
    return get_object_or_404(
        MealSlot.objects.visible_to(request.user).select_related("canteen"), pk=slot_id
    )


def _warnings(canteen: Site) -> list[dict]:
    return [
        {
            "day": day,
            "slot_id": cell.slot.pk,
            "slot_name": cell.slot.name,
            "people": cell.people,
            "capacity": cell.slot.capacity,
        }
        for day, cell in dining_reads.week(canteen).warnings
    ]


@router.get(CANTEEN + "/slots", response=list[SlotOut], tags=TAGS)
def list_slots(request, canteen_id: Id):
    return dining.slots_of(_canteen(request, canteen_id).pk)


@router.post(CANTEEN + "/slots", response={201: SlotOut}, tags=TAGS)
def create_slot(request, canteen_id: Id, payload: SlotIn):
    """A new slot (refused 409 when it overlaps another of the canteen)."""
    canteen = _canteen(request, canteen_id)
    require(request.user, service.MANAGE_GATES)
    slot, _created = service.save_slot(canteen, SlotInput.parse(payload.dict()), by=request.user)
    return Status(201, slot)


@router.post(CANTEEN + "/slots/generate", response={201: list[SlotOut]}, tags=TAGS)
def generate_slots(request, canteen_id: Id, payload: SlotsGenerateIn):
    """`count` slots one after the other from `first`, each `minutes` long."""
    canteen = _canteen(request, canteen_id)
    require(request.user, service.MANAGE_GATES)
    service.generate_slots(canteen, GenerateInput.parse(payload.dict()), by=request.user)
    return Status(201, dining.slots_of(canteen.pk))


@router.patch("/dining/slots/{int:slot_id}", response=SlotOut, tags=TAGS)
def edit_slot(request, slot_id: Id, payload: SlotPatch):
    slot = _slot(request, slot_id)
    require(request.user, service.MANAGE_GATES)
    values = {
        "starts": slot.starts,
        "minutes": slot.minutes,
        "capacity": slot.capacity,
        "position": slot.position,
        "name": slot.name,
    }
    values.update(payload.dict(exclude_unset=True))
    data = SlotInput.parse(values)
    return service.save_slot(slot.canteen, data, by=request.user, slot=slot)[0]


@router.delete("/dining/slots/{int:slot_id}", response={204: None}, tags=TAGS)
def delete_slot(request, slot_id: Id):
    """Refused (409) once people have eaten in the slot."""
    service.delete_slot(_slot(request, slot_id), by=request.user)
    return Status(204, None)


def _groups_out(canteen: Site, groups=None) -> dict:
    week = dining_reads.week(canteen)
    wanted = {g.pk for g in groups} if groups is not None else None
    shown = [g for g in week.groups if wanted is None or g.pk in wanted]
    return {"groups": shown, "warnings": _warnings(canteen)}


@router.get(CANTEEN + "/groups", response=GroupsOut, tags=TAGS)
def list_groups(request, canteen_id: Id):
    """The units in the canteen's rotation with their people, and the coming week's days on
    which a slot would get more people than places (the office: it names every unit)."""
    canteen = _canteen(request, canteen_id)
    require(request.user, service.MANAGE_GATES)
    return _groups_out(canteen)


@router.put(CANTEEN + "/groups", response={200: GroupsOut, 201: GroupsOut}, tags=TAGS)
def set_group(request, canteen_id: Id, payload: DiningGroupIn):
    """Put a unit in the rotation or change its place (201 when new). Over-capacity days come
    back as warnings; they do not refuse."""
    canteen = _canteen(request, canteen_id)
    require(request.user, service.MANAGE_GATES)
    data = GroupInput.parse(payload.dict(), canteen.organization_id)
    group, created = service.set_group(canteen, data, by=request.user)
    return Status(201 if created else 200, _groups_out(canteen, [group]))


@router.post(CANTEEN + "/groups/spread", response=GroupsOut, tags=TAGS)
def spread_units(request, canteen_id: Id, payload: SpreadIn):
    """Spread the units evenly over the canteen's slots in one step."""
    canteen = _canteen(request, canteen_id)
    require(request.user, service.MANAGE_GATES)
    data = SpreadInput.parse(payload.dict(), canteen.organization_id)
    groups, _created = service.spread_units(canteen, data, by=request.user)
    return _groups_out(canteen, groups)


@router.delete("/dining/groups/{int:group_id}", response={204: None}, tags=TAGS)
def delete_group(request, group_id: Id):
    group = get_object_or_404(DiningGroup.objects.visible_to(request.user), pk=group_id)
    service.delete_group(group, by=request.user)
    return Status(204, None)


class WeekQuery(Schema):
    start: Day | None = None


@router.get(CANTEEN + "/week", response=WeekOut, tags=TAGS)
def week(request, canteen_id: Id, query: Query[WeekQuery]):
    """The rotation made visible: seven days from `start` (today) × the slots (the office)."""
    canteen = _canteen(request, canteen_id)
    require(request.user, service.MANAGE_GATES)
    grid = dining_reads.week(canteen, query.start)
    return {
        "canteen_id": canteen.pk,
        "slots": grid.slots,
        "days": [
            {
                "day": d.day,
                "cells": [
                    {
                        "slot_id": c.slot.pk,
                        "units": [name for name, _n in c.units],
                        "people": c.people,
                        "over": c.over,
                    }
                    for c in d.cells
                ],
            }
            for d in grid.days
        ],
        "warnings": [
            {
                "day": day,
                "slot_id": c.slot.pk,
                "slot_name": c.slot.name,
                "people": c.people,
                "capacity": c.slot.capacity,
            }
            for day, c in grid.warnings
        ],
    }


class TodayQuery(Schema):
    canteen: Id | None = None


@router.get("/dining/today", response=list[CanteenFillOut], tags=TAGS)
def today(request, query: Query[TodayQuery]):
    """Today's slots of the canteens the caller may watch (one with `canteen`), with the
    people let in at their canteen doors within each slot."""
    canteens = dining_reads.live_canteens(request.user)
    if query.canteen is not None:
        canteens = [c for c in canteens if c.pk == query.canteen]
    return [
        {
            "canteen_id": f.canteen.pk,
            "canteen_name": f.canteen.name,
            "slots": [
                {
                    "slot": s.slot,
                    "starts": s.starts,
                    "ends": s.ends,
                    "people": s.people,
                    "capacity": s.slot.capacity,
                    "state": s.state,
                }
                for s in f.slots
            ],
        }
        for f in dining_reads.fill(request.user, canteens)
    ]


@router.get("/dining/my-slot", response=MySlotOut, tags=TAGS)
def my_slot(request):
    """The caller's slot today (null when no group of their unit or above covers them)."""
    day = clock.today()
    person = request.user.person
    slot = dining.slot_for(person, day) if person else None
    name = (
        Site.objects.filter(pk=slot.canteen_id).values_list("name", flat=True).first()
        if slot
        else None
    )
    return {"day": day, "slot": slot, "canteen_name": name}


class OrdersQuery(Schema):
    day: Day | None = None
    canteen: Id | None = None


@router.get("/dining/orders", response=list[OrderOut], tags=ORDERS)
@paginate(Pagination, page_size=100)
def list_orders(request, query: Query[OrdersQuery]):
    """The orders the caller may see for a day (tomorrow by default)."""
    day = query.day or clock.today() + dt.timedelta(days=1)
    qs = UnitMealOrder.objects.visible_to(request.user).filter(day=day).select_related("unit")
    if query.canteen is not None:
        qs = qs.filter(canteen_id=query.canteen)
    return qs.order_by("canteen_id", "unit__path", "kind")


@router.post("/dining/orders", response={200: OrderOut, 201: OrderOut}, tags=ORDERS)
def place_order(request, payload: OrderIn, idempotency_key: str = KEY):
    """Order a unit's box meals or group meals for a day (tomorrow by default): 201 when new,
    200 when it changed the number of an order already placed (or replayed a key)."""
    require(request.user, ORDER_MEALS)
    organization_id = request.user.organization_id
    canteen = service.canteen_of(organization_id, payload.canteen_id)
    tomorrow = clock.today() + dt.timedelta(days=1)
    data = OrderInput.parse(payload.dict(), organization_id, tomorrow)
    order, created = dining_orders.place_order(canteen, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, order)
