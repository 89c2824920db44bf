"""Write use-cases of the core app. Each is atomic and leaves an audit record."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import announcements, clock, levels
from headwater.core.audit import acting_as
from headwater.core.choices import EmploymentStatus, ResponseLevel, SiteKind
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.models import (
    HouseholdMember,
    LevelSettingValue,
    Organization,
    Person,
    ResponseLevelChange,
    Site,
)
from headwater.core.roles import CHANGE_PERSON, CHANGE_RESPONSE_LEVEL, CHANGE_SITE
from headwater.core.validators import validate_id_number, validate_phone

PERSON_FIELDS = [
    "unit",
    "employee_no",
    "name",
    "position",
    "phone",
    "id_number",
    "employment_status",
    "is_critical",
    "left_on",
]


@transaction.atomic
def switch_level(organization: Organization, level: str, *, by, reason: str) -> ResponseLevelChange:
    """Put the organization at a response level; every per-level setting follows at once."""
    if not by.has_perm(CHANGE_RESPONSE_LEVEL):
        raise NotAllowed(_("Your role may not change the response level."))
    if level not in ResponseLevel.values:
        raise DomainError(
            _("Unknown response level."), fields={"level": _("Unknown response level.")}
        )
    if not reason.strip():
        raise DomainError(
            _("Give a reason for the change."), fields={"reason": _("This field is required.")}
        )
    Organization.objects.select_for_update().get(pk=organization.pk)
    levels.forget(organization)
    was = organization.response_level
    if was == level:
        raise DomainError(_("The organization is already at this level."), code="unchanged")
    changed = levels.changes(organization, level)
    with acting_as(by):
        change = ResponseLevelChange.objects.create(
            organization=organization,
            level=level,
            changed_by=by,
            reason=reason.strip(),
            changed_at=clock.now(),
        )
    levels.forget(organization)
    _announce(organization, change, was=was, changed=changed, by=by)
    return change


def _announce(
    organization: Organization, change: ResponseLevelChange, *, was: str, changed: list, by
) -> None:
    """Tell everybody (a notice with read receipts where notices are installed, and the
    robots): the new level, the reason and what changes with it."""
    lines = [
        _("The response level changes from %(old)s to %(new)s.")
        % {"old": ResponseLevel(was).label, "new": change.get_level_display()},
        _("Reason: %(reason)s") % {"reason": change.reason},
    ]
    if changed:
        lines += ["", _("What changes:")]
        lines += [
            f"- {c.capability} · {c.label}: {c.old_text or '—'} → {c.new_text or '—'}"
            for c in changed
        ]
    announcements.publish(
        organization,
        _("Response level: %(level)s") % {"level": change.get_level_display()},
        "\n".join(lines),
        kind="level_change",
        by=by,
    )


@transaction.atomic
def set_level_value(organization: Organization, key: str, level: str, raw: Any, *, by) -> Any:
    """Override one setting's value at one level for the organization."""
    if not by.has_perm(CHANGE_RESPONSE_LEVEL):
        raise NotAllowed(_("Your role may not change settings."))
    setting = levels.REGISTRY.get(key)
    if setting is None or level not in ResponseLevel.values:
        raise DomainError(_("Unknown setting or level."), code="not_found", status=404)
    try:
        parsed = setting.clean(raw)
    except (TypeError, ValueError):
        raise DomainError(setting.rule(), fields={"value": setting.rule()}) from None
    with acting_as(by):
        LevelSettingValue.objects.update_or_create(
            organization=organization, key=key, level=level, defaults={"value": parsed}
        )
    levels.forget(organization)
    return parsed


def unknown_unit_message() -> str:
    return _("Unknown unit.")


@transaction.atomic
def save_site(site: Site, *, by) -> Site:
    """Create or update a site (office only)."""
    if not by.has_perm(CHANGE_SITE):
        raise NotAllowed(_("Your role may not change sites."))
    errors: dict[str, str] = {}
    if not site.name.strip():
        errors["name"] = _("This field is required.")
    if site.kind not in SiteKind.values:
        errors["kind"] = _("Unknown site kind.")
    if (
        Site.objects.filter(organization_id=site.organization_id, code=site.code)
        .exclude(pk=site.pk)
        .exists()
    ):
        errors["code"] = _("Another site already has this code.")
    if site.latitude is not None and not -90 <= site.latitude <= 90:
        errors["latitude"] = _("Latitude must be between -90 and 90.")
    if site.longitude is not None and not -180 <= site.longitude <= 180:
        errors["longitude"] = _("Longitude must be between -180 and 180.")
    if site.unit_id and site.unit.organization_id != site.organization_id:
        errors["unit_id"] = unknown_unit_message()
    if errors:
        raise invalid(errors)
    with acting_as(by):
        site.save()
    return site


def clean_person(person: Person) -> None:
    """Validate a person before saving; raise DomainError naming every bad field."""
    errors: dict[str, str] = {}
    person.id_number = (person.id_number or "").strip().upper()
    person.phone = (person.phone or "").strip()
    for name, check in (("phone", validate_phone), ("id_number", validate_id_number)):
        try:
            check(getattr(person, name))
        except ValidationError as e:
            errors[name] = e.messages[0]
    if not person.name.strip():
        errors["name"] = _("This field is required.")
    if not person.employee_no.strip():
        errors["employee_no"] = _("This field is required.")
    elif (
        Person.objects.filter(
            organization_id=person.organization_id, employee_no=person.employee_no
        )
        .exclude(pk=person.pk)
        .exists()
    ):
        errors["employee_no"] = _("Another person already has this employee number.")
    if person.unit_id and person.unit.organization_id != person.organization_id:
        errors["unit_id"] = unknown_unit_message()
    if errors:
        raise invalid(errors)


@transaction.atomic
def save_person(person: Person, *, by) -> Person:
    """Create or update a person (office only); audited through the trail."""
    if not by.has_perm(CHANGE_PERSON):
        raise NotAllowed(_("Your role may not change people."))
    clean_person(person)
    if person.employment_status == EmploymentStatus.LEFT and not person.left_on:
        person.left_on = clock.today()
    with acting_as(by):
        person.save()
    return person


def purge_expired_personal_data(organization: Organization) -> int:
    """Blank the phone and ID number of people who left longer ago than the retention period
    in force (PIPL). Returns how many people were purged."""
    days = levels.value(organization, "core.personal_data_retention_days")
    cutoff = clock.today() - dt.timedelta(days=days)
    expired = Person.objects.filter(
        organization=organization,
        employment_status=EmploymentStatus.LEFT,
        left_on__lt=cutoff,
    ).exclude(phone="", id_number="")
    count = 0
    with transaction.atomic():
        for person in expired.select_for_update():
            person.phone = ""
            person.id_number = ""
            person.save(update_fields=["phone", "id_number"])
            count += 1
        # Their household members' phone and address go with them (ADR 0017).
        relatives = HouseholdMember.objects.filter(
            organization=organization,
            person__employment_status=EmploymentStatus.LEFT,
            person__left_on__lt=cutoff,
        ).exclude(phone="", address="")
        for member in relatives.select_for_update():
            member.phone = ""
            member.address = ""
            member.save(update_fields=["phone", "address"])
    return count
