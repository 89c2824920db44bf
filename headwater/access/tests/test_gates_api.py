"""The gates API (/api/v1/access): gate posts (list, detail, create, patch), scanner devices
(enrol answers the raw token once; revoke), duty teams and members, the teams' import; in the
one error shape, 404 outside the caller's scope, 403 for a role that may not."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from headwater.access.choices import GateKind
from headwater.access.models import Gate, GateDevice, GateTeam, GateTeamMember
from headwater.access.tests.factories_gates import make_team
from headwater.access.tests.fixtures_gates import *  # noqa: F403 (the gates fixtures)
from headwater.core.models import DeviceToken
from headwater.core.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/access"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_the_office_creates_lists_and_changes_a_gate(client, office_user, sites):
    client.force_login(office_user)
    created = post(
        client, f"{API}/gates", {"site_id": sites["plant1"].pk, "name": "南门", "kind": "gate"}
    )
    assert created.status_code == 201
    gate_id = created.json()["id"]
    assert created.json() | {"id": 0} == {
        "id": 0,
        "site_id": sites["plant1"].pk,
        "site": "第一水厂",
        "name": "南门",
        "kind": "gate",
        "kind_label": str(GateKind.GATE.label),
        "checks_temperature": True,
        "active": True,
        "devices": 0,
        "teams": 0,
    }
    changed = patch(client, f"{API}/gates/{gate_id}", {"name": "南门卡点", "kind": "checkpoint"})
    assert (changed.status_code, changed.json()["name"], changed.json()["kind"]) == (
        200,
        "南门卡点",
        "checkpoint",
    )
    listed = client.get(f"{API}/gates").json()
    assert (listed["count"], listed["items"][0]["name"]) == (1, "南门卡点")


def test_a_bad_gate_is_refused_in_the_error_shape_and_nothing_is_created(
    client, office_user, outsider
):
    client.force_login(office_user)
    foreign = SiteFactory(organization=outsider.organization)
    response = post(client, f"{API}/gates", {"site_id": foreign.pk, "name": " ", "kind": "door"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"name", "kind"}
    response = post(client, f"{API}/gates", {"site_id": foreign.pk, "name": "门", "kind": "gate"})
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["site_id"])
    assert Gate.objects.count() == 0


def test_a_member_of_staff_may_not_create_a_gate(client, staff_user, sites):
    client.force_login(staff_user)
    response = post(
        client, f"{API}/gates", {"site_id": sites["plant1"].pk, "name": "南门", "kind": "gate"}
    )
    assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden")
    assert Gate.objects.count() == 0


def test_enrol_answers_the_token_once_and_revoke_stops_it(client, office_user, gate):
    client.force_login(office_user)
    enrolled = post(client, f"{API}/gates/{gate.pk}/devices", {"name": "东门平板"})
    assert enrolled.status_code == 201
    body = enrolled.json()
    assert body["token"].startswith("hw_") and body["qr"].startswith("data:image/svg+xml;base64,")
    assert enrolled["Cache-Control"] == "no-store"
    listed = client.get(f"{API}/gates/{gate.pk}/devices")
    assert "token" not in listed.json()["items"][0] and body["token"] not in listed.content.decode()
    assert DeviceToken.authenticate(body["token"]).site_id == gate.site_id
    revoked = client.post(f"{API}/gate-devices/{body['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert DeviceToken.authenticate(body["token"]) is None


def test_teams_and_members_through_the_api(client, unit_head_user, gate, people):
    client.force_login(unit_head_user)
    created = post(
        client,
        f"{API}/gates/{gate.pk}/teams",
        {"name": "东门一组", "batch": 2, "leader_id": people["head"].pk},
    )
    assert created.status_code == 201
    team = created.json()
    assert (team["batch"], team["leader_id"], [m["name"] for m in team["members"]]) == (
        2,
        people["head"].pk,
        ["王厂长"],
    )
    added = post(
        client, f"{API}/gate-teams/{team['id']}/members", {"person_id": people["operator"].pk}
    )
    again = post(
        client, f"{API}/gate-teams/{team['id']}/members", {"person_id": people["operator"].pk}
    )
    assert (added.status_code, again.status_code, added.json()["unit"]) == (201, 200, "运行甲班")
    outside = post(
        client, f"{API}/gate-teams/{team['id']}/members", {"person_id": people["other_plant"].pk}
    )
    assert (outside.status_code, list(outside.json()["error"]["fields"])) == (400, ["person_id"])
    changed = patch(client, f"{API}/gate-teams/{team['id']}", {"leader_id": None, "batch": 3})
    assert (changed.json()["leader_id"], changed.json()["batch"]) == (None, 3)
    removed = client.delete(f"{API}/gate-team-members/{added.json()['id']}")
    assert removed.status_code == 204
    assert GateTeamMember.objects.filter(team_id=team["id"]).count() == 1
    assert client.delete(f"{API}/gate-teams/{team['id']}").status_code == 204
    assert GateTeam.objects.count() == 0


def test_a_unit_head_of_another_subtree_sees_no_gate_and_changes_nothing(
    client, sibling_head, gate, people
):
    team = make_team(gate, people=[people["operator"]])
    client.force_login(sibling_head)
    assert client.get(f"{API}/gates").json()["count"] == 0
    assert client.get(f"{API}/gates/{gate.pk}").status_code == 404
    assert patch(client, f"{API}/gates/{gate.pk}", {"name": "X"}).status_code == 404
    assert post(client, f"{API}/gates/{gate.pk}/devices", {"name": "X"}).status_code == 404
    assert post(client, f"{API}/gates/{gate.pk}/teams", {"name": "X"}).status_code == 404
    assert client.delete(f"{API}/gate-teams/{team.pk}").status_code == 404
    assert GateTeam.objects.count() == 1 and GateDevice.objects.count() == 0
    gate.refresh_from_db()
    assert gate.name == "一厂东门"


def test_an_outsider_sees_nothing(client, outsider, gate):
    client.force_login(outsider)
    assert client.get(f"{API}/gates").json()["count"] == 0
    assert client.get(f"{API}/gates/{gate.pk}/teams").status_code == 404
    assert client.get(f"{API}/gates/{gate.pk}/ledger/summary").status_code == 404


def test_the_import_endpoint_names_bad_rows_in_the_error_shape(client, office_user, gate):
    client.force_login(office_user)
    text = (
        "卡点,组名,批次,姓名,工号/手机\n一厂东门,东门一组,1,李操作,E2\n一厂东门,东门一组,1,谁,E99\n"
    )
    file = SimpleUploadedFile("teams.csv", text.encode(), content_type="text/csv")
    response = client.post(f"{API}/gate-teams/import", {"file": file})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], [r["row"] for r in error["rows"]]) == ("import_rejected", [3])
    assert GateTeam.objects.count() == 0
    good = SimpleUploadedFile(
        "teams.csv", text.splitlines(True)[0].encode() + text.splitlines(True)[1].encode()
    )
    response = client.post(f"{API}/gate-teams/import", {"file": good})
    assert response.json() == {"total": 1, "created": 1, "updated": 1, "unchanged": 0}
