"""Staggered dining (错峰就餐): which slot of which canteen a person eats in on a day.

A unit's `DiningGroup` puts it in the slot at `position` on `starts_on`; when it rotates, one
slot later each following day, round the canteen's slots in their order (循环滚动), so the
units take turns at the early and late slots. Pure reads: the pass page, the canteen scanner
and the slot-fill page all ask here."""

from __future__ import annotations

import datetime as dt

from headwater.access.models import DiningGroup, MealSlot
from headwater.core.models import Unit


def slot_index(group: DiningGroup, day: dt.date, count: int) -> int | None:
    """The index (0-based, in the canteen's slot order) of `group`'s slot on `day`."""
    if count <= 0 or day < group.starts_on:
        return None
    shift = (day - group.starts_on).days if group.rotates else 0
    return (group.position + shift) % count


def slots_of(canteen_id: int) -> list[MealSlot]:
    return list(MealSlot.objects.filter(canteen_id=canteen_id).order_by("position", "starts", "pk"))


def slots_for_unit_ids(unit_ids: list[int], day: dt.date) -> dict[int, list[MealSlot]]:
    """{unit id: [its slot in each canteen it eats in on `day`]} for the given units (a
    person's unit and its ancestors: a group of a unit covers its subtree)."""
    groups = list(DiningGroup.objects.filter(unit_id__in=unit_ids).order_by("canteen_id", "pk"))
    by_canteen: dict[int, list[MealSlot]] = {}
    answer: dict[int, list[MealSlot]] = {}
    for group in groups:
        slots = by_canteen.get(group.canteen_id)
        if slots is None:
            slots = by_canteen[group.canteen_id] = slots_of(group.canteen_id)
        index = slot_index(group, day, len(slots))
        if index is not None:
            answer.setdefault(group.unit_id, []).append(slots[index])
    return answer


def slot_for(person, day: dt.date, canteen_id: int | None = None) -> MealSlot | None:
    """The slot `person` eats in on `day` (at `canteen_id` when given): their own unit's
    group, else the nearest ancestor unit's; None when no group covers them."""
    unit = getattr(person, "unit", None)
    if unit is None:
        return None
    chain = [unit.pk, *[u.pk for u in reversed(list(Unit.objects.get_ancestors(unit)))]]
    found = slots_for_unit_ids(chain, day)
    for unit_id in chain:  # nearest unit first
        for slot in found.get(unit_id, []):
            if canteen_id is None or slot.canteen_id == canteen_id:
                return slot
    return None
