"""Typed inputs of the map's pages and API, shared by both: the pipe of a burst analysis, a new
work order, a work order's next state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from headwater.core.errors import invalid
from headwater.core.inputs import text_field
from headwater.network.choices import WorkOrderKind, WorkOrderState

ID_LENGTH = 64  # a node's or link's id (the models' column)
TRUE = ("1", "true", "on", "yes")


def pipe_field(data: Mapping, errors: dict, name: str = "pipe", *, required=True) -> str:
    message = _("Enter the id of a pipe of the model.") if required else False
    return text_field(data, name, ID_LENGTH, errors, required=message)


def flag(raw: Any, default: bool = True) -> bool:
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in TRUE


@dataclass
class BurstInput:
    pipe: str
    hydraulic: bool
    note: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> BurstInput:
        errors: dict[str, str] = {}
        pipe = pipe_field(data, errors)
        note = text_field(data, "note", 1000, errors)
        if errors:
            raise invalid(errors)
        return cls(pipe=pipe, hydraulic=flag(data.get("hydraulic")), note=note)


@dataclass
class WorkOrderInput:
    kind: str
    title: str
    pipe: str
    node: str
    location: str
    note: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> WorkOrderInput:
        errors: dict[str, str] = {}
        kind = str(data.get("kind") or "").strip()
        if kind not in WorkOrderKind.values:
            errors["kind"] = _("Choose a kind of work order.")
        pipe = pipe_field(data, errors, required=kind == WorkOrderKind.BURST)
        node = text_field(data, "node", ID_LENGTH, errors)
        title = text_field(data, "title", 200, errors)
        if not title and kind != WorkOrderKind.BURST:
            errors["title"] = _("Give the work order a title.")
        location = text_field(data, "location", 200, errors)
        note = text_field(data, "note", 1000, errors)
        if errors:
            raise invalid(errors)
        return cls(kind=kind, title=title, pipe=pipe, node=node, location=location, note=note)


@dataclass
class AdvanceInput:
    to: str
    note: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> AdvanceInput:
        errors: dict[str, str] = {}
        to = str(data.get("to") or "").strip()
        if to not in WorkOrderState.values or to == WorkOrderState.OPEN:
            errors["to"] = _("Choose the state the work order moves to.")
        note = text_field(data, "note", 1000, errors)
        if errors:
            raise invalid(errors)
        return cls(to=to, note=note)
