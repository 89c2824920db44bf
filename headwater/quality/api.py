"""Water-quality endpoints: sampling points and plans, tasks, entering results (by task, without
a task, by spreadsheet), the three-level review, internal limits, relaxations, and the readings
of online analyzers sent with a device token.

Thin: every read goes through a `visible_to` scope (an object outside it is 404), every write
through quality.services with the use-case's typed input (quality.inputs); refusals are
DomainError / NotAllowed, so they come back in the project's one error shape.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Header, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from headwater.core import clock
from headwater.core.api_roster import rejected
from headwater.core.apiauth import DeviceTokenAuth, SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.errors import NotAllowed, invalid, require
from headwater.core.models import DeviceToken
from headwater.core.writes import Written
from headwater.quality import imports, services
from headwater.quality import permissions as perms
from headwater.quality.choices import SampleSource
from headwater.quality.inputs import LimitInput, PlanInput, PointInput, RelaxationInput
from headwater.quality.models import (
    AnalyzerReading,
    InternalLimit,
    Relaxation,
    Result,
    Sample,
    SamplingPlan,
    SamplingPoint,
    SamplingTask,
)
from headwater.quality.schemas import (
    CountOut,
    IdsIn,
    ImportOut,
    InternalLimitIn,
    InternalLimitOut,
    PlanIn,
    PlanOut,
    PlanPatch,
    PointIn,
    PointOut,
    PointPatch,
    ReadingOut,
    ReadingsIn,
    ReadingsOut,
    RelaxationIn,
    RelaxationOut,
    ResultOut,
    ReturnIn,
    SampleIn,
    SampleOut,
    TaskOut,
    ValuesIn,
)

router = Router(auth=SessionAuth(), tags=["quality"])
PAGE = 50


def _points(request):
    require(request.user, perms.VIEW)
    return SamplingPoint.objects.visible_to(request.user)


def _point_filter(qs, point: str, field: str = "point"):
    """`point` is a sampling point's id or its code."""
    if not point:
        return qs
    if point.isascii() and point.isdecimal():
        return qs.filter(**{f"{field}_id": int(point)})
    return qs.filter(**{f"{field}__code": point})


# --- Sampling points ---------------------------------------------------------------------


@router.get("/points", response=list[PointOut])
@paginate(Pagination, page_size=PAGE)
def list_points(request, kind: str = "", unit: Id | None = None):
    qs = _points(request).select_related("unit")
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        # A unit the user's quality grants reach; its subtree's points.
        unit_obj = get_object_or_404(services.units_for(request.user, perms.VIEW), pk=unit)
        qs = qs.filter(unit__path__startswith=unit_obj.path)
    return qs.order_by("code")


@router.get("/points/{int:point_id}", response=PointOut)
def get_point(request, point_id: Id):
    return get_object_or_404(_points(request).select_related("unit"), pk=point_id)


@router.post("/points", response={201: PointOut})
def create_point(request, payload: PointIn):
    point, _created = services.save_point(PointInput(**payload.dict()), by=request.user)
    return Status(201, point)


@router.patch("/points/{int:point_id}", response=PointOut)
def update_point(request, point_id: Id, payload: PointPatch):
    point = get_object_or_404(_points(request), pk=point_id)
    # PointPatch refuses null but for the site, which null clears.
    data = PointInput.of(point).changed(**payload.dict(exclude_unset=True))
    return services.save_point(data, point=point, by=request.user)[0]


# --- Sampling plans ----------------------------------------------------------------------


def _plans(request):
    require(request.user, perms.VIEW)
    return SamplingPlan.objects.visible_to(request.user)


@router.get("/plans", response=list[PlanOut])
@paginate(Pagination, page_size=PAGE)
def list_plans(request, active: bool | None = None):
    qs = _plans(request)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("name", "pk")


@router.get("/plans/{int:plan_id}", response=PlanOut)
def get_plan(request, plan_id: Id):
    return get_object_or_404(_plans(request), pk=plan_id)


@router.post("/plans", response={201: PlanOut})
def create_plan(request, payload: PlanIn):
    plan, _created = services.save_plan(PlanInput(**payload.dict()), by=request.user)
    return Status(201, plan)


@router.patch("/plans/{int:plan_id}", response=PlanOut)
def update_plan(request, plan_id: Id, payload: PlanPatch):
    plan = get_object_or_404(_plans(request), pk=plan_id)
    data = PlanInput.of(plan).changed(**payload.dict(exclude_unset=True))
    return services.save_plan(data, plan=plan, by=request.user)[0]


# --- Tasks -------------------------------------------------------------------------------


def _tasks(request):
    require(request.user, perms.VIEW)
    return SamplingTask.objects.visible_to(request.user).select_related("point", "sample")


@router.get("/tasks", response=list[TaskOut])
@paginate(Pagination, page_size=PAGE)
def list_tasks(request, date: Day | None = None, status: str = "", point: str = ""):
    """The tasks due on `date` (default today) at the points the user sees."""
    qs = _tasks(request).filter(due_at__date=date or clock.today())
    if status:
        qs = qs.filter(status=status)
    return _point_filter(qs, point).order_by("due_at", "point__code", "pk")


@router.get("/tasks/{int:task_id}", response=TaskOut)
def get_task(request, task_id: Id):
    return get_object_or_404(_tasks(request), pk=task_id)


# --- Entering results --------------------------------------------------------------------


def _entered(written: Written[Sample]) -> Status:
    """201 with a new sample; 200 with the sample when it was not created by this request: a
    retry with a key already seen (the first answer), a task's results entered again (the
    corrected sample). The service's answer decides (core.writes.idempotent)."""
    sample, created = written
    return Status(201 if created else 200, _sample_out(sample.pk))


def _values(values: dict) -> dict[str, str]:
    return {code: str(value) for code, value in values.items()}


@router.post("/tasks/{int:task_id}/results", response={200: SampleOut, 201: SampleOut})
def enter_task_results(
    request,
    task_id: Id,
    payload: ValuesIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """The results of the task's sample, evaluated at once; exceedances alert and open a
    re-sampling task. Entering the task again corrects results not yet checked."""
    task = get_object_or_404(_tasks(request).select_related("point__organization"), pk=task_id)
    return _entered(
        services.record_sample(
            task.point,
            key=idempotency_key,
            sampled_at=payload.sampled_at or clock.now(),
            values=_values(payload.values),
            by=request.user,
            task=task,
        )
    )


@router.post("/samples", response={200: SampleOut, 201: SampleOut})
def enter_sample(
    request, payload: SampleIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    """Results without a task, the point by code or id."""
    ref = str(payload.point).strip()
    lookup = {"pk": int(ref)} if ref.isascii() and ref.isdecimal() else {"code": ref}
    point = _points(request).select_related("organization").filter(**lookup).first()
    if point is None:
        raise invalid({"point": _("Unknown sampling point.")})
    return _entered(
        services.record_sample(
            point,
            key=idempotency_key,
            sampled_at=payload.sampled_at or clock.now(),
            values=_values(payload.values),
            by=request.user,
            source=SampleSource.API,
        )
    )


def _results_qs():
    return Result.objects.select_related("checked_by", "approved_by")


def _samples(request):
    require(request.user, perms.VIEW)
    return (
        Sample.objects.visible_to(request.user)
        .select_related("point", "entered_by")
        .prefetch_related(Prefetch("results", _results_qs()))
    )


def _sample_out(sample_id: Id) -> Sample:
    return (
        Sample.objects.select_related("point", "entered_by")
        .prefetch_related(Prefetch("results", _results_qs()))
        .get(pk=sample_id)
    )


@router.get("/samples", response=list[SampleOut])
@paginate(Pagination, page_size=PAGE)
def list_samples(
    request,
    status: str = "",
    point: str = "",
    date_from: Day | None = None,
    date_to: Day | None = None,
    outcome: str = "",
):
    """Samples, newest first; `status` and `outcome` keep those with such a result."""
    qs = _point_filter(_samples(request), point)
    if date_from:
        qs = qs.filter(sampled_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(sampled_at__date__lte=date_to)
    if status or outcome:
        results = Result.objects.all()
        if status:
            results = results.filter(status=status)
        if outcome:
            results = results.filter(outcome=outcome)
        qs = qs.filter(pk__in=results.values("sample_id"))
    return qs.order_by("-sampled_at", "-pk")


@router.get("/samples/{int:sample_id}", response=SampleOut)
def get_sample(request, sample_id: Id):
    return get_object_or_404(_samples(request), pk=sample_id)


@router.get("/results", response=list[ResultOut])
@paginate(Pagination, page_size=PAGE)
def list_results(
    request,
    status: str = "",
    point: str = "",
    indicator: str = "",
    date_from: Day | None = None,
    date_to: Day | None = None,
    outcome: str = "",
):
    require(request.user, perms.VIEW)
    qs = _point_filter(_results_qs().visible_to(request.user), point)
    filters = {
        "status": status,
        "indicator": indicator,
        "outcome": outcome,
        "sampled_on__gte": date_from,
        "sampled_on__lte": date_to,
    }
    qs = qs.filter(**{k: v for k, v in filters.items() if v})
    return qs.order_by("-sampled_at", "sample_id", "indicator")


@router.post("/results/import", response={200: ImportOut, 422: dict})
def import_results(request, file: File[UploadedFile]):
    """Results from an .xlsx or .csv file, all or nothing: a refusal names every bad row."""
    require(request.user, perms.ENTER_RESULTS)
    report = imports.import_results(
        file, file.name, organization=request.user.organization, by=request.user
    )
    if not report.ok:
        return Status(422, rejected(report))
    return {
        "total": report.total,
        "samples": report.samples,
        "results": report.results,
        "exceedances": report.exceedances,
    }


# --- The three-level review --------------------------------------------------------------


def _chosen(request, ids: list[int]) -> list[Result]:
    """The results named, all within the user's scope (else 404: nothing is reviewed)."""
    require(request.user, perms.VIEW)
    results = list(Result.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk"))
    if len(results) != len(set(ids)):
        raise Http404
    return results


@router.post("/results/check", response=CountOut)
def check_results(request, payload: IdsIn):
    """Level 2: the plant lab head checks entered results."""
    results = _chosen(request, payload.ids)
    return {"count": services.check_results(results, by=request.user)}


@router.post("/results/approve", response=CountOut)
def approve_results(request, payload: IdsIn):
    """Level 3: the central lab approves checked results; only these count officially."""
    results = _chosen(request, payload.ids)
    return {"count": services.approve_results(results, by=request.user)}


@router.post("/results/return", response=CountOut)
def return_results(request, payload: ReturnIn):
    """Either reviewer sends results back to the technician, with a reason."""
    results = _chosen(request, payload.ids)
    return {"count": services.return_results(results, by=request.user, reason=payload.reason)}


# --- Internal limits and relaxations -----------------------------------------------------


@router.get("/internal-limits", response=list[InternalLimitOut])
@paginate(Pagination, page_size=PAGE)
def list_internal_limits(request, indicator: str = ""):
    require(request.user, perms.VIEW)
    # A row stored with a bound no limit may have is left out (quality migration 0003).
    qs = InternalLimit.objects.visible_to(request.user).readable()
    if indicator:
        qs = qs.filter(indicator=indicator)
    return qs.order_by("indicator", "point_kind", "pk")


@router.post("/internal-limits", response={201: InternalLimitOut})
def create_internal_limit(request, payload: InternalLimitIn):
    limit, _created = services.save_internal_limit(LimitInput(**payload.dict()), by=request.user)
    return Status(201, limit)


def _relaxations(request):
    require(request.user, perms.VIEW)
    return Relaxation.objects.visible_to(request.user).select_related(
        "proposed_by", "decided_by", "organization"
    )


@router.get("/relaxations", response=list[RelaxationOut])
@paginate(Pagination, page_size=PAGE)
def list_relaxations(request, status: str = ""):
    qs = _relaxations(request)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-valid_from", "-pk")


@router.post("/relaxations", response={201: RelaxationOut})
def propose_relaxation(request, payload: RelaxationIn):
    """Propose a temporary relaxation; it counts only once someone else approves it."""
    data = RelaxationInput(**payload.dict())
    relaxation, _created = services.propose_relaxation(data, by=request.user)
    return Status(201, relaxation)


@router.post("/relaxations/{int:relaxation_id}/approve", response=RelaxationOut)
def approve_relaxation(request, relaxation_id: Id):
    relaxation = get_object_or_404(_relaxations(request), pk=relaxation_id)
    return services.decide_relaxation(relaxation, by=request.user, approve=True)[0]


@router.post("/relaxations/{int:relaxation_id}/reject", response=RelaxationOut)
def reject_relaxation(request, relaxation_id: Id):
    relaxation = get_object_or_404(_relaxations(request), pk=relaxation_id)
    return services.decide_relaxation(relaxation, by=request.user, approve=False)[0]


@router.post("/relaxations/{int:relaxation_id}/revoke", response=RelaxationOut)
def revoke_relaxation(request, relaxation_id: Id):
    relaxation = get_object_or_404(_relaxations(request), pk=relaxation_id)
    return services.revoke_relaxation(relaxation, by=request.user)[0]


# --- Online analyzers --------------------------------------------------------------------


@router.post("/readings", response=ReadingsOut, auth=[DeviceTokenAuth(), SessionAuth()])
def post_readings(request, payload: ReadingsIn):
    """Readings of online analyzers, sent by a device with its token (`Authorization: Bearer
    hw_…`). A retried batch stores nothing twice; a reading over its limit alerts."""
    device = request.auth if isinstance(request.auth, DeviceToken) else None
    if device is None:
        raise NotAllowed(_("Only a device with its token may send analyzer readings."))
    readings = [{**r.dict(), "value": str(r.value)} for r in payload.readings]
    written = services.record_readings(device, readings)
    stored = sum(created for _reading, created in written)
    return {"received": len(written), "stored": stored, "duplicates": len(written) - stored}


@router.get("/readings", response=list[ReadingOut])
@paginate(Pagination, page_size=PAGE)
def list_readings(
    request,
    point: str = "",
    indicator: str = "",
    date_from: Day | None = None,
    date_to: Day | None = None,
):
    require(request.user, perms.VIEW)
    qs = AnalyzerReading.objects.visible_to(request.user).select_related("point")
    qs = _point_filter(qs, point)
    if indicator:
        qs = qs.filter(indicator=indicator)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "pk")
