"""The typed input of a critical customer (重点用户): the page form, the API and the spreadsheet
import hand their data to `CustomerInput.parse`, which names every bad field at once. Whether
the nodes exist in the current model is the service's check (it needs the database)."""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from headwater.core import inputs
from headwater.core.errors import invalid
from headwater.network.choices import CustomerKind

NAME_MAX = 100
ADDRESS_MAX = 200
CONTACT_MAX = 50
PHONE_MAX = 20
NOTE_MAX = 2000
NODE_MAX = 64
NODES_MAX = 20
FEEDS_MAX = 9
PRESSURE_MAX = 100
COORDINATE_MAX = 1e9
# A phone as people write it: digits, +, -, spaces (0731-8888 6666, +86 139...).
PHONE = re.compile(r"^[0-9+\- ]*[0-9][0-9+\- ]*$")
# Node ids in one cell: separated by commas (either width), 、 or semicolons.
NODE_SEPARATORS = re.compile(r"[,，、;；]")


def kind_value(raw) -> str | None:
    """A kind by its code, or its label in Chinese or English (a spreadsheet's 类型)."""
    text = str(raw or "").strip().casefold()
    if text in CustomerKind.values:
        return text
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in CustomerKind.choices:
                if text == str(label).casefold():
                    return value
    return None


def split_nodes(raw) -> list[str]:
    """Node ids from a list or from one text, in order, each once."""
    items = raw if isinstance(raw, list | tuple) else NODE_SEPARATORS.split(str(raw or ""))
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return out


def _nodes(data, errors) -> list[str]:
    nodes = split_nodes(data.get("nodes"))
    if not nodes:
        errors["nodes"] = _("Name at least one node of the network model that feeds it.")
    elif len(nodes) > NODES_MAX:
        errors["nodes"] = _("At most %(n)s feeding nodes.") % {"n": NODES_MAX}
    elif any(len(n) > NODE_MAX for n in nodes):
        errors["nodes"] = _("A node id has at most %(n)s characters.") % {"n": NODE_MAX}
    return nodes


def _number(data, name, errors, *, low, high, message, whole=False, required=True):
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            errors[name] = message
        return None
    try:
        value = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
    except (TypeError, ValueError):
        errors[name] = message
        return None
    if isinstance(raw, bool) or not math.isfinite(value) or not low <= value <= high:
        errors[name] = message
        return None
    if whole:
        if not value.is_integer():
            errors[name] = message
            return None
        return int(value)
    return value


def _phone(data, name, errors) -> str:
    value = inputs.text_field(data, name, PHONE_MAX, errors)
    if value and name not in errors and not PHONE.match(value):
        errors[name] = _("A phone number has digits, “-”, “+” and spaces only.")
    return value


def _bool(raw, default: bool) -> bool:
    if raw in (None, ""):
        return default
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "on", "yes")
    return bool(raw)


@dataclass(frozen=True)
class CustomerInput:
    name: str
    kind: str
    nodes: list[str]
    feeds: int
    min_pressure: float
    address: str = ""
    contact: str = ""
    contact_phone: str = ""
    duty_phone: str = ""
    x: float | None = None
    y: float | None = None
    pressure_point_id: int | None = None
    note: str = ""
    active: bool = True

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "CustomerInput":
        errors: dict[str, str] = {}
        name = inputs.text_field(data, "name", NAME_MAX, errors, required=True)
        kind = kind_value(data.get("kind"))
        if kind is None:
            errors["kind"] = _("Choose a kind of critical customer from the list.")
        nodes = _nodes(data, errors)
        feeds = _number(
            data,
            "feeds",
            errors,
            low=1,
            high=FEEDS_MAX,
            whole=True,
            message=_("Independent feeds: a whole number from 1 to %(n)s.") % {"n": FEEDS_MAX},
        )
        min_pressure = _number(
            data,
            "min_pressure",
            errors,
            low=0,
            high=PRESSURE_MAX,
            message=_("Minimum pressure: a number of metres from 0 to %(n)s.")
            % {"n": PRESSURE_MAX},
        )
        coordinate = _("A coordinate in the model's plane (a number).")
        bounds = {"low": -COORDINATE_MAX, "high": COORDINATE_MAX, "required": False}
        x = _number(data, "x", errors, message=coordinate, **bounds)
        y = _number(data, "y", errors, message=coordinate, **bounds)
        if (x is None) != (y is None) and "x" not in errors and "y" not in errors:
            errors["y" if x is not None else "x"] = _("Give both coordinates or neither.")
        raw_point = data.get("pressure_point_id")
        point_id = inputs.id_value(raw_point)
        if raw_point not in (None, "") and point_id is None:
            errors["pressure_point_id"] = _("Choose one of the list.")
        values = {
            "address": inputs.text_field(data, "address", ADDRESS_MAX, errors),
            "contact": inputs.text_field(data, "contact", CONTACT_MAX, errors),
            "contact_phone": _phone(data, "contact_phone", errors),
            "duty_phone": _phone(data, "duty_phone", errors),
            "note": inputs.text_field(data, "note", NOTE_MAX, errors),
        }
        if errors:
            raise invalid(errors)
        return cls(
            name=name,
            kind=kind,
            nodes=nodes,
            feeds=feeds,
            min_pressure=min_pressure,
            x=x,
            y=y,
            pressure_point_id=point_id,
            active=_bool(data.get("active"), True),
            **values,
        )
