"""The control office's desktop pages: the health overview, a person's health timeline, the
code rules and their editor, risk areas and their import, epidemiological statuses.
Thin: reads through querysets and health.overview, writes through services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import clock, privacy
from headwater.core.downloads import attachment
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.importer import CONTENT_TYPES, FORMATS
from headwater.core.models import Person
from headwater.core.views.generic import ServiceFormView, xlsx_response
from headwater.core.views.imports import import_page
from headwater.health import overview as overview_mod
from headwater.health import risk_areas as risk_areas_mod
from headwater.health import rules as rules_mod
from headwater.health import services, windows
from headwater.health.choices import CodeColour, EpiStatus, Recovery, ReportStatus
from headwater.health.models import (
    CheckIn,
    FollowUp,
    HealthCode,
    RiskArea,
    RuleSet,
    StatusRecord,
    UnitReport,
)
from headwater.health.office_forms import (
    RiskAreaForm,
    RuleEditor,
    StatusForm,
    condition_words,
    fact_choices,
    op_choices,
    parse_day,
    recovery_words,
)
from headwater.health.permissions import (
    CLEAR_CONCEALMENT_FLAG,
    MANAGE_RISK_AREAS,
    MANAGE_RULES,
    MANAGE_STATUSES,
    SEND_REMINDERS,
    VIEW_OVERVIEW,
    VIEW_UNIT_CHECKINS,
)

TIMELINE_DAYS = 30
SEARCH_LIMIT = 20


def _organization(request):
    if request.user.organization_id is None:
        raise Http404
    return request.user.organization


# --- Overview ------------------------------------------------------------------------------


@login_required
@permission_required(VIEW_OVERVIEW, raise_exception=True)
def overview(request):
    """Today's (or `?date=`) completion, abnormal counts and report statuses per unit, the
    units whose report contradicts their members' check-ins, and the 14-day trend."""
    org = _organization(request)
    today = clock.today()
    day = parse_day(request.GET.get("date"), today)
    if day is None or day > today:
        messages.error(request, _("Choose a day up to today."))
        day = today
    deadline = windows.report_deadline(org, day)
    rows = overview_mod.overview(request.user, day, deadline)
    for row in rows:
        for checkin in row.evidence:
            checkin.description = services.describe_checkin(checkin)
    if request.GET.get("export") == "xlsx":
        return _export_overview(rows, day)
    context = {
        "day": day,
        "today": today,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1) if day < today else None,
        "deadline": deadline,
        "totals": overview_mod.organization_totals(org, day),
        "rows": rows,
        "flagged": sum(1 for r in rows if r.flag),
        "trend": _trend_data(org, day),
        "can_remind": request.user.has_perm(SEND_REMINDERS) and day == today,
    }
    return render(request, "health/overview.html", context)


def _export_overview(rows: list, day: dt.date) -> HttpResponse:
    """The overview's unit table as a workbook, as the viewer sees it on the page (their
    units; names only, as the page shows them)."""
    header = [
        _("Unit"),
        _("Staff"),
        _("Checked in"),
        _("Rate (%)"),
        _("Abnormal"),
        _("Daily report"),
        _("Sent at"),
        _("What the unit reported"),
        _("Possible concealment"),
        _("Evidence"),
    ]

    def line(row) -> list:
        report = row.report
        said = ""
        if report is not None:
            said = (
                _("Zero report") if report.is_zero else _("%(n)s abnormal") % {"n": report.abnormal}
            )
        evidence = "；".join(
            f"{c.person.name}（{timezone.localtime(c.submitted_at):%H:%M} {c.description}）"
            for c in row.evidence
        )
        return [
            row.unit.name,
            row.staff,
            row.done,
            row.rate,
            row.abnormal,
            str(ReportStatus(row.status).label) if row.status else _("Not yet due"),
            f"{timezone.localtime(report.submitted_at):%H:%M:%S}" if report else "",
            said,
            _("Yes") if row.flag else "",
            evidence,
        ]

    return xlsx_response(
        header,
        (line(r) for r in rows),
        f"{_('Health overview')}-{day:%Y-%m-%d}",
        f"health-overview-{day:%Y-%m-%d}.xlsx",
    )


def _trend_data(org, day: dt.date) -> dict:
    points = overview_mod.trend(org, day)
    return {
        "dates": [p["date"].strftime("%m-%d") for p in points],
        "rate": [round(100 * p["done"] / p["staff"], 1) if p["staff"] else 0 for p in points],
        "abnormal": [p["abnormal"] for p in points],
        "labels": {"rate": _("Completion rate (%)"), "abnormal": _("Abnormal people")},
    }


# --- A unit report, its filings and its flag ------------------------------------------------


@login_required
@permission_required(VIEW_OVERVIEW, raise_exception=True)
def unit_report_filings(request, pk: int):
    """A unit's daily report: every filing as it was sent, with the judgement made at that
    moment and its evidence; the office clears a raised flag here with a reason (POST)."""
    report = get_object_or_404(
        UnitReport.objects.visible_to(request.user).select_related("unit", "flag"), pk=pk
    )
    reason_error = ""
    if request.method == "POST":
        try:
            services.clear_concealment_flag(
                report, by=request.user, reason=request.POST.get("reason", "")
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except DomainError as e:
            reason_error = e.fields.get("reason") or e.message
        else:
            messages.success(
                request,
                _("The possible-concealment flag of %(unit)s is cleared.")
                % {"unit": report.unit.name},
            )
            return redirect("health:unit_report_filings", pk=report.pk)
    filings = list(
        report.filings.select_related("filed_by__person", "cleared_by__person").order_by(
            "-filed_at", "-id"
        )
    )
    for filing in filings:
        filing.report = report
        filing.checkins = overview_mod.filing_evidence(filing)
        for checkin in filing.checkins:
            checkin.description = services.describe_checkin(checkin)
    return render(
        request,
        "health/unit_report_filings.html",
        {
            "report": report,
            "filings": filings,
            "can_clear": request.user.has_perm(CLEAR_CONCEALMENT_FLAG),
            "reason": request.POST.get("reason", "") if reason_error else "",
            "reason_error": reason_error,
        },
    )


# --- A person's timeline -------------------------------------------------------------------


@login_required
@permission_required(VIEW_UNIT_CHECKINS, raise_exception=True)
def person_timeline(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    user = request.user
    since = clock.today() - dt.timedelta(days=TIMELINE_DAYS - 1)
    checkins = list(
        CheckIn.objects.visible_to(user)
        .filter(person=person, date__gte=since)
        .order_by("-date", "-slot")
    )
    for checkin in checkins:
        checkin.description = services.describe_checkin(checkin)
    context = {
        "person": person,
        "masked": privacy.masked(person),
        "checkins": checkins,
        "since": since,
        "codes": HealthCode.objects.visible_to(user).filter(person=person),
        "epi_statuses": StatusRecord.objects.visible_to(user)
        .filter(person=person)
        .select_related("recorded_by")
        .order_by("-started_on", "-id"),
        "followups": FollowUp.objects.visible_to(user)
        .filter(person=person)
        .select_related("checkin"),
        "can_manage_statuses": user.has_perm(MANAGE_STATUSES),
    }
    return render(request, "health/person_timeline.html", context)


# --- Code rules ----------------------------------------------------------------------------


@login_required
@permission_required(MANAGE_RULES, raise_exception=True)
def rules(request):
    """The rule set in force, in words; its editor (?edit=1, or after a post); the versions."""
    org = _organization(request)
    rule_set = services.active_rule_set(org)
    editor = None
    if request.method == "POST":
        editor = RuleEditor.from_post(request.POST)
        action = request.POST.get("action", "")
        if action == "publish":
            published = _publish(request, org, editor)
            if published is not None:
                messages.success(
                    request,
                    _("Version %(v)s is in force; every code is being recomputed with it.")
                    % {"v": published.version},
                )
                return _redirect(request, reverse("health:rules"))
        else:
            editor.apply(action)
    elif request.GET.get("edit"):
        editor = RuleEditor.from_rule_set(rule_set)
    return render(request, "health/rules.html", _rules_context(request.user, rule_set, editor))


def _publish(request, org, editor: RuleEditor):
    if editor.own_errors():
        editor.error = _("Please correct the marked fields.")
        return None
    try:
        published, _created = services.publish_rules(
            org,
            rules=editor.payload(),
            fever_threshold=editor.fever_threshold,
            note=editor.note[:200],
            by=request.user,
        )
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        editor.show_errors(e.fields, e.message)
        return None
    return published


def _redirect(request, url: str) -> HttpResponse:
    """A redirect that also works for the editor's htmx posts (which swap a fragment)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _rules_context(user, rule_set, editor) -> dict:
    # The organization's figures (how many codes each rule gives), not one person's codes.
    current = HealthCode.objects.of(rule_set.organization_id).current()
    # By name, not by rule row: a code the new version did not change keeps the row of the
    # version that gave it, and the office asks "how many people does this rule hold now".
    by_rule = dict(
        current.values_list("rule_name").annotate(n=Count("id")).values_list("rule_name", "n")
    )
    by_version = dict(
        current.values_list("rule_set_version")
        .annotate(n=Count("id"))
        .values_list("rule_set_version", "n")
    )
    rules = list(rule_set.rules.all())
    for rule in rules:
        rule.words = [condition_words(c) for c in rule.conditions]
        rule.recovery_text = recovery_words(
            rule.recovery, rule.recovery_days, bool(rules_mod.rule_statuses(rule))
        )
        rule.css = CodeColour(rule.colour).css
        rule.codes = by_rule.get(rule.name, 0)
    versions = list(
        RuleSet.objects.visible_to(user)
        .select_related("created_by__person")
        .annotate(n_rules=Count("rules"))
        .order_by("-version")
    )
    for version in versions:
        version.codes = by_version.get(version.version, 0)
    return {
        "rule_set": rule_set,
        "rules": rules,
        "versions": versions,
        "green_codes": by_rule.get("", 0),
        "editor": editor,
        "facts": fact_choices(),
        "ops": op_choices(),
        "colours": CodeColour.choices,
        "epi_statuses": EpiStatus.choices,
        "recoveries": Recovery.choices,
    }


# --- Risk areas ----------------------------------------------------------------------------


class RiskAreas(ServiceFormView):
    """The list (in force and upcoming, then ended), the add or edit form (?edit=<pk>), and
    the end and delete buttons."""

    permission_required = MANAGE_RISK_AREAS
    template_name = "health/risk_areas.html"
    form_class = RiskAreaForm
    success_url = reverse_lazy("health:risk_areas")
    success_message = gettext_lazy("Saved. Every code is being recomputed.")

    def areas(self):
        return RiskArea.objects.visible_to(self.request.user)

    @cached_property
    def editing(self) -> RiskArea | None:
        pk = self.request.POST.get("pk") or self.request.GET.get("edit")
        return get_object_or_404(self.areas(), pk=_int(pk)) if pk else None

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "save")
        if action in ("end", "delete"):
            return _end_or_delete(request, self.areas(), action)
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict:
        area = self.editing
        if area is None:
            return {"valid_from": clock.today()}
        return {f: getattr(area, f) for f in ("name", "level", "valid_from", "valid_to")}

    def save(self, form):
        org = _organization(self.request)
        try:
            return services.save_risk_area(
                org, by=self.request.user, area=self.editing, **form.cleaned_data
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e

    def get_context_data(self, **kwargs) -> dict:
        _organization(self.request)
        today = clock.today()
        areas = self.areas()
        return super().get_context_data(
            editing=self.editing,
            today=today,
            current=areas.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)),
            ended=areas.filter(valid_to__lt=today).order_by("-valid_to", "name"),
            **kwargs,
        )


risk_areas = RiskAreas.as_view()


def _end_or_delete(request, areas, action: str):
    area = get_object_or_404(areas, pk=_int(request.POST.get("pk")))
    try:
        if action == "delete":
            services.delete_risk_area(area, by=request.user)
            messages.success(request, _("Deleted %(area)s.") % {"area": area.name})
        else:
            last_day = parse_day(request.POST.get("valid_to"), clock.today())
            if last_day is None:
                raise DomainError(_("Enter a date."))
            services.end_risk_area(area, last_day, by=request.user)
            messages.success(
                request,
                _("%(area)s is a risk area until %(day)s.") % {"area": area.name, "day": last_day},
            )
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
    return redirect("health:risk_areas")


@login_required
@permission_required(MANAGE_RISK_AREAS, raise_exception=True)
def risk_areas_import(request):
    """Upload form; after an upload, the summary or every bad row (nothing written).
    `?template=xlsx|csv` downloads an empty file with the headers."""
    fmt = request.GET.get("template")
    if fmt is not None:
        if fmt not in FORMATS:
            return HttpResponseBadRequest(_("Choose xlsx or csv."))
        response = HttpResponse(risk_areas_mod.template(fmt), content_type=CONTENT_TYPES[fmt])
        name = _("Risk areas import template")
        return attachment(response, f"{name}.{fmt}", f"risk-areas-template.{fmt}")
    return import_page(
        request,
        "health/risk_areas_import.html",
        lambda upload: services.import_risk_areas(
            _organization(request), upload, upload.name, by=request.user
        ),
    )


# --- Epidemiological statuses --------------------------------------------------------------


@login_required
@permission_required(MANAGE_STATUSES, raise_exception=True)
def statuses(request):
    """Find a person (?q=), record a status for them (?person=<pk>), end an open status."""
    people = Person.objects.visible_to(request.user)
    if request.method == "POST" and request.POST.get("action") == "end":
        return _end_status(request)
    person = None
    if request.GET.get("person") or request.POST.get("person"):
        pk = _int(request.POST.get("person") or request.GET.get("person"))
        person = get_object_or_404(people.select_related("unit"), pk=pk)
    form = StatusForm(
        request.POST if request.method == "POST" else None,
        initial={"started_on": clock.today()},
    )
    if request.method == "POST" and person and form.is_valid():
        if _set_status(request, person, form):
            return redirect("health:statuses")
    q = request.GET.get("q", "").strip()
    found = []
    if q:
        found = (
            people.active()
            .filter(Q(name__icontains=q) | Q(employee_no__iexact=q))
            .select_related("unit")
            .order_by("employee_no")[:SEARCH_LIMIT]
        )
    today = clock.today()
    open_statuses = (
        StatusRecord.objects.visible_to(request.user)
        .open_on(today)
        .select_related("person__unit", "recorded_by")
        .order_by("-started_on", "-id")
    )
    return render(
        request,
        "health/statuses.html",
        {
            "q": q,
            "found": found,
            "person": person,
            "form": form,
            "open": open_statuses,
            "today": today,
        },
    )


def _set_status(request, person, form: StatusForm) -> bool:
    data = form.cleaned_data
    try:
        services.set_status(
            person,
            data["kind"],
            data["started_on"],
            by=request.user,
            exposure_on=data["exposure_on"],
            note=data["note"],
        )
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        form.add_domain_error(e)
        return False
    messages.success(request, _("Status recorded for %(name)s.") % {"name": person.name})
    return True


def _end_status(request):
    record = get_object_or_404(
        StatusRecord.objects.visible_to(request.user).select_related("person"),
        pk=_int(request.POST.get("record")),
    )
    ended_on = parse_day(request.POST.get("ended_on"), clock.today())
    try:
        if ended_on is None:
            raise DomainError(_("Enter a date."))
        services.end_status(record, ended_on, by=request.user)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except DomainError as e:
        messages.error(request, " ".join([e.message, *e.fields.values()]))
    else:
        messages.success(
            request,
            _("%(status)s of %(name)s ended on %(day)s.")
            % {"status": record.get_kind_display(), "name": record.person.name, "day": ended_on},
        )
    return redirect("health:statuses")


def _int(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError) as e:
        raise Http404 from e
