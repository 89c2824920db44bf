"""Typed inputs of the desk (the day of sampling): a registration, a person added at the desk,
a tube scanned to start filling. The page's JavaScript and the API both hand their data to
`parse`, so each rule is written once."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock, inputs
from headwater.core.errors import invalid
from headwater.core.validators import INT_MAX

# A device's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=5)


_text = inputs.text_field  # the one text reader (core.inputs)


def _number(data: Mapping[str, Any], name: str, errors: dict) -> int | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors[name] = _("Enter a whole number.")
        return None
    if not 1 <= value <= INT_MAX:
        errors[name] = _("Enter a whole number.")
        return None
    return value


def barcode_of(data: Mapping[str, Any], errors: dict) -> str:
    barcode = _text(data, "barcode", 40, errors)
    if not barcode and "barcode" not in errors:
        errors["barcode"] = _("Scan or type the tube's barcode.")
    return barcode


def _moment(raw: Any, errors: dict) -> dt.datetime | None:
    if raw in (None, ""):
        errors["taken_at"] = _("A registration kept offline must carry its time.")
        return None
    try:
        value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    except ValueError:
        errors["taken_at"] = _("Enter a time such as 2020-02-01 14:00.")
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > clock.now() + CLOCK_SKEW:
        errors["taken_at"] = _("The time lies in the future.")
        return None
    return value


@dataclass
class TubeInput:
    """A tube scanned or typed at a desk."""

    barcode: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "TubeInput":
        errors: dict[str, str] = {}
        barcode = barcode_of(data, errors)
        if errors:
            raise invalid(errors)
        return cls(barcode)


@dataclass
class RegisterInput:
    """One person sampled into one tube: found on the roster (`entry_id`) or, when the desk
    could not search (offline), named by a staff number, ID number or phone (`identifier`).
    `offline` marks a registration replayed from the device's queue, with the time the swab
    was taken there (`taken_at`); online the server's clock is the time."""

    barcode: str
    entry_id: int | None
    identifier: str
    queue_number: int | None
    proxy_name: str
    offline: bool
    taken_at: dt.datetime | None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "RegisterInput":
        errors: dict[str, str] = {}
        barcode = barcode_of(data, errors)
        entry_id = _number(data, "entry_id", errors)
        identifier = _text(data, "identifier", 30, errors)
        if entry_id is None and not identifier and "entry_id" not in errors:
            errors["entry_id"] = _("Find the person on the roster first.")
        queue_number = _number(data, "queue_number", errors)
        proxy_name = _text(data, "proxy_name", 100, errors)
        offline = data.get("offline") in (True, "true", "1", "on", 1)
        taken_at = _moment(data.get("taken_at"), errors) if offline else None
        if errors:
            raise invalid(errors)
        return cls(barcode, entry_id, identifier, queue_number, proxy_name, offline, taken_at)


@dataclass
class DeskEntryInput:
    """A person not on the roster, added at the desk with a reason: a member of staff by their
    staff number, or an outside person by name, company and phone or ID number."""

    reason: str
    employee_no: str
    name: str
    company: str
    phone: str
    id_number: str

    @property
    def is_staff(self) -> bool:
        return bool(self.employee_no)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "DeskEntryInput":
        errors: dict[str, str] = {}
        reason = _text(data, "reason", 200, errors)
        if not reason and "reason" not in errors:
            errors["reason"] = _("Say why the person is added at the desk.")
        employee_no = _text(data, "employee_no", 30, errors)
        name = _text(data, "name", 100, errors)
        company = _text(data, "company", 100, errors)
        phone = _text(data, "phone", 20, errors)
        id_number = _text(data, "id_number", 18, errors).upper()
        if not employee_no:
            if not name:
                errors["name"] = _("Give the staff number, or the outside person's name.")
            if not company:
                errors["company"] = _("Give the outside person's company.")
            if not phone and not id_number:
                errors["phone"] = _("Give the outside person's phone or ID number.")
            if phone and not phone.isdigit():
                errors["phone"] = _("A phone number has digits only.")
            if id_number and len(id_number) != 18:
                errors["id_number"] = _("An ID number has 18 characters.")
        if errors:
            raise invalid(errors)
        return cls(reason, employee_no, name, company, phone, id_number)


@dataclass
class CallInput:
    """Call the next queue numbers at a site."""

    count: int

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "CallInput":
        errors: dict[str, str] = {}
        count = _number(data, "count", errors) or 0
        if not errors and not 1 <= count <= 100:
            errors["count"] = _("Call between 1 and 100 numbers.")
        if errors:
            raise invalid(errors)
        return cls(count)
