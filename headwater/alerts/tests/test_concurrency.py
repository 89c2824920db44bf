"""Two raises of one episode, and two workers escalating one alert, at once, on PostgreSQL
(SQLite has one writer at a time, so there is no race to lose there): each writer is a thread
with its own database connection."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from headwater.alerts import services
from headwater.alerts.models import Alert, InboxItem
from headwater.alerts.services import raise_alert

WAIT = 10  # seconds: far longer than any step here takes, short enough to fail, not hang

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and parallel writers: PostgreSQL"
    ),
]


def in_threads(*writes) -> list[dict]:
    boxes: list[dict] = [{} for _ in writes]

    def run(write, box):
        try:
            box["value"] = write()
        except Exception as e:  # noqa: BLE001 - the test inspects whatever it raised
            box["error"] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(writes, boxes, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    return boxes


def test_two_raises_of_one_episode_at_once_leave_one_alert(
    org, tree, office_user, unit_head_user, monkeypatch
):
    both_looked = threading.Barrier(2, timeout=WAIT)
    real_lock = services.locks.lock

    def look_then_wait(queryset, **kwargs):
        rows = real_lock(queryset, **kwargs)
        if not rows and threading.current_thread() is not threading.main_thread():
            try:
                both_looked.wait()  # each found no open alert before either inserts
            except threading.BrokenBarrierError:
                pass  # the second look of the raise that lost: nobody waits for it
        return rows

    monkeypatch.setattr(services.locks, "lock", look_then_wait)

    def raise_with(body):
        return lambda: (
            raise_alert(
                org,
                kind="health.abnormal_checkin",
                title="体温异常：李操作",
                body=body,
                severity="critical",
                unit=tree["shift_a"],
                to_roles=["unit_head", "office"],
                episode="health.abnormal:7",
            ).pk
        )

    boxes = in_threads(raise_with("38.2 °C"), raise_with("38.9 °C"))

    assert [b.get("error") for b in boxes] == [None, None]
    assert boxes[0]["value"] == boxes[1]["value"]
    alert = Alert.objects.get()
    assert (alert.updates, alert.body in {"38.2 °C", "38.9 °C"}) == (1, True)
    assert InboxItem.objects.filter(user=office_user).count() == 1


def test_two_workers_escalating_one_alert_escalate_it_once(
    org, tree, unit_head_user, office_user, time_machine
):
    alert = raise_alert(
        org,
        kind="health.abnormal_checkin",
        title="体温异常",
        severity="critical",
        unit=tree["shift_a"],
        to_roles=["unit_head"],
    )
    time_machine.move_to(alert.created_at + dt.timedelta(hours=2), tick=False)

    boxes = in_threads(lambda: services.escalate(alert.pk), lambda: services.escalate(alert.pk))

    assert sorted(b.get("value") for b in boxes) == [False, True]
    assert InboxItem.objects.filter(alert=alert, escalated=True).count() == 1
