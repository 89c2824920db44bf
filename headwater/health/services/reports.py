"""Unit daily reports (日报告) and zero reports (零报告), each sending kept as a filing and
judged for possible concealment (可能瞒报) at that moment; the office clears a raised flag
with a reason (ADR 0011)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import CoreError, DomainError, NotAllowed, invalid, require
from headwater.core.models import Unit
from headwater.core.writes import Written
from headwater.health.inputs import UnitReportInput
from headwater.health.models import CheckIn, UnitReport, UnitReportFiling
from headwater.health.permissions import CLEAR_CONCEALMENT_FLAG, SUBMIT_UNIT_REPORT

# What a filing keeps of each abnormal check-in known then: enough to say what the person had
# reported (health.services.describe_checkin) even after they correct it.
EVIDENCE_FIELDS = (
    "temperature",
    "symptoms",
    "contact_confirmed",
    "contact_suspected",
    "contact_risk_area",
    "household",
)
REASON_LENGTH = 300


def submit_unit_report(
    unit: Unit, *, by, counts: Mapping[str, Any], notes: str = "", zero: bool = False
) -> Written[UnitReport]:
    """The unit's report for today; submitting again the same day updates it (audited), so a
    retried request never makes two. Every sending is kept as a filing, judged against the
    unit's check-ins as they stand at that moment; a filing that says less than they show
    raises the report's flag, which stays until the office clears it."""
    if (
        not by.has_perm(SUBMIT_UNIT_REPORT)
        or not Unit.objects.visible_to(by).filter(pk=unit.pk).exists()
    ):
        raise NotAllowed(_("You may only report for your own unit."))
    report_input = UnitReportInput.parse(counts, notes, zero)
    now = clock.now()
    with transaction.atomic(), acting_as(by):
        report, created = UnitReport.objects.select_for_update().get_or_create(
            unit=unit,
            date=timezone.localdate(now),
            defaults={
                "organization_id": unit.organization_id,
                "submitted_by": by,
                "submitted_at": now,
                "is_zero": report_input.zero,
                "notes": report_input.notes,
                **report_input.counts,
            },
        )
        if not created:
            for name, value in report_input.counts.items():
                setattr(report, name, value)
            # submitted_at stays the first submission: a correction does not make a report late.
            report.is_zero, report.notes = report_input.zero, report_input.notes
            report.save(update_fields=[*report_input.counts, "is_zero", "notes"])
        filing = _file(report, unit, report_input, by=by, now=now)
        if filing.contradicts and report.flag_id is None:
            report.flag = filing
            report.save(update_fields=["flag"])
    return report, created


def _file(report: UnitReport, unit: Unit, sent: UnitReportInput, *, by, now) -> UnitReportFiling:
    evidence = abnormal_checkins(unit, report.date)
    people = {e["person"] for e in evidence}
    abnormal = sent.counts["abnormal"]
    return UnitReportFiling.objects.create(
        organization_id=report.organization_id,
        report=report,
        filed_at=now,
        filed_by=by,
        is_zero=sent.zero,
        notes=sent.notes,
        abnormal_known=len(people),
        evidence=evidence,
        contradicts=bool(people) and (sent.zero or abnormal < len(people)),
        **sent.counts,
    )


def abnormal_checkins(unit: Unit, day: dt.date, known_at: dt.datetime | None = None) -> list[dict]:
    """The unit subtree's abnormal check-ins of `day` as they stand now (or those last changed
    by `known_at`, for reports made up after the fact, as the demo's), each as the evidence a
    filing keeps: which check-in, whose, when it was last changed and what it said."""
    rows = (
        CheckIn.objects.filter(unit__path__startswith=unit.path, date=day, is_abnormal=True)
        .select_related("person")
        .order_by("submitted_at", "pk")
    )
    if known_at is not None:
        rows = rows.filter(updated_at__lte=known_at)
    return [
        {
            "checkin": c.pk,
            "person": c.person_id,
            "name": c.person.name,
            "slot": c.slot,
            "submitted_at": c.submitted_at.isoformat(),
            "updated_at": c.updated_at.isoformat(),
            **{name: _plain(getattr(c, name)) for name in EVIDENCE_FIELDS},
        }
        for c in rows
    ]


def _plain(value):
    return value if isinstance(value, (bool, list, str, int)) else str(value)


def clear_concealment_flag(report: UnitReport, *, by, reason: str) -> Written[UnitReport]:
    """The office has looked into a flagged report: it clears the flag with its reason, kept
    with every flagged filing it answers (who, when, why) and in the audit trail. A later
    filing that again says less than the check-ins raises a new flag."""
    require(by, CLEAR_CONCEALMENT_FLAG)
    if not UnitReport.objects.visible_to(by).filter(pk=report.pk).exists():
        raise NotAllowed(_("You may not clear flags of this unit."))
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": _("Say why the flag is cleared.")})
    if len(reason) > REASON_LENGTH:
        raise invalid(
            {"reason": _("At most %(n)s characters.") % {"n": REASON_LENGTH}},
        )
    now = clock.now()
    with transaction.atomic(), acting_as(by):
        report = locks.lock_one(UnitReport, report.pk)
        if report.flag_id is None:
            raise DomainError(
                _("This report has no possible-concealment flag to clear."),
                code=CoreError.WRONG_STATE,
                status=409,
            )
        for filing in locks.lock(report.filings.filter(contradicts=True, cleared_at=None)):
            filing.cleared_at, filing.cleared_by, filing.clear_reason = now, by, reason
            filing.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])
        report.flag = None
        report.save(update_fields=["flag"])
    return report, False
