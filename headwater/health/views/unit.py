"""A unit head's phone pages: who in the unit has checked in today (live, abnormal first)
and the unit's daily report (日报告, 零报告). Thin over services, overview and pages_support."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Unit
from headwater.core.validators import INT_MAX
from headwater.health import overview, pages_support, reminders, services, windows
from headwater.health.choices import ReportStatus
from headwater.health.forms import UnitReportForm
from headwater.health.inputs import REPORT_COUNTS
from headwater.health.models import UnitReport
from headwater.health.permissions import SEND_REMINDERS, SUBMIT_UNIT_REPORT, VIEW_UNIT_CHECKINS

REFRESH_SECONDS = 60


def _describe(rows: list[overview.MemberRow]) -> list[overview.MemberRow]:
    """Each abnormal row with its check-ins in words, and its latest check-in."""
    for row in rows:
        row.notes = [services.describe_checkin(c) for c in row.checkins if c.is_abnormal]
        row.latest = row.checkins[-1] if row.checkins else None
    return rows


def _counts(suggested: dict[str, int]) -> dict[str, int]:
    return {name: suggested[name] for name in REPORT_COUNTS}


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
    can_remind = request.user.has_perm(SEND_REMINDERS)
    # htmx polls the list alone; the page around it stays.
    partial = request.headers.get("HX-Request") == "true"
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
        "can_remind": can_remind,
        # Who "remind now" reaches: not checked in for the slot open now (at the levels with
        # two check-ins a day, the afternoon's), as the reminders count them.
        "missing": reminders.missing_people(request.user.organization, clock.now())
        .filter(unit__path__startswith=unit.path)
        .count()
        if can_remind and not partial
        else 0,
    }
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
    action = request.POST.get("zero", "0")
    # A zero report while members checked in abnormal is what the office flags as possible
    # concealment: ask once more, with the names, before sending it — and show today's
    # figures again (not what the form held: an earlier report's counts), so that sending
    # the true report is one tap.
    confirm_zero = request.method == "POST" and action == "1" and suggested["abnormal"] > 0
    if confirm_zero:
        notes = request.POST.get("notes", "")
        form = UnitReportForm(initial={**_counts(suggested), "notes": notes})
    else:
        form = UnitReportForm(
            request.POST or None, initial=UnitReportForm.initial_for(report, suggested)
        )
    if request.method == "POST" and not confirm_zero and form.is_valid():
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
            # "Send the zero report anyway" sends today's figures with nobody abnormal.
            "zero_counts": {**_counts(suggested), "abnormal": 0},
            "deadline": deadline,
            "status": ReportStatus(status) if status else None,
        },
    )


@require_POST
@login_required
@permission_required(SEND_REMINDERS, raise_exception=True)
def remind_now(request):
    """The "remind now" button: of the unit page (a unit head, `unit`) or of the overview
    (the office, the whole organization). Says how many were reminded; a second press within
    a few minutes sends nothing and says when the first went out."""
    user = request.user
    if user.organization_id is None:
        raise Http404
    unit = None
    if request.POST.get("unit"):
        try:
            pk = int(request.POST["unit"])
            if not 1 <= pk <= INT_MAX:
                raise ValueError(pk)
        except ValueError as e:
            raise Http404 from e
        unit = get_object_or_404(Unit.objects.visible_to(user), pk=pk)
    try:
        run, created = services.remind_now(user.organization, by=user, unit=unit)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    if not created:
        messages.info(
            request,
            _("Reminders already went out at %(time)s; nothing was sent again.")
            % {"time": f"{timezone.localtime(run.sent_at):%H:%M}"},
        )
    elif run.units:
        messages.success(
            request,
            _(
                "Reminded now — people not checked in: %(people)s; heads of units not "
                "reported: %(units)s."
            )
            % {"people": run.people, "units": run.units},
        )
    else:
        messages.success(
            request,
            _("Reminded now — people not checked in: %(people)s.") % {"people": run.people},
        )
    if unit is None:
        return redirect("health:overview")
    return redirect(f"{reverse('health:unit')}?unit={unit.pk}")
