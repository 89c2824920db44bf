"""Typed inputs of the commute buses' use-cases (routes, a week's timetable, disinfection):
the page forms and the API schemas hand their data to `parse`, the one place each rule is
written; a refusal names every bad field at once, in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.access.choices import GateKind
from headwater.access.models import Gate
from headwater.core import clock, inputs
from headwater.core.errors import invalid
from headwater.core.inputs import date_field

MAX_DEPARTURES = 24
MAX_DAYS = 14
# A phone's clock a little ahead of the server's is not a record from the future.
CLOCK_SLACK = dt.timedelta(minutes=5)


text = inputs.text_field  # the one text reader (core.inputs)


def _flag(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.lower() in ("1", "true", "on", "yes")
    return bool(value)


_id = inputs.id_value  # the one id reader (core.inputs)


@dataclass
class RouteInput:
    """A route's name, its bus gate (a gate of kind bus of the organization), its stops."""

    name: str
    gate: Gate
    stops: str = ""
    active: bool = True

    @classmethod
    def parse(cls, data: Mapping[str, Any], organization_id: int) -> RouteInput:
        errors: dict[str, str] = {}
        name = text(data, "name", 100, errors, required=True)
        stops = text(data, "stops", 500, errors)
        gate_id = _id(data.get("gate_id") or data.get("gate"))
        gate = (
            Gate.objects.filter(organization_id=organization_id, kind=GateKind.BUS, pk=gate_id)
            .select_related("site")
            .first()
            if gate_id
            else None
        )
        if gate is None:
            errors["gate_id"] = _("Choose a gate post of kind commute bus.")
        if errors:
            raise invalid(errors)
        return cls(name, gate, stops, _flag(data.get("active"), True))


def departures(raw: Any, errors: dict) -> list[dt.time]:
    """ "07:10, 17:30" (commas, spaces or lines) or a list of times, sorted, once each."""
    items = raw if isinstance(raw, list | tuple) else str(raw or "").replace("，", ",").split()
    if not isinstance(raw, list | tuple):
        items = [p for chunk in items for p in chunk.split(",") if p.strip()]
    times: set[dt.time] = set()
    for item in items:
        if isinstance(item, dt.time):
            times.add(item.replace(second=0, microsecond=0))
            continue
        try:
            times.add(dt.time.fromisoformat(str(item).strip()).replace(second=0, microsecond=0))
        except ValueError:
            errors["departures"] = _("Enter departure times such as 07:10, 17:30.")
            return []
    if not times and "departures" not in errors:
        errors["departures"] = _("Enter at least one departure time.")
    elif len(times) > MAX_DEPARTURES:
        errors["departures"] = _("At most %(n)s departures a day.") % {"n": MAX_DEPARTURES}
    return sorted(times)


@dataclass
class TimetableInput:
    """A week (or `days`) of trips from `starts_on`: one trip per departure time a day, with
    the bus's plate and driver."""

    starts_on: dt.date
    departures: list[dt.time]
    days: int = 7
    plate: str = ""
    driver_name: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> TimetableInput:
        errors: dict[str, str] = {}
        starts_on = date_field(data, "starts_on", errors, required=True)
        times = departures(data.get("departures"), errors)
        days = _id(data.get("days") or 7)
        if days is None or days > MAX_DAYS:
            errors["days"] = _("Between 1 and %(n)s days.") % {"n": MAX_DAYS}
        plate = text(data, "plate", 16, errors)
        driver = text(data, "driver_name", 50, errors)
        if errors:
            raise invalid(errors)
        return cls(starts_on, times, days, plate, driver)


@dataclass
class DisinfectionInput:
    """When the bus was disinfected (now when not given; never in the future) and a note
    (what with); a correction also says why."""

    at: dt.datetime
    note: str = ""
    reason: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any], *, correction: bool = False) -> DisinfectionInput:
        errors: dict[str, str] = {}
        at = moment(data.get("at"), "at", errors)
        note = text(data, "note", 200, errors)
        reason = text(data, "reason", 200, errors, required=correction)
        if errors:
            raise invalid(errors)
        return cls(at or clock.now(), note, reason)


def moment(raw: Any, name: str, errors: dict) -> dt.datetime | None:
    if raw in (None, ""):
        return None
    try:
        value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Enter a time such as 2026-03-10 07:05.")
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > clock.now() + CLOCK_SLACK:
        errors[name] = _("This time is in the future.")
        return None
    if value.year < 2000:
        errors[name] = _("Enter a time such as 2026-03-10 07:05.")
        return None
    return value
