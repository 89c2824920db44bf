"""The pressure watch's pages: the list with state and thresholds, the create form (office),
a point's page with the chart's data, the threshold form, the device enrolled with its token
shown once; staff and unit heads refused."""

import datetime as dt
import json

import pytest
import time_machine
from lxml import html

from headwater.network.models import PressurePoint, Reading
from headwater.network.tests.factories_pressure import *  # noqa: F403
from headwater.network.tests.factories_pressure import local, make_point

pytestmark = pytest.mark.django_db
NOW = local(12, 0)


def page(response):
    return html.fromstring(response.content.decode())


def by_testid(tree, name):
    return tree.xpath(f'.//*[@data-testid="{name}"]')


@pytest.fixture(autouse=True)
def clock_at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_list_shows_each_points_state_value_and_thresholds(
    client, dispatcher_user, org, device
):
    make_point(org, "YL-01", device=device, last_value=12.0, last_at=NOW - dt.timedelta(minutes=5))
    make_point(org, "YL-02", device=device, last_value=30.0, last_at=NOW - dt.timedelta(minutes=5))
    make_point(org, "YL-03", device=device, last_value=30.0, last_at=NOW - dt.timedelta(hours=2))
    make_point(org, "YL-04", device=device, last_value=70.0, last_at=NOW - dt.timedelta(minutes=1))
    client.force_login(dispatcher_user)
    response = client.get("/network/points/")
    assert response.status_code == 200
    rows = by_testid(page(response), "point-row")
    assert [(r.get("data-state"), by_testid(r, "point-state")[0].text) for r in rows] == [
        ("low", "偏低"),
        ("normal", "正常"),
        ("silent", "无信号"),
        ("high", "偏高"),
    ]
    assert by_testid(rows[0], "last-value")[0].text.strip() == "12 m"
    assert b'data-testid="point-form"' not in response.content  # a dispatcher only watches


def test_the_office_creates_a_point_from_the_list(client, office_user, network_model):
    client.force_login(office_user)
    listed = client.get("/network/points/")
    key = html.fromstring(listed.content.decode()).xpath('//input[@name="key"]')[0].get("value")
    form = {
        "key": key,
        "code": "YL-05",
        "name": "发热门诊",
        "kind": "pressure",
        "node": "J3",
        "low": "21",
        "high": "",
        "active": "on",
    }
    response = client.post("/network/points/", form)
    point = PressurePoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/network/points/{point.pk}/"
    assert (point.node, point.low, point.high) == ("J3", 21.0, None)
    client.post("/network/points/", form)  # a double click: the same key
    assert PressurePoint.objects.count() == 1


def test_a_bad_point_shows_the_field_and_writes_nothing(client, office_user, network_model):
    client.force_login(office_user)
    form = {"code": "YL-05", "name": "发热门诊", "kind": "pressure", "node": "J404"}
    response = client.post("/network/points/", form)
    assert response.status_code == 200
    (error,) = by_testid(page(response), "error-node")
    assert error.text == "不是当前管网模型的节点。"
    assert PressurePoint.objects.count() == 0


def test_the_point_page_carries_the_last_24_hours_and_the_thresholds(
    client, dispatcher_user, point
):
    Reading.objects.bulk_create(
        Reading(
            organization_id=point.organization_id,
            point=point,
            at=NOW - dt.timedelta(minutes=m),
            value=30 + m / 100,
        )
        for m in (5, 60, 23 * 60, 25 * 60)
    )
    client.force_login(dispatcher_user)
    response = client.get(f"/network/points/{point.pk}/")
    assert response.status_code == 200
    tree = page(response)
    data = json.loads(tree.xpath('//*[@id="pressure-chart-data"]')[0].text)
    assert (data["low"], data["high"], data["labels"]["unit"]) == (20.0, 60.0, "m")
    assert [v for _t, v in data["values"]] == [43.8, 30.6, 30.05]
    assert data["values"][0][0] == int((NOW - dt.timedelta(minutes=23 * 60)).timestamp() * 1000)
    assert by_testid(tree, "reading-count")[0].text.strip() == "3 条读数"
    assert by_testid(tree, "edit-form") == []  # a dispatcher only watches


def test_the_office_edits_thresholds_on_the_point_page(client, office_user, point):
    client.force_login(office_user)
    form = {
        "code": "YL-01",
        "name": "一院",
        "kind": "pressure",
        "node": "",
        "low": "25",
        "high": "58",
        "active": "on",
        "open_work_order": "on",
    }
    response = client.post(f"/network/points/{point.pk}/edit/", form)
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.low, point.high, point.open_work_order, point.name) == (25.0, 58.0, True, "一院")


def test_bad_thresholds_are_shown_and_nothing_changes(client, office_user, point):
    client.force_login(office_user)
    form = {"code": "YL-01", "name": "一院", "kind": "pressure", "low": "50", "high": "40"}
    response = client.post(f"/network/points/{point.pk}/edit/", form)
    assert response.status_code == 400
    assert "上限必须高于下限。" in response.content.decode()
    point.refresh_from_db()
    assert (point.low, point.high) == (20.0, 60.0)


def test_the_enrolled_page_shows_the_token_once_as_text(client, office_user, org):
    point = make_point(org)
    client.force_login(office_user)
    response = client.post(f"/network/points/{point.pk}/device/", {"name": "RTU-8"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = by_testid(page(response), "device-token")[0].text
    assert token.startswith("hw_")
    assert token not in client.get(f"/network/points/{point.pk}/").content.decode()


@pytest.mark.parametrize("user_fixture", ["staff_user", "unit_head_user"])
def test_staff_and_unit_heads_are_refused(client, request, user_fixture, point):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get("/network/points/").status_code == 403
    assert client.get(f"/network/points/{point.pk}/").status_code == 403
    assert client.post(f"/network/points/{point.pk}/edit/", {"low": "1"}).status_code == 403
    assert client.post(f"/network/points/{point.pk}/device/", {"name": "x"}).status_code == 403
    point.refresh_from_db()
    assert (point.low, point.device.revoked_at) == (20.0, None)
