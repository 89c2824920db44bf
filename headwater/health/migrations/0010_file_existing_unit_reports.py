"""Each unit report sent before filings were kept gets one filing: its figures as they stand,
sent by its sender at its first sending, and judged as the overview judged it until then
(the abnormal check-ins last changed before that sending). A report so judged carries the
flag, which from now on stays until the office clears it (ADR 0011)."""

from django.db import migrations

EVIDENCE_FIELDS = (
    "temperature",
    "symptoms",
    "contact_confirmed",
    "contact_suspected",
    "contact_risk_area",
    "household",
)
COUNTS = ("on_duty", "working_from_home", "on_leave", "isolated", "abnormal")


def _plain(value):
    return value if isinstance(value, (bool, list, str, int)) else str(value)


def file_existing(apps, schema_editor):
    UnitReport = apps.get_model("health", "UnitReport")
    UnitReportFiling = apps.get_model("health", "UnitReportFiling")
    CheckIn = apps.get_model("health", "CheckIn")
    for report in UnitReport.objects.filter(filings__isnull=True).select_related("unit"):
        rows = (
            CheckIn.objects.filter(
                unit__path__startswith=report.unit.path,
                date=report.date,
                is_abnormal=True,
                updated_at__lte=report.submitted_at,
            )
            .select_related("person")
            .order_by("submitted_at", "pk")
        )
        evidence = [
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
        people = {e["person"] for e in evidence}
        filing = UnitReportFiling.objects.create(
            organization_id=report.organization_id,
            report=report,
            filed_at=report.submitted_at,
            filed_by_id=report.submitted_by_id,
            is_zero=report.is_zero,
            notes=report.notes,
            abnormal_known=len(people),
            evidence=evidence,
            contradicts=bool(people) and (report.is_zero or report.abnormal < len(people)),
            **{name: getattr(report, name) for name in COUNTS},
        )
        if filing.contradicts:
            report.flag = filing
            report.save(update_fields=["flag"])


class Migration(migrations.Migration):
    dependencies = [("health", "0009_unit_report_filings_and_reminder_runs")]

    operations = [migrations.RunPython(file_existing, migrations.RunPython.noop)]
