"""The isolation list spreadsheet (隔离人员名单): its columns and row rules through
core.importer — every bad row named with its reasons, nothing written unless all are good."""

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core.importer import Column, ImportSpec, export_table
from headwater.core.models import Person
from headwater.isolation.choices import CaseKind
from headwater.isolation.models import Case

COLUMNS = (
    Column(
        "employee_no",
        "工号",
        ("employee_no", "staff number"),
        required=True,
        label=gettext_lazy("staff number"),
    ),
    Column("name", "姓名", ("name",), label=gettext_lazy("name")),
    Column(
        "kind", "隔离类型", ("kind", "type"), required=True, label=gettext_lazy("kind of isolation")
    ),
    Column("reason", "原因", ("reason",), required=True, label=gettext_lazy("reason")),
    Column(
        "exposure_on",
        "接触日期",
        ("exposure_on", "exposure"),
        label=gettext_lazy("last exposure on"),
    ),
    Column("started_on", "开始日期", ("started_on", "start"), label=gettext_lazy("isolated from")),
    Column("address", "地址", ("address",), label=gettext_lazy("address")),
    Column("monitor_no", "盯控人工号", ("monitor", "monitor_no"), label=gettext_lazy("monitor")),
    Column(
        "volunteer_no", "志愿者工号", ("volunteer", "volunteer_no"), label=gettext_lazy("volunteer")
    ),
)

KIND_WORDS = {
    "居家": CaseKind.HOME,
    "居家隔离": CaseKind.HOME,
    "集中": CaseKind.CENTRALIZED,
    "集中隔离": CaseKind.CENTRALIZED,
    "医学观察": CaseKind.OBSERVATION,
    "观察": CaseKind.OBSERVATION,
    "home": CaseKind.HOME,
    "centralized": CaseKind.CENTRALIZED,
    "observation": CaseKind.OBSERVATION,
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _staff(organization, number: str):
    return (
        Person.objects.filter(organization_id=getattr(organization, "pk", organization))
        .active()
        .filter(employee_no=number)
        .first()
    )


def check_row(organization, raw: dict[str, str]) -> dict[str, Any] | list[str]:
    """A row's rules, people looked up in the organization: the staff member (whose name, if
    given, must match), the monitor and the volunteer; a staff member already isolated is
    refused."""
    errors: list[str] = []
    row: dict[str, Any] = dict(raw)
    if raw.get("employee_no"):
        row["person"] = _staff(organization, raw["employee_no"])
        if row["person"] is None:
            errors.append(_("No member of staff numbered %(no)s") % {"no": raw["employee_no"]})
        elif raw.get("name") and raw["name"] != row["person"].name:
            errors.append(
                _("Staff number %(no)s is %(name)s, not %(given)s")
                % {"no": raw["employee_no"], "name": row["person"].name, "given": raw["name"]}
            )
        elif Case.objects.open().filter(person=row["person"], household_member=None).exists():
            errors.append(
                _("%(name)s already has an open isolation case.") % {"name": row["person"].name}
            )
    for field in ("monitor_no", "volunteer_no"):
        row[field] = None
        if raw.get(field):
            row[field] = _staff(organization, raw[field])
            if row[field] is None:
                errors.append(_("No member of staff numbered %(no)s") % {"no": raw[field]})
    if raw.get("kind"):
        row["kind"] = KIND_WORDS.get(raw["kind"].strip().casefold())
        if row["kind"] is None:
            errors.append(
                _("Unknown kind of isolation %(value)s (use 居家隔离, 集中隔离 or 医学观察)")
                % {"value": raw["kind"]}
            )
    for field, label in (
        ("exposure_on", _("last exposure on")),
        ("started_on", _("isolated from")),
    ):
        text = raw.get(field, "")
        row[field] = parse_date(text) if text else None
        if text and row[field] is None:
            errors.append(
                _("The %(label)s %(value)s is not a date (use 2020-01-23)")
                % {"label": label, "value": text}
            )
    if len(raw.get("reason", "")) > 300:
        errors.append(_("The reason is too long (at most 300 characters)."))
    return errors or row


def spec(organization) -> ImportSpec:
    return ImportSpec(
        columns=COLUMNS,
        validate_row=lambda raw: check_row(organization, raw),
        key=("employee_no",),
    )


def template(fmt: str) -> bytes:
    return export_table(COLUMNS, [], fmt, title=str(_("Isolation list")))
