"""Builders for the gates part's tests: gate posts, teams, passages and vehicle entries written
directly (the services are tested on their own), so a test states its ledger in a few lines."""

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from headwater.access.choices import Credential, Decision, Direction, GateKind
from headwater.access.models import Gate, GateTeam, GateTeamMember, Passage, VehicleEntry, Visit


def make_gate(site, name="东门卡点", kind=GateKind.GATE, **fields) -> Gate:
    return Gate.objects.create(
        organization_id=site.organization_id, site=site, name=name, kind=kind, **fields
    )


def make_team(gate, name="第一组", batch=1, people=(), leader=None) -> GateTeam:
    team = GateTeam.objects.create(
        organization_id=gate.organization_id, gate=gate, name=name, batch=batch, leader=leader
    )
    for person in people:
        GateTeamMember.objects.create(
            organization_id=gate.organization_id, team=team, person=person
        )
    return team


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


def make_passage(
    gate,
    at,
    *,
    person=None,
    visit=None,
    direction=Direction.IN,
    temperature="36.5",
    decision=Decision.ALLOW,
    reason="",
    guard=None,
    override_reason="",
) -> Passage:
    return Passage.objects.create(
        organization_id=gate.organization_id,
        gate=gate,
        at=at,
        person=person,
        visit=visit,
        credential=Credential.VISIT if visit else Credential.PASS,
        direction=direction,
        temperature=Decimal(temperature) if temperature else None,
        decision=decision,
        reason=reason,
        override_reason=override_reason,
        guard=guard,
        key=uuid.uuid4().hex,
    )


def make_visit(gate, name="孙访客", company="金溪建设公司", phone="13800001111") -> Visit:
    return Visit.objects.create(
        organization_id=gate.organization_id,
        site=gate.site,
        gate=gate,
        name=name,
        company=company,
        phone=phone,
        reason="送货",
    )


def make_vehicle(
    gate,
    at,
    plate="浙A12345",
    *,
    decision=Decision.ALLOW,
    direction=Direction.IN,
    reason="",
    guard=None,
    **fields,
) -> VehicleEntry:
    return VehicleEntry.objects.create(
        organization_id=gate.organization_id,
        gate=gate,
        at=at,
        plate=plate,
        decision=decision,
        direction=direction,
        reason=reason,
        guard=guard,
        key=uuid.uuid4().hex,
        **fields,
    )
