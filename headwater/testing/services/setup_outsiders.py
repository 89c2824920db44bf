"""Outside people (contractors' and supervisors' workers) put on a campaign's roster from a
spreadsheet (姓名, 单位/公司, 手机号, 身份证号) through core.importer: every bad row named,
nothing written on any error. An outside person is registered once per organization — found
again by ID number — and reused by later campaigns; importing the same file again changes
nothing and leaves no audit event."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.importer import (
    Column,
    ImportReport,
    ImportSpec,
    Tally,
    export_table,
    run_import,
)
from headwater.core.validators import validate_id_number, validate_phone
from headwater.testing.choices import CampaignState, EntrySource
from headwater.testing.errors import TestingError
from headwater.testing.models import Batch, Campaign, Outsider, RosterEntry
from headwater.testing.services.setup import locked_campaign, require_manager

COLUMNS = (
    Column("name", "姓名", ("name",), required=True, label=gettext_lazy("Name")),
    Column(
        "company",
        "单位/公司",
        ("公司", "单位", "company", "工作单位"),
        required=True,
        label=gettext_lazy("company"),
    ),
    Column("phone", "手机号", ("手机", "电话", "phone", "mobile"), label=gettext_lazy("phone")),
    Column(
        "id_number",
        "身份证号",
        ("身份证号码", "身份证", "ID number", "id_number"),
        required=True,
        label=gettext_lazy("ID number"),
    ),
)


def check_row(raw: dict[str, str]) -> dict[str, Any] | list[str]:
    errors: list[str] = []
    row = {
        "name": raw.get("name", ""),
        "company": raw.get("company", ""),
        "phone": raw.get("phone", "").replace(" ", ""),
        "id_number": raw.get("id_number", "").upper(),
    }
    for name, label in (("name", _("name")), ("company", _("company"))):
        if len(row[name]) > 100:
            errors.append(
                _("The %(label)s is too long (at most %(n)s characters).")
                % {"label": label, "n": 100}
            )
    for name, validate, label in (
        ("phone", validate_phone, _("phone")),
        ("id_number", validate_id_number, _("ID number")),
    ):
        if "*" in row[name]:
            errors.append(_("The %(label)s is masked; enter it in full.") % {"label": label})
            continue
        try:
            validate(row[name])
        except ValidationError as e:
            errors += e.messages
    return errors or row


SPEC = ImportSpec(columns=COLUMNS, validate_row=check_row, key=("id_number",))


def import_outsiders(campaign: Campaign, uploaded_file, filename: str, *, by) -> ImportReport:
    """Register the file's outside people (or find them by ID number, their details brought up
    to date) and put them on the roster at the first site, in their company's batch if it has
    one. Tally: created = put on the roster, updated = details changed, unchanged = nothing."""
    require_manager(by, campaign.organization_id)
    if campaign.state == CampaignState.CLOSED:
        raise DomainError(
            _("The campaign is closed; nothing of it can be changed."),
            code=TestingError.CAMPAIGN_CLOSED,
            status=409,
        )

    def apply(rows: list[dict[str, Any]]) -> Tally:
        with acting_as(by):
            tally = _apply(locked_campaign(campaign), rows, by=by)
            tally.record(campaign.organization, by=by, filename=filename, what="testing_outsiders")
        return tally

    return run_import(uploaded_file, filename, SPEC, apply=apply)


def _apply(campaign: Campaign, rows: list[dict[str, Any]], *, by) -> Tally:
    tally = Tally()
    org_id = campaign.organization_id
    known = {
        o.id_number: o
        for o in Outsider.objects.filter(
            organization_id=org_id, id_number__in=[r["id_number"] for r in rows]
        )
    }
    entries = {
        e.outsider_id: e
        for e in RosterEntry.objects.filter(campaign=campaign, outsider__isnull=False)
    }
    site_id = campaign.sites.values_list("pk", flat=True).first()
    batches = dict(
        Batch.objects.filter(campaign=campaign, unit__isnull=True)
        .exclude(company="")
        .values_list("company", "pk")
    )
    for row in rows:
        outsider = known.get(row["id_number"])
        changed = False
        if outsider is None:
            outsider = Outsider.objects.create(organization_id=org_id, **row)
            known[row["id_number"]] = outsider
        elif any(getattr(outsider, f) != row[f] for f in ("name", "company", "phone")):
            for f in ("name", "company", "phone"):
                setattr(outsider, f, row[f])
            outsider.save(update_fields=["name", "company", "phone"])
            changed = True
        entry = entries.get(outsider.pk)
        if entry is None:
            entries[outsider.pk] = RosterEntry.objects.create(
                organization_id=org_id,
                campaign=campaign,
                outsider=outsider,
                company=outsider.company,
                site_id=site_id,
                batch_id=batches.get(outsider.company),
                source=EntrySource.IMPORT,
                added_by=by if getattr(by, "pk", None) else None,
            )
            tally.created += 1
            continue
        if entry.company != outsider.company:
            entry.company = outsider.company
            entry.save(update_fields=["company"])
            changed = True
        if changed:
            tally.updated += 1
        else:
            tally.unchanged += 1
    return tally


def template(fmt: str) -> bytes:
    return export_table(COLUMNS, [], fmt, title=str(_("Outside people")))
