"""Household members (家属): the relatives a member of staff registers, edits and marks as no
longer living with them. Staff do it for themselves; the office (core.change_person) for
anyone in its scope. Each write is one transaction, audited (phone and address masked in the
trail), and refuses bad input naming every field with nothing changed.

Who sees a relative's phone and address in full (ADR 0017): the member of staff themself (they
typed it in); everybody else sees them masked, and a role holding core.view_personal_data may
reveal them, which is logged (`reveal_member`)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from headwater.core import audit, clock
from headwater.core.audit import acting_as
from headwater.core.choices import Relation
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.models import HouseholdMember, Person
from headwater.core.privacy import mask_phone
from headwater.core.roles import CHANGE_PERSON, VIEW_PERSONAL_DATA
from headwater.core.validators import validate_phone
from headwater.core.writes import Written, idempotent

CREATE = "core.household_member"  # the action of its idempotency keys
FIELDS = ("name", "relation", "phone", "address")
LIMITS = {"name": 100, "address": 200}


def editable(user) -> QuerySet[HouseholdMember]:
    """The relatives `user` may change: their own, and for the office everyone's in scope. A
    relative outside it is not found (404), whether it exists or not."""
    qs = HouseholdMember.objects.visible_to(user)
    if user.has_perm(CHANGE_PERSON):
        return qs
    return qs.filter(person_id=user.person_id) if user.person_id else qs.none()


def may_manage(user, person: Person) -> bool:
    """Whether `user` may register relatives for `person` (a person they can see)."""
    return person.pk == user.person_id or user.has_perm(CHANGE_PERSON)


def parse(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, str]:
    """The member's fields from a form or an API body, or DomainError naming every bad field.
    `partial`: only the fields present are checked and returned (an API PATCH)."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for name in FIELDS:
        if partial and name not in data:
            continue
        value = str(data.get(name) or "").strip()
        if name == "phone":
            value = value.replace(" ", "")
            try:
                validate_phone(value)
            except ValidationError as e:
                errors[name] = e.messages[0]
        elif name == "relation":
            if value not in Relation.values:
                errors[name] = _("Choose one of the options.")
        elif name == "name" and not value:
            errors[name] = _("This field is required.")
        if name in LIMITS and len(value) > LIMITS[name]:
            errors[name] = _("At most %(n)s characters.") % {"n": LIMITS[name]}
        clean[name] = value
    if errors:
        raise invalid(errors)
    return clean


def register_member(
    person: Person, data: Mapping[str, Any], *, by, key: str = ""
) -> Written[HouseholdMember]:
    """Register a relative of `person`. A retried request with the same key (a phone on a bad
    connection) answers the first relative and registers nobody twice."""
    if not may_manage(by, person):
        raise NotAllowed(_("You can only register your own household members."))
    fields = parse(data)

    def write() -> Written[HouseholdMember]:
        with acting_as(by):
            member = HouseholdMember.objects.create(
                organization_id=person.organization_id,
                person=person,
                created_at=clock.now(),
                **fields,
            )
        return member, True

    return idempotent(CREATE, by=by, key=key, model=HouseholdMember, write=write)


def update_member(
    member: HouseholdMember, data: Mapping[str, Any], *, by, partial: bool = False
) -> Written[HouseholdMember]:
    """Change a relative's name, relation, phone or address; audited. Nothing changes when
    any field is bad; saving the same values again writes nothing."""
    _check_editable(member, by)
    fields = parse(data, partial=partial)
    changed = [n for n, v in fields.items() if getattr(member, n) != v]
    if not changed:
        return member, False
    for name in changed:
        setattr(member, name, fields[name])
    with acting_as(by):
        member.save(update_fields=changed)
    return member, False


def deactivate_member(member: HouseholdMember, *, by) -> Written[HouseholdMember]:
    """The relative no longer lives with the member of staff: kept (with their past health
    lines), no longer asked for in the check-in nor listed in the grid screening. Again on an
    inactive relative changes nothing."""
    _check_editable(member, by)
    if member.is_active:
        member.is_active = False
        with acting_as(by):
            member.save(update_fields=["is_active"])
    return member, False


def _check_editable(member: HouseholdMember, by) -> None:
    if not editable(by).filter(pk=member.pk).exists():
        raise DomainError(_("Household member not found."), code="not_found", status=404)


def mask_address(address: str) -> str:
    """The district and street, not the door: the first six characters and a mask."""
    if len(address) <= 6:
        return "*" * len(address)
    return f"{address[:6]}****"


def shown(member: HouseholdMember, viewer) -> dict[str, str]:
    """The phone and address as `viewer` sees them: in full for the member of staff's own
    relatives, masked for anybody else."""
    if viewer.person_id and viewer.person_id == member.person_id:
        return {"phone": member.phone, "address": member.address}
    return {"phone": mask_phone(member.phone), "address": mask_address(member.address)}


def reveal_member(user, member: HouseholdMember, purpose: str = "") -> dict[str, str]:
    """A relative's phone and address in full, for a role allowed personal data; logged."""
    if not user.has_perm(VIEW_PERSONAL_DATA):
        raise NotAllowed(_("Your role may not see personal data in full."))
    audit.record(member, actor=user, revealed="phone,address", purpose=purpose)
    return {"phone": member.phone, "address": member.address}
