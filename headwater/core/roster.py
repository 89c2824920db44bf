"""Roster import and export: an organization's people to and from Excel (.xlsx) and CSV.

The office keeps its master list in a spreadsheet: each row is one person, named by employee
number. Importing creates the new people and updates the changed ones, field by field, so the
audit trail shows exactly what the file changed and a file imported twice changes nothing.
Exports mask phone and ID number (PIPL) unless the user may see them, and such an export is
logged. The generic file handling is core.importer.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from headwater.core import audit, clock, privacy
from headwater.core.choices import EmploymentStatus
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.importer import (
    FORMATS,
    Column,
    ImportReport,
    ImportSpec,
    RowValidator,
    Tally,
    export_table,
    run_import,
)
from headwater.core.models import Organization, Person, Unit
from headwater.core.roles import EXPORT_ROSTER, IMPORT_ROSTER, VIEW_PERSONAL_DATA
from headwater.core.validators import validate_id_number, validate_phone

COLUMNS = (
    Column(
        "employee_no",
        "工号",
        ("employee_no", "employee number"),
        required=True,
        label=gettext_lazy("employee number"),
    ),
    Column("name", "姓名", ("name",), required=True, label=pgettext_lazy("person", "name")),
    Column(
        "unit_code",
        "单位编码",
        ("unit_code", "unit code"),
        required=True,
        label=gettext_lazy("unit code"),
    ),
    Column("position", "岗位", ("position",), label=gettext_lazy("position")),
    Column("phone", "手机", ("phone", "mobile", "手机号"), label=gettext_lazy("phone")),
    Column(
        "id_number",
        "身份证号",
        ("id_number", "ID number", "身份证号码"),
        label=gettext_lazy("ID number"),
    ),
    Column(
        "employment_status",
        "在岗状态",
        ("employment_status", "status"),
        label=gettext_lazy("employment status"),
    ),
    Column(
        "is_critical", "关键岗位", ("is_critical", "critical"), label=gettext_lazy("critical role")
    ),
)

# The file speaks Chinese whatever the user's language, so that it imports back as is.
STATUS_WORDS = {
    "在岗": EmploymentStatus.ACTIVE,
    "休假": EmploymentStatus.ON_LEAVE,
    "借调": EmploymentStatus.SECONDED,
    "离职": EmploymentStatus.LEFT,
}
_STATUS_OUT = {code: word for word, code in STATUS_WORDS.items()}
_YES = {"是", "yes", "y", "1", "true", "√"}
_NO = {"否", "no", "n", "0", "false", ""}
_MAX_LENGTH = {f: Person._meta.get_field(f).max_length for f in ("employee_no", "name", "position")}


def import_roster(organization: Organization, uploaded_file, filename: str, *, by) -> ImportReport:
    """Create and update the organization's people from a spreadsheet, all or nothing.

    Refused rows are in the report and nothing is written. Each created or changed person is
    one audit entry by `by`; a file that changes nothing leaves no trace at all."""
    if not by.has_perm(IMPORT_ROSTER) or not (
        by.is_superuser or by.organization_id == organization.pk
    ):
        raise NotAllowed(_("Your role may not import the roster."))
    spec = ImportSpec(
        columns=COLUMNS, validate_row=_row_checker(organization, by), key=("employee_no",)
    )
    return run_import(
        uploaded_file,
        filename,
        spec,
        apply=lambda rows: _apply(organization, rows, by=by, filename=filename),
    )


def export_roster(queryset: QuerySet, fmt: str, *, unmasked: bool, by) -> bytes:
    """The people of `queryset` (already scoped to the user) as a file with the import's
    columns. Phone and ID number are masked unless `unmasked`, which needs the personal-data
    permission and is logged on the organization."""
    if fmt not in FORMATS:
        raise DomainError(_("Choose xlsx or csv."), fields={"format": _("Choose xlsx or csv.")})
    if not by.has_perm(EXPORT_ROSTER):
        raise NotAllowed(_("Your role may not export the roster."))
    if unmasked and not by.has_perm(VIEW_PERSONAL_DATA):
        raise NotAllowed(_("Your role may not see personal data in full."))
    people = queryset.select_related("unit").order_by("employee_no").iterator(chunk_size=2000)
    data = export_table(
        COLUMNS, (_export_row(p, unmasked) for p in people), fmt, title=str(_("Roster"))
    )
    if unmasked:
        audit.record(
            by.organization if by.organization_id else by,
            actor=by,
            revealed="phone,id_number",
            roster_export=f"{queryset.count()} people, {fmt}",
        )
    return data


def roster_template(fmt: str) -> bytes:
    """An empty file with the import's headers, to fill in."""
    return export_table(COLUMNS, [], fmt, title=str(_("Roster")))


def export_filename(fmt: str) -> tuple[str, str]:
    """(the file's name in the user's language, its ASCII name)."""
    day, name = f"{clock.today():%Y%m%d}", _("Roster")
    return f"{name}-{day}.{fmt}", f"roster-{day}.{fmt}"


def template_filename(fmt: str) -> tuple[str, str]:
    name = _("Roster import template")
    return f"{name}.{fmt}", f"roster-template.{fmt}"


def _export_row(person: Person, unmasked: bool) -> list[str]:
    personal = (
        {"phone": person.phone, "id_number": person.id_number}
        if unmasked
        else privacy.masked(person)
    )
    return [
        person.employee_no,
        person.name,
        person.unit.code,
        person.position,
        personal["phone"],
        personal["id_number"],
        _STATUS_OUT.get(person.employment_status, person.employment_status),
        "是" if person.is_critical else "否",
    ]


def _row_checker(organization: Organization, by) -> RowValidator:
    """A row validator that knows the organization's units and people, loaded once (not a
    query per row). Only units in `by`'s scope count, and only people in them may change."""
    units = dict(
        Unit.objects.visible_to(by).filter(organization=organization).values_list("code", "pk")
    )
    in_scope = set(units.values())
    unit_of = dict(
        Person.objects.filter(organization=organization).values_list("employee_no", "unit_id")
    )

    def check_row(raw: dict[str, str]) -> dict[str, Any] | list[str]:
        errors: list[str] = []
        row: dict[str, Any] = {"employee_no": raw["employee_no"], "name": raw["name"]}
        current_unit = unit_of.get(raw["employee_no"])
        if current_unit is not None and current_unit not in in_scope:
            errors.append(
                _("Employee number %(no)s belongs to someone outside your units.")
                % {"no": raw["employee_no"]}
            )
        if raw["unit_code"]:
            row["unit_id"] = units.get(raw["unit_code"])
            if row["unit_id"] is None:
                errors.append(_("Unknown unit %(code)s") % {"code": raw["unit_code"]})
        errors += _clean_fields(raw, row, exists=current_unit is not None)
        return errors or row

    return check_row


def _clean_fields(raw: dict[str, str], row: dict[str, Any], *, exists: bool) -> list[str]:
    """Fill `row` from the other columns the file has; return what is wrong with them."""
    errors = [
        _("The %(label)s is too long (at most %(max)s characters).")
        % {"label": c.label, "max": _MAX_LENGTH[c.field]}
        for c in COLUMNS
        if c.field in _MAX_LENGTH and len(raw.get(c.field, "")) > _MAX_LENGTH[c.field]
    ]
    if "position" in raw:
        row["position"] = raw["position"]
    errors += _clean_personal(raw, row, exists=exists)
    if "employment_status" in raw:
        row["employment_status"] = _status(raw["employment_status"])
        if row["employment_status"] is None:
            errors.append(
                _("Unknown employment status %(value)s") % {"value": raw["employment_status"]}
            )
    if "is_critical" in raw:
        flag = raw["is_critical"].casefold()
        if flag not in _YES | _NO:
            errors.append(
                _("Critical role must be yes or no (是/否), not %(value)s")
                % {"value": raw["is_critical"]}
            )
        row["is_critical"] = flag in _YES
    return errors


def _clean_personal(raw: dict[str, str], row: dict[str, Any], *, exists: bool) -> list[str]:
    """Phone and ID number. A masked value (from an edited masked export) keeps what is
    stored, so exporting, editing and importing back works without seeing personal data."""
    errors = []
    checks = (
        ("phone", lambda v: v.replace(" ", ""), validate_phone),
        ("id_number", str.upper, validate_id_number),
    )
    for name, normalize, validate in checks:
        if name not in raw:
            continue
        value = normalize(raw[name])
        if "*" in value:
            if not exists:
                errors.append(
                    _("The %(label)s is masked; enter it in full.") % {"label": _label(name)}
                )
            continue
        try:
            validate(value)
        except ValidationError as e:
            errors += e.messages
        row[name] = value
    return errors


def _status(text: str) -> str | None:
    if not text:
        return EmploymentStatus.ACTIVE
    if text in STATUS_WORDS:
        return STATUS_WORDS[text]
    code = text.casefold().replace(" ", "_")  # also takes the English labels, "On leave"
    return code if code in EmploymentStatus.values else None


def _label(field_name: str) -> str:
    return next(str(c.label) for c in COLUMNS if c.field == field_name)


def _apply(organization: Organization, rows: list[dict[str, Any]], *, by, filename: str) -> Tally:
    """Write the checked rows (inside the importer's transaction). Only changed fields are
    saved, so the trail records real changes and an identical file writes nothing."""
    current = {p.employee_no: p for p in Person.objects.filter(organization=organization)}
    tally = Tally()
    with audit.acting_as(by):
        for row in rows:
            no = row.pop("employee_no")
            person = current.get(no)
            changes = _changes(person, row)
            if not changes:
                tally.unchanged += 1
                continue
            _, created = Person.objects.update_or_create(
                organization=organization, employee_no=no, defaults=changes
            )
            if created:
                tally.created += 1
            else:
                tally.updated += 1
        tally.record(organization, by=by, filename=filename, what="roster_import")
    return tally


def _changes(person: Person | None, row: dict[str, Any]) -> dict[str, Any]:
    changes = (
        dict(row) if person is None else {f: v for f, v in row.items() if getattr(person, f) != v}
    )
    status = row.get("employment_status") or (person.employment_status if person else "")
    if status == EmploymentStatus.LEFT and (person is None or person.left_on is None):
        changes["left_on"] = clock.today()  # as save_person does: retention counts from here
    return changes
