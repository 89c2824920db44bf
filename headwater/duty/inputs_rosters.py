"""Typed inputs of posts, their shifts and teams, leave, wishes and roster generation: the
page forms and the API schemas both hand their data to `parse`, which names every bad field."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from headwater.core import inputs
from headwater.core.choices import QualificationKind
from headwater.core.errors import invalid
from headwater.duty.choices import LeaveKind, PostKind, PreferenceKind, ShiftPattern


def _text(data, name, errors, *, max_length, required=True) -> str:
    return inputs.text_field(data, name, max_length, errors, required=required)


def _int(data, name, errors, *, minimum=0, maximum=99, default=None) -> int:
    raw = data.get(name)
    if raw in (None, ""):
        if default is None:
            errors[name] = _("This field is required.")
            return 0
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        errors[name] = _("Enter a whole number.")
        return 0
    if not minimum <= value <= maximum:
        errors[name] = _("Enter a number from %(a)s to %(b)s.") % {"a": minimum, "b": maximum}
    return value


def _choice(data, name, errors, choices, *, required=True) -> str:
    value = str(data.get(name) or "")
    if (required or value) and value not in choices.values:
        errors[name] = _("Choose one of the list.")
    return value


def _date(data, name, errors) -> dt.date | None:
    raw = data.get(name)
    if raw in (None, ""):
        errors[name] = _("This field is required.")
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Enter a date such as 2020-02-01.")
        return None


def _bool(data, name) -> bool:
    return data.get(name) in (True, "on", "true", "1", 1)


@dataclass
class PostInput:
    """A post: name, kind, unit, site, duty phone, minimums, qualification, critical; on
    creation its shifts come from a ready-made pattern."""

    name: str
    kind: str
    unit_id: int
    site_id: int | None
    duty_phone: str
    min_people: int
    qualification: str
    min_qualified: int
    critical: bool
    active: bool
    pattern: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "PostInput":
        errors: dict[str, str] = {}
        name = _text(data, "name", errors, max_length=100)
        kind = _choice(data, "kind", errors, PostKind)
        unit_id = _int(data, "unit", errors, minimum=1, maximum=2**31 - 1)
        site = data.get("site")
        site_id = _int(data, "site", errors, minimum=1, maximum=2**31 - 1) if site else None
        phone = _text(data, "duty_phone", errors, max_length=20, required=False)
        min_people = _int(data, "min_people", errors, minimum=1, maximum=50, default=1)
        qualification = _choice(data, "qualification", errors, QualificationKind, required=False)
        min_qualified = _int(data, "min_qualified", errors, minimum=0, maximum=50, default=0)
        if min_qualified and not qualification:
            errors["qualification"] = _("Choose the qualification the minimum counts.")
        if min_qualified > min_people:
            errors["min_qualified"] = _("At most the minimum number of people.")
        pattern = _choice(data, "pattern", errors, ShiftPattern, required=False)
        if errors:
            raise invalid(errors)
        active = _bool(data, "active") if "active" in data else True
        return cls(
            name,
            kind,
            unit_id,
            site_id,
            phone,
            min_people,
            qualification,
            min_qualified,
            _bool(data, "critical"),
            active,
            pattern or ShiftPattern.DAY_NIGHT,
        )


@dataclass
class ShiftDefInput:
    label: str
    starts: dt.time
    hours: Decimal
    night: bool

    @classmethod
    def parse(cls, data: Mapping[str, Any], prefix: str = "") -> "ShiftDefInput":
        errors: dict[str, str] = {}
        label = _text(data, "label", errors, max_length=30)
        starts = data.get("starts")
        if not isinstance(starts, dt.time):
            try:
                starts = dt.time.fromisoformat(str(starts or ""))
            except ValueError:
                errors["starts"] = _("Enter a time such as 08:00.")
        try:
            hours = Decimal(str(data.get("hours") or "")).quantize(Decimal("0.1"))
            if not Decimal("1") <= hours <= Decimal("24"):
                errors["hours"] = _("Enter a number from %(a)s to %(b)s.") % {"a": 1, "b": 24}
        except InvalidOperation:
            errors["hours"] = _("Enter a number such as 12 or 9.5.")
            hours = Decimal(0)
        if errors:
            raise invalid({f"{prefix}{k}": v for k, v in errors.items()})
        return cls(label, starts, hours, _bool(data, "night"))


@dataclass
class LeaveInput:
    person_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    note: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "LeaveInput":
        errors: dict[str, str] = {}
        person_id = _int(data, "person", errors, minimum=1, maximum=2**31 - 1)
        kind = _choice(data, "kind", errors, LeaveKind)
        starts, ends = _date(data, "starts_on", errors), _date(data, "ends_on", errors)
        if starts and ends and ends < starts:
            errors["ends_on"] = _("The leave ends before it starts.")
        note = _text(data, "note", errors, max_length=200, required=False)
        if errors:
            raise invalid(errors)
        return cls(person_id, kind, starts, ends, note)


@dataclass
class WishInput:
    day: dt.date
    kind: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "WishInput":
        errors: dict[str, str] = {}
        day = _date(data, "day", errors)
        kind = _choice(data, "kind", errors, PreferenceKind)
        if errors:
            raise invalid(errors)
        return cls(day, kind)


@dataclass
class GenerateInput:
    unit_id: int
    starts_on: dt.date
    ends_on: dt.date

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "GenerateInput":
        errors: dict[str, str] = {}
        unit_id = _int(data, "unit", errors, minimum=1, maximum=2**31 - 1)
        starts, ends = _date(data, "starts_on", errors), _date(data, "ends_on", errors)
        if errors:
            raise invalid(errors)
        return cls(unit_id, starts, ends)
