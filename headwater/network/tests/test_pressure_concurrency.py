"""Two workers storing the same batch at once (a device's retry crossing its first attempt),
on PostgreSQL (SQLite has one writer at a time, so there is no race to lose there): every
reading stored once, the duplicates counted by the second, one alert, one work order."""

import threading

import pytest
import time_machine
from django.db import connection, connections

from headwater.alerts.models import Alert
from headwater.network.models import Reading, WorkOrder
from headwater.network.services import readings
from headwater.network.tests.factories_pressure import local, make_device, make_point

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers: PostgreSQL"),
]


def at_once(writes) -> list[dict]:
    start = threading.Barrier(len(writes))
    boxes: list[dict] = [{} for _ in writes]

    def run(write, box):
        try:
            start.wait(timeout=10)
            box["value"] = write()
        except Exception as e:  # noqa: BLE001 - the test inspects whatever it raised
            box["error"] = e
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(w, b)) for w, b in zip(writes, boxes, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return boxes


def test_the_same_batch_from_two_workers_is_stored_once(org, office_user):
    device = make_device(org)[0]
    make_point(org, "YL-01", device=device, open_work_order=True)
    make_point(org, "YL-02", device=device)
    batch = [
        (code, local(11, minute), 12.0 if minute == 55 else 30.0)
        for code in ("YL-01", "YL-02")
        for minute in range(0, 60, 5)
    ]
    with time_machine.travel(local(12, 0), tick=False):
        boxes = at_once([lambda: readings.record(device, batch)] * 2)
    assert [b.get("error") for b in boxes] == [None, None]
    counts = sorted((b["value"].written, b["value"].duplicates) for b in boxes)
    assert counts == [(0, 24), (24, 0)]
    assert Reading.objects.count() == 24
    assert Alert.objects.filter(kind="network.pressure").count() == 2
    assert WorkOrder.objects.count() == 1
