"""Personal data: masked by default, shown in full only to roles that hold
core.view_personal_data, and every full view recorded in the audit trail."""

from django.utils.translation import gettext as _

from headwater.core import audit
from headwater.core.errors import NotAllowed
from headwater.core.roles import VIEW_PERSONAL_DATA


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_id_number(id_number: str) -> str:
    if len(id_number) < 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


def mask_name(name: str) -> str:
    """李操作 → 李**: the family name and a star for every other character."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_value(value: str) -> str:
    """The audit trail's mask (AUDITLOG_MASK_CALLABLE): the same shapes as the pages show."""
    if value in ("", "None"):
        return value
    return mask_id_number(value) if len(value) == 18 else mask_phone(value)


def masked(person) -> dict[str, str]:
    return {"phone": mask_phone(person.phone), "id_number": mask_id_number(person.id_number)}


def reveal(user, person, purpose: str = "") -> dict[str, str]:
    """The person's phone and ID number in full, for a user allowed to see them; logged."""
    if not user.has_perm(VIEW_PERSONAL_DATA):
        raise NotAllowed(_("Your role may not see personal data in full."))
    audit.record(person, actor=user, revealed="phone,id_number", purpose=purpose)
    return {"phone": person.phone, "id_number": person.id_number}
