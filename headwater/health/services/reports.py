"""Unit daily reports (日报告) and zero reports (零报告)."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.audit import acting_as
from headwater.core.errors import NotAllowed
from headwater.core.models import Unit
from headwater.core.writes import Written
from headwater.health.inputs import UnitReportInput
from headwater.health.models import UnitReport
from headwater.health.permissions import SUBMIT_UNIT_REPORT


def submit_unit_report(
    unit: Unit, *, by, counts: Mapping[str, Any], notes: str = "", zero: bool = False
) -> Written[UnitReport]:
    """The unit's report for today; submitting again the same day updates it (audited), so a
    retried request never makes two. A zero report carries zero abnormal."""
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
    return report, created
