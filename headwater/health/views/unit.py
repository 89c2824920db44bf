"""A unit head's phone pages: who in the unit has checked in today (live, abnormal first)
and the unit's daily report (日报告, 零报告). Thin over services, overview and pages_support."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import DomainError
from headwater.health import overview, pages_support, services, windows
from headwater.health.choices import ReportStatus
from headwater.health.forms import UnitReportForm
from headwater.health.models import UnitReport
from headwater.health.permissions import SUBMIT_UNIT_REPORT, VIEW_UNIT_CHECKINS

REFRESH_SECONDS = 60


def _describe(rows: list[overview.MemberRow]) -> list[overview.MemberRow]:
    """Each abnormal row with its check-ins in words, and its latest check-in."""
    for row in rows:
        row.notes = [services.describe_checkin(c) for c in row.checkins if c.is_abnormal]
        row.latest = row.checkins[-1] if row.checkins else None
    return rows


def _pick(request, units):
    unit = pages_support.pick(units, request.GET.get("unit"))
    if unit is None:
        raise Http404
    return unit


@login_required
@permission_required(VIEW_UNIT_CHECKINS, raise_exception=True)
def unit_checkins(request):
    units = pages_support.indented(pages_support.units_in_scope(request.user, VIEW_UNIT_CHECKINS))
    unit = _pick(request, units)
    day = overview.unit_day(request.user, unit, clock.today())
    report_units = pages_support.report_units(request.user, SUBMIT_UNIT_REPORT)
    context = {
        "unit": unit,
        "units": units,
        "rows": _describe(day.rows),
        "staff": day.staff,
        "hidden": day.hidden,
        "done": day.done,
        "abnormal": day.abnormal,
        "refresh": REFRESH_SECONDS,
        "can_report": request.user.has_perm(SUBMIT_UNIT_REPORT) and bool(report_units),
        "report_unit": unit if unit in report_units else None,
    }
    # htmx polls the list alone; the page around it stays.
    partial = request.headers.get("HX-Request") == "true"
    template = "health/unit_members.html" if partial else "health/unit.html"
    return render(request, template, context)


@login_required
@permission_required(SUBMIT_UNIT_REPORT, raise_exception=True)
def unit_report(request):
    units = pages_support.indented(pages_support.report_units(request.user, SUBMIT_UNIT_REPORT))
    unit = _pick(request, units)
    today, now = clock.today(), clock.now()
    rows = _describe(overview.unit_day(request.user, unit, today).rows)
    suggested = pages_support.report_suggestions(request.user, unit, today)
    report = UnitReport.objects.visible_to(request.user).filter(unit=unit, date=today).first()
    form = UnitReportForm(
        request.POST or None, initial=UnitReportForm.initial_for(report, suggested)
    )
    action = request.POST.get("zero", "0")
    # A zero report while members checked in abnormal is what the office flags as possible
    # concealment: ask once more, with the names, before sending it.
    confirm_zero = action == "1" and suggested["abnormal"] > 0
    if request.method == "POST" and form.is_valid() and not confirm_zero:
        try:
            services.submit_unit_report(
                unit,
                by=request.user,
                counts=form.counts(),
                notes=form.cleaned_data["notes"],
                zero=action in ("1", "confirm"),
            )
        except DomainError as e:
            form.add_domain_error(e)
        else:
            messages.success(request, _("Daily report sent."))
            return redirect(f"{reverse('health:unit_report')}?unit={unit.pk}")
    deadline = windows.report_deadline(unit.organization, today)
    status = overview.report_status(report, deadline, now)
    return render(
        request,
        "health/unit_report.html",
        {
            "unit": unit,
            "units": units,
            "form": form,
            "report": report,
            "suggested": suggested,
            "abnormal_rows": [r for r in rows if r.abnormal],
            "confirm_zero": confirm_zero,
            "deadline": deadline,
            "status": ReportStatus(status) if status else None,
        },
    )
