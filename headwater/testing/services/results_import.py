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

from django.db import connection
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
from headwater.core.models import Organization
from headwater.testing.choices import CampaignState, TubeKind, TubeResult
from headwater.testing.inputs_results import (
    parse_members,
    parse_result,
    parse_time,
    time_errors,
)
from headwater.testing.models import Campaign, Tube
from headwater.testing.services.results import apply_effects, require_results

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
    new = {r["tube"].pk: r for r in rows if r["tube"].result == TubeResult.PENDING}
    tally.unchanged = len(rows) - len(new)
    with acting_as(by):
        kinds = _lock_pending(new)
        _write(new, by=by)
        negative = [
            pk
            for pk, row in new.items()
            if row["result"] == TubeResult.NEGATIVE and kinds[pk] == TubeKind.POOL
        ]
        others = list(Tube.objects.filter(pk__in=set(new) - set(negative)))
        for tube in others:
            tube.campaign = checker.campaigns[tube.campaign_id]
        apply_effects(organization, others, by=by, negative_ids=negative)
    tally.updated = len(new)
    tally.record(organization, by=by, filename=filename, what="testing_result_import")
    return tally


def _lock_pending(new: dict[int, dict]) -> dict[int, str]:
    """The tubes to write, locked (primary-key order) and re-checked: a result typed since
    the file was checked makes the import stop (nothing written) rather than overwrite it.
    Their kinds, by id (rows of values: 20,000 model instances cost seconds)."""
    ids = sorted(new)
    kinds: dict[int, str] = {}
    changed = False
    for i in range(0, len(ids), BATCH * 5):
        locked = (
            Tube.objects.filter(pk__in=ids[i : i + BATCH * 5])
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "kind", "result")
        )
        for pk, kind, result in locked:
            kinds[pk] = kind
            changed |= result != TubeResult.PENDING
    if changed or len(kinds) != len(ids):
        raise DomainError(
            _("Results were recorded meanwhile for tubes of this file: upload it again."),
            status=409,
        )
    return kinds


def _write(new: dict[int, dict], *, by) -> None:
    """The results in a few statements: on PostgreSQL one UPDATE … FROM unnest(arrays) per
    chunk (Django's bulk_update builds a CASE per row and field, ~100× slower at 20,000
    rows); elsewhere one UPDATE per result, time and count (a sheet repeats them)."""
    ids = sorted(new)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for i in range(0, len(ids), BATCH * 5):
                chunk = [new[pk] for pk in ids[i : i + BATCH * 5]]
                cursor.execute(
                    "UPDATE testing_tube AS t SET result = v.result, result_at = v.result_at, "
                    "lab_members = COALESCE(v.members, t.lab_members), result_by_id = %s "
                    "FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], %s::int[]) "
                    "AS v(id, result, result_at, members) WHERE t.id = v.id",
                    [
                        by.pk,
                        ids[i : i + BATCH * 5],
                        [str(r["result"]) for r in chunk],
                        [r["result_at"] for r in chunk],
                        [r["lab_members"] for r in chunk],
                    ],
                )
        return
    groups: dict[tuple, list[int]] = {}
    for pk in ids:
        r = new[pk]
        groups.setdefault((r["result"], r["result_at"], r["lab_members"]), []).append(pk)
    for (result, result_at, members), pks in groups.items():
        for i in range(0, len(pks), BATCH):
            values = {"result": result, "result_at": result_at, "result_by": by}
            if members is not None:
                values["lab_members"] = members
            Tube.objects.filter(pk__in=pks[i : i + BATCH]).update(**values)


def template(fmt: str) -> bytes:
    """An empty sheet with the import's headers, to fill in."""
    return export_table(COLUMNS, [], fmt, title=str(_("Results")))
