"""Results endpoints (/api/v1/testing): a tube's result, the laboratory's sheet, the retest
list and the retest sample. Thin: parse, call a service, return; refusals in the one error
shape."""

from django.shortcuts import get_object_or_404
from ninja import File, Header, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from headwater.core.api_roster import rejected
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import require
from headwater.testing.choices import RetestState
from headwater.testing.inputs_results import ResultInput, RetestSampleInput
from headwater.testing.models import Retest, Tube
from headwater.testing.permissions import MANAGE_CAMPAIGNS
from headwater.testing.schemas_results import (
    ResultIn,
    ResultSampleOut,
    ResultsImportOut,
    RetestOut,
    RetestSampleIn,
    TubeResultOut,
)
from headwater.testing.services import results_import
from headwater.testing.services.results import record_result
from headwater.testing.services.results_retests import take_retest_sample

router = Router(auth=SessionAuth(), tags=["testing results"])
PAGE = 50
KEY = Header("", alias="Idempotency-Key")


@router.post("/results", response={200: TubeResultOut, 201: TubeResultOut})
def post_result(request, payload: ResultIn, idempotency_key: str = KEY):
    """A tube's result: 201 when recorded (or corrected, with `correction_reason`), 200 when
    the tube already had it or the Idempotency-Key was seen before."""
    require(request.user, MANAGE_CAMPAIGNS)
    data = ResultInput.parse(payload.dict())
    tube, created = record_result(
        request.user.organization, data, by=request.user, key=idempotency_key
    )
    return Status(201 if created else 200, tube)


@router.post("/results/import", response={200: ResultsImportOut, 422: dict})
def import_results(request, file: File[UploadedFile]):
    """The laboratory's sheet (.xlsx or .csv: 试管编码, 结果, 检测时间, 混采人数), all or
    nothing: a refusal names every bad row."""
    require(request.user, MANAGE_CAMPAIGNS)
    report = results_import.import_results(
        request.user.organization, file, file.name, by=request.user
    )
    if not report.ok:
        return Status(422, rejected(report))
    return {
        "total": report.total,
        "updated": report.tally.updated,
        "unchanged": report.tally.unchanged,
    }


def _retests(request):
    return Retest.objects.visible_to(request.user).select_related(
        "entry__person", "entry__outsider", "entry__unit", "pool", "sample__tube"
    )


@router.get("/retests", response=list[RetestOut])
@paginate(Pagination, page_size=PAGE)
def list_retests(request, campaign_id: Id | None = None, state: str | None = None):
    """Retests in the caller's scope, by unit and company; phones masked."""
    qs = _retests(request)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if state in RetestState.values:
        qs = qs.filter(state=state)
    return qs.order_by("entry__unit__path", "entry__company", "opened_at", "pk")


@router.post(
    "/retests/{int:retest_id}/sample", response={200: ResultSampleOut, 201: ResultSampleOut}
)
def post_retest_sample(request, retest_id: Id, payload: RetestSampleIn, idempotency_key: str = KEY):
    """The person's retest swab in a printed individual tube of the campaign."""
    retest = get_object_or_404(_retests(request).select_related("campaign"), pk=retest_id)
    data = RetestSampleInput.parse(payload.dict())
    sample, created = take_retest_sample(retest, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, _sample(sample))


def _sample(sample) -> dict:
    return {
        "id": sample.pk,
        "entry_id": sample.entry_id,
        "tube": Tube.objects.values_list("barcode", flat=True).get(pk=sample.tube_id),
        "taken_at": sample.taken_at,
        "retest_of_id": sample.retest_of_id,
    }
