"""Typed inputs of staggered dining (错峰就餐): canteen slots, generating them, a unit's place
in the rotation, spreading units over the slots, and meal orders. The page forms and the API
schemas hand their data to `parse`, the one place each rule is written; a refusal names every
bad field at once, in Chinese."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from headwater.access.choices import MealOrderKind
from headwater.core.errors import invalid
from headwater.core.inputs import date_field
from headwater.core.models import Unit

MAX_SLOTS = 12
MAX_CAPACITY = 100_000
MAX_MEALS = 10_000
DAY_END = dt.datetime.combine(dt.date.min, dt.time.max)


def number(raw: Any) -> int | None:
    """A whole number (text or int), or None."""
    if isinstance(raw, bool):
        return None
    try:
        value = int(str(getattr(raw, "pk", raw)).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 <= value < 2**31 else None


def text(data: Mapping, name: str, limit: int, errors: dict) -> str:
    value = str(data.get(name) or "").strip()
    if len(value) > limit:
        errors[name] = _("At most %(n)s characters.") % {"n": limit}
    return value


def clock_time(data: Mapping, name: str, errors: dict) -> dt.time | None:
    raw = data.get(name)
    if raw in (None, ""):
        errors[name] = _("This field is required.")
        return None
    try:
        value = raw if isinstance(raw, dt.time) else dt.time.fromisoformat(str(raw).strip())
    except ValueError:
        errors[name] = _("Enter a time such as 11:10.")
        return None
    return value.replace(second=0, microsecond=0, tzinfo=None)


def bounded(data: Mapping, name: str, low: int, high: int, message: str, errors: dict):
    value = number(data.get(name))
    if value is None or not low <= value <= high:
        errors[name] = message
        return None
    return value


def minutes_field(data: Mapping, errors: dict, name: str = "minutes") -> int | None:
    return bounded(data, name, 5, 240, _("Enter a length of 5 to 240 minutes."), errors)


def capacity_field(data: Mapping, errors: dict) -> int | None:
    return bounded(
        data,
        "capacity",
        1,
        MAX_CAPACITY,
        _("Enter a number of places from 1 to %(n)s.") % {"n": MAX_CAPACITY},
        errors,
    )


def ends_same_day(starts: dt.time | None, minutes: int | None, count: int = 1) -> bool:
    if starts is None or minutes is None:
        return True
    end = dt.datetime.combine(dt.date.min, starts) + dt.timedelta(minutes=minutes * count)
    return end.date() == dt.date.min or end == dt.datetime.combine(
        dt.date.min + dt.timedelta(days=1), dt.time()
    )


def slot_label(starts: dt.time, minutes: int) -> str:
    end = dt.datetime.combine(dt.date.min, starts) + dt.timedelta(minutes=minutes)
    return f"{starts:%H:%M}–{end:%H:%M}"


@dataclass
class SlotInput:
    """A slot of a canteen: when it starts, for how long, how many places, its place in the
    rotation's order (None: after the others) and a name (by default its times)."""

    starts: dt.time
    minutes: int
    capacity: int
    position: int | None = None
    name: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "SlotInput":
        errors: dict[str, str] = {}
        starts = clock_time(data, "starts", errors)
        minutes = minutes_field(data, errors)
        capacity = capacity_field(data, errors)
        position = None
        if data.get("position") not in (None, ""):
            position = bounded(data, "position", 0, 99, _("Enter an order from 0 to 99."), errors)
        name = text(data, "name", 50, errors)
        if not ends_same_day(starts, minutes):
            errors["minutes"] = _("A slot ends before midnight.")
        if errors:
            raise invalid(errors)
        return cls(starts, minutes, capacity, position, name or slot_label(starts, minutes))


@dataclass
class GenerateInput:
    """Slots one after the other: the first starts at `first`, each `minutes` long, `count`
    of them, each with `capacity` places (11:10, 15 minutes, 3 slots)."""

    first: dt.time
    minutes: int
    count: int
    capacity: int

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "GenerateInput":
        errors: dict[str, str] = {}
        first = clock_time(data, "first", errors)
        minutes = minutes_field(data, errors)
        count = bounded(
            data,
            "count",
            1,
            MAX_SLOTS,
            _("Enter a number of slots from 1 to %(n)s.") % {"n": MAX_SLOTS},
            errors,
        )
        capacity = capacity_field(data, errors)
        if count and not ends_same_day(first, minutes, count):
            errors["count"] = _("The last slot would end after midnight.")
        if errors:
            raise invalid(errors)
        return cls(first, minutes, count, capacity)

    def slots(self) -> list[SlotInput]:
        start = dt.datetime.combine(dt.date.min, self.first)
        out = []
        for i in range(self.count):
            at = (start + dt.timedelta(minutes=self.minutes * i)).time()
            out.append(
                SlotInput(at, self.minutes, self.capacity, None, slot_label(at, self.minutes))
            )
        return out


def unit_of(organization_id: int, raw: Any, name: str, errors: dict) -> Unit | None:
    unit = Unit.objects.filter(organization_id=organization_id, pk=number(raw) or 0).first()
    if unit is None:
        errors[name] = _("Choose a unit.")
    return unit


@dataclass
class GroupInput:
    """A unit's place in a canteen's rotation: the slot (0-based, in the slots' order) it eats
    in on `starts_on`, and whether it moves one slot later each following day."""

    unit: Unit
    position: int
    starts_on: dt.date
    rotates: bool = True

    @classmethod
    def parse(cls, data: Mapping[str, Any], organization_id: int) -> "GroupInput":
        errors: dict[str, str] = {}
        unit = unit_of(organization_id, data.get("unit_id"), "unit_id", errors)
        position = bounded(data, "position", 0, 99, _("Choose the slot of the first day."), errors)
        starts_on = date_field(data, "starts_on", errors, required=True)
        if errors:
            raise invalid(errors)
        return cls(unit, position, starts_on, flag(data.get("rotates", True)))


@dataclass
class SpreadInput:
    """Several units spread evenly over a canteen's slots in one step, from `starts_on`."""

    units: list[Unit]
    starts_on: dt.date
    rotates: bool = True

    @classmethod
    def parse(cls, data: Mapping[str, Any], organization_id: int) -> "SpreadInput":
        errors: dict[str, str] = {}
        raw = data.get("unit_ids") or []
        if isinstance(raw, str):
            raw = [part for part in raw.replace("，", ",").split(",") if part.strip()]
        ids = [number(x) for x in raw]
        units = list(
            Unit.objects.filter(organization_id=organization_id, pk__in=[i for i in ids if i])
        )
        if not ids or None in ids or len(units) != len(set(ids)) or len(ids) > 500:
            errors["unit_ids"] = _("Choose one or more units.")
        starts_on = date_field(data, "starts_on", errors, required=True)
        if errors:
            raise invalid(errors)
        order = {pk: i for i, pk in enumerate(ids)}
        units.sort(key=lambda u: order[u.pk])
        return cls(units, starts_on, flag(data.get("rotates", True)))


def flag(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() not in ("", "0", "false", "off", "no")
    return bool(raw)


@dataclass
class OrderInput:
    """Box meals or a group order of a unit at a canteen for a day (by default tomorrow)."""

    unit: Unit
    day: dt.date
    kind: str
    count: int
    note: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any], organization_id: int, default_day: dt.date):
        errors: dict[str, str] = {}
        unit = unit_of(organization_id, data.get("unit_id"), "unit_id", errors)
        day = date_field(data, "day", errors) or (None if "day" in errors else default_day)
        kind = str(data.get("kind") or "")
        if kind not in MealOrderKind.values:
            errors["kind"] = _("Choose box meals or a group order.")
        count = bounded(
            data,
            "count",
            0,
            MAX_MEALS,
            _("Enter a number of meals from 0 to %(n)s.") % {"n": MAX_MEALS},
            errors,
        )
        note = text(data, "note", 200, errors)
        if errors:
            raise invalid(errors)
        return cls(unit, day, kind, count, note)
