# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""The visitor API: register at a gate (201, a replayed key 200), approve, refuse, end; the
host's pending visits; vehicles; refusals in the one error shape with nothing changed."""

import pytest

from headwater.access.choices import VisitState
from headwater.access.models import VehicleEntry, Visit
from headwater.access.tests.factories_visitors import switch_level
from headwater.access.tests.visitors_fixtures import gate, guard, host, other_guard  # noqa: F401

pytestmark = pytest.mark.django_db
BODY = {
    "name": "张来访",
    "phone": "13800001111",
    "id_number": "330784199001011231",
    "company": "杭州管材有限公司",
    "reason": "送检修配件",
    "host": "E2",
    "temperature": "36.5",
}


def api(client, user):
    client.force_login(user)
    return client


def test_register_approve_and_end_through_the_api(client, org, gate, guard, host):
    switch_level(org, "level2")
    c = api(client, guard)
    created = c.post(
        f"/api/v1/access/gates/{gate.pk}/visits",
        BODY,
        content_type="application/json",
        headers={"Idempotency-Key": "a1"},
    )
    replay = c.post(
        f"/api/v1/access/gates/{gate.pk}/visits",
        BODY,
        content_type="application/json",
        headers={"Idempotency-Key": "a1"},
    )

    assert (created.status_code, replay.status_code) == (201, 200)
    body = created.json()
    assert (body["state"], body["phone"], body["id_number"], body["host_name"]) == (
        "pending",
        "138****1111",
        "3307**********1231",
        "李操作",
    )
    assert body["pass_url"].startswith("http://testserver/access/v/")
    visit_id = body["id"]

    c = api(client, host)
    mine = c.get("/api/v1/access/visits/mine").json()
    assert [(v["id"], v["state"]) for v in mine["items"]] == [(visit_id, "pending")]
    approved = c.post(
        f"/api/v1/access/visits/{visit_id}/approve", {}, content_type="application/json"
    )
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")

    ended = api(client, guard).post(f"/api/v1/access/visits/{visit_id}/end")
    assert (ended.status_code, ended.json()["state"]) == (200, "ended")


def test_a_visit_without_a_host_where_required_is_refused_in_the_error_shape(
    client, org, gate, guard
):
    switch_level(org, "level1")
    response = api(client, guard).post(
        f"/api/v1/access/gates/{gate.pk}/visits",
        {**BODY, "host": ""},
        content_type="application/json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "visit_host_required"
    assert error["fields"] == {"host": "此处来访须有被访人：请填写被访职工。"}
    assert Visit.objects.count() == 0


def test_refuse_then_approve_answers_409(client, org, gate, guard, host):
    switch_level(org, "level2")
    visit_id = (
        api(client, guard)
        .post(f"/api/v1/access/gates/{gate.pk}/visits", BODY, content_type="application/json")
        .json()["id"]
    )
    c = api(client, host)
    refused = c.post(
        f"/api/v1/access/visits/{visit_id}/refuse",
        {"note": "不在单位"},
        content_type="application/json",
    )
    approve = c.post(
        f"/api/v1/access/visits/{visit_id}/approve", {}, content_type="application/json"
    )

    assert (refused.status_code, refused.json()["state"]) == (200, "refused")
    assert approve.status_code == 409
    assert approve.json()["error"]["code"] == "visit_wrong_state"
    assert Visit.objects.get().state == VisitState.REFUSED


def test_a_guard_may_not_approve_through_the_api(client, org, gate, guard, host):
    switch_level(org, "level2")
    visit_id = (
        api(client, guard)
        .post(f"/api/v1/access/gates/{gate.pk}/visits", BODY, content_type="application/json")
        .json()["id"]
    )

    response = client.post(
        f"/api/v1/access/visits/{visit_id}/approve", {}, content_type="application/json"
    )

    assert response.status_code == 403
    assert Visit.objects.get().state == VisitState.PENDING


def test_vehicles_through_the_api(client, gate, guard, other_guard):
    c = api(client, guard)
    created = c.post(
        f"/api/v1/access/gates/{gate.pk}/vehicles",
        {"plate": "浙A12345", "driver_phone": "13700002222", "disinfected": True},
        content_type="application/json",
        headers={"Idempotency-Key": "car1"},
    )
    listed = c.get(f"/api/v1/access/vehicles?gate_id={gate.pk}").json()

    assert created.status_code == 201
    assert (created.json()["decision"], created.json()["driver_phone"]) == ("allow", "137****2222")
    assert [v["plate"] for v in listed["items"]] == ["浙A12345"]
    refused = api(client, other_guard).post(
        f"/api/v1/access/gates/{gate.pk}/vehicles",
        {"plate": "浙A54321"},
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert VehicleEntry.objects.count() == 1


def test_a_bad_plate_is_refused_by_field(client, gate, guard):
    response = api(client, guard).post(
        f"/api/v1/access/gates/{gate.pk}/vehicles",
        {"plate": "ABC"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["plate"]
