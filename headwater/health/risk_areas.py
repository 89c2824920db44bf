"""Risk areas: the office adds, edits, ends and deletes them, or imports a list published by
the authorities from a spreadsheet (through core.importer: all or nothing, every bad row
named). A risk area is found by its natural key (organization, name, valid from), so a file
imported twice changes nothing. Every change is audited and makes every code be recomputed
after the commit, since a new high-risk area can turn a traveller's code yellow.
"""

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import audit
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.importer import (
    Column,
    ImportReport,
    ImportSpec,
    Tally,
    export_table,
    run_import,
)
from headwater.core.models import Organization
from headwater.health.choices import RiskLevel
from headwater.health.models import RiskArea
from headwater.health.permissions import MANAGE_RISK_AREAS

NAME_MAX = RiskArea._meta.get_field("name").max_length

COLUMNS = (
    Column("name", "地区", ("area", "name", "地区名称"), required=True, label=gettext_lazy("area")),
    Column(
        "level",
        "风险等级",
        ("level", "risk level", "等级"),
        required=True,
        label=gettext_lazy("risk level"),
    ),
    Column(
        "valid_from",
        "起始日期",
        ("valid_from", "valid from", "from", "开始日期"),
        required=True,
        label=gettext_lazy("valid from"),
    ),
    Column(
        "valid_to",
        "截止日期",
        ("valid_to", "valid to", "to", "结束日期"),
        label=gettext_lazy("valid to"),
    ),
)

# The file speaks Chinese whatever the user's language; English words are accepted too.
LEVEL_WORDS = {
    "高": RiskLevel.HIGH,
    "高风险": RiskLevel.HIGH,
    "中": RiskLevel.MEDIUM,
    "中风险": RiskLevel.MEDIUM,
    "低": RiskLevel.LOW,
    "低风险": RiskLevel.LOW,
    "high": RiskLevel.HIGH,
    "high risk": RiskLevel.HIGH,
    "medium": RiskLevel.MEDIUM,
    "medium risk": RiskLevel.MEDIUM,
    "low": RiskLevel.LOW,
    "low risk": RiskLevel.LOW,
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date | None:
    """2020-01-23, 2020/1/23, 2020.1.23 or 2020年1月23日; None if it is none of these."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_level(text: str) -> str | None:
    return LEVEL_WORDS.get(text.strip().casefold())


def _check_permission(by, organization: Organization) -> None:
    """The permission alone is not enough: it must be held in this organization."""
    if not by.has_perm(MANAGE_RISK_AREAS) or by.organization_id != organization.pk:
        raise NotAllowed(_("Your role may not manage risk areas."))


def _recompute_after_commit(organization: Organization) -> None:
    from headwater.health.tasks import recompute_organization

    transaction.on_commit(lambda: recompute_organization(organization.pk))


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
        same = RiskArea.objects.filter(organization=organization, name=name, valid_from=valid_from)
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
) -> RiskArea:
    """Add a risk area, or change `area`; every code is recomputed after the commit."""
    _check_permission(by, organization)
    if area is not None and area.organization_id != organization.pk:
        raise NotAllowed(_("This risk area belongs to another organization."))
    name = (name or "").strip()
    errors = _validate(organization, name, level, valid_from, valid_to, area.pk if area else None)
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    with transaction.atomic(), audit.acting_as(by):
        if area is None:
            area = RiskArea(organization=organization)
        area.name, area.level, area.valid_from, area.valid_to = name, level, valid_from, valid_to
        area.save()
        _recompute_after_commit(organization)
    return area


def end_risk_area(area: RiskArea, last_day: dt.date, *, by) -> RiskArea:
    """The area stops being a risk area after `last_day` (it is still one on that day)."""
    _check_permission(by, area.organization)
    if last_day < area.valid_from:
        message = _("The last day is before the first day.")
        raise DomainError(message, fields={"valid_to": message})
    with transaction.atomic(), audit.acting_as(by):
        area.valid_to = last_day
        area.save(update_fields=["valid_to"])
        _recompute_after_commit(area.organization)
    return area


def delete_risk_area(area: RiskArea, *, by) -> None:
    """Remove an area entered by mistake (an area that stops being one is ended instead)."""
    _check_permission(by, area.organization)
    with transaction.atomic(), audit.acting_as(by):
        organization = area.organization
        area.delete()
        _recompute_after_commit(organization)


# --- Spreadsheet import --------------------------------------------------------------------


def _check_row(raw: dict[str, str]) -> dict[str, Any] | list[str]:
    """Blank required cells are reported by the importer; only report what is wrong besides."""
    errors: list[str] = []
    row: dict[str, Any] = {"name": raw["name"]}
    if len(raw["name"]) > NAME_MAX:
        errors.append(_("The area is too long (at most %(max)s characters).") % {"max": NAME_MAX})
    if raw["level"]:
        row["level"] = parse_level(raw["level"])
        if row["level"] is None:
            errors.append(
                _("Unknown risk level %(value)s (use 高, 中 or 低)") % {"value": raw["level"]}
            )
    for field, label in (("valid_from", _("valid from")), ("valid_to", _("valid to"))):
        text = raw.get(field, "")
        row[field] = parse_date(text) if text else None
        if text and row[field] is None:
            errors.append(
                _("The %(label)s %(value)s is not a date (use 2020-01-23)")
                % {"label": label, "value": text}
            )
    if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
        errors.append(_("The valid to date is before the valid from date."))
    return errors or row


SPEC = ImportSpec(columns=COLUMNS, validate_row=_check_row, key=("name", "valid_from"))


def import_risk_areas(
    organization: Organization, uploaded_file, filename: str, *, by
) -> ImportReport:
    """Create and update risk areas from a spreadsheet, all or nothing. A row whose area and
    first day are already listed updates its level and last day; an identical row is left
    alone, so importing the same file again writes nothing."""
    _check_permission(by, organization)
    return run_import(
        uploaded_file,
        filename,
        SPEC,
        apply=lambda rows: _apply(organization, rows, by=by, filename=filename),
    )


def _apply(organization: Organization, rows: list[dict[str, Any]], *, by, filename: str) -> Tally:
    current = {
        (a.name, a.valid_from): a for a in RiskArea.objects.filter(organization=organization)
    }
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
            _recompute_after_commit(organization)
    return tally


def template(fmt: str) -> bytes:
    """An empty file with the import's headers, to fill in."""
    return export_table(COLUMNS, [], fmt, title=str(_("Risk areas")))
