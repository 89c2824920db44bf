"""Typed inputs of the "now" part (swaps, the duty log, handovers): the page forms and the
API schemas both hand their data to `parse`, which names every bad field."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from headwater.core import inputs
from headwater.core.errors import invalid
from headwater.duty.choices import LogKind

REASON_MAX, TEXT_MAX, NOTE_MAX = 200, 2000, 4000


def _text(data, name: str, limit: int, errors: dict, *, required=True) -> str:
    return inputs.text_field(data, name, limit, errors, required=required)


@dataclass
class SwapInput:
    """Hand one's shift to a colleague: who, and why."""

    to_person: int
    reason: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "SwapInput":
        errors: dict[str, str] = {}
        raw = data.get("to_person")
        try:
            to_person = int(raw)
            if to_person < 1:
                raise ValueError
        except (TypeError, ValueError):
            to_person = 0
            errors["to_person"] = _("Choose the colleague who takes the shift.")
        reason = _text(data, "reason", REASON_MAX, errors, required=False)
        if errors:
            raise invalid(errors)
        return cls(to_person, reason)


@dataclass
class DecisionInput:
    """A unit head's refusal of a swap: why (told to the person who asked)."""

    note: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "DecisionInput":
        errors: dict[str, str] = {}
        note = _text(data, "note", REASON_MAX, errors, required=False)
        if errors:
            raise invalid(errors)
        return cls(note)


@dataclass
class LogInput:
    """An entry of the duty log: a call, an event or an instruction."""

    kind: str
    text: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "LogInput":
        errors: dict[str, str] = {}
        kind = str(data.get("kind") or "")
        if kind not in LogKind.values:
            errors["kind"] = _("Choose call, event or instruction.")
        text = _text(data, "text", TEXT_MAX, errors)
        if errors:
            raise invalid(errors)
        return cls(kind, text)


@dataclass
class HandoverInput:
    """The note a shift leaves to the next one."""

    note: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "HandoverInput":
        errors: dict[str, str] = {}
        note = _text(data, "note", NOTE_MAX, errors)
        if errors:
            raise invalid(errors)
        return cls(note)
