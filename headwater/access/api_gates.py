"""Gates endpoints (/api/v1/access): gate posts (list, detail, create, patch), their scanner
devices (enrol — the raw token once — and revoke), duty teams and members, the teams' import,
and the gate ledger of a day (lines paginated, the summary, vehicles, xlsx and pdf).

Thin: reads through `visible_to`, writes through services/gates*.py; refusals come back in the
one error shape."""

import datetime as dt

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from headwater.access import ledger, ledger_files
from headwater.access.inputs_gates import DeviceInput, GateInput, MemberInput, TeamInput
from headwater.access.models import Gate, GateDevice, GateTeam, GateTeamMember
from headwater.access.schemas_gates import (
    GateDeviceIn,
    GateDeviceOut,
    GateEnrolledOut,
    GateIn,
    GateOut,
    GatePatch,
    LedgerLineOut,
    LedgerSummaryOut,
    MemberOut,
    TeamImportOut,
    TeamIn,
    TeamMemberIn,
    TeamOut,
    TeamPatch,
    VehicleLineOut,
)
from headwater.access.services import gates as service
from headwater.access.services import gates_import
from headwater.core.api_roster import rejected
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.clock import today
from headwater.core.downloads import attachment, qr_data_uri

router = Router(auth=SessionAuth())
GATES, TEAMS, LEDGER = ["gate posts"], ["gate duty teams"], ["gate ledger"]


def _gates(request):
    return (
        Gate.objects.visible_to(request.user)
        .select_related("site")
        .annotate(
            device_count=Count(
                "devices", filter=Q(devices__device__revoked_at__isnull=True), distinct=True
            ),
            team_count=Count("teams", distinct=True),
        )
        .order_by("site_id", "name", "pk")
    )


def _gate(request, gate_id: int) -> Gate:
    return get_object_or_404(_gates(request), pk=gate_id)


def _gate_out(g: Gate) -> dict:
    return {
        "id": g.pk,
        "site_id": g.site_id,
        "site": g.site.name,
        "name": g.name,
        "kind": g.kind,
        "kind_label": str(g.get_kind_display()),
        "checks_temperature": g.checks_temperature,
        "active": g.active,
        "devices": g.device_count,
        "teams": g.team_count,
    }


@router.get("/gates", response=list[GateOut], tags=GATES)
@paginate(Pagination, page_size=100)
def list_gates(request, site_id: Id | None = None, kind: str | None = None):
    """The gate posts the caller sees, with their live scanners and duty teams."""
    qs = _gates(request)
    if site_id:
        qs = qs.filter(site_id=site_id)
    if kind:
        qs = qs.filter(kind=kind[:20])
    return [_gate_out(g) for g in qs]


@router.post("/gates", response={201: GateOut}, tags=GATES)
def create_gate(request, payload: GateIn):
    gate, _created = service.save_gate(GateInput.parse(payload.dict()), by=request.user)
    return Status(201, _gate_out(_gate(request, gate.pk)))


@router.get("/gates/{int:gate_id}", response=GateOut, tags=GATES)
def get_gate(request, gate_id: Id):
    return _gate_out(_gate(request, gate_id))


@router.patch("/gates/{int:gate_id}", response=GateOut, tags=GATES)
def edit_gate(request, gate_id: Id, payload: GatePatch):
    """Change a gate; `active: false` closes it and revokes its scanners."""
    gate = _gate(request, gate_id)
    values = {
        "site_id": gate.site_id,
        "name": gate.name,
        "kind": gate.kind,
        "checks_temperature": gate.checks_temperature,
        "active": gate.active,
    }
    values.update(payload.dict(exclude_unset=True))
    service.save_gate(GateInput.parse(values), by=request.user, gate=gate)
    return _gate_out(_gate(request, gate_id))


def _device_out(row: GateDevice) -> dict:
    d = row.device
    return {
        "id": row.pk,
        "gate_id": row.gate_id,
        "name": d.name,
        "created_at": d.created_at,
        "last_used_at": d.last_used_at,
        "revoked_at": d.revoked_at,
    }


@router.get("/gates/{int:gate_id}/devices", response=list[GateDeviceOut], tags=GATES)
@paginate(Pagination, page_size=100)
def list_devices(request, gate_id: Id):
    gate = _gate(request, gate_id)
    rows = GateDevice.objects.visible_to(request.user).filter(gate=gate).select_related("device")
    return [_device_out(r) for r in rows.order_by("pk")]


@router.post("/gates/{int:gate_id}/devices", response={201: GateEnrolledOut}, tags=GATES)
def enrol_device(request, gate_id: Id, payload: GateDeviceIn, response: HttpResponse):
    """Enrol a scanner for the gate: the raw token is in this answer only, never again."""
    gate = _gate(request, gate_id)
    row, raw = service.enrol_device(gate, DeviceInput.parse(payload.dict()), by=request.user)
    response["Cache-Control"] = "no-store"
    return Status(201, {**_device_out(row), "token": raw, "qr": qr_data_uri(raw)})


@router.post("/gate-devices/{int:gate_device_id}/revoke", response=GateDeviceOut, tags=GATES)
def revoke_device(request, gate_device_id: Id):
    row = get_object_or_404(
        GateDevice.objects.visible_to(request.user).select_related("device"), pk=gate_device_id
    )
    service.revoke_device(row, by=request.user)
    return _device_out(row)


# --- Teams ---------------------------------------------------------------------------------


def _member_out(m: GateTeamMember) -> dict:
    return {"id": m.pk, "person_id": m.person_id, "name": m.person.name, "unit": m.person.unit.name}


def _team_out(t: GateTeam) -> dict:
    return {
        "id": t.pk,
        "gate_id": t.gate_id,
        "name": t.name,
        "batch": t.batch,
        "leader_id": t.leader_id,
        "members": [_member_out(m) for m in t.members.all()],
    }


def _teams(request):
    return (
        GateTeam.objects.visible_to(request.user)
        .select_related("gate__site__unit")
        .prefetch_related("members__person__unit")
    )


def _team(request, team_id: int) -> GateTeam:
    return get_object_or_404(_teams(request), pk=team_id)


@router.get("/gates/{int:gate_id}/teams", response=list[TeamOut], tags=TEAMS)
@paginate(Pagination, page_size=100)
def list_teams(request, gate_id: Id):
    gate = _gate(request, gate_id)
    return [_team_out(t) for t in _teams(request).filter(gate=gate)]


@router.post("/gates/{int:gate_id}/teams", response={201: TeamOut}, tags=TEAMS)
def create_team(request, gate_id: Id, payload: TeamIn):
    """A duty team of the gate (the office; a unit head for gates at their units' sites)."""
    gate = _gate(request, gate_id)
    team, _created = service.save_team(gate, TeamInput.parse(payload.dict()), by=request.user)
    return Status(201, _team_out(_team(request, team.pk)))


@router.patch("/gate-teams/{int:team_id}", response=TeamOut, tags=TEAMS)
def edit_team(request, team_id: Id, payload: TeamPatch):
    team = _team(request, team_id)
    values = {"name": team.name, "batch": team.batch, "leader_id": team.leader_id}
    values.update(payload.dict(exclude_unset=True))
    service.save_team(team.gate, TeamInput.parse(values), by=request.user, team=team)
    return _team_out(_team(request, team_id))


@router.delete("/gate-teams/{int:team_id}", response={204: None}, tags=TEAMS)
def delete_team(request, team_id: Id):
    service.delete_team(_team(request, team_id), by=request.user)
    return Status(204, None)


@router.post(
    "/gate-teams/{int:team_id}/members", response={200: MemberOut, 201: MemberOut}, tags=TEAMS
)
def add_member(request, team_id: Id, payload: TeamMemberIn):
    """Put a person on the team (201; 200 when they were on it already)."""
    team = _team(request, team_id)
    member, created = service.add_member(team, MemberInput.parse(payload.dict()), by=request.user)
    member = GateTeamMember.objects.select_related("person__unit").get(pk=member.pk)
    return Status(201 if created else 200, _member_out(member))


@router.delete("/gate-team-members/{int:team_member_id}", response={204: None}, tags=TEAMS)
def remove_member(request, team_member_id: Id):
    member = get_object_or_404(
        GateTeamMember.objects.visible_to(request.user).select_related("team__gate__site__unit"),
        pk=team_member_id,
    )
    service.remove_member(member, by=request.user)
    return Status(204, None)


@router.post("/gate-teams/import", response={200: TeamImportOut, 422: dict}, tags=TEAMS)
def import_teams(request, file: File[UploadedFile]):
    """Duty teams from a spreadsheet (.xlsx or .csv: 卡点, 组名, 批次, 姓名, 工号/手机, 组长),
    all or nothing: a refusal names every bad row."""
    report = gates_import.import_teams(request.user.organization, file, file.name, by=request.user)
    if not report.ok:
        return Status(422, rejected(report))
    tally = report.tally
    return {
        "total": report.total,
        "created": tally.created,
        "updated": tally.updated,
        "unchanged": tally.unchanged,
    }


# --- The ledger ----------------------------------------------------------------------------


def _ledger_gate(request, gate_id: int) -> Gate:
    return get_object_or_404(Gate.objects.visible_to(request.user), pk=gate_id)


class _Lines:
    """A day's ledger rows as a sliceable sequence: the pagination counts with one query and
    slices the rows with another; each slice becomes numbered lines."""

    def __init__(self, qs, line):
        self.qs, self.line = qs, line

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[dict]:
        start = part.start or 0
        return [self.line(start + i, row) for i, row in enumerate(self.qs[part], start=1)]


@router.get("/gates/{int:gate_id}/ledger", response=list[LedgerLineOut], tags=LEDGER)
@paginate(Pagination, page_size=ledger.PAGE)
def ledger_lines(request, gate_id: Id, day: Day | None = None):
    """Every passage of the gate on `day` (today when left out), oldest first, numbered."""
    gate = _ledger_gate(request, gate_id)
    return _Lines(ledger.passages(gate, day or today()), ledger.passage_line)


@router.get("/gates/{int:gate_id}/ledger/vehicles", response=list[VehicleLineOut], tags=LEDGER)
@paginate(Pagination, page_size=ledger.PAGE)
def ledger_vehicles(request, gate_id: Id, day: Day | None = None):
    gate = _ledger_gate(request, gate_id)
    return _Lines(ledger.vehicles(gate, day or today()), ledger.vehicle_line)


@router.get("/gates/{int:gate_id}/ledger/summary", response=LedgerSummaryOut, tags=LEDGER)
def ledger_summary(request, gate_id: Id, day: Day | None = None):
    """The day's counts (people in and out, refusals by reason, vehicles) and who was on duty."""
    gate = _ledger_gate(request, gate_id)
    day = day or today()
    return {
        "gate_id": gate.pk,
        "gate": gate.name,
        "day": day,
        "on_duty": ledger.on_duty(gate, day),
        **ledger.counts(gate, day).as_dict(),
    }


def _file(gate: Gate, day: dt.date, ext: str, content: bytes, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    return attachment(response, *ledger_files.filename(gate, day, ext))


@router.get("/gates/{int:gate_id}/ledger/xlsx", tags=LEDGER)
def ledger_xlsx(request, gate_id: Id, day: Day | None = None):
    """The whole day's ledger as an Excel workbook (passages, vehicles)."""
    gate, day = _ledger_gate(request, gate_id), day or today()
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _file(gate, day, "xlsx", ledger_files.workbook(gate, day), content_type)


@router.get("/gates/{int:gate_id}/ledger/pdf", tags=LEDGER)
def ledger_pdf(request, gate_id: Id, day: Day | None = None):
    """The whole day's ledger, printable, laid out like the paper ledgers."""
    gate, day = _ledger_gate(request, gate_id), day or today()
    return _file(gate, day, "pdf", ledger_files.document(gate, day), "application/pdf")
