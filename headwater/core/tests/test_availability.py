"""core.availability: health's statuses make a person unavailable for their period; people
without one are left out; an open status runs on."""

import datetime as dt

from headwater.core import availability
from headwater.health.models import StatusRecord

D = dt.date(2026, 3, 10)


def status(person, start, end=None, kind="home_isolation"):
    return StatusRecord.objects.create(
        organization=person.organization, person=person, kind=kind, started_on=start, ended_on=end
    )


def test_a_status_makes_its_person_unavailable_for_its_period(people):
    operator, head = people["operator"], people["head"]
    status(operator, D, D + dt.timedelta(days=13))
    found = availability.absences([operator.pk, head.pk], D - dt.timedelta(days=1), D)
    assert list(found) == [operator.pk]
    assert found[operator.pk][0].reason == "居家隔离"
    assert found[operator.pk][0].source == "health"
    assert availability.unavailable([operator.pk, head.pk], D - dt.timedelta(days=1)) == {}
    assert list(availability.unavailable([operator.pk], D + dt.timedelta(days=13))) == [operator.pk]
    assert availability.unavailable([operator.pk], D + dt.timedelta(days=14)) == {}


def test_an_open_status_runs_on_and_an_ended_one_does_not(people):
    operator, head = people["operator"], people["head"]
    status(operator, D)
    status(head, D - dt.timedelta(days=30), D - dt.timedelta(days=20), kind="close_contact")
    later = D + dt.timedelta(days=365)
    assert list(availability.unavailable([operator.pk, head.pk], later)) == [operator.pk]
    assert availability.absences([], D, later) == {}
