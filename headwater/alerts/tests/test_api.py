"""The alerts API: own inbox only, read marks, robots for the office, the one error shape."""

import pytest

from headwater.alerts.models import Delivery, InboxItem, WebhookChannel
from headwater.alerts.services import raise_alert

from .conftest import START

API = "/api/v1"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"
FORBIDDEN = {
    "error": {
        "code": "forbidden",
        "message": "Your role may not manage group robots.",
        "fields": {},
    }
}


def alert_to(user, title, **kwargs):
    return raise_alert(user.organization, kind="health.x", title=title, to_users=[user], **kwargs)


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json", **EN)


def patch(client, path, body):
    return client.patch(f"{API}{path}", body, content_type="application/json", **EN)


def test_the_inbox_endpoint_lists_own_items(client, office_user, staff_user, tree, frozen):
    alert = alert_to(office_user, "体温异常", link="/health/1/", unit=tree["shift_a"])
    alert_to(staff_user, "别人的")
    client.force_login(office_user)
    body = client.get(f"{API}/alerts", **EN).json()
    item = InboxItem.objects.get(user=office_user)
    assert body == {
        "count": 1,
        "items": [
            {
                "id": item.pk,
                "alert_id": alert.pk,
                "kind": "health.x",
                "severity": "warning",
                "severity_label": "Warning",
                "title": "体温异常",
                "body": "",
                "link": "/health/1/",
                "unit_id": tree["shift_a"].pk,
                "created_at": "2025-03-03T01:00:00Z",
                "read_at": None,
                "updated_at": None,
                "updates": 0,
                "state": "open",
                "state_label": "Open",
                "acknowledged_at": None,
                "acknowledged_by": "",
                "closed_at": None,
                "closed_by": "",
                "close_note": "",
                "escalated_at": None,
                "escalated": False,
            }
        ],
    }


def test_an_outsider_gets_none_of_our_alerts(client, office_user, outsider):
    alert_to(office_user, "t")
    client.force_login(outsider)
    assert client.get(f"{API}/alerts").json() == {"count": 0, "items": []}


def test_unread_true_lists_only_unread_items(client, office_user):
    read = alert_to(office_user, "已读")
    alert_to(office_user, "未读")
    InboxItem.objects.filter(alert=read).update(read_at=START)
    client.force_login(office_user)
    body = client.get(f"{API}/alerts?unread=true").json()
    assert [i["title"] for i in body["items"]] == ["未读"]


def test_reading_marks_only_the_callers_own_items(client, office_user, staff_user, frozen):
    ours = InboxItem.objects.get(alert=alert_to(office_user, "t"))
    theirs = InboxItem.objects.get(alert=alert_to(staff_user, "t"))
    client.force_login(office_user)
    response = post(client, "/alerts/read", {"ids": [ours.pk, theirs.pk]})
    assert (response.status_code, response.json()) == (200, {"marked": 1})
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.read_at, theirs.read_at) == (START, None)


def test_read_all_marks_the_whole_inbox(client, office_user, staff_user):
    alert_to(office_user, "一")
    alert_to(office_user, "二")
    alert_to(staff_user, "三")
    client.force_login(office_user)
    assert post(client, "/alerts/read-all").json() == {"marked": 2}
    assert InboxItem.objects.unread().count() == 1


def test_creating_a_robot_is_refused_to_staff_with_the_error_shape(client, staff_user):
    client.force_login(staff_user)
    response = post(client, "/alerts/robots", {"name": "群", "kind": "dingtalk", "url": DINGTALK})
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert WebhookChannel.objects.count() == 0


@pytest.mark.parametrize("path", ["/alerts/robots", "/alerts/deliveries"])
def test_listing_robots_and_deliveries_is_refused_to_a_unit_head(client, unit_head_user, path):
    client.force_login(unit_head_user)
    response = client.get(f"{API}{path}", **EN)
    assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_the_office_creates_a_robot_and_never_gets_the_secret_back(client, office_user, tree):
    client.force_login(office_user)
    response = post(
        client,
        "/alerts/robots",
        {
            "name": "防疫群",
            "kind": "dingtalk",
            "url": DINGTALK,
            "secret": "SECabc",
            "kinds": ["health", " ", "health"],
            "min_severity": "critical",
            "unit_id": tree["plant1"].pk,
        },
    )
    channel = WebhookChannel.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": channel.pk,
        "name": "防疫群",
        "kind": "dingtalk",
        "url": DINGTALK,
        "has_secret": True,
        "kinds": ["health"],
        "min_severity": "critical",
        "unit_id": tree["plant1"].pk,
        "active": True,
    }
    assert channel.secret == "SECabc"
    assert client.get(f"{API}/alerts/robots").json()[0]["id"] == channel.pk


def test_a_bad_robot_is_refused_field_by_field_and_nothing_saved(client, office_user, outsider):
    client.force_login(office_user)
    response = post(
        client,
        "/alerts/robots",
        {
            "name": " ",
            "kind": "slack",
            "url": "file:///etc/passwd",
            "min_severity": "urgent",
            "unit_id": outsider.person.unit_id,
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "Please correct the marked fields.",
        "fields": {
            "name": "This field is required.",
            "kind": "Unknown robot kind: choose DingTalk or WeCom.",
            "url": "Enter the robot's webhook address, starting with https:// or http://.",
            "min_severity": "Unknown severity.",
            "unit_id": "Unknown unit.",
        },
    }
    assert WebhookChannel.objects.count() == 0


def test_the_office_updates_a_robot(client, office_user, make_channel, tree):
    channel = make_channel(secret="SECold", unit=tree["plant1"])
    client.force_login(office_user)
    response = patch(
        client, f"/alerts/robots/{channel.pk}", {"min_severity": "critical", "unit_id": None}
    )
    assert response.status_code == 200
    channel.refresh_from_db()
    assert (channel.min_severity, channel.unit, channel.secret) == ("critical", None, "SECold")


def test_another_organizations_office_cannot_update_our_robot(client, outsider, make_channel):
    channel = make_channel(name="我们的群")
    client.force_login(outsider)
    response = patch(client, f"/alerts/robots/{channel.pk}", {"name": "改"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    channel.refresh_from_db()
    assert channel.name == "我们的群"


def test_the_test_endpoint_sends_through_the_robot(
    client, office_user, make_channel, robot, on_commit
):
    channel = make_channel(kind="wecom", url=robot.url)
    client.force_login(office_user)
    with on_commit():
        response = post(client, f"/alerts/robots/{channel.pk}/test")
        body = response.json()
        # Queued: the worker sends it once the request's transaction has committed.
        assert (response.status_code, body["status"], body["attempts"]) == (202, "pending", 0)
    assert len(robot.requests) == 1
    assert Delivery.objects.values_list("pk", "status", "attempts").get() == (body["id"], "sent", 1)


def test_deliveries_are_listed_for_the_office_of_the_organization_only(
    client, office_user, outsider, make_channel
):
    make_channel()
    alert = raise_alert(office_user.organization, kind="health.x", title="t")
    delivery = Delivery.objects.get()
    client.force_login(office_user)
    body = client.get(f"{API}/alerts/deliveries?status=pending").json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": delivery.pk,
        "alert_id": alert.pk,
        "alert_title": "t",
        "channel_id": delivery.channel_id,
        "channel_name": "值班群",
        "status": "pending",
        "attempts": 0,
        "last_error": "",
        "response": "",
        "next_attempt_at": body["items"][0]["next_attempt_at"],
        "sent_at": None,
        "digest_id": None,
    }
    client.force_login(outsider)
    assert client.get(f"{API}/alerts/deliveries").json() == {"count": 0, "items": []}


def test_the_alerts_api_needs_a_login(client, db):
    response = client.get(f"{API}/alerts")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
