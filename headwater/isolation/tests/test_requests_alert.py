"""A service request not accepted within `isolation.request_accept_minutes` alerts the case's
monitor once; an accepted one never does; the minutes are a per-level setting."""

import datetime as dt

import pytest

from headwater.alerts.models import Alert
from headwater.isolation.services import requests as svc
from headwater.isolation.services.requests_alerts import alert_unaccepted
from headwater.isolation.tests.conftest import at, setting
from headwater.isolation.tests.requests_helpers import *  # noqa: F403 (fixtures)
from headwater.isolation.tests.requests_helpers import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(case, staff_user, time_machine):
    time_machine.move_to(at(10), tick=False)
    req, _ = book(case, staff_user)
    return req


def test_before_the_minutes_nothing_is_raised(org, booked):
    assert alert_unaccepted(org, at(10, 59)) == 0
    assert Alert.objects.count() == 0


def test_at_the_minutes_the_monitor_is_told_once(org, booked, monitor):
    assert alert_unaccepted(org, at(11)) == 1
    assert alert_unaccepted(org, at(11, 5)) == 0
    assert alert_unaccepted(org, at(15)) == 0

    alert = Alert.objects.get()
    assert alert.dedup_key == f"isolation.request:{booked.pk}"
    assert "李操作" in alert.title
    assert [i.user.username for i in alert.inbox_items.all()] == ["monitor"]
    booked.refresh_from_db()
    assert booked.alerted_at == at(11)


def test_an_accepted_request_is_not_raised(org, booked, helper):
    svc.accept(booked, by=helper)
    assert alert_unaccepted(org, at(12)) == 0
    assert Alert.objects.count() == 0


def test_the_minutes_are_a_per_level_setting(org, booked):
    setting(org, "isolation.request_accept_minutes", 30)
    assert alert_unaccepted(org, at(10, 29)) == 0
    assert alert_unaccepted(org, at(10, 30)) == 1


def test_the_periodic_task_sweeps_every_organization(org, booked, time_machine):
    from headwater.isolation.tasks import alert_unaccepted_requests

    time_machine.move_to(at(11) + dt.timedelta(seconds=1), tick=False)
    assert alert_unaccepted_requests.call_local() == 1
    assert alert_unaccepted_requests.call_local() == 0
