"""Actor blocks: a service's `acting_as` inside a request attributes its changes and leaves no
signal receiver behind (auditlog's nested set_actor leaked one a request, and every later
audit entry of the process ran them all)."""

import datetime as dt

import time_machine
from auditlog.models import LogEntry
from django.db.models.signals import pre_save

from headwater.core.audit import acting_as
from headwater.core.models import Site
from headwater.core.tests.timing import at

DAY = dt.date(2026, 2, 3)


def receivers() -> int:
    return len(pre_save._live_receivers(LogEntry)[0])


def test_checkins_through_the_api_leave_no_audit_receiver_behind(client, staff_user):
    # The clock ticks: auditlog names a block's receiver by the time it began, and two blocks
    # begun at one frozen instant share a name (which hid the leak).
    client.force_login(staff_user)
    before = receivers()

    for n in range(5):
        with time_machine.travel(at(DAY + dt.timedelta(days=n), 8, 0), tick=True):
            response = client.post(
                "/api/v1/health/checkins", {"temperature": "36.5"}, content_type="application/json"
            )
        assert response.status_code == 201

    assert receivers() == before


def test_a_nested_actor_block_attributes_its_changes_and_gives_the_outer_actor_back(
    org, office_user, staff_user
):
    before = receivers()
    with acting_as(office_user):
        Site.objects.create(organization=org, code="S1", name="一号", kind="plant")
        with acting_as(staff_user):
            Site.objects.create(organization=org, code="S2", name="二号", kind="plant")
        Site.objects.create(organization=org, code="S3", name="三号", kind="plant")

    actors = [
        LogEntry.objects.get_for_object(Site.objects.get(code=code)).get().actor
        for code in ("S1", "S2", "S3")
    ]
    assert actors == [office_user, staff_user, office_user]
    assert receivers() == before
