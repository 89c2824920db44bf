"""The readings service: a batch with duplicates and out-of-order times is stored once and
the point's last reading stays the newest; refusals per item (another device's point, the
future, out of range) leave the rest written."""

import datetime as dt

import pytest
import time_machine

from headwater.core.errors import DomainError
from headwater.network.models import PressurePoint, Reading
from headwater.network.services import readings
from headwater.network.tests.factories_pressure import *  # noqa: F403
from headwater.network.tests.factories_pressure import local, make_device, make_point

pytestmark = pytest.mark.django_db
NOW = local(12, 0)


@pytest.fixture(autouse=True)
def clock_at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_batch_with_duplicates_and_out_of_order_times_is_stored_once(point):
    batch = [
        ("YL-01", local(11, 50), 30.0),
        ("YL-01", local(11, 40), 31.0),  # older, arriving after a newer one
        ("YL-01", local(11, 50), 30.0),  # the same reading twice in the batch
        ("YL-01", local(11, 45), 32.0),
    ]
    result = readings.record(point.device, batch)
    assert (result.written, result.duplicates, result.refused) == (3, 1, [])
    again = readings.record(point.device, batch)  # the device's retry
    assert (again.written, again.duplicates, again.refused) == (0, 4, [])
    assert sorted(Reading.objects.values_list("at", "value")) == [
        (local(11, 40), 31.0),
        (local(11, 45), 32.0),
        (local(11, 50), 30.0),
    ]
    point.refresh_from_db()
    assert (point.last_at, point.last_value) == (local(11, 50), 30.0)


def test_a_late_older_reading_is_stored_but_does_not_move_the_last_value_back(point):
    readings.record(point.device, [("YL-01", local(11, 55), 33.0)])
    result = readings.record(point.device, [("YL-01", local(11, 0), 25.0)])
    assert result.written == 1
    point.refresh_from_db()
    assert (point.last_at, point.last_value) == (local(11, 55), 33.0)
    assert Reading.objects.count() == 2


def test_a_device_writing_another_devices_point_is_refused_per_item(org, point):
    other_device = make_device(org, "RTU-2")[0]
    make_point(org, "YL-02", device=other_device)
    result = readings.record(
        point.device,
        [("YL-02", local(11, 50), 30.0), ("YL-01", local(11, 50), 30.0), ("NOPE", NOW, 1.0)],
    )
    assert result.written == 1
    assert [(r.index, r.point, r.reason) for r in result.refused] == [
        (0, "YL-02", "该设备不为这个监测点发送读数。"),
        (2, "NOPE", "该设备不为这个监测点发送读数。"),
    ]
    assert list(Reading.objects.values_list("point__code", flat=True)) == ["YL-01"]


def test_one_device_feeds_several_points(org, point):
    make_point(org, "YL-02", device=point.device)
    result = readings.record(
        point.device, [("YL-01", local(11, 50), 30.0), ("YL-02", local(11, 50), 40.0)]
    )
    assert result.written == 2
    assert dict(PressurePoint.objects.values_list("code", "last_value")) == {
        "YL-01": 30.0,
        "YL-02": 40.0,
    }


def test_a_time_more_than_five_minutes_ahead_is_refused(point):
    result = readings.record(
        point.device,
        [
            ("YL-01", NOW + dt.timedelta(minutes=6), 30.0),
            ("YL-01", NOW + dt.timedelta(minutes=4), 31.0),  # a device's clock a little fast
        ],
    )
    assert result.written == 1
    assert [(r.index, r.reason) for r in result.refused] == [(0, "读数时间在将来。")]
    assert list(Reading.objects.values_list("value", flat=True)) == [31.0]


@pytest.mark.parametrize("value", [-10.5, 200.5, float("nan"), "abc", None])
def test_a_pressure_outside_what_a_sensor_reads_is_refused(point, value):
    result = readings.record(point.device, [("YL-01", local(11, 50), value)])
    assert result.written == 0
    assert [r.reason for r in result.refused] == ["读数须是 -10 到 200 之间的数。"]
    assert Reading.objects.count() == 0
    point.refresh_from_db()
    assert point.last_at is None


def test_a_flow_point_takes_large_values(org, device):
    make_point(org, "LL-01", device=device, kind="flow", low=None, high=None)
    result = readings.record(device, [("LL-01", local(11, 50), -5000.0)])
    assert (result.written, result.refused) == (1, [])


def test_a_batch_over_a_thousand_is_refused_whole(point):
    batch = [("YL-01", local(0, 0) + dt.timedelta(seconds=i), 30.0) for i in range(1001)]
    with pytest.raises(DomainError) as refused:
        readings.record(point.device, batch)
    assert refused.value.fields == {"readings": "每次最多发送 1000 条读数。"}
    assert Reading.objects.count() == 0


def test_a_batch_costs_one_insert_and_one_update_per_point(org, point, django_assert_num_queries):
    make_point(org, "YL-02", device=point.device)
    batch = [
        (code, local(10, 0) + dt.timedelta(minutes=i), 30.0)
        for code in ("YL-01", "YL-02")
        for i in range(50)  # 100 rows: under SQLite's 999 bound parameters, one INSERT
    ]
    # the bound points; savepoint, lock, stored pairs, INSERT, count, 2 UPDATEs, release
    with django_assert_num_queries(9):
        result = readings.record(point.device, batch)
    assert result.written == 100
