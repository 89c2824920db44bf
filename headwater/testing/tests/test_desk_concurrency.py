"""Two desks at once, on PostgreSQL (SQLite has one writer at a time, so there is no race to
lose there): each desk is a thread with its own database connection."""

import threading

import pytest
from django.db import connection, connections

from headwater.core.tests.factories import PersonFactory
from headwater.testing.models import Sample, Ticket, Tube
from headwater.testing.services import desk_queue
from headwater.testing.tests.desk_helpers import reg
from headwater.testing.tests.factories import roster_people

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and parallel writers: PostgreSQL"
    ),
]


def at_once(writes) -> list:
    """Run every write in a thread of its own, released together; their values or errors."""
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


def test_desks_asking_at_once_never_get_the_same_queue_number(campaign, desk_user, office_user):
    site = campaign.sites.get()
    users = [desk_user, office_user] * 4
    boxes = at_once([lambda u=u: desk_queue.issue_ticket(site, by=u) for u in users])

    assert [b.get("error") for b in boxes] == [None] * 8
    assert sorted(b["value"][0].number for b in boxes) == list(range(1, 9))
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, 9))
    site.refresh_from_db()
    assert site.next_number == 9


def test_desks_filling_one_tube_at_once_never_overfill_it(campaign, desk_user, office_user, tree):
    people = [PersonFactory(unit=tree["plant2"], employee_no=f"C{i}") for i in range(8)]
    entries = roster_people(campaign, people)
    site, tube = (
        campaign.sites.get(),
        Tube.objects.create(
            organization=campaign.organization, campaign=campaign, barcode="RACE-1", capacity=5
        ),
    )
    users = [desk_user, office_user] * 4
    boxes = at_once(
        [
            lambda e=e, u=u: reg(site, e, tube.barcode, u)
            for e, u in zip(entries, users, strict=True)
        ]
    )

    refused = sorted(b["error"].code for b in boxes if "error" in b)
    assert refused == ["tube_full"] * 3
    assert Sample.objects.filter(tube=tube).count() == 5
    tube.refresh_from_db()
    assert tube.state == "closed"


def test_one_person_registered_at_two_desks_at_once_is_sampled_once(
    campaign, desk_user, office_user, roster
):
    site = campaign.sites.get()
    tubes = [
        Tube.objects.create(
            organization=campaign.organization, campaign=campaign, barcode=f"TWO-{i}", capacity=5
        )
        for i in range(2)
    ]
    boxes = at_once(
        [
            lambda: reg(site, roster[0], tubes[0].barcode, desk_user),
            lambda: reg(site, roster[0], tubes[1].barcode, office_user),
        ]
    )

    assert sorted(b["error"].code for b in boxes if "error" in b) == ["already_sampled"]
    assert Sample.objects.filter(entry=roster[0]).count() == 1
