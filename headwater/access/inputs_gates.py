"""Typed inputs of the gates part (a gate post, a scanner device, a duty team, a member): the
page forms and the API schemas both hand their data to `parse`, which names every bad field."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.access.choices import GateKind
from headwater.core import inputs
from headwater.core.errors import invalid

NAME_MAX = 100
BATCH_MAX = 99


def _text(data, name, errors, *, max_length=NAME_MAX, required=True) -> str:
    return inputs.text_field(data, name, max_length, errors, required=required)


def _id(data, name, errors, *, required=True) -> int | None:
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            errors[name] = _("This field is required.")
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        errors[name] = _("Choose one of the list.")
        return None
    if not 0 < value < 2**31:
        errors[name] = _("Choose one of the list.")
        return None
    return value


def _bool(data, name, default: bool) -> bool:
    raw = data.get(name, default)
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "on", "yes")
    return bool(raw)


@dataclass(frozen=True)
class GateInput:
    site_id: int
    name: str
    kind: str
    checks_temperature: bool
    active: bool

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "GateInput":
        errors: dict[str, str] = {}
        site_id = _id(data, "site_id", errors)
        name = _text(data, "name", errors)
        kind = str(data.get("kind") or "")
        if kind not in GateKind.values:
            errors["kind"] = _("Choose one of the list.")
        if errors:
            raise invalid(errors)
        return cls(
            site_id=site_id,
            name=name,
            kind=kind,
            checks_temperature=_bool(data, "checks_temperature", True),
            active=_bool(data, "active", True),
        )


@dataclass(frozen=True)
class DeviceInput:
    name: str

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "DeviceInput":
        errors: dict[str, str] = {}
        name = _text(data, "name", errors)
        if errors:
            raise invalid(errors)
        return cls(name=name)


@dataclass(frozen=True)
class TeamInput:
    """A team; its leader by id (API) or by staff number or phone (`leader`, the page)."""

    name: str
    batch: int
    leader_id: int | None
    leader: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "TeamInput":
        errors: dict[str, str] = {}
        name = _text(data, "name", errors)
        batch = parse_batch(data.get("batch"), errors)
        leader_id = _id(data, "leader_id", errors, required=False)
        leader = _text(data, "leader", errors, max_length=20, required=False)
        if errors:
            raise invalid(errors)
        return cls(name=name, batch=batch, leader_id=leader_id, leader=leader.replace(" ", ""))


def parse_batch(raw, errors: dict, name: str = "batch") -> int:
    """A batch number 1–99 (第1批); blank is the first batch."""
    if raw in (None, ""):
        return 1
    text = str(raw).strip().removeprefix("第").removesuffix("批")
    try:
        value = int(text)
    except (TypeError, ValueError):
        errors[name] = pgettext("gates", "Enter a batch number from 1 to %(n)s.") % {"n": BATCH_MAX}
        return 1
    if not 1 <= value <= BATCH_MAX:
        errors[name] = pgettext("gates", "Enter a batch number from 1 to %(n)s.") % {"n": BATCH_MAX}
        return 1
    return value


@dataclass(frozen=True)
class MemberInput:
    """A member by id (API) or by staff number or phone (`who`, the page)."""

    person_id: int | None
    who: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "MemberInput":
        errors: dict[str, str] = {}
        person_id = _id(data, "person_id", errors, required=False)
        who = _text(data, "who", errors, max_length=20, required=False).replace(" ", "")
        if person_id is None and not who and not errors:
            errors["person_id" if "person_id" in data else "who"] = _("This field is required.")
        if errors:
            raise invalid(errors)
        return cls(person_id=person_id, who=who)
