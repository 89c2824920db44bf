"""Robots in a storm: at most 20 posts a minute per robot, what waits merged into one digest,
the platform's rate-limit answer taken as "later", and no alert ever dropped."""

import datetime as dt

import pytest

from headwater.alerts import services
from headwater.alerts.models import Delivery
from headwater.alerts.services import raise_alert
from headwater.alerts.tasks import retry_due_deliveries

from .conftest import OK, START

MINUTE = dt.timedelta(minutes=1)


def most_posts_in_a_minute(times: list) -> int:
    return max((sum(1 for u in times if t <= u < t + MINUTE) for t in times), default=0)


def texts(robot) -> str:
    return "\n".join(str(r["json"]["markdown"]) for r in robot.requests)


def test_a_burst_of_100_alerts_is_paced_and_every_title_arrives(
    org, robot, make_channel, frozen, on_commit
):
    make_channel(url=robot.url)
    titles = [f"第{n:03d}号告警" for n in range(100)]
    for title in titles:  # 100 alerts in 30 seconds, each sent as soon as it commits
        with on_commit():
            raise_alert(org, kind="health.fever", title=title)
        frozen.shift(dt.timedelta(seconds=0.3))
    for _ in range(15):  # the periodic task, minute by minute, until nothing waits
        if not Delivery.objects.filter(status="pending").exists():
            break
        frozen.shift(MINUTE)
        retry_due_deliveries.call_local()

    assert most_posts_in_a_minute(robot.times) <= services.RATE_LIMIT
    assert all(title in texts(robot) for title in titles)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    # 20 posted at once; the 80 that waited went in one digest a minute later.
    assert len(robot.requests) == 21
    assert robot.requests[-1]["json"]["markdown"]["title"] == "80 条告警（发送过快，已合并）"
    carrier = Delivery.objects.get(alert__title="第020号告警")
    assert set(carrier.merged.values_list("alert__title", flat=True)) == set(titles[21:])
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_the_twenty_first_post_in_a_minute_waits_for_the_next_free_slot(
    org, robot, make_channel, frozen, on_commit
):
    make_channel(url=robot.url)
    for n in range(21):
        with on_commit():
            raise_alert(org, kind="health.fever", title=f"t{n}")
        frozen.shift(dt.timedelta(seconds=1))
    waiting = Delivery.objects.get(alert__title="t20")
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 0, "")
    assert waiting.next_attempt_at == START + MINUTE  # when the first post leaves the minute
    assert len(robot.requests) == 20
    frozen.move_to(START + MINUTE, tick=False)
    assert retry_due_deliveries.call_local() == 1
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts, waiting.digest) == ("sent", 1, None)
    assert robot.requests[-1]["json"]["markdown"]["title"] == "t20"  # alone: no digest


@pytest.mark.parametrize("errcode, wait", [(130101, 10), (45009, 1)])
def test_the_platforms_rate_limit_answer_is_later_not_a_failure(
    org, robot, make_channel, frozen, on_commit, errcode, wait
):
    make_channel(url=robot.url)
    robot.answer = (200, {"errcode": errcode, "errmsg": "send too fast"})
    with on_commit():
        raise_alert(org, kind="health.fever", title="t")
    for _ in range(8):  # refused again and again: still waiting, never failed
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("pending", 0)
        assert delivery.next_attempt_at == clock_now(frozen) + dt.timedelta(minutes=wait)
        frozen.move_to(delivery.next_attempt_at, tick=False)
        retry_due_deliveries.call_local()
    robot.answer = OK
    frozen.shift(dt.timedelta(minutes=wait))
    retry_due_deliveries.call_local()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert delivery.last_error == f"errcode {errcode}: rate limited"


def clock_now(frozen):
    from headwater.core import clock

    return clock.now()
