# ruff: noqa: F811 (pytest fixtures imported by name and taken as arguments)
"""Two identical scans at once (a scanner's retry crossing its first attempt), on PostgreSQL
(SQLite has one writer at a time, so there is no race to lose there): one passage, one fever
alert, and both callers get that passage."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from headwater.access.models import Passage
from headwater.access.services.scan import scan
from headwater.access.tests.factories_scan import (  # noqa: F401 (fixtures)
    gate,
    give_code,
    phone_pass,
    plant,
    scanner,
    signing_key,
)
from headwater.alerts.models import Alert
from headwater.core import clock

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


@pytest.mark.parametrize("temperature", [Decimal("36.5"), Decimal("38.4")])
def test_two_identical_scans_at_once_record_one_passage(
    gate, scanner, signing_key, people, unit_head_user, temperature
):
    give_code(people["operator"])
    args = {
        "token": phone_pass(signing_key, people["operator"]),
        "key": "race-key-0001",
        "at": clock.now(),
        "temperature": temperature,
        "device": scanner[0],
    }

    boxes = at_once([lambda: scan(gate, **args)] * 4)

    assert [b.get("error") for b in boxes] == [None] * 4
    assert sorted(b["value"][1] for b in boxes) == [False, False, False, True]
    assert len({b["value"][0].pk for b in boxes}) == 1
    assert Passage.objects.count() == 1
    assert Alert.objects.count() == (1 if temperature > 37 else 0)
