"""Health endpoints: check-ins, codes, the unit and office views, unit daily reports, risk
areas, the code rules and epidemiological statuses.

Thin: every read goes through a `visible_to` scope or the health querysets and overview,
every write through health.services; refusals are DomainError / NotAllowed, so they come back
in the project's one error shape.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.errors import NotAllowed, require
from headwater.core.models import Person, Unit
from headwater.health import overview, services, windows
from headwater.health.choices import ReportStatus
from headwater.health.models import CheckIn, HealthCode, RiskArea, StatusRecord, UnitReport
from headwater.health.permissions import SEND_REMINDERS, VIEW_OVERVIEW, VIEW_UNIT_CHECKINS
from headwater.health.schemas import (
    CheckInIn,
    CheckInOut,
    CheckInResult,
    ClearFlagIn,
    CodeOut,
    CompletionOut,
    OverviewOut,
    ReminderOut,
    RemindIn,
    RiskAreaIn,
    RiskAreaOut,
    RuleSetIn,
    RuleSetOut,
    StatusEndIn,
    StatusIn,
    StatusOut,
    TimelineOut,
    UnitReportFilingOut,
    UnitReportIn,
    UnitReportOut,
)

router = Router(auth=SessionAuth())
PAGE = 50
CHECKINS, CODES, UNITS, REPORTS = (
    "health check-ins",
    "health codes",
    "health units",
    "health reports",
)
RISK, RULES, STATUSES = "health risk areas", "health rules", "health statuses"


def _own_person(request) -> Person:
    """The logged-in user's person (with the organization and unit the services read: the
    auth backend loads them with the user)."""
    if request.user.person_id and "person" in request.user._state.fields_cache:
        person = request.user.person
        if person.organization_id and "organization" in person._state.fields_cache:
            return person
    person = (
        Person.objects.select_related("organization", "unit")
        .filter(pk=request.user.person_id)
        .first()
    )
    if person is None:
        raise NotAllowed(_("Your login is not linked to a person on the roster."))
    return person


def _own_code(person: Person) -> HealthCode | None:
    """The logged-in person's own code (the person of `_own_person`: every scope reaches
    oneself, so the check-in's answer skips the scope's queries on this hot path)."""
    code = HealthCode.objects.current_by_person([person.pk]).get(person.pk)
    if code is not None:
        code.person = person
    return code


# --- Check-ins -----------------------------------------------------------------------------


@router.post("/checkins", response={200: CheckInResult, 201: CheckInResult}, tags=[CHECKINS])
def submit_checkin(
    request, payload: CheckInIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    """Today's check-in for the logged-in person: 201 when created; 200 when the same
    idempotency key was seen before (nothing changes) or the slot's check-in was corrected."""
    person = _own_person(request)
    data = payload.dict(exclude={"idempotency_key"})
    key = idempotency_key or payload.idempotency_key
    checkin, created = services.submit_checkin(person, data, by=request.user, key=key)
    checkin.person = person
    # A fresh write carries the code it left in force; a replayed one reads it.
    code = getattr(checkin, "code_in_force", None)
    if code is not None:
        code.person = person
    else:
        code = _own_code(person)
    return Status(201 if created else 200, {"checkin": checkin, "code": code})


@router.get("/checkins", response=list[CheckInOut], tags=[CHECKINS])
@paginate(Pagination, page_size=PAGE)
def list_checkins(
    request, date: Day | None = None, unit_id: Id | None = None, abnormal: bool | None = None
):
    qs = CheckIn.objects.visible_to(request.user).select_related("person")
    if date:
        qs = qs.filter(date=date)
    if unit_id:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
        qs = qs.filter(unit__path__startswith=unit.path)
    if abnormal is not None:
        qs = qs.filter(is_abnormal=abnormal)
    return qs.order_by("-date", "-slot", "person__employee_no", "-id")


@router.get("/checkins/{int:checkin_id}", response=CheckInOut, tags=[CHECKINS])
def get_checkin(request, checkin_id: Id):
    return get_object_or_404(
        CheckIn.objects.visible_to(request.user).select_related("person"), pk=checkin_id
    )


# --- Codes and timelines -------------------------------------------------------------------


@router.get("/codes/me", response=CodeOut, tags=[CODES])
def my_code(request):
    """The logged-in person's code. Before their first code is written (by their first
    check-in or the nightly job) it is computed on the spot and not stored: a GET writes
    nothing."""
    person = _own_person(request)
    return _own_code(person) or services.unsaved_code(person)


@router.get("/codes", response=list[CodeOut], tags=[CODES])
@paginate(Pagination, page_size=PAGE)
def list_codes(request, colour: str = ""):
    qs = HealthCode.objects.current().visible_to(request.user).select_related("person")
    if colour:
        qs = qs.filter(colour=colour)
    return qs.order_by("person__employee_no")


@router.get("/people/{int:person_id}/timeline", response=TimelineOut, tags=[CODES])
def person_timeline(request, person_id: Id, days: int = 30):
    """The person's check-ins of the last `days` days (at most 90) and every code they had,
    newest first, each code with the rule that gave it and the reason."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=person_id
    )
    since = clock.today() - dt.timedelta(days=min(max(days, 1), 90))
    checkins = CheckIn.objects.visible_to(request.user).filter(person=person, date__gte=since)
    return {
        "person": person,
        "checkins": checkins.order_by("-date", "-slot"),
        "codes": HealthCode.objects.visible_to(request.user).filter(person=person),
    }


# --- The unit and the office ---------------------------------------------------------------


# A unit's missing people listed by name at most; `missing_total` counts them all.
MISSING_LISTED = 1000


@router.get("/units/{int:unit_id}/completion", response=CompletionOut, tags=[UNITS])
def unit_completion(request, unit_id: Id, date: Day | None = None):
    """Who in the unit (and below) has checked in on `date` (default today): the abnormal
    ones with their check-ins, and the names of those missing."""
    require(request.user, VIEW_UNIT_CHECKINS)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    day = date or clock.today()
    summary = overview.unit_day(request.user, unit, day, limit=MISSING_LISTED)
    rows = summary.rows
    for row in rows:
        for c in row.checkins:
            c.person = row.person  # already loaded: no query per check-in
    missing = [r.person for r in rows if not r.checkins]
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "date": day,
        "staff": summary.staff,
        "checked_in": summary.done,
        "abnormal": [{"person": r.person, "checkins": r.checkins} for r in rows if r.abnormal],
        "missing": missing,
        "missing_total": summary.staff - summary.done,
    }


@router.get("/overview", response=OverviewOut, tags=[UNITS])
def organization_overview(request, date: Day | None = None):
    """The office's view of a day: organization totals, and per reporting unit its
    completion, report status and, where the report contradicts the members' check-ins, the
    possible concealment with the ids of the check-ins that show it."""
    require(request.user, VIEW_OVERVIEW)
    org = request.user.organization
    day = date or clock.today()
    deadline = windows.report_deadline(org, day)
    rows = overview.overview(request.user, day, deadline)
    return {
        "date": day,
        "deadline": deadline,
        "totals": overview.organization_totals(org, day),
        "units": [
            {
                "unit_id": r.unit.pk,
                "unit_name": r.unit.name,
                "staff": r.staff,
                "done": r.done,
                "rate": r.rate,
                "abnormal": r.abnormal,
                "report_id": r.report.pk if r.report else None,
                "report_status": r.status,
                "report_status_label": str(ReportStatus(r.status).label) if r.status else "",
                "possible_concealment": r.flag is not None,
                "evidence_ids": [c.pk for c in r.evidence],
            }
            for r in rows
        ],
    }


# --- Unit daily reports --------------------------------------------------------------------


@router.get("/unit-reports", response=list[UnitReportOut], tags=[REPORTS])
@paginate(Pagination, page_size=PAGE)
def list_unit_reports(request, date: Day | None = None):
    require(request.user, VIEW_UNIT_CHECKINS)
    return (
        UnitReport.objects.visible_to(request.user)
        .filter(date=date or clock.today())
        .select_related("unit", "submitted_by")
        .order_by("unit__path")
    )


@router.post("/unit-reports", response={200: UnitReportOut, 201: UnitReportOut}, tags=[REPORTS])
def submit_unit_report(request, payload: UnitReportIn):
    """Today's report of a unit: 201 the first time, 200 when it updates today's report."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=payload.unit_id)
    report, created = services.submit_unit_report(
        unit, by=request.user, counts=payload.counts.dict(), notes=payload.notes, zero=payload.zero
    )
    return Status(201 if created else 200, report)


@router.get(
    "/unit-reports/{int:report_id}/filings", response=list[UnitReportFilingOut], tags=[REPORTS]
)
def list_unit_report_filings(request, report_id: Id):
    """Every sending of the report, oldest first, each with the judgement made at that moment
    (possible concealment) and its evidence: the abnormal check-ins as they stood then."""
    require(request.user, VIEW_UNIT_CHECKINS)
    report = get_object_or_404(UnitReport.objects.visible_to(request.user), pk=report_id)
    return report.filings.select_related("filed_by", "cleared_by").order_by("filed_at", "id")


@router.post("/unit-reports/{int:report_id}/clear-flag", response=UnitReportOut, tags=[REPORTS])
def clear_concealment_flag(request, report_id: Id, payload: ClearFlagIn):
    """The office clears the report's possible-concealment flag with a reason (kept with the
    flagged filings and audited). 409 when no flag is raised."""
    report = get_object_or_404(
        UnitReport.objects.visible_to(request.user).select_related("unit"), pk=report_id
    )
    cleared, _created = services.clear_concealment_flag(
        report, by=request.user, reason=payload.reason
    )
    return UnitReport.objects.select_related("unit", "submitted_by").get(pk=cleared.pk)


# --- Reminders -----------------------------------------------------------------------------


@router.post("/reminders", response={200: ReminderOut, 201: ReminderOut}, tags=[REPORTS])
def remind_now(request, payload: RemindIn):
    """Remind now: the people of the unit (of the organization, for the office) who have not
    checked in for the slot open now and, for the office, the heads of the units that have not
    reported. 201 when sent; 200 with the earlier run when one went out for the same unit in
    the last few minutes (nothing is sent twice)."""
    require(request.user, SEND_REMINDERS)
    if request.user.organization_id is None:
        raise NotAllowed(_("Your login belongs to no organization."))
    unit = None
    if payload.unit_id is not None:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=payload.unit_id)
    run, created = services.remind_now(request.user.organization, by=request.user, unit=unit)
    return Status(201 if created else 200, run)


# --- Risk areas ----------------------------------------------------------------------------


@router.get("/risk-areas", response=list[RiskAreaOut], tags=[RISK])
@paginate(Pagination, page_size=PAGE)
def list_risk_areas(request, on: Day | None = None):
    """The organization's risk areas; with `on`, those in force that day."""
    qs = RiskArea.objects.visible_to(request.user)
    return qs.in_force_on(on) if on else qs


@router.post("/risk-areas", response={201: RiskAreaOut}, tags=[RISK])
def create_risk_area(request, payload: RiskAreaIn):
    """A new risk area; every code is recomputed against it after the commit."""
    area, _created = services.save_risk_area(
        request.user.organization,
        by=request.user,
        name=payload.name,
        level=payload.level,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
    )
    return Status(201, area)


# --- Rules ---------------------------------------------------------------------------------


@router.get("/rules", response=RuleSetOut, tags=[RULES])
def get_rules(request):
    """The rule set in force, with its rules in order (the first match wins)."""
    return services.active_rule_set(request.user.organization)


@router.post("/rules", response={201: RuleSetOut}, tags=[RULES])
def publish_rules(request, payload: RuleSetIn):
    """Publish the rules as the next version; every code is recomputed against it."""
    rule_set, _created = services.publish_rules(
        request.user.organization,
        payload.rules,
        fever_threshold=payload.fever_threshold,
        note=payload.note,
        by=request.user,
    )
    return Status(201, rule_set)


# --- Epidemiological statuses --------------------------------------------------------------


def _statuses(request):
    return StatusRecord.objects.visible_to(request.user).select_related("person__organization")


@router.get("/statuses", response=list[StatusOut], tags=[STATUSES])
@paginate(Pagination, page_size=PAGE)
def list_statuses(request, person_id: Id | None = None, open: bool | None = None):
    qs = _statuses(request)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if open is not None:
        qs = qs.filter(ended_on__isnull=open)
    return qs.order_by("-started_on", "-id")


@router.post("/statuses", response={201: StatusOut}, tags=[STATUSES])
def create_status(request, payload: StatusIn):
    """Record a status (close contact, home isolation …); the person's code follows."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"),
        pk=payload.person_id,
    )
    record, _created = services.set_status(
        person,
        payload.kind,
        payload.started_on,
        by=request.user,
        exposure_on=payload.exposure_on,
        note=payload.note,
    )
    return Status(201, record)


@router.post("/statuses/{int:status_id}/end", response=StatusOut, tags=[STATUSES])
def end_status(request, status_id: Id, payload: StatusEndIn):
    record = get_object_or_404(_statuses(request), pk=status_id)
    ended, _created = services.end_status(record, payload.ended_on, by=request.user)
    return ended
