"""The gate posts' pages: the list by site with scanners, teams and today's passages and
refusals; a gate's page; enrolling a scanner shows its token once as text and QR code;
revoking; teams and members from the page; the office's gate form."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from headwater.access.choices import Decision, RefusalReason
from headwater.access.models import Gate, GateDevice, GateTeam, GateTeamMember
from headwater.access.tests.factories_gates import local, make_passage, make_team
from headwater.access.tests.fixtures_gates import *  # noqa: F403 (the gates fixtures)
from headwater.core.models import DeviceToken

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 10)


def test_the_list_shows_each_gate_with_its_figures_by_site(
    client, office_user, gate, gate2, people
):
    make_team(gate, people=[people["operator"]])
    token, _raw = DeviceToken.issue(gate.organization, "平板", gate.site)
    GateDevice.objects.create(organization=gate.organization, gate=gate, device=token)
    make_passage(gate, local(DAY, 8), person=people["operator"])
    make_passage(
        gate,
        local(DAY, 9),
        person=people["head"],
        decision=Decision.REFUSE,
        reason=RefusalReason.FEVER,
    )
    make_passage(gate, local(DAY - dt.timedelta(days=1), 9), person=people["head"])
    client.force_login(office_user)
    with time_machine.travel(local(DAY, 12), tick=False):
        response = client.get(reverse("access:gates"))
    gates = {g.name: g for g in response.context["gates"]}
    one, two = gates["一厂东门"], gates["二厂北门"]
    assert (one.device_count, one.team_count, one.today) == (
        1,
        1,
        {"passages": 2, "refused": 1},
    )
    assert (two.device_count, two.team_count, two.today) == (0, 0, {"passages": 0, "refused": 0})
    page = response.content.decode()
    assert page.count('data-testid="site-heading"') == 2


def test_a_unit_head_lists_the_gates_of_their_sites_only(client, unit_head_user, gate, gate2):
    client.force_login(unit_head_user)
    response = client.get(reverse("access:gates"))
    assert [g.name for g in response.context["gates"]] == ["一厂东门"]
    assert response.context["may_manage"] is False


def test_the_office_creates_a_gate_through_the_form(client, office_user, sites):
    client.force_login(office_user)
    response = client.post(
        reverse("access:gate_new"),
        {
            "name": "南门",
            "site": sites["plant2"].pk,
            "kind": "gate",
            "checks_temperature": "on",
            "active": "on",
        },
    )
    gate = Gate.objects.get()
    assert response.status_code == 302 and response.url == reverse("access:gate", args=[gate.pk])
    assert (gate.site, gate.checks_temperature) == (sites["plant2"], True)


def test_the_form_shows_a_blank_name_and_creates_nothing(client, office_user, sites):
    client.force_login(office_user)
    response = client.post(
        reverse("access:gate_new"), {"name": "", "site": sites["plant1"].pk, "kind": "gate"}
    )
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert Gate.objects.count() == 0


def test_a_unit_head_may_not_open_the_gate_form(client, unit_head_user, gate):
    client.force_login(unit_head_user)
    assert client.get(reverse("access:gate_new")).status_code == 403
    assert client.get(reverse("access:gate_edit", args=[gate.pk])).status_code == 403


def test_enrolling_on_the_page_shows_the_token_once_with_its_qr_code(client, office_user, gate):
    client.force_login(office_user)
    response = client.post(
        reverse("access:gate_device_enrol", args=[gate.pk]), {"name": "东门平板"}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["raw"]
    page = response.content.decode()
    assert raw in page and 'data-testid="device-qr"' in page
    assert DeviceToken.authenticate(raw).gate_device.gate == gate
    detail = client.get(reverse("access:gate", args=[gate.pk])).content.decode()
    assert "东门平板" in detail and raw not in detail


def test_revoking_on_the_page(client, office_user, gate):
    token, raw = DeviceToken.issue(gate.organization, "平板", gate.site)
    row = GateDevice.objects.create(organization=gate.organization, gate=gate, device=token)
    client.force_login(office_user)
    response = client.post(reverse("access:gate_device_revoke", args=[row.pk]))
    assert response.status_code == 302
    assert DeviceToken.authenticate(raw) is None


def test_the_unit_head_builds_a_team_on_the_gates_page(client, unit_head_user, gate, people):
    client.force_login(unit_head_user)
    page = client.get(reverse("access:gate", args=[gate.pk]))
    assert page.context["manage_teams"] is True and page.context["manage"] is False
    client.post(
        reverse("access:gate_team_new", args=[gate.pk]),
        {"name": "东门一组", "batch": "1", "leader": "E1"},
    )
    team = GateTeam.objects.get()
    client.post(reverse("access:gate_member_add", args=[team.pk]), {"who": "13912345678"})
    refused = client.post(
        reverse("access:gate_member_add", args=[team.pk]), {"who": "E3"}, follow=True
    )
    assert "请选择您可编入班组的在岗人员。" in refused.content.decode()
    assert sorted(team.members.values_list("person__name", flat=True)) == ["李操作", "王厂长"]
    member = team.members.get(person=people["operator"])
    client.post(reverse("access:gate_member_remove", args=[member.pk]))
    assert GateTeamMember.objects.filter(team=team).count() == 1


def test_a_team_member_sees_their_gate_but_changes_nothing(client, guard_user, gate2, people):
    client.force_login(guard_user)
    page = client.get(reverse("access:gate", args=[gate2.pk]))
    assert page.status_code == 200 and page.context["manage_teams"] is False
    team = GateTeam.objects.get()
    client.post(reverse("access:gate_member_add", args=[team.pk]), {"who": "E2"})
    client.post(reverse("access:gate_team_delete", args=[team.pk]))
    assert GateTeam.objects.count() == 1 and team.members.count() == 1


def test_another_subtree_gets_404_on_every_gate_page(client, sibling_head, gate, people):
    team = make_team(gate, people=[people["operator"]])
    member = team.members.get()
    client.force_login(sibling_head)
    for url in (
        reverse("access:gate", args=[gate.pk]),
        reverse("access:gate_ledger", args=[gate.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("access:gate_team_new", args=[gate.pk]),
        reverse("access:gate_team_delete", args=[team.pk]),
        reverse("access:gate_member_remove", args=[member.pk]),
    ):
        assert client.post(url, {"name": "X"}).status_code == 404
    assert GateTeam.objects.count() == 1 and GateTeamMember.objects.count() == 1


def test_the_office_changes_a_teams_batch_and_leader_on_the_page(client, office_user, gate, people):
    team = make_team(gate, "东门一组", people=[people["head"]], leader=people["head"])
    client.force_login(office_user)
    page = client.get(reverse("access:gate", args=[gate.pk])).content.decode()
    assert 'value="E1"' in page
    client.post(
        reverse("access:gate_team_edit", args=[team.pk]),
        {"name": "东门甲组", "batch": "3", "leader": "E2"},
    )
    team.refresh_from_db()
    assert (team.name, team.batch, team.leader) == ("东门甲组", 3, people["operator"])
    assert sorted(team.members.values_list("person__name", flat=True)) == ["李操作", "王厂长"]
