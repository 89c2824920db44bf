"""Isolation endpoints: cases (list, counts, open, from a follow-up item, extend, assign,
release), their history and follow-ups, the monitor's day and the service card.

Thin: reads through `visible_to`, writes through isolation.services; refusals come back in
the one error shape."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Header, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from headwater.core import clock
from headwater.core.api_roster import rejected
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import NotAllowed, require
from headwater.core.models import Person, Unit
from headwater.health.models import FollowUp
from headwater.isolation import services
from headwater.isolation.card import service_card
from headwater.isolation.inputs import CaseInput, CheckInput
from headwater.isolation.models import Case, CaseCheck, CaseEvent
from headwater.isolation.permissions import MANAGE_CASES, VIEW_CASES
from headwater.isolation.schemas import (
    ApproveIn,
    AssignIn,
    CardOut,
    CaseImportOut,
    CaseIn,
    CaseOut,
    CheckIn_,
    CheckOut,
    CountsOut,
    EventOut,
    ExtendIn,
    FromFollowUpIn,
    NoteIn,
    TodayOut,
)
from headwater.isolation.services.common import is_office

router = Router(auth=SessionAuth())
PAGE = 50
CASES, CHECKS = "isolation cases", "isolation follow-ups"
RELATED = ("person", "household_member", "unit", "monitor", "volunteer", "organization")


def _cases(request):
    return Case.objects.visible_to(request.user).select_related(*RELATED)


def _case(request, case_id: int) -> Case:
    return get_object_or_404(_cases(request), pk=case_id)


def _org(request):
    return request.user.organization


@router.get("/cases", response=list[CaseOut], tags=[CASES])
@paginate(Pagination, page_size=PAGE)
def list_cases(
    request,
    state: str | None = None,
    kind: str | None = None,
    unit_id: Id | None = None,
    overdue: bool | None = None,
):
    require(request.user, VIEW_CASES)
    qs = _cases(request)
    if state:
        qs = qs.filter(state=state[:10])
    if kind:
        qs = qs.filter(kind=kind[:12])
    if unit_id:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
        qs = qs.filter(unit__path__startswith=unit.path)
    if overdue:
        qs = qs.unchecked_on(clock.today())
    return qs.order_by("-opened_at", "-id")


@router.get("/cases/counts", response=CountsOut, tags=[CASES])
def case_counts(request):
    require(request.user, VIEW_CASES)
    return Case.objects.visible_to(request.user).counts(clock.today())


@router.post("/cases", response={201: CaseOut}, tags=[CASES])
def open_case(request, payload: CaseIn):
    """Open a case by hand; the person's status and code follow."""
    data = CaseInput.parse(payload.dict(), _org(request))
    get_object_or_404(Person.objects.visible_to(request.user), pk=data.person.pk)
    case, _created = services.open_case(_org(request), data, by=request.user)
    return Status(201, _case(request, case.pk))


@router.post("/follow-ups/{int:followup_id}/case", response={201: CaseOut}, tags=[CASES])
def open_from_follow_up(request, followup_id: Id, payload: FromFollowUpIn):
    """Open a case from a health follow-up item (its person and reason prefilled); the item
    is closed as "isolated"."""
    item = get_object_or_404(
        FollowUp.objects.visible_to(request.user).select_related("person__organization"),
        pk=followup_id,
    )
    values = payload.dict()
    values["person_id"] = item.person_id
    values["reason"] = values["reason"] or item.reason
    data = CaseInput.parse(values, _org(request))
    case, _created = services.open_from_follow_up(item, data, by=request.user)
    return Status(201, _case(request, case.pk))


@router.post("/cases/import", response={200: CaseImportOut, 422: dict}, tags=[CASES])
def import_cases(request, file: File[UploadedFile]):
    """Open the cases of an isolation list (.xlsx or .csv: 工号, 姓名, 隔离类型, 原因, 接触日期,
    开始日期, 地址, 盯控人工号, 志愿者工号), all or nothing: a refusal names every bad row."""
    require(request.user, MANAGE_CASES)
    report = services.import_cases(request.user.organization, file, file.name, by=request.user)
    if not report.ok:
        return Status(422, rejected(report))
    return {"total": report.total, "created": report.tally.created}


@router.get("/cases/{int:case_id}", response=CaseOut, tags=[CASES])
def get_case(request, case_id: Id):
    return _case(request, case_id)


@router.get("/cases/{int:case_id}/events", response=list[EventOut], tags=[CASES])
def case_events(request, case_id: Id):
    case = _case(request, case_id)
    return CaseEvent.objects.filter(case=case).select_related("actor__person")


@router.get("/cases/{int:case_id}/checks", response=list[CheckOut], tags=[CHECKS])
@paginate(Pagination, page_size=PAGE)
def case_checks(request, case_id: Id):
    case = _case(request, case_id)
    return CaseCheck.objects.filter(case=case)


@router.post("/cases/{int:case_id}/checks", response={200: CheckOut, 201: CheckOut}, tags=[CHECKS])
def record_check(
    request,
    case_id: Id,
    payload: CheckIn_,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Today's follow-up by the case's monitor: 201 when recorded; 200 when the same
    Idempotency-Key was seen before (nothing written again)."""
    case = _case(request, case_id)
    data = CheckInput.parse(payload.dict())
    check, created = services.record_check(case, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, check)


@router.post("/cases/{int:case_id}/extend", response=CaseOut, tags=[CASES])
def extend_case(request, case_id: Id, payload: ExtendIn):
    case = _case(request, case_id)
    services.extend(case, payload.planned_end, payload.reason, by=request.user)
    return _case(request, case_id)


@router.post("/cases/{int:case_id}/assign", response=CaseOut, tags=[CASES])
def assign_case(request, case_id: Id, payload: AssignIn):
    case = _case(request, case_id)
    people = Person.objects.visible_to(request.user)
    monitor = volunteer = None
    if payload.monitor_id:
        monitor = get_object_or_404(people, pk=payload.monitor_id)
    if payload.volunteer_id:
        volunteer = get_object_or_404(people, pk=payload.volunteer_id)
    services.assign(case, monitor, volunteer, by=request.user)
    return _case(request, case_id)


@router.post("/cases/{int:case_id}/release/propose", response=CaseOut, tags=[CASES])
def propose_release(request, case_id: Id, payload: NoteIn):
    case = _case(request, case_id)
    services.propose_release(case, by=request.user, note=payload.note)
    return _case(request, case_id)


@router.post("/cases/{int:case_id}/release/refuse", response=CaseOut, tags=[CASES])
def refuse_release(request, case_id: Id, payload: NoteIn):
    case = _case(request, case_id)
    services.refuse_release(case, payload.note, by=request.user)
    return _case(request, case_id)


@router.post("/cases/{int:case_id}/release/approve", response=CaseOut, tags=[CASES])
def approve_release(request, case_id: Id, payload: ApproveIn):
    case = _case(request, case_id)
    services.approve_release(case, by=request.user, override=payload.override)
    return _case(request, case_id)


@router.get("/today", response=list[TodayOut], tags=[CHECKS])
def monitor_today(request):
    """The logged-in monitor's open cases: those not followed up today first."""
    if not request.user.person_id:
        raise NotAllowed(_("Your login is not linked to a person on the roster."))
    cases = (
        Case.objects.open()
        .filter(monitor_id=request.user.person_id, organization_id=request.user.organization_id)
        .select_related(*RELATED)
        .with_checked_on(clock.today())
        .order_by("checked", "planned_end", "id")
    )
    return [{"case": c, "checked": c.checked} for c in cases]


@router.get("/card", response=CardOut, tags=[CASES])
def my_card(request):
    """The logged-in person's service card (their open case)."""
    case = get_object_or_404(
        Case.objects.open()
        .filter(person_id=request.user.person_id or 0, household_member=None)
        .select_related(*RELATED)
    )
    return service_card(case)


@router.get("/cases/{int:case_id}/card", response=CardOut, tags=[CASES])
def case_card(request, case_id: Id):
    """A case's service card, for the office to print and the case's own people (its
    numbers are shown in full: the card is for calling them)."""
    case = _case(request, case_id)
    user = request.user
    if not is_office(user, case.organization_id) and user.person_id not in (
        case.person_id,
        case.monitor_id,
        case.volunteer_id,
    ):
        raise NotAllowed(_("Only the office and the case's own people see the service card."))
    return service_card(case)


from headwater.isolation.api_requests import router as requests_router  # noqa: E402

router.add_router("", requests_router)
from headwater.isolation.api_flow import router as flow_router  # noqa: E402

router.add_router("", flow_router)
from headwater.isolation.api_supervision import router as supervision_router  # noqa: E402

router.add_router("", supervision_router)
