"""Typed inputs of continuity: choosing a replacement (or a reserve person for a short shift),
a closed-loop group, a rotation hand-over. The pages and the API hand their data here."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from headwater.core import inputs
from headwater.core.errors import invalid
from headwater.duty.choices import LoopState

NAME = 50
MAX_ROTATION_DAYS = 62


_int = inputs.id_value  # the one id reader (core.inputs)


def _day(raw) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class PickInput:
    """The person chosen for a shift (a suggestion or a reserve person)."""

    person_id: int

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "PickInput":
        person_id = _int(data.get("person_id"))
        if person_id is None:
            raise invalid({"person_id": _("Choose a person.")})
        return cls(person_id)


@dataclass(frozen=True)
class GroupInput:
    """A closed-loop group: its name, rotation and members."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    member_ids: list[int]

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "GroupInput":
        errors: dict[str, str] = {}
        name = str(data.get("name") or "").strip()
        if not name:
            errors["name"] = _("Give the group a name.")
        elif len(name) > NAME:
            errors["name"] = _("At most %(n)s characters.") % {"n": NAME}
        starts_on, ends_on = _day(data.get("starts_on")), _day(data.get("ends_on"))
        if starts_on is None:
            errors["starts_on"] = _("Give the first day of the rotation.")
        if ends_on is None:
            errors["ends_on"] = _("Give the last day of the rotation.")
        if starts_on and ends_on:
            if ends_on < starts_on:
                errors["ends_on"] = _("The rotation ends before it starts.")
            elif (ends_on - starts_on).days >= MAX_ROTATION_DAYS:
                errors["ends_on"] = _("A rotation lasts at most %(n)s days.") % {
                    "n": MAX_ROTATION_DAYS
                }
        raw = data.get("member_ids") or []
        if isinstance(raw, str | int):
            raw = [raw]
        members = [_int(m) for m in raw]
        if not members or None in members:
            errors["member_ids"] = _("Choose the group's members.")
        if errors:
            raise invalid(errors)
        return cls(name, starts_on, ends_on, sorted(set(members)))


@dataclass(frozen=True)
class HandoverInput:
    """Where the group leaving the site goes: into reserve or its rotation ends."""

    outgoing_to: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "HandoverInput":
        value = str(data.get("outgoing_to") or LoopState.ENDED)
        if value not in (LoopState.ENDED, LoopState.RESERVE):
            raise invalid(
                {"outgoing_to": _("The group leaving goes into reserve or ends its rotation.")}
            )
        return cls(value)
