"""Robot deliveries against a real local HTTP endpoint: formats on the wire, filters,
retries with backoff, giving up, and never sending one delivery twice at once."""

import base64
import datetime as dt
import hashlib
import hmac
import urllib.parse

import pytest

from headwater.alerts import channels, services
from headwater.alerts.models import Delivery
from headwater.alerts.services import raise_alert
from headwater.alerts.tasks import deliver, retry_due_deliveries
from headwater.core import clock

from .conftest import OK, START

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.HEADWATER_BASE_URL = "https://hw.example.cn"


def test_dingtalk_robot_receives_the_signed_markdown_message(
    org, tree, robot, make_channel, frozen, on_commit
):
    make_channel(kind="dingtalk", url=robot.url, secret="SECabc")
    with on_commit():
        raise_alert(
            org,
            kind="health.abnormal_checkin",
            title="体温异常",
            body="李操作 38.2℃",
            link="/health/checkins/7/",
            unit=tree["shift_a"],
        )
    timestamp = int(START.timestamp() * 1000)
    digest = hmac.new(b"SECabc", f"{timestamp}\nSECabc".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    assert robot.requests == [
        {
            "path": f"/robot/send?access_token=tok123&timestamp={timestamp}&sign={sign}",
            "content_type": "application/json; charset=utf-8",
            "json": {
                "msgtype": "markdown",
                "markdown": {
                    "title": "体温异常",
                    "text": "#### 体温异常\n\n李操作 38.2℃\n\n"
                    "[查看](https://hw.example.cn/health/checkins/7/)",
                },
            },
        }
    ]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at, delivery.next_attempt_at) == (
        "sent",
        1,
        START,
        None,
    )
    assert delivery.response == "HTTP 200, errcode 0"


def test_wecom_robot_receives_the_markdown_message(org, robot, make_channel, on_commit):
    make_channel(kind="wecom", url=robot.url)
    with on_commit():
        raise_alert(org, kind="duty.gap", title="缺岗", body="第二水厂夜班缺 1 人")
    assert [r["json"] for r in robot.requests] == [
        {
            "msgtype": "markdown",
            "markdown": {
                "content": "**缺岗**\n> 第二水厂夜班缺 1 人\n[查看](https://hw.example.cn/alerts/)"
            },
        }
    ]
    assert robot.requests[0]["path"] == "/robot/send?access_token=tok123"


def test_channels_take_only_the_alerts_their_filters_match(org, tree, make_channel):
    make_channel(name="all")
    make_channel(name="health", kinds=["health"])
    make_channel(name="isolation", kinds=["isolation"])
    make_channel(name="critical only", min_severity="critical")
    make_channel(name="warning up", min_severity="warning")
    make_channel(name="plant1", unit=tree["plant1"])
    make_channel(name="plant2", unit=tree["plant2"])
    make_channel(name="off", active=False)

    alert = raise_alert(org, kind="health.fever", title="t", unit=tree["shift_a"])
    unitless = raise_alert(org, kind="healthcare.visit", title="t", severity="info")

    assert set(alert.deliveries.values_list("channel__name", flat=True)) == {
        "all",
        "health",
        "warning up",
        "plant1",
    }
    assert set(unitless.deliveries.values_list("channel__name", flat=True)) == {"all"}


def test_other_organizations_robots_get_nothing(org, outsider, make_channel):
    make_channel(organization=outsider.organization)
    raise_alert(org, kind="health.fever", title="t")
    assert Delivery.objects.count() == 0


def test_nothing_is_sent_when_the_transaction_rolls_back(org, robot, make_channel):
    make_channel(url=robot.url)
    raise_alert(org, kind="health.fever", title="t")  # test transaction never commits
    assert robot.requests == []
    assert Delivery.objects.get().status == "pending"


def test_a_failing_robot_is_retried_after_a_minute_and_then_sent(
    org, robot, make_channel, frozen, on_commit
):
    make_channel(url=robot.url)
    robot.answer = (500, "oops")
    with on_commit():
        raise_alert(org, kind="health.fever", title="t")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        "pending",
        1,
        START + MINUTE,
    )
    assert (delivery.last_error, delivery.response) == ("HTTP 500", "HTTP 500")

    robot.answer = OK
    frozen.shift(dt.timedelta(seconds=30))
    assert retry_due_deliveries.call_local() == 0
    frozen.shift(dt.timedelta(seconds=31))
    assert retry_due_deliveries.call_local() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("sent", 2, None)
    assert delivery.sent_at == START + dt.timedelta(seconds=61)
    assert len(robot.requests) == 2


def test_a_robot_error_code_is_a_failure(org, robot, make_channel, on_commit):
    make_channel(url=robot.url)
    robot.answer = (200, {"errcode": 310000, "errmsg": "sign not match"})
    with on_commit():
        raise_alert(org, kind="health.fever", title="t")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "pending",
        1,
        "errcode 310000",
    )


def test_backoff_doubles_and_gives_up_after_six_attempts(
    org, robot, make_channel, frozen, on_commit
):
    make_channel(url=robot.url)
    robot.answer = (500, "down")
    with on_commit():
        raise_alert(org, kind="health.fever", title="t")
    waits = []
    for _ in range(5):
        delivery = Delivery.objects.get()
        waits.append((delivery.next_attempt_at - clock.now()) / MINUTE)
        frozen.move_to(delivery.next_attempt_at, tick=False)
        retry_due_deliveries.call_local()
    assert waits == [1, 2, 4, 8, 16]

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 6, None)
    assert delivery.last_error == "HTTP 500"
    frozen.shift(dt.timedelta(days=1))
    assert retry_due_deliveries.call_local() == 0
    assert len(robot.requests) == 6


def test_a_delivery_being_sent_is_not_sent_again_by_a_second_worker(
    org, robot, make_channel, monkeypatch
):
    make_channel(url=robot.url)
    raise_alert(org, kind="health.fever", title="t")
    delivery = Delivery.objects.get()
    real_post = channels.post
    second_worker = []

    def post_while_another_worker_tries(url, payload, **kwargs):
        second_worker.append(services.attempt_delivery(delivery.pk))
        second_worker.append(retry_due_deliveries.call_local())
        return real_post(url, payload, **kwargs)

    monkeypatch.setattr(channels, "post", post_while_another_worker_tries)
    assert deliver(delivery.pk).get() == "sent"
    assert second_worker == [None, 0]
    assert len(robot.requests) == 1
    assert deliver(delivery.pk).get() is None  # sent: nothing more to do
    assert len(robot.requests) == 1


def test_a_worker_that_died_mid_send_is_covered_by_the_periodic_retry(
    org, robot, make_channel, frozen
):
    make_channel(url=robot.url)
    raise_alert(org, kind="health.fever", title="t")
    # A worker claimed it and died before recording anything.
    Delivery.objects.update(attempts=1, next_attempt_at=START + services.CLAIM)
    assert retry_due_deliveries.call_local() == 0
    frozen.shift(services.CLAIM)
    assert retry_due_deliveries.call_local() == 1
    assert Delivery.objects.values_list("status", "attempts").get() == ("sent", 2)


def test_a_robot_switched_off_before_sending_gets_nothing(org, robot, make_channel):
    channel = make_channel(url=robot.url)
    alert = raise_alert(org, kind="health.fever", title="t")
    channel.active = False
    channel.save()
    assert deliver(alert.deliveries.get().pk).get() == "failed"
    assert robot.requests == []
    assert Delivery.objects.get().last_error == "channel switched off"
