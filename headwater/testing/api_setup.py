"""Setup endpoints (/api/v1/testing): campaigns (list, create, edit, open, close), their sites
and desk operators, the roster (units added, outside people imported, entries removed or
revealed), batches (generated, edited), notices before the day and tube label sheets.

Thin: reads through `visible_to`, writes through services/setup*.py; refusals come back in the
one error shape."""

from django.db.models import Count as Counted
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Header, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from headwater.core import privacy
from headwater.core.api_roster import rejected
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.downloads import attachment
from headwater.core.errors import require
from headwater.core.schemas import RevealIn, RevealOut
from headwater.testing.inputs_setup import (
    BatchInput,
    BatchPlanInput,
    CampaignInput,
    LabelsInput,
    OperatorInput,
    SiteInput,
)
from headwater.testing.models import (
    Batch,
    BatchNotice,
    Campaign,
    CampaignOperator,
    LabelSheet,
    RosterEntry,
)
from headwater.testing.permissions import MANAGE_CAMPAIGNS
from headwater.testing.schemas_setup import (
    AddedOut,
    BatchPatch,
    BatchPlanIn,
    CampaignBatchOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    EntryOut,
    LabelsIn,
    NoticesIn,
    OperatorIn,
    OperatorOut,
    RosterCountOut,
    RosterImportOut,
    SamplingSiteIn,
    SamplingSiteOut,
    SheetOut,
    UnitsIn,
)
from headwater.testing.services import (
    setup,
    setup_batches,
    setup_labels,
    setup_notices,
    setup_outsiders,
    setup_roster,
)

router = Router(auth=SessionAuth())
CAMPAIGNS, ROSTER, BATCHES = "test campaigns", "test campaign roster", "test campaign batches"
PAGE = 50


def _campaign(request, campaign_id: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_id)


@router.get("/campaigns", response=list[CampaignOut], tags=[CAMPAIGNS])
@paginate(Pagination, page_size=PAGE)
def list_campaigns(request, state: str | None = None):
    qs = Campaign.objects.visible_to(request.user)
    return qs.filter(state=state[:10]) if state else qs


@router.post("/campaigns", response={201: CampaignOut}, tags=[CAMPAIGNS])
def create_campaign(request, payload: CampaignIn):
    """A new campaign, being prepared until it is opened."""
    require(request.user, MANAGE_CAMPAIGNS)
    data = CampaignInput.parse(payload.dict())
    campaign, _created = setup.create_campaign(request.user.organization, data, by=request.user)
    return Status(201, campaign)


@router.get("/campaigns/{int:campaign_id}", response=CampaignOut, tags=[CAMPAIGNS])
def get_campaign(request, campaign_id: Id):
    return _campaign(request, campaign_id)


@router.patch("/campaigns/{int:campaign_id}", response=CampaignOut, tags=[CAMPAIGNS])
def edit_campaign(request, campaign_id: Id, payload: CampaignPatch):
    """Change name, dates, pooling size, what to bring or notes (not of a closed campaign)."""
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_CAMPAIGNS)
    values = {
        f: getattr(campaign, f)
        for f in ("name", "starts_on", "ends_on", "pool_size", "bring", "notes")
    }
    values.update(payload.dict(exclude_unset=True))
    return setup.edit_campaign(campaign, CampaignInput.parse(values), by=request.user)[0]


@router.post("/campaigns/{int:campaign_id}/open", response=CampaignOut, tags=[CAMPAIGNS])
def open_campaign(request, campaign_id: Id):
    return setup.open_campaign(_campaign(request, campaign_id), by=request.user)[0]


@router.post("/campaigns/{int:campaign_id}/close", response=CampaignOut, tags=[CAMPAIGNS])
def close_campaign(request, campaign_id: Id):
    return setup.close_campaign(_campaign(request, campaign_id), by=request.user)[0]


@router.get("/campaigns/{int:campaign_id}/sites", response=list[SamplingSiteOut], tags=[CAMPAIGNS])
def list_sites(request, campaign_id: Id):
    return _campaign(request, campaign_id).sites.order_by("pk")


@router.post(
    "/campaigns/{int:campaign_id}/sites", response={201: SamplingSiteOut}, tags=[CAMPAIGNS]
)
def add_site(request, campaign_id: Id, payload: SamplingSiteIn):
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_CAMPAIGNS)
    data = SiteInput.parse(payload.dict(), campaign.organization_id)
    return Status(201, setup.save_site(campaign, data, by=request.user)[0])


@router.get("/campaigns/{int:campaign_id}/operators", response=list[OperatorOut], tags=[CAMPAIGNS])
def list_operators(request, campaign_id: Id):
    """Who works the desks (the office only: people's data)."""
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_CAMPAIGNS)
    return CampaignOperator.objects.filter(campaign=campaign).select_related("person")


@router.post(
    "/campaigns/{int:campaign_id}/operators",
    response={200: OperatorOut, 201: OperatorOut},
    tags=[CAMPAIGNS],
)
def add_operator(request, campaign_id: Id, payload: OperatorIn):
    """List a member of staff as a desk operator (at a site): they then see the campaign."""
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_CAMPAIGNS)
    operator, created = setup.add_operator(
        campaign, OperatorInput.parse(payload.dict(), campaign), by=request.user
    )
    return Status(201 if created else 200, operator)


@router.delete("/operators/{int:operator_id}", response={204: None}, tags=[CAMPAIGNS])
def remove_operator(request, operator_id: Id):
    operator = get_object_or_404(
        CampaignOperator.objects.visible_to(request.user).select_related("campaign"),
        pk=operator_id,
    )
    setup.remove_operator(operator, by=request.user)
    return Status(204, None)


@router.get("/campaigns/{int:campaign_id}/roster", response=list[EntryOut], tags=[ROSTER])
@paginate(Pagination, page_size=PAGE)
def list_roster(request, campaign_id: Id, q: str = "", unit_id: Id | None = None):
    """The campaign's roster as the caller may see it (a unit head their units' people);
    phones and ID numbers masked."""
    campaign = _campaign(request, campaign_id)
    qs = roster_queryset(request.user, campaign, q[:50])
    return qs.filter(unit_id=unit_id) if unit_id else qs


def roster_queryset(user, campaign: Campaign, q: str = ""):
    qs = (
        RosterEntry.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("person", "outsider", "unit")
        .order_by("pk")
    )
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(person__name__contains=q)
            | Q(person__employee_no=q)
            | Q(person__phone=q)
            | Q(outsider__name__contains=q)
            | Q(outsider__phone=q)
            | Q(company__contains=q)
        )
    return qs


@router.post("/campaigns/{int:campaign_id}/roster/units", response=AddedOut, tags=[ROSTER])
def add_units(request, campaign_id: Id, payload: UnitsIn):
    """Put the active people of the units (and their subtrees) on the roster; whoever is on it
    already is skipped."""
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_CAMPAIGNS)
    return setup_roster.add_units(campaign, payload.unit_ids, by=request.user)[0]


@router.post(
    "/campaigns/{int:campaign_id}/roster/import",
    response={200: RosterImportOut, 422: dict},
    tags=[ROSTER],
)
def import_outsiders(request, campaign_id: Id, file: File[UploadedFile]):
    """Outside people from a spreadsheet (.xlsx or .csv: 姓名, 单位/公司, 手机号, 身份证号),
    all or nothing: a refusal names every bad row. Someone known by ID number is reused."""
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_CAMPAIGNS)
    report = setup_outsiders.import_outsiders(campaign, file, file.name, by=request.user)
    if not report.ok:
        return Status(422, rejected(report))
    tally = report.tally
    return {
        "total": report.total,
        "created": tally.created,
        "updated": tally.updated,
        "unchanged": tally.unchanged,
    }


def _entry(request, entry_id: int) -> RosterEntry:
    return get_object_or_404(
        RosterEntry.objects.visible_to(request.user).select_related(
            "person", "outsider", "campaign"
        ),
        pk=entry_id,
    )


@router.delete("/roster/{int:entry_id}", response={204: None}, tags=[ROSTER])
def remove_entry(request, entry_id: Id):
    """Take a person off the roster (refused once they have a sample)."""
    setup_roster.remove_entry(_entry(request, entry_id), by=request.user)
    return Status(204, None)


@router.post("/roster/{int:entry_id}/reveal", response=RevealOut, tags=[ROSTER])
def reveal_entry(request, entry_id: Id, payload: RevealIn):
    """The person's phone and ID number in full (logged)."""
    return privacy.reveal(request.user, _entry(request, entry_id).subject(), payload.purpose)


def batch_queryset(campaign: Campaign):
    return (
        Batch.objects.filter(campaign=campaign)
        .select_related("site", "unit")
        .annotate(
            people=Counted("entries"),
            notified=Exists(BatchNotice.objects.filter(batch=OuterRef("pk"))),
        )
        .order_by("starts_at", "pk")
    )


@router.get("/campaigns/{int:campaign_id}/batches", response=list[CampaignBatchOut], tags=[BATCHES])
def list_batches(request, campaign_id: Id):
    return batch_queryset(_campaign(request, campaign_id))


@router.post(
    "/campaigns/{int:campaign_id}/batches/generate", response=RosterCountOut, tags=[BATCHES]
)
def generate_batches(request, campaign_id: Id, payload: BatchPlanIn):
    """A batch (site and window) for every unit and company on the roster without one."""
    campaign = _campaign(request, campaign_id)
    require(request.user, MANAGE_CAMPAIGNS)
    data = BatchPlanInput.parse(payload.dict())
    return {"count": setup_batches.generate_batches(campaign, data, by=request.user)[0]}


@router.patch("/batches/{int:batch_id}", response=CampaignBatchOut, tags=[BATCHES])
def edit_batch(request, batch_id: Id, payload: BatchPatch):
    batch = get_object_or_404(
        Batch.objects.visible_to(request.user).select_related("campaign"), pk=batch_id
    )
    require(request.user, MANAGE_CAMPAIGNS)
    values = {f: getattr(batch, f) for f in ("label", "site_id", "starts_at", "ends_at")}
    values.update(payload.dict(exclude_unset=True))
    setup_batches.edit_batch(batch, BatchInput.parse(values, batch), by=request.user)
    return batch_queryset(batch.campaign).get(pk=batch.pk)


@router.post("/campaigns/{int:campaign_id}/notices", response=RosterCountOut, tags=[BATCHES])
def send_notices(request, campaign_id: Id, payload: NoticesIn):
    """Publish each unit batch's notice (site, window, what to bring) once; `resend` sends
    every one again."""
    campaign = _campaign(request, campaign_id)
    sent, _created = setup_notices.send_notices(campaign, by=request.user, resend=payload.resend)
    return {"count": sent}


def _sheet_out(sheet: LabelSheet) -> dict:
    return {
        "id": sheet.pk,
        "first": sheet.first,
        "count": sheet.count,
        "barcodes": sheet.barcodes(),
        "pdf": reverse("api:testing_label_sheet_pdf", args=[sheet.pk]),
    }


@router.post(
    "/campaigns/{int:campaign_id}/labels",
    response={200: SheetOut, 201: SheetOut},
    tags=[CAMPAIGNS],
)
def print_labels(
    request,
    campaign_id: Id,
    payload: LabelsIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """N new unused tubes with unique barcodes and their label sheet: 201 when made; 200 when
    the same Idempotency-Key was seen before (nothing made again)."""
    campaign = _campaign(request, campaign_id)
    data = LabelsInput.parse(payload.dict())
    sheet, created = setup_labels.print_labels(campaign, data, by=request.user, key=idempotency_key)
    return Status(201 if created else 200, _sheet_out(sheet))


@router.get(
    "/label-sheets/{int:sheet_id}/pdf",
    url_name="testing_label_sheet_pdf",
    response={200: None},
    tags=[CAMPAIGNS],
)
def label_sheet_pdf(request, sheet_id: Id):
    """The label sheet as an A4 PDF (QR code and barcode text on each label)."""
    sheet = get_object_or_404(
        LabelSheet.objects.visible_to(request.user).select_related("campaign"), pk=sheet_id
    )
    require(request.user, MANAGE_CAMPAIGNS)
    response = HttpResponse(setup_labels.sheet_pdf(sheet), content_type="application/pdf")
    return attachment(response, f"{sheet.campaign.name} 采样管标签 {sheet}.pdf", "labels.pdf")
