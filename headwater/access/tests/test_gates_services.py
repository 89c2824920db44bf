"""Gate posts, scanner devices and duty teams through services/gates.py: the office creates,
changes and closes gates and enrols and revokes their scanners; the office and the head of
the gate's unit manage its teams; every refusal names the field and changes nothing."""

import pytest

from headwater.access.inputs_gates import DeviceInput, GateInput, MemberInput, TeamInput
from headwater.access.models import Gate, GateDevice, GateTeam, GateTeamMember
from headwater.access.services import gates as service
from headwater.access.tests.factories_gates import make_team
from headwater.access.tests.fixtures_gates import *  # noqa: F403 (the gates fixtures)
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import DeviceToken
from headwater.core.tests.factories import PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db


def gate_input(site, **over):
    data = {"site_id": site.pk, "name": "南门卡点", "kind": "gate", "checks_temperature": True}
    return GateInput.parse({**data, **over})


def test_office_creates_a_gate_at_a_site_of_the_organization(office_user, sites):
    gate, created = service.save_gate(gate_input(sites["plant1"]), by=office_user)
    assert created is True
    gate.refresh_from_db()
    assert (gate.site, gate.name, gate.kind, gate.checks_temperature, gate.active) == (
        sites["plant1"],
        "南门卡点",
        "gate",
        True,
        True,
    )


def test_bad_gate_input_names_every_field():
    with pytest.raises(DomainError) as e:
        GateInput.parse({"site_id": "x", "name": " ", "kind": "door"})
    assert set(e.value.fields) == {"site_id", "name", "kind"}
    assert e.value.fields == {
        "site_id": "请从列表中选择。",
        "name": "这个字段是必填项。",
        "kind": "请从列表中选择。",
    }


def test_a_site_of_another_organization_is_refused_and_nothing_is_created(office_user, outsider):
    foreign = SiteFactory(organization=outsider.organization, name="外地水厂")
    with pytest.raises(DomainError) as e:
        service.save_gate(gate_input(foreign), by=office_user)
    assert list(e.value.fields) == ["site_id"]
    assert Gate.objects.count() == 0


def test_a_unit_head_may_not_create_a_gate(unit_head_user, sites):
    with pytest.raises(NotAllowed):
        service.save_gate(gate_input(sites["plant1"]), by=unit_head_user)
    assert Gate.objects.count() == 0


def test_changing_a_gate_keeps_its_id(office_user, gate, sites):
    changed, created = service.save_gate(
        gate_input(sites["plant2"], name="二厂东门", kind="checkpoint"), by=office_user, gate=gate
    )
    gate.refresh_from_db()
    assert created is False and changed.pk == gate.pk
    assert (gate.site, gate.name, gate.kind) == (sites["plant2"], "二厂东门", "checkpoint")


def test_enrolment_returns_the_token_once_and_only_its_hash_is_kept(office_user, gate):
    row, raw = service.enrol_device(gate, DeviceInput.parse({"name": "东门平板1"}), by=office_user)
    assert raw.startswith("hw_")
    token = DeviceToken.objects.get()
    assert (row.gate, row.device, token.site, token.name) == (gate, token, gate.site, "东门平板1")
    assert raw not in token.token_hash and DeviceToken.authenticate(raw) == token
    assert GateDevice.objects.filter(gate=gate).count() == 1


def test_a_closed_gate_enrols_no_scanner(office_user, gate):
    Gate.objects.filter(pk=gate.pk).update(active=False)
    gate.refresh_from_db()
    with pytest.raises(DomainError) as e:
        service.enrol_device(gate, DeviceInput.parse({"name": "平板"}), by=office_user)
    assert e.value.status == 409
    assert DeviceToken.objects.count() == GateDevice.objects.count() == 0


def test_only_the_office_enrols_a_scanner(unit_head_user, gate):
    with pytest.raises(NotAllowed):
        service.enrol_device(gate, DeviceInput.parse({"name": "平板"}), by=unit_head_user)
    assert DeviceToken.objects.count() == 0


def test_revoking_a_scanner_stops_its_token_once(office_user, gate):
    row, raw = service.enrol_device(gate, DeviceInput.parse({"name": "平板"}), by=office_user)
    assert service.revoke_device(row, by=office_user) == (row, True)
    assert DeviceToken.authenticate(raw) is None
    assert service.revoke_device(row, by=office_user) == (row, False)


def test_closing_a_gate_revokes_its_scanners(office_user, gate):
    _row, raw = service.enrol_device(gate, DeviceInput.parse({"name": "平板"}), by=office_user)
    assert service.deactivate_gate(gate, by=office_user)[1] is True
    gate.refresh_from_db()
    assert gate.active is False and DeviceToken.authenticate(raw) is None
    assert service.deactivate_gate(gate, by=office_user)[1] is False


# --- Teams ---------------------------------------------------------------------------------


def test_the_unit_head_creates_a_team_for_a_gate_of_their_site_and_its_leader_joins(
    unit_head_user, gate, people
):
    data = TeamInput.parse({"name": "东门一组", "batch": "2", "leader": "E2"})
    team, created = service.save_team(gate, data, by=unit_head_user)
    assert created is True
    assert (team.name, team.batch, team.leader) == ("东门一组", 2, people["operator"])
    assert list(team.members.values_list("person__name", flat=True)) == ["李操作"]


def test_the_unit_head_may_not_manage_teams_of_another_units_gate(unit_head_user, gate2):
    with pytest.raises(NotAllowed):
        service.save_team(gate2, TeamInput.parse({"name": "北门组"}), by=unit_head_user)
    assert GateTeam.objects.count() == 0


def test_the_unit_head_picks_members_among_their_units_people_only(unit_head_user, gate, people):
    team = make_team(gate)
    with pytest.raises(DomainError) as e:
        service.add_member(team, MemberInput.parse({"who": "E3"}), by=unit_head_user)
    assert list(e.value.fields) == ["who"]
    assert GateTeamMember.objects.count() == 0


def test_the_office_puts_anybody_of_the_organization_on_a_team_once(office_user, gate, people):
    team = make_team(gate)
    member, created = service.add_member(
        team, MemberInput.parse({"person_id": people["other_plant"].pk}), by=office_user
    )
    again, created_again = service.add_member(
        team, MemberInput.parse({"who": "E3"}), by=office_user
    )
    assert (created, created_again, again.pk) == (True, False, member.pk)
    assert GateTeamMember.objects.count() == 1


def test_a_leaver_is_not_put_on_a_team(office_user, gate, tree):
    PersonFactory(unit=tree["plant1"], employee_no="L1", employment_status="left")
    team = make_team(gate)
    with pytest.raises(DomainError):
        service.add_member(team, MemberInput.parse({"who": "L1"}), by=office_user)
    assert GateTeamMember.objects.count() == 0


def test_two_teams_of_a_gate_may_not_share_a_name(office_user, gate):
    make_team(gate, "东门一组")
    with pytest.raises(DomainError) as e:
        service.save_team(gate, TeamInput.parse({"name": "东门一组"}), by=office_user)
    assert list(e.value.fields) == ["name"]
    assert GateTeam.objects.count() == 1


def test_a_leader_taken_off_the_team_stops_leading_it(office_user, gate, people):
    team = make_team(gate, people=[people["operator"]], leader=people["operator"])
    member = team.members.get()
    assert service.remove_member(member, by=office_user)[1] is True
    team.refresh_from_db()
    assert (team.leader, team.members.count()) == (None, 0)


def test_a_member_of_staff_manages_no_team(staff_user, gate, people):
    team = make_team(gate)
    with pytest.raises(NotAllowed):
        service.add_member(team, MemberInput.parse({"who": "E2"}), by=staff_user)
    with pytest.raises(NotAllowed):
        service.delete_team(team, by=staff_user)
    assert GateTeam.objects.count() == 1 and GateTeamMember.objects.count() == 0
