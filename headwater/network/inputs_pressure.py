"""Typed inputs of the pressure watch (a pressure point, a telemetry device): the page forms
and the API schemas both hand their data to `parse`, which names every bad field at once."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from headwater.core import inputs
from headwater.core.errors import invalid
from headwater.network.choices import PointKind

CODE_MAX = 40
NAME_MAX = 100
NODE_MAX = 64
# What a sensor of each kind can read: pressure in m (a vacuum to a high-lift main), flow in
# L/s either way. A threshold and a reading outside these are refused.
BOUNDS = {PointKind.PRESSURE: (-10.0, 200.0), PointKind.FLOW: (-100_000.0, 100_000.0)}


def bounds(kind: str) -> tuple[float, float]:
    return BOUNDS.get(kind, BOUNDS[PointKind.PRESSURE])


def number(raw) -> float | None:
    """A finite number from a form's text or a body's number, else None."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _threshold(data, name, kind, errors) -> float | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    value = number(raw)
    low, high = bounds(kind)
    if value is None or not low <= value <= high:
        errors[name] = _("Enter a number from %(low)s to %(high)s.") % {
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
        return None
    return round(value, 3)


def _bool(data, name, default: bool) -> bool:
    raw = data.get(name, default)
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "on", "yes")
    return bool(raw)


@dataclass(frozen=True)
class PointInput:
    code: str
    name: str
    kind: str
    node: str
    low: float | None
    high: float | None
    open_work_order: bool
    active: bool
    device_id: int | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "PointInput":
        errors: dict[str, str] = {}
        code = inputs.text_field(data, "code", CODE_MAX, errors, required=True)
        name = inputs.text_field(data, "name", NAME_MAX, errors, required=True)
        kind = str(data.get("kind") or PointKind.PRESSURE)
        if kind not in PointKind.values:
            errors["kind"] = _("Choose one of the list.")
            kind = PointKind.PRESSURE
        node = inputs.text_field(data, "node", NODE_MAX, errors)
        low = _threshold(data, "low", kind, errors)
        high = _threshold(data, "high", kind, errors)
        if low is not None and high is not None and low >= high:
            errors["high"] = _("The high threshold must be above the low threshold.")
        device_id = None
        if data.get("device_id") not in (None, ""):
            device_id = inputs.id_value(data.get("device_id"))
            if device_id is None:
                errors["device_id"] = _("Choose one of the list.")
        if errors:
            raise invalid(errors)
        return cls(
            code=code,
            name=name,
            kind=kind,
            node=node,
            low=low,
            high=high,
            open_work_order=_bool(data, "open_work_order", False),
            active=_bool(data, "active", True),
            device_id=device_id,
        )


@dataclass(frozen=True)
class DeviceInput:
    name: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "DeviceInput":
        errors: dict[str, str] = {}
        name = inputs.text_field(data, "name", NAME_MAX, errors, required=True)
        if errors:
            raise invalid(errors)
        return cls(name=name)


# The point's own fields an API answer and a PATCH's starting values carry.
FIELDS_OUT = ("code", "name", "kind", "node", "low", "high", "open_work_order", "active")
