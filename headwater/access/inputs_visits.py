"""Typed inputs of visitors and vehicles: a visit registered at a gate, the host's decision, a
vehicle at a gate. The pages' forms and the API hand their data to `parse`, so each rule is
written once; a refusal names every bad field in Chinese."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from headwater.access.choices import Direction
from headwater.core import inputs
from headwater.core.errors import invalid
from headwater.core.validators import INT_MAX, validate_id_number, validate_phone

# A Chinese plate, loosely: a province character, a letter, then 5 (ordinary) or 6 (new
# energy) letters or digits; the last may be 警/学/挂/领/港/澳/试/超 (police, learner, trailer …).
# Spaces and a middle dot are dropped first (京A·12345).
PLATE = re.compile(
    r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]"
    r"[A-Z][A-Z0-9]{4,5}[A-Z0-9挂学警港澳领试超]$"
)
YES = (True, "true", "1", "on", "yes", 1)


_text = inputs.text_field  # the one text reader (core.inputs); `required` its message


def _validated(value: str, name: str, check, errors: dict) -> str:
    try:
        check(value)
    except ValidationError as e:
        errors[name] = e.messages[0]
    return value


def plate_of(data: Mapping[str, Any], errors: dict, *, required: bool) -> str:
    raw = _text(data, "plate", 16, errors)
    plate = re.sub(r"[\s·.\-]", "", raw).upper()
    if not plate:
        if required and "plate" not in errors:
            errors["plate"] = _("Enter the vehicle's plate.")
        return ""
    if not PLATE.match(plate):
        errors["plate"] = _(
            "A plate is a province character, a letter and 5 or 6 letters or digits, "
            "such as 浙A12345 or 浙AD12345."
        )
    return plate


def _id(data: Mapping[str, Any], name: str, errors: dict) -> int | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= INT_MAX:
        errors[name] = _("Enter a whole number.")
        return None
    return value


@dataclass
class VisitInput:
    """A visitor registered at a gate. `host` names the member of staff visited (staff number,
    phone or name), or `host_id` picks them (the API)."""

    name: str
    phone: str
    id_number: str
    company: str
    reason: str
    host: str
    host_id: int | None
    plate: str
    temperature: Decimal | None
    travel_history: str
    contact_history: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "VisitInput":
        errors: dict[str, str] = {}
        name = _text(data, "name", 50, errors, required=_("Enter the visitor's name."))
        phone = _text(data, "phone", 20, errors, required=_("Enter the visitor's phone."))
        if phone and "phone" not in errors:
            _validated(phone, "phone", validate_phone, errors)
        id_number = _text(data, "id_number", 18, errors).upper()
        if id_number and "id_number" not in errors:
            _validated(id_number, "id_number", validate_id_number, errors)
        value = cls(
            name=name,
            phone=phone,
            id_number=id_number,
            company=_text(data, "company", 100, errors),
            reason=_text(data, "reason", 200, errors, required=_("Say why the visitor comes.")),
            host=_text(data, "host", 100, errors),
            host_id=_id(data, "host_id", errors),
            plate=plate_of(data, errors, required=False),
            temperature=inputs.temperature_field(data, "temperature", errors),
            travel_history=_text(data, "travel_history", 300, errors),
            contact_history=_text(data, "contact_history", 300, errors),
        )
        if errors:
            raise invalid(errors)
        return value


@dataclass
class RefuseInput:
    """The host's (or the office's) refusal of a visit: a note is required."""

    note: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "RefuseInput":
        errors: dict[str, str] = {}
        note = _text(data, "note", 200, errors, required=_("Say why the visit is refused."))
        if errors:
            raise invalid(errors)
        return cls(note)


def override_of(data: Mapping[str, Any]) -> str:
    errors: dict[str, str] = {}
    reason = _text(data, "override_reason", 200, errors)
    if errors:
        raise invalid(errors)
    return reason


@dataclass
class VehicleInput:
    """A vehicle at a gate: plate, driver, cargo, disinfection, the driver's temperature, an
    optional visit it comes with, and — at a closed site — the override a host gave (the host
    named like a visit's host, and the reason)."""

    plate: str
    direction: str
    driver_name: str
    driver_phone: str
    driver_temperature: Decimal | None
    cargo: str
    disinfected: bool
    visit_id: int | None
    override_host: str
    override_reason: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "VehicleInput":
        errors: dict[str, str] = {}
        direction = str(data.get("direction") or Direction.IN)
        if direction not in Direction.values:
            errors["direction"] = _("Choose in or out.")
        driver_phone = _text(data, "driver_phone", 20, errors)
        if driver_phone and "driver_phone" not in errors:
            _validated(driver_phone, "driver_phone", validate_phone, errors)
        value = cls(
            plate=plate_of(data, errors, required=True),
            direction=direction,
            driver_name=_text(data, "driver_name", 50, errors),
            driver_phone=driver_phone,
            driver_temperature=inputs.temperature_field(data, "driver_temperature", errors),
            cargo=_text(data, "cargo", 200, errors),
            disinfected=data.get("disinfected") in YES,
            visit_id=_id(data, "visit_id", errors),
            override_host=_text(data, "override_host", 100, errors),
            override_reason=_text(data, "override_reason", 200, errors),
        )
        if bool(value.override_host) != bool(value.override_reason) and not errors:
            field = "override_reason" if value.override_host else "override_host"
            errors[field] = _("An override names the host who gave it and the reason.")
        if errors:
            raise invalid(errors)
        return value
