"""The laboratory's results sheet (Excel .xlsx or CSV) through core.importer: one row per tube
— 试管编码 (or 条码), 结果 (阴性/阳性/无效 or negative/positive/invalid), 检测时间, optionally
混采人数 — all or nothing, every bad row named.

A row is bad when its tube is unknown (to the importer: scope does not leak which barcodes
exist), its campaign closed, its result or time unreadable, its time in the future, its count
not a number from 1 to 100, its barcode on an earlier row too, or when the tube already has a
different result (a correction is typed, with a reason, not imported). A row whose result is
already the tube's is unchanged, so importing the same file again changes nothing.

Built for a 20,000-row sheet: the tubes are read once into a dict, the results written with
bulk_update, and the effects applied per result kind in bulk (services.results.apply_effects)
— no query per row. One audit event for the whole import (Tally.record), as every import."""

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import locks
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
from headwater.core.models import Organization
from headwater.testing.choices import CampaignState, TubeResult
from headwater.testing.inputs_results import (
    ResultInput,
    parse_members,
    parse_result,
    parse_time,
    time_errors,
)
from headwater.testing.models import Campaign, Tube
from headwater.testing.services.results import apply_effects, require_results, set_result

BATCH = 2000

COLUMNS = (
    Column(
        "tube",
        "试管编码",
        ("条码", "试管条码", "管码", "采样管编码", "barcode", "tube", "tube barcode"),
        required=True,
        label=gettext_lazy("tube barcode"),
    ),
    Column(
        "result",
        "结果",
        ("检测结果", "result"),
        required=True,
        label=gettext_lazy("result"),
    ),
    Column(
        "result_at",
        "检测时间",
        ("结果时间", "报告时间", "时间", "result time", "tested at", "time"),
        required=True,
        label=gettext_lazy("result time"),
    ),
    Column(
        "lab_members",
        "混采人数",
        ("人数", "管内人数", "members", "lab members"),
        label=gettext_lazy("people in the tube"),
    ),
)


@dataclass(frozen=True, slots=True)
class _Known:
    """What the checker needs of a tube, read once for the whole file."""

    pk: int
    result: str
    campaign_id: int


class RowChecker:
    """The ImportSpec's validator: the tubes the importer may record results for, and the
    campaigns' states and names, read once; times and result words cached (they repeat)."""

    def __init__(self, organization: Organization, by) -> None:
        self.tubes = {
            barcode: _Known(pk, result, campaign_id)
            for barcode, pk, result, campaign_id in Tube.objects.visible_to(by)
            .filter(organization=organization)
            .values_list("barcode", "pk", "result", "campaign_id")
            .iterator(chunk_size=BATCH)
        }
        self.campaigns = {
            c.pk: c
            for c in Campaign.objects.filter(organization=organization).only("name", "state")
        }
        self._times: dict[str, dt.datetime | None] = {}

    def __call__(self, raw: dict[str, str]) -> dict[str, Any] | list[str]:
        errors: list[str] = []
        tube = self.tube(raw["tube"], errors) if raw["tube"] else None
        result = parse_result(raw["result"]) if raw["result"] else None
        if raw["result"] and result is None:
            errors.append(
                _("The result %(value)s is not 阴性, 阳性 or 无效 (negative, positive, invalid).")
                % {"value": raw["result"]}
            )
        when = self.time(raw["result_at"], errors) if raw["result_at"] else None
        try:
            members = parse_members(raw.get("lab_members"))
        except ValueError:
            members = None
            errors.append(
                _("The count of people %(value)s is not a whole number from 1 to 100.")
                % {"value": raw["lab_members"]}
            )
        if tube and result and tube.result not in (TubeResult.PENDING, result):
            errors.append(
                _(
                    "The tube %(barcode)s already has the result %(result)s: a correction is "
                    "typed on the results page, with its reason."
                )
                % {"barcode": raw["tube"], "result": TubeResult(tube.result).label}
            )
        if errors:
            return errors
        return {"tube": tube, "result": result, "result_at": when, "lab_members": members}

    def tube(self, barcode: str, errors: list[str]) -> _Known | None:
        tube = self.tubes.get(barcode)
        if tube is None:
            errors.append(_("Unknown tube %(barcode)s") % {"barcode": barcode})
            return None
        campaign = self.campaigns[tube.campaign_id]
        if campaign.state == CampaignState.CLOSED:
            errors.append(
                _("The tube %(barcode)s belongs to the closed campaign %(name)s")
                % {"barcode": barcode, "name": campaign.name}
            )
        return tube

    def time(self, text: str, errors: list[str]) -> dt.datetime | None:
        if text not in self._times:
            self._times[text] = parse_time(text)
        when = self._times[text]
        if problem := time_errors(when, text):
            errors.append(problem)
        return when


def import_results(
    organization: Organization, file: IO[bytes] | bytes, filename: str, *, by
) -> ImportReport:
    """Import a laboratory's results sheet, all or nothing (see the module docstring)."""
    require_results(by, organization.pk)
    checker = RowChecker(organization, by)
    spec = ImportSpec(columns=COLUMNS, validate_row=checker, key=("tube",))
    return run_import(
        file,
        filename,
        spec,
        apply=lambda rows: _apply(organization, rows, checker, by=by, filename=filename),
    )


def _apply(organization, rows: list[dict], checker: RowChecker, *, by, filename: str) -> Tally:
    tally = Tally()
    new = [r for r in rows if r["tube"].result == TubeResult.PENDING]
    tally.unchanged = len(rows) - len(new)
    with acting_as(by):
        tubes = _lock_pending(new)
        by_pk = {r["tube"].pk: r for r in new}
        for tube in tubes:
            set_result(tube, _as_input(by_pk[tube.pk]), by=by)
        Tube.objects.bulk_update(
            tubes, ["result", "result_at", "result_by", "lab_members"], batch_size=BATCH
        )
        for tube in tubes:
            tube.campaign = checker.campaigns[tube.campaign_id]
        apply_effects(organization, tubes, by=by)
    tally.updated = len(tubes)
    tally.record(organization, by=by, filename=filename, what="testing_result_import")
    return tally


def _as_input(row: dict) -> ResultInput:
    return ResultInput("", row["result"], row["result_at"], row["lab_members"])


def _lock_pending(rows: list[dict]) -> list[Tube]:
    """The tubes to write, locked and re-checked: a result typed since the file was checked
    makes the import stop (nothing written) rather than overwrite it."""
    ids = sorted(r["tube"].pk for r in rows)
    tubes: list[Tube] = []
    for i in range(0, len(ids), BATCH * 5):
        tubes += locks.lock(
            Tube.objects.filter(pk__in=ids[i : i + BATCH * 5]).only(
                "pk", "kind", "result", "campaign_id", "barcode", "organization_id"
            )
        )
    if any(t.result != TubeResult.PENDING for t in tubes) or len(tubes) != len(ids):
        raise DomainError(
            _("Results were recorded meanwhile for tubes of this file: upload it again."),
            status=409,
        )
    return tubes


def template(fmt: str) -> bytes:
    """An empty sheet with the import's headers, to fill in."""
    return export_table(COLUMNS, [], fmt, title=str(_("Results")))
