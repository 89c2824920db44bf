"""A per-level setting stored with a value that no longer passes its declaration (saved
before the ranges were declared, or written around the service) breaks nothing: the check-in
(API and page), the overview and the unit report page use the declared default."""

import datetime as dt

import pytest
from django.urls import reverse

from headwater.core import services as core_services
from headwater.core.models import LevelSettingValue
from headwater.health.models import CheckIn
from headwater.health.reminders import due_time
from headwater.health.tests.conftest import NORMAL, at

DAY = dt.date(2026, 2, 3)
BAD = {
    "health.morning_closes": "abc",
    "health.report_deadline": "25:99",
    "health.reminder_times": ["99:99", "<script>"],
    "core.personal_data_retention_days": -1,
}


@pytest.fixture
def bad_settings(org, office_user, clock_at):
    """Two check-ins a day (so the morning window's close is read) and the bad values, each
    written over a good one with a queryset update."""
    clock_at(at(DAY, 9, 0))
    core_services.set_level_value(org, "health.checkins_per_day", "normal", 2, by=office_user)
    good = {
        "health.morning_closes": "12:00",
        "health.report_deadline": "10:00",
        "health.reminder_times": ["09:00"],
        "core.personal_data_retention_days": 180,
    }
    for key, value in good.items():
        core_services.set_level_value(org, key, "normal", value, by=office_user)
    for key, value in BAD.items():
        LevelSettingValue.objects.filter(key=key).update(value=value)


def test_checkin_by_api_and_page_still_works(client, staff_user, bad_settings):
    client.force_login(staff_user)
    response = client.post("/api/v1/health/checkins", NORMAL, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["checkin"]["slot"] == "am"
    page = client.get(reverse("health:checkin"))
    assert page.status_code == 200
    assert CheckIn.objects.count() == 1


def test_overview_and_unit_report_page_still_work(
    client, office_user, unit_head_user, bad_settings
):
    client.force_login(office_user)
    assert client.get(reverse("health:overview")).status_code == 200
    assert client.get("/api/v1/response-level/settings").status_code == 200
    assert client.get(reverse("core:levels")).status_code == 200
    client.force_login(unit_head_user)
    assert client.get(reverse("health:unit_report")).status_code == 200


def test_reminders_fall_back_to_the_declared_time(org, bad_settings):
    assert due_time(org, at(DAY, 9, 2)) == "09:00"
