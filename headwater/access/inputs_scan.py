"""Typed input of a scan, one for the API's single scan, each item of its batch and any page:
`ScanInput.parse(data)` names every bad field in one refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.access.choices import Decision, Direction
from headwater.core.errors import invalid
from headwater.core.inputs import temperature_field
from headwater.core.validators import INT_MAX, is_record_date


def _text(data: Mapping[str, Any], name: str, limit: int, errors: dict) -> str:
    raw = data.get(name)
    if raw is None:
        return ""
    if not isinstance(raw, str | int):
        errors[name] = _("Enter a valid value.")
        return ""
    value = str(raw).strip()
    if len(value) > limit:
        errors[name] = _("At most %(n)s characters.") % {"n": limit}
    return value


def _gate_id(raw: Any, errors: dict) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw))
    except ValueError:
        value = 0
    if not 1 <= value <= INT_MAX:
        errors["gate_id"] = _("Enter a whole number.")
        return None
    return value


def _moment(raw: Any, errors: dict) -> dt.datetime | None:
    if raw in (None, ""):
        return None
    try:
        value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    except ValueError:
        value = None
    if value is None or not is_record_date(value.date()):
        errors["at"] = _("Enter a time such as 2020-02-01T14:00:00+08:00.")
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@dataclass(frozen=True)
class ScanInput:
    """One scan: a pass token or a typed staff number, the temperature, the direction, the
    device's scan time (kept when it was queued offline) and the client's key."""

    gate_id: int | None
    token: str
    staff_number: str
    temperature: Decimal | None
    direction: str
    at: dt.datetime | None
    key: str
    override_reason: str
    device_decision: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> ScanInput:
        errors: dict[str, str] = {}
        gate_id = _gate_id(data.get("gate_id"), errors)
        token = _text(data, "token", 400, errors)
        staff_number = _text(data, "staff_number", 30, errors)
        if not token and not staff_number and not errors:
            errors["token"] = _("Scan a pass or type a staff number.")
        temperature = temperature_field(data, "temperature", errors)
        direction = str(data.get("direction") or Direction.IN)
        if direction not in Direction.values:
            errors["direction"] = _("Choose in or out.")
        at = _moment(data.get("at"), errors)
        key = _text(data, "key", 64, errors)
        if "key" not in errors and len(key) < 8:
            errors["key"] = _("Send a key of 8 to 64 characters with each scan.")
        override_reason = _text(data, "override_reason", 200, errors)
        device_decision = str(data.get("device_decision") or "")
        if device_decision not in ("", *Decision.values):
            errors["device_decision"] = _("Enter a valid value.")
        if errors:
            raise invalid(errors)
        return cls(
            gate_id,
            token,
            staff_number,
            temperature,
            direction,
            at,
            key,
            override_reason,
            device_decision,
        )

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of `services.scan.scan` (without gate and caller)."""
        return {
            "token": self.token or None,
            "staff_number": self.staff_number or None,
            "temperature": self.temperature,
            "direction": self.direction,
            "at": self.at,
            "key": self.key,
            "override_reason": self.override_reason,
            "device_decision": self.device_decision,
        }
