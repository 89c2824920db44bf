"""The desk endpoints (/api/v1/testing/desk): my desks, the roster search, people added at
the desk, queue numbers, tubes, registration and the batch caller. Writes take an
Idempotency-Key header (201 when written, 200 for a retry or nothing new). Thin: reads through
`visible_to` (desk_reads), writes through services.desk*."""

from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema, Status

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id
from headwater.testing import desk_reads as reads
from headwater.testing.inputs_desk import CallInput, DeskEntryInput, RegisterInput, TubeInput
from headwater.testing.models import Batch, Tube
from headwater.testing.schemas_desk import (
    BatchCalledOut,
    CallsOut,
    DeskCallIn,
    DeskCampaignOut,
    DeskEntryIn,
    DeskSampleOut,
    FoundOut,
    RegisterIn,
    TicketOut,
    TubeIn,
    TubeOut,
)
from headwater.testing.services import desk, desk_queue, desk_roster, desk_tubes

router = Router(auth=SessionAuth())
TAGS = ["testing desk"]
KEY = Header("", alias="Idempotency-Key")
SITE = "/desk/sites/{int:sampling_site_id}"


class SearchQuery(Schema):
    q: str = ""


def _status(created: bool) -> int:
    return 201 if created else 200


def sample_out(sample) -> dict:
    who = sample.entry.person or sample.entry.outsider
    return {
        "id": sample.pk,
        "entry_id": sample.entry_id,
        "name": who.name,
        "taken_at": sample.taken_at,
        "proxy_name": sample.proxy_name,
        "queue_number": sample.ticket.number if sample.ticket_id else None,
        "offline": sample.offline,
        "conflict": sample.conflict,
        "tube": desk.tube_view(sample.tube, getattr(sample, "members", None)),
    }


@router.get("/desk", response=list[DeskCampaignOut], tags=TAGS)
def my_desks(request):
    """The open campaigns whose desks the caller works, with their sites."""
    return reads.my_desks(request.user)


@router.get(SITE + "/roster", response=list[FoundOut], tags=TAGS)
def search_roster(request, sampling_site_id: Id, query: Query[SearchQuery]):
    """Find people on the site's campaign roster by name, staff number, phone or ID number."""
    site = reads.desk_site(request.user, sampling_site_id)
    return [r.__dict__ for r in reads.search(request.user, site, query.q[:50])]


@router.post(SITE + "/roster", response={200: FoundOut, 201: FoundOut}, tags=TAGS)
def add_at_desk(request, sampling_site_id: Id, payload: DeskEntryIn, idempotency_key: str = KEY):
    """Add a person who is not on the roster, with a reason (staff by staff number, or an
    outside person by name, company and phone or ID number)."""
    site = reads.desk_site(request.user, sampling_site_id)
    data = DeskEntryInput.parse(payload.dict())
    entry, created = desk_roster.add_at_desk(site, data, by=request.user, key=idempotency_key)
    return Status(_status(created), reads._found(entry).__dict__)


@router.post(SITE + "/tickets", response={200: TicketOut, 201: TicketOut}, tags=TAGS)
def issue_ticket(request, sampling_site_id: Id, idempotency_key: str = KEY):
    """The site's next queue number."""
    site = reads.desk_site(request.user, sampling_site_id)
    ticket, created = desk_queue.issue_ticket(site, by=request.user, key=idempotency_key)
    return Status(_status(created), ticket)


@router.post(SITE + "/tubes", response={200: TubeOut, 201: TubeOut}, tags=TAGS)
def start_tube(request, sampling_site_id: Id, payload: TubeIn):
    """Start filling a scanned tube at this site (201 when it opens, 200 when it was open)."""
    site = reads.desk_site(request.user, sampling_site_id)
    tube, created = desk_tubes.start_tube(site, TubeInput.parse(payload.dict()), by=request.user)
    return Status(_status(created), desk.tube_view(tube))


@router.get("/desk/tubes/{int:tube_id}", response=TubeOut, tags=TAGS)
def get_tube(request, tube_id: Id):
    tube = get_object_or_404(Tube.objects.visible_to(request.user), pk=tube_id)
    return desk.tube_view(tube)


@router.post("/desk/tubes/{int:tube_id}/close", response=TubeOut, tags=TAGS)
def close_tube(request, tube_id: Id, idempotency_key: str = KEY):
    """Close a tube by hand before it is full."""
    tube = get_object_or_404(
        Tube.objects.visible_to(request.user).select_related("campaign"), pk=tube_id
    )
    tube, _created = desk_tubes.close_tube(tube, by=request.user, key=idempotency_key)
    return desk.tube_view(tube)


@router.post(SITE + "/samples", response={200: DeskSampleOut, 201: DeskSampleOut}, tags=TAGS)
def register(request, sampling_site_id: Id, payload: RegisterIn, idempotency_key: str = KEY):
    """Register one person into the tube being filled. `offline: true` with `taken_at` for a
    registration replayed from the device's queue: kept with `conflict` when it breaks
    "sampled once" or "tube full". A retry with the same Idempotency-Key answers 200 with the
    first outcome."""
    site = reads.desk_site(request.user, sampling_site_id)
    data = RegisterInput.parse(payload.dict())
    sample, created = desk.register(site, data, by=request.user, key=idempotency_key)
    return Status(_status(created), sample_out(sample))


@router.get(SITE + "/calls", response=CallsOut, tags=TAGS)
def calls(request, sampling_site_id: Id):
    """The batch caller: the site's batches (registered / waiting) and the next numbers."""
    return reads.calls(reads.desk_site(request.user, sampling_site_id)).__dict__


@router.post(SITE + "/calls", response=list[TicketOut], tags=TAGS)
def call_numbers(request, sampling_site_id: Id, payload: DeskCallIn):
    """Call the next `count` queue numbers."""
    site = reads.desk_site(request.user, sampling_site_id)
    return desk_queue.call_numbers(site, CallInput.parse(payload.dict()), by=request.user)


@router.post("/desk/batches/{int:batch_id}/call", response=BatchCalledOut, tags=TAGS)
def call_batch(request, batch_id: Id):
    """Call a batch down to its site."""
    batch = get_object_or_404(
        Batch.objects.visible_to(request.user).select_related("campaign"), pk=batch_id
    )
    batch, _created = desk_queue.call_batch(batch, by=request.user)
    return batch
