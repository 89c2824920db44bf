"""Alarms of the pressure watch: a reading leaving the thresholds raises one alert per
episode (across retries and further readings), opens the point's work order once, never
from a late older reading; coming back closes nothing; a silent point alerts once."""

import datetime as dt

import pytest
import time_machine

from headwater.alerts import services as alerts
from headwater.alerts.models import Alert, InboxItem
from headwater.network.models import WorkOrder
from headwater.network.services import readings
from headwater.network.tasks_pressure import alert_silent_points
from headwater.network.tests.factories_pressure import *  # noqa: F403
from headwater.network.tests.factories_pressure import local, make_device, make_point

pytestmark = pytest.mark.django_db
NOW = local(12, 0)


@pytest.fixture(autouse=True)
def clock_at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def send(point, *rows):
    return readings.record(point.device, [(point.code, at, value) for at, value in rows])


def test_a_low_reading_raises_one_critical_alert_to_office_and_dispatchers(
    point, office_user, dispatcher_user, staff_user
):
    send(point, (local(11, 50), 30.0), (local(11, 55), 12.5))
    alert = Alert.objects.get()
    assert (alert.kind, alert.episode, alert.severity) == (
        "network.pressure",
        f"network.pressure:{point.pk}",
        "critical",
    )
    assert alert.title == "YL-01 压力点YL-01：12.5 m，低于下限 20"
    assert alert.link == f"/network/points/{point.pk}/"
    assert set(InboxItem.objects.values_list("user__username", flat=True)) == {
        "office",
        "dispatcher",
    }


def test_a_high_reading_raises_a_warning(point, office_user):
    send(point, (local(11, 55), 61.0))
    assert Alert.objects.get().severity == "warning"


def test_the_alarm_is_one_per_episode_across_retries_and_further_readings(point, office_user):
    send(point, (local(11, 50), 12.0))
    send(point, (local(11, 50), 12.0))  # the device's retry
    send(point, (local(11, 55), 11.0), (local(11, 56), 10.0))  # still low
    alert = Alert.objects.get()
    assert (alert.updates, alert.closed_at) == (0, None)


def test_back_within_thresholds_closes_nothing_and_a_new_dip_updates_the_open_alert(
    point, office_user
):
    send(point, (local(11, 0), 12.0))
    send(point, (local(11, 5), 30.0))  # back to normal
    assert Alert.objects.get().closed_at is None
    send(point, (local(11, 10), 15.0))  # a new excursion while the alert is open
    alert = Alert.objects.get()
    assert alert.updates == 1
    assert "15" in alert.title


def test_after_people_close_the_alert_the_next_episode_opens_a_new_one(point, office_user):
    send(point, (local(11, 0), 12.0))
    alerts.close(Alert.objects.get(), by=office_user, note="已调整泵站")
    send(point, (local(11, 5), 12.0))  # still the same excursion: nothing new
    assert Alert.objects.count() == 1
    send(point, (local(11, 10), 30.0), (local(11, 15), 13.0))
    assert Alert.objects.count() == 2
    assert Alert.objects.filter(closed_at=None).count() == 1


def test_a_late_older_low_reading_raises_nothing(point, office_user):
    send(point, (local(11, 55), 30.0))
    result = send(point, (local(11, 0), 5.0))
    assert result.written == 1
    assert Alert.objects.count() == 0


def test_an_inactive_point_or_one_without_thresholds_raises_nothing(org, device, office_user):
    make_point(org, "YL-02", device=device, active=False)
    make_point(org, "YL-03", device=device, low=None, high=None)
    readings.record(device, [("YL-02", local(11, 55), 1.0), ("YL-03", local(11, 55), 1.0)])
    assert Alert.objects.count() == 0


def test_the_work_order_is_opened_once_for_the_points_alarm(org, device, office_user):
    point = make_point(org, "YL-09", device=device, node="J2", open_work_order=True)
    send(point, (local(11, 0), 12.0))
    send(point, (local(11, 5), 30.0), (local(11, 10), 11.0))  # a second excursion
    order = WorkOrder.objects.get()
    assert (order.kind, order.state, order.point_id, order.node) == (
        "pressure",
        "open",
        point.pk,
        "J2",
    )
    assert order.title == "YL-09 压力点YL-09：12 m，低于下限 20"


def test_no_work_order_unless_the_point_asks_for_one(point, office_user):
    send(point, (local(11, 0), 12.0))
    assert WorkOrder.objects.count() == 0


def test_a_silent_point_alerts_once_per_silence(org, point, office_user):
    send(point, (local(11, 0), 30.0))
    assert alert_silent_points.call_local() == 1  # 60 minutes silent; the setting says 30
    assert alert_silent_points.call_local() == 1  # found raised: the same alert
    alert = Alert.objects.get(kind="network.silent")
    assert alert.episode == f"network.silent:{point.pk}"
    assert alert.title == "YL-01 压力点YL-01 自 2026-03-02 11:00 起没有读数"
    assert alert.updates == 0
    assert Alert.objects.count() == 1


def test_a_point_that_reads_again_and_goes_silent_again_alerts_again(org, point, office_user):
    send(point, (local(11, 0), 30.0))
    alert_silent_points.call_local()
    alerts.close(Alert.objects.get(), by=office_user, note="设备已重启")
    with time_machine.travel(local(13, 0), tick=False):
        send(point, (local(12, 50), 30.0))
        assert alert_silent_points.call_local() == 0
    with time_machine.travel(local(14, 0), tick=False):
        alert_silent_points.call_local()
    assert Alert.objects.filter(kind="network.silent").count() == 2


def test_points_reading_recently_revoked_or_unwatched_are_not_silent(org, office_user):
    fresh = make_device(org, "RTU-2")[0]
    make_point(org, "YL-02", device=fresh, last_at=NOW - dt.timedelta(minutes=10), last_value=30)
    revoked = make_device(org, "RTU-3")[0]
    revoked.revoked_at = NOW
    revoked.save()
    make_point(org, "YL-03", device=revoked, last_at=NOW - dt.timedelta(hours=5), last_value=30)
    make_point(org, "YL-04", device=fresh, active=False, last_at=NOW - dt.timedelta(hours=5))
    make_point(org, "YL-05", last_at=NOW - dt.timedelta(hours=5))  # no device
    assert alert_silent_points.call_local() == 0
    assert Alert.objects.count() == 0
