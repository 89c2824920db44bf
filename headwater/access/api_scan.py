"""The scan endpoints (/api/v1/access): a scan and a batch of queued scans, the scanner's
sync, the passages list. A scanner device (bearer token, `GateDevice`) scans for its own post;
a logged-in guard names the post (`gate_id`). Thin: input through `inputs_scan`, decisions
through `services.scan`, reads through `visible_to`."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from headwater.access.choices import Decision, RefusalReason
from headwater.access.errors import AccessError
from headwater.access.inputs_scan import ScanInput
from headwater.access.models import Gate, Passage
from headwater.access.scan_reads import device_gate_id, device_of, gate_context, may_scan
from headwater.access.scanner_sync import payload as sync_payload
from headwater.access.schemas_scan import BatchIn, BatchOut, PassageOut, ScanIn, ScanOut, SyncOut
from headwater.access.services.scan import scan
from headwater.core import clock
from headwater.core.apiauth import DeviceTokenAuth, SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.models import DeviceToken

router = Router()
TAGS = ["access scans"]


class ScannerAuth(DeviceTokenAuth):
    """core's device-token auth with the device remembered for a few seconds like its gate
    (`scan_reads.device_of`): one statement less on every scan."""

    def device(self, token: str):
        return device_of(token)


EITHER = [SessionAuth(), ScannerAuth()]


def _device(request) -> DeviceToken | None:
    return request.auth if isinstance(request.auth, DeviceToken) else None


def _gate(request, gate_id: int | None) -> Gate:
    """The post of this scan: a device's own (whatever it sent), or the one a guard names."""
    device = _device(request)
    if device is not None:
        gate_id, organization_id = device_gate_id(device), device.organization_id
        if gate_id is None:
            raise DomainError(
                _("This scanner is not enrolled for a gate post."),
                code=AccessError.WRONG_GATE,
                status=403,
            )
    else:
        if gate_id is None:
            raise invalid({"gate_id": _("Choose the gate post.")})
        organization_id = request.user.organization_id
    ctx = gate_context(organization_id, gate_id)
    if ctx is None:
        raise DomainError(_("Not found."), code="not_found", status=404)
    return ctx.gate


def _label(reason: str) -> str:
    return str(RefusalReason(reason).label) if reason else ""


def _person(person) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "unit": person.unit.name}


def _visit(visit) -> dict | None:
    if visit is None:
        return None
    return {"id": visit.pk, "name": visit.name, "company": visit.company}


def _slot(slot) -> dict | None:
    if slot is None:
        return None
    return {"name": slot.name, "starts": slot.starts.strftime("%H:%M"), "minutes": slot.minutes}


def scan_out(passage: Passage, created: bool) -> dict:
    return {
        "id": passage.pk,
        "created": created,
        "decision": passage.decision,
        "reason": passage.reason,
        "reason_label": _label(passage.reason),
        "person": _person(passage.person),
        "visit": _visit(passage.visit),
        "colour": getattr(passage, "code_colour", None),
        "slot": _slot(passage.slot),
        "at": timezone.localtime(passage.at),
        "gate": {"id": passage.gate.pk, "name": passage.gate.name},
    }


def _scan_one(request, data: dict) -> tuple[Passage, bool]:
    parsed = ScanInput.parse(data)
    gate = _gate(request, parsed.gate_id)
    device = _device(request)
    guard = None if device is not None else request.user
    return scan(gate, **parsed.arguments(), guard=guard, device=device)


@router.post("/scans", response={200: ScanOut, 201: ScanOut}, auth=EITHER, tags=TAGS)
def post_scan(request, payload: ScanIn):
    """Scan a pass (or a typed staff number) at a post: 201 with the decision when recorded,
    200 with the first passage for a replay of the same key and scan time. An invalid,
    expired or replayed pass is refused unrecorded (400 `pass_invalid`, `pass_expired`, 409
    `pass_replayed`)."""
    passage, created = _scan_one(request, payload.dict())
    return Status(201 if created else 200, scan_out(passage, created))


def _error(error: DomainError) -> dict:
    message = error.message
    if error.fields:
        message = f"{message} {' '.join(error.fields.values())}"
    return {"code": error.code, "message": message}


@router.post("/scans/batch", response=BatchOut, auth=EITHER, tags=TAGS)
def post_batch(request, payload: BatchIn):
    """Scans queued offline, each taken on its own and answered by its key: a bad item is
    refused with its error and never loses the others; a replay answers its first passage."""
    answers = []
    for item in payload.items:
        key = item.get("key")
        key = str(key)[:64] if isinstance(key, str | int) else None
        try:
            passage, created = _scan_one(request, item)
        except DomainError as error:
            answers.append({"key": key, "ok": False, "result": None, "error": _error(error)})
            continue
        answers.append(
            {"key": key, "ok": True, "result": scan_out(passage, created), "error": None}
        )
    return {"items": answers}


class SyncQuery(Schema):
    gate_id: Id | None = None


@router.get("/scanner/sync", response=SyncOut, auth=EITHER, tags=TAGS)
def scanner_sync(request, query: Query[SyncQuery]):
    """What the scanner keeps to decide offline. A device gets its own post's; a logged-in
    guard names a post where they may scan (`?gate_id=`)."""
    gate = _gate(request, query.gate_id)
    if _device(request) is None and not may_scan(request.user, gate):
        raise NotAllowed(_("You do not guard this gate post."))
    return sync_payload(gate_context(gate.organization_id, gate.pk))


class PassageFilters(Schema):
    gate: Id | None = None
    person: Id | None = None
    day: Day | None = None
    decision: Decision | None = None


@router.get("/passages", response=list[PassageOut], auth=SessionAuth(), tags=TAGS)
@paginate(Pagination)
def list_passages(request, filters: Query[PassageFilters]):
    """Passages the caller may see (the gates of their sites, their teams' gates, their own),
    newest first; filters by gate, person, day and decision."""
    rows = Passage.objects.visible_to(request.user).select_related(
        "gate", "person__unit", "visit", "slot"
    )
    if filters.gate:
        rows = rows.filter(gate_id=filters.gate)
    if filters.person:
        rows = rows.filter(person_id=filters.person)
    if filters.day:
        start, end = clock.day_bounds(filters.day)
        rows = rows.filter(at__gte=start, at__lt=end)
    if filters.decision:
        rows = rows.filter(decision=filters.decision)
    return rows.order_by("-at", "-pk")
