"""The pressure watch's API: readings with a device token (written, duplicates, refusals per
item; a revoked device 401 in the error shape), the points (list, create, patch, enrol),
their readings of the last hours (bounded), and the scope (staff and unit heads see none)."""

import datetime as dt
import json

import pytest
import time_machine

from headwater.core.models import DeviceToken
from headwater.network.models import PressurePoint, Reading
from headwater.network.tests.factories_pressure import *  # noqa: F403
from headwater.network.tests.factories_pressure import local, make_device, make_point

pytestmark = pytest.mark.django_db
NOW = local(12, 0)
READINGS = "/api/v1/network/readings"
POINTS = "/api/v1/network/points"


@pytest.fixture(autouse=True)
def clock_at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sender(org):
    device, raw = make_device(org)
    point = make_point(org, "YL-01", device=device)
    return point, raw


def post(client, body, raw):
    return client.post(
        READINGS,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_a_device_sends_a_batch_with_a_duplicate_and_a_refusal(client, org, sender):
    point, raw = sender
    make_point(org, "YL-02", device=make_device(org, "RTU-2")[0])
    body = {
        "readings": [
            {"point": "YL-01", "at": "2026-03-02T11:50:00+08:00", "value": 31.5},
            {"point": "YL-01", "at": "2026-03-02T11:40:00", "value": 30},
            {"point": "YL-02", "at": "2026-03-02T11:50:00+08:00", "value": 30},
            {"point": "YL-01", "at": "2026-03-02T12:30:00+08:00", "value": 30},
        ]
    }
    response = post(client, body, raw)
    assert response.status_code == 200
    assert response.json() == {
        "written": 2,
        "duplicates": 0,
        "refused": [
            {"index": 2, "point": "YL-02", "reason": "该设备不为这个监测点发送读数。"},
            {"index": 3, "point": "YL-01", "reason": "读数时间在将来。"},
        ],
    }
    again = post(client, body, raw).json()
    assert (again["written"], again["duplicates"]) == (0, 2)
    point.refresh_from_db()
    assert (point.last_at, point.last_value) == (local(11, 50), 31.5)


def test_a_full_batch_of_a_thousand_is_written(client, sender):
    point, raw = sender
    start = NOW - dt.timedelta(hours=10)
    body = {
        "readings": [
            {
                "point": "YL-01",
                "at": (start + dt.timedelta(seconds=30 * i)).isoformat(),
                "value": 30,
            }
            for i in range(1000)
        ]
    }
    assert post(client, body, raw).json()["written"] == 1000
    assert Reading.objects.count() == 1000


def test_more_than_a_thousand_is_refused_in_the_error_shape(client, sender):
    _point, raw = sender
    body = {"readings": [{"point": "YL-01", "at": NOW.isoformat(), "value": 1}] * 1001}
    response = post(client, body, raw)
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert Reading.objects.count() == 0


def test_a_revoked_device_is_refused_401_in_the_error_shape(client, sender):
    point, raw = sender
    DeviceToken.objects.filter(pk=point.device_id).update(revoked_at=NOW)
    body = {"readings": [{"point": "YL-01", "at": NOW.isoformat(), "value": 30}]}
    response = post(client, body, raw)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert Reading.objects.count() == 0


def test_a_logged_in_person_cannot_send_readings(client, office_user, sender):
    client.force_login(office_user)
    body = {"readings": [{"point": "YL-01", "at": NOW.isoformat(), "value": 30}]}
    response = client.post(READINGS, json.dumps(body), content_type="application/json")
    assert response.status_code == 401
    assert Reading.objects.count() == 0


def test_the_office_creates_a_point_once_per_key_and_lists_it(client, office_user, network_model):
    client.force_login(office_user)
    body = {"code": "YL-07", "name": "市疾控中心", "node": "J2", "low": 22, "high": 60}
    first = client.post(POINTS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1")
    again = client.post(POINTS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["state"] == "no_data"
    listed = client.get(POINTS).json()
    assert listed["count"] == 1
    assert listed["items"][0]["code"] == "YL-07"


def test_a_bad_point_is_refused_with_its_field_and_nothing_written(client, office_user):
    client.force_login(office_user)
    body = {"code": "YL-07", "name": "x", "low": 50, "high": 40}
    response = client.post(POINTS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"high": "上限必须高于下限。"}
    assert PressurePoint.objects.count() == 0


def test_patch_changes_thresholds_and_clears_one(client, office_user, org):
    point = make_point(org, low=20, high=60)
    client.force_login(office_user)
    response = client.patch(
        f"{POINTS}/{point.pk}", {"low": 25, "high": None}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["low"], response.json()["high"]) == (25.0, None)
    point.refresh_from_db()
    assert (point.low, point.high) == (25.0, None)


def test_enrolling_answers_the_token_once(client, office_user, org):
    point = make_point(org)
    client.force_login(office_user)
    response = client.post(
        f"{POINTS}/{point.pk}/device", {"name": "RTU-5"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    token = response.json()["token"]
    point.refresh_from_db()
    assert DeviceToken.authenticate(token) == point.device
    detail = client.get(f"{POINTS}/{point.pk}").json()
    assert "token" not in detail
    assert detail["device"] == "RTU-5"


def test_readings_of_the_last_hours_are_bounded_to_a_week(client, dispatcher_user, sender):
    point, _raw = sender
    Reading.objects.bulk_create(
        Reading(
            organization_id=point.organization_id,
            point=point,
            at=NOW - dt.timedelta(hours=h),
            value=h,
        )
        for h in (1, 5, 30)
    )
    client.force_login(dispatcher_user)
    day = client.get(f"{POINTS}/{point.pk}/readings").json()
    assert (day["hours"], [r["value"] for r in day["readings"]]) == (24, [5.0, 1.0])
    assert len(client.get(f"{POINTS}/{point.pk}/readings?hours=168").json()["readings"]) == 3
    for hours in (0, 169, 10**12):
        response = client.get(f"{POINTS}/{point.pk}/readings?hours={hours}")
        assert response.status_code == 422
        assert "hours" in json.dumps(response.json()["error"])


@pytest.mark.parametrize("user_fixture", ["staff_user", "unit_head_user"])
def test_staff_and_unit_heads_see_no_points_and_change_none(client, request, user_fixture, org):
    point = make_point(org)
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(POINTS).json()["count"] == 0
    assert client.get(f"{POINTS}/{point.pk}").status_code == 404
    assert client.get(f"{POINTS}/{point.pk}/readings").status_code == 404
    patched = client.patch(f"{POINTS}/{point.pk}", {"low": 1}, content_type="application/json")
    assert patched.status_code == 404
    created = client.post(POINTS, {"code": "X", "name": "X"}, content_type="application/json")
    assert created.status_code == 403
    point.refresh_from_db()
    assert point.low == 20.0
    assert PressurePoint.objects.count() == 1


def test_an_outsider_sees_none_of_our_points(client, outsider, org):
    point = make_point(org)
    client.force_login(outsider)
    assert client.get(POINTS).json()["count"] == 0
    assert client.get(f"{POINTS}/{point.pk}").status_code == 404
