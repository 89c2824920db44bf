"""The gates part's rows of the shared sweep world (core/tests/world.py): a site of the victim
unit with a gate post, its scanner device, a duty team with the victim's person on it, and a
passage and a vehicle entry of the sweep's day at that gate (so its ledger names the victim);
returns the ids the sweep fills path parameters with."""

import uuid

from headwater.access.choices import Credential, Decision
from headwater.access.models import (
    Gate,
    GateDevice,
    GateTeam,
    GateTeamMember,
    Passage,
    VehicleEntry,
)
from headwater.core.models import DeviceToken, Site


def victim_rows(world, moment) -> dict:
    org, unit = world.org, world.unit
    person = world.users["victim_staff"].person
    site = Site.objects.create(
        organization=org, unit=unit, name="ORGV-三厂卡点站", code="VGATE", kind="water_plant"
    )
    gate = Gate.objects.create(organization=org, site=site, name="VICTIM-东门", kind="gate")
    token, _raw = DeviceToken.issue(org, "VICTIM-东门平板", site)
    device = GateDevice.objects.create(organization=org, gate=gate, device=token)
    team = GateTeam.objects.create(organization=org, gate=gate, name="VICTIM-一组", leader=person)
    member = GateTeamMember.objects.create(organization=org, team=team, person=person)
    Passage.objects.create(
        organization=org,
        gate=gate,
        at=moment,
        person=person,
        credential=Credential.PASS,
        decision=Decision.ALLOW,
        key=uuid.uuid4().hex,
    )
    VehicleEntry.objects.create(
        organization=org,
        gate=gate,
        at=moment,
        plate="VICTIM-浙A",
        driver_name="VICTIM-司机",
        decision=Decision.ALLOW,
        key=uuid.uuid4().hex,
    )
    return {
        "gate": gate.pk,
        "gate_name": gate.name,
        "gate_device": device.pk,
        "gate_team": team.pk,
        "gate_member": member.pk,
    }
