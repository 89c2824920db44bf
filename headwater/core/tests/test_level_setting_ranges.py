"""Per-level settings declare what they admit: a value outside it is refused on save (API and
page) with a message naming the setting and the range, and nothing is stored."""

import pytest
from django.urls import reverse

from headwater.core import levels, services
from headwater.core.models import LevelSettingValue

REFUSED = [
    ("health.morning_closes", "abc", "Morning check-in window closes at"),
    ("health.report_deadline", "25:99", "Unit daily report deadline"),
    ("health.checkins_per_day", 10**30, "Check-ins per day: enter a whole number from 1 to 2."),
    ("health.checkins_per_day", "³", "Check-ins per day"),
    ("health.checkins_per_day", True, "Check-ins per day"),
    ("health.reminder_times", ["99:99", "<script>"], "Check-in reminder times"),
    ("health.reminder_times", [["08:00"]], "Check-in reminder times"),
    (
        "core.personal_data_retention_days",
        -1,
        "Days to keep a leaver's personal data: enter a whole number from 30 to 3650.",
    ),
    ("core.banner", "x" * 201, "Banner shown on every page: enter at most 200 characters."),
]


@pytest.fixture
def office(client, office_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(office_user)
    return client


@pytest.mark.parametrize(("key", "value", "message"), REFUSED)
def test_api_refuses_a_value_outside_the_declaration_and_stores_nothing(
    office, key, value, message
):
    response = office.put(
        f"/api/v1/response-level/settings/{key}/level2",
        {"value": value},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["message"]
    assert error["fields"] == {"value": error["message"]}
    assert LevelSettingValue.objects.count() == 0


def test_time_message_names_the_setting_and_the_format(office):
    response = office.put(
        "/api/v1/response-level/settings/health.morning_closes/level2",
        {"value": "abc"},
        content_type="application/json",
    )
    assert response.json()["error"]["message"] == (
        "Morning check-in window closes at: enter a time of day as HH:MM, from 00:00 to 23:59."
    )


def test_refusal_is_translated(client, office_user):
    client.force_login(office_user)
    response = client.put(
        "/api/v1/response-level/settings/health.checkins_per_day/level2",
        {"value": 0},
        content_type="application/json",
    )
    assert response.json()["error"]["message"] == "每日打卡次数：请输入 1 到 2 之间的整数。"


def test_page_refuses_a_bad_time_with_the_message_and_stores_nothing(office):
    response = office.post(
        reverse("core:level_setting"),
        {"key": "health.report_deadline", "level": "level2", "value": "25:99"},
        follow=True,
    )
    assert "Unit daily report deadline: enter a time of day as HH:MM" in response.content.decode()
    assert LevelSettingValue.objects.count() == 0


def test_values_within_the_declaration_are_stored_normalised(org, office_user):
    services.set_level_value(org, "health.morning_closes", "level2", " 9:05 ", by=office_user)
    services.set_level_value(org, "health.reminder_times", "level2", "8:30, 14:30", by=office_user)
    services.set_level_value(org, "health.checkins_per_day", "level2", " 2", by=office_user)
    stored = dict(LevelSettingValue.objects.values_list("key", "value"))
    assert stored == {
        "health.morning_closes": "09:05",
        "health.reminder_times": ["08:30", "14:30"],
        "health.checkins_per_day": 2,
    }


def test_a_declaration_outside_its_own_range_fails_at_registration():
    with pytest.raises(ValueError):
        levels.register("test.bad", "x", kind=int, minimum=1, maximum=2, default=3)
    assert "test.bad" not in levels.REGISTRY


def test_a_stored_value_that_no_longer_passes_reads_as_the_default_logged_once(
    org, office_user, caplog
):
    services.set_level_value(org, "health.morning_closes", "normal", "11:00", by=office_user)
    LevelSettingValue.objects.update(value="abc")
    for _ in range(2):
        levels.forget(org)
        assert levels.value(org, "health.morning_closes") == "12:00"
    assert [r.getMessage() for r in caplog.records if r.name == "headwater.core.levels"] == [
        f"Stored value 'abc' of setting health.morning_closes at normal (organization "
        f"{org.pk}) is not valid; using the declared default."
    ]
    rows = {r["setting"].key: r["values"] for r in levels.table(org)}
    assert rows["health.morning_closes"]["normal"] == "12:00"
