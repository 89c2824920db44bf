"""Risk areas: the office adds, edits, ends and deletes them, or imports the list published
by the authorities (all or nothing, every bad row named; the file's format and row rules are
health.risk_areas). An area is found by its natural key (organization, name, valid from), so
a file imported twice changes nothing. Every change is audited and makes every code be
recomputed after the commit, since a new high-risk area can turn a traveller's code yellow.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import audit, locks
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.importer import ImportReport, Tally, run_import
from headwater.core.models import Organization
from headwater.core.writes import Written
from headwater.health.choices import RiskLevel
from headwater.health.models import RiskArea
from headwater.health.permissions import MANAGE_RISK_AREAS
from headwater.health.risk_areas import NAME_MAX, SPEC
from headwater.health.services.codes import recompute_after_commit


def _check_permission(by, organization_id: int) -> None:
    """The permission alone is not enough: it must be held in this organization."""
    if not by.has_perm(MANAGE_RISK_AREAS) or by.organization_id != organization_id:
        raise NotAllowed(_("Your role may not manage risk areas."))


def _validate(
    organization: Organization,
    name: str,
    level: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    exclude_pk: int | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the area, e.g. 湖北省武汉市.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("At most %(max)s characters.") % {"max": NAME_MAX}
    if level not in RiskLevel.values:
        errors["level"] = _("Choose high, medium or low.")
    if valid_from is None:
        errors["valid_from"] = _("Enter the first day.")
    elif valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("The last day is before the first day.")
    if name and valid_from and "name" not in errors:
        same = RiskArea.objects.of(organization).filter(name=name, valid_from=valid_from)
        if same.exclude(pk=exclude_pk).exists():
            errors["name"] = _("This area is already listed from that day.")
    return errors


def save_risk_area(
    organization: Organization,
    *,
    by,
    name: str,
    level: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None = None,
    area: RiskArea | None = None,
) -> Written[RiskArea]:
    """Add a risk area (created), or change `area`; every code is recomputed after the
    commit."""
    _check_permission(by, organization.pk)
    if area is not None and area.organization_id != organization.pk:
        raise NotAllowed(_("This risk area belongs to another organization."))
    name = (name or "").strip()
    errors = _validate(organization, name, level, valid_from, valid_to, area.pk if area else None)
    if errors:
        raise invalid(errors)
    created = area is None
    with transaction.atomic(), audit.acting_as(by):
        if created:
            area = RiskArea(organization=organization)
        area.name, area.level, area.valid_from, area.valid_to = name, level, valid_from, valid_to
        area.save()
        recompute_after_commit(organization, "risk areas")
    return area, created


def end_risk_area(area: RiskArea, last_day: dt.date, *, by) -> Written[RiskArea]:
    """The area stops being a risk area after `last_day` (it is still one on that day)."""
    _check_permission(by, area.organization_id)
    with transaction.atomic(), audit.acting_as(by):
        # Checked on the locked row: its first day may have been edited since the page was read.
        locked = locks.lock_one(RiskArea, area.pk)
        if last_day < locked.valid_from:
            message = _("The last day is before the first day.")
            raise DomainError(message, fields={"valid_to": message})
        locked.valid_to = last_day
        locked.save(update_fields=["valid_to"])
        recompute_after_commit(area.organization, "risk areas")
    return locked, False


def delete_risk_area(area: RiskArea, *, by) -> Written[RiskArea]:
    """Remove an area entered by mistake (an area that stops being one is ended instead).
    Returns the deleted area (its pk is gone) and False."""
    _check_permission(by, area.organization_id)
    with transaction.atomic(), audit.acting_as(by):
        organization = area.organization
        area.delete()
        recompute_after_commit(organization, "risk areas")
    return area, False


def import_risk_areas(
    organization: Organization, uploaded_file, filename: str, *, by
) -> ImportReport:
    """Create and update risk areas from a spreadsheet, all or nothing. A row whose area and
    first day are already listed updates its level and last day; an identical row is left
    alone, so importing the same file again writes nothing. Returns the importer's report
    (what was created, updated and left alone, or every bad row) rather than one object."""
    _check_permission(by, organization.pk)
    return run_import(
        uploaded_file,
        filename,
        SPEC,
        apply=lambda rows: _apply(organization, rows, by=by, filename=filename),
    )


def _apply(organization: Organization, rows: list[dict[str, Any]], *, by, filename: str) -> Tally:
    current = {(a.name, a.valid_from): a for a in RiskArea.objects.of(organization)}
    tally = Tally()
    with audit.acting_as(by):
        for row in rows:
            area = current.get((row["name"], row["valid_from"]))
            if area is None:
                RiskArea.objects.create(organization=organization, **row)
                tally.created += 1
            elif (area.level, area.valid_to) != (row["level"], row["valid_to"]):
                area.level, area.valid_to = row["level"], row["valid_to"]
                area.save(update_fields=["level", "valid_to"])
                tally.updated += 1
            else:
                tally.unchanged += 1
        if tally.record(organization, by=by, filename=filename, what="risk_area_import"):
            recompute_after_commit(organization, "risk areas")
    return tally
