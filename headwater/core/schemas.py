"""Request and response bodies of the core API."""

import datetime as dt
from decimal import Decimal

from ninja import Schema

from headwater.core.apitypes import Id, Patch
from headwater.core.privacy import mask_id_number, mask_phone


class UnitOut(Schema):
    id: int
    name: str
    code: str
    parent_id: int | None
    depth: int

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        parent = type(obj).objects.get_parent(obj)
        return parent.pk if parent else None


class SiteOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    kind_label: str
    unit_id: int | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class SiteIn(Schema):
    name: str
    code: str
    kind: str
    unit_id: Id | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class PersonOut(Schema):
    """Phone and ID number are always masked here; /people/{id}/reveal gives them in full."""

    id: int
    employee_no: str
    name: str
    unit_id: Id
    unit_name: str
    position: str
    phone: str
    id_number: str
    employment_status: str
    is_critical: bool

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj) -> str:
        return mask_id_number(obj.id_number)


class PersonIn(Schema):
    employee_no: str
    name: str
    unit_id: Id
    position: str = ""
    phone: str = ""
    id_number: str = ""
    employment_status: str = "active"
    is_critical: bool = False


class PersonPatch(Patch):
    name: str | None = None
    unit_id: Id | None = None
    position: str | None = None
    phone: str | None = None
    id_number: str | None = None
    employment_status: str | None = None
    is_critical: bool | None = None


class RevealIn(Schema):
    purpose: str = ""


class UnlockOut(Schema):
    was_locked: bool  # false: nothing was counted against the login


class RevealOut(Schema):
    phone: str
    id_number: str


class LevelOut(Schema):
    level: str
    label: str
    changed_at: dt.datetime | None
    reason: str


class LevelIn(Schema):
    level: str
    reason: str


class LevelSettingOut(Schema):
    key: str
    label: str
    values: dict


class LevelChangeOut(Schema):
    key: str
    label: str
    capability: str
    old: str | int | bool | list | None
    new: str | int | bool | list | None


class LevelPreviewOut(Schema):
    level: str
    label: str
    current: str
    changes: list[LevelChangeOut]


class LevelValueIn(Schema):
    value: str | int | bool | list


ACTIONS = {0: "create", 1: "update", 2: "delete", 3: "access"}


class AuditEntryOut(Schema):
    """`action` is a stable code (create, update, delete, access); `action_label` is for people."""

    id: int
    timestamp: dt.datetime
    action: str
    action_label: str
    actor: str | None
    model: str
    object_pk: str
    object_repr: str
    changes: dict | None

    @staticmethod
    def resolve_action(obj) -> str:
        return ACTIONS.get(obj.action, str(obj.action))

    @staticmethod
    def resolve_action_label(obj) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor else None

    @staticmethod
    def resolve_model(obj) -> str:
        return obj.content_type.model if obj.content_type else ""

    @staticmethod
    def resolve_changes(obj) -> dict | None:
        return obj.changes if isinstance(obj.changes, dict) else None


class DeviceOut(Schema):
    name: str
    organization: str
    site_id: int | None
