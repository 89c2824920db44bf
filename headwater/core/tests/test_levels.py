"""Response levels: switching applies every per-level setting at once and is audited."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from headwater.core import levels, services
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import LevelSettingValue, ResponseLevelChange


@pytest.fixture
def sample_settings():
    levels.register(
        "test.checkins_per_day",
        "每日打卡次数",
        kind=int,
        default=1,
        per_level={"level1": 2, "level2": 2},
    )
    levels.register(
        "test.visitors_allowed", "允许访客", kind=bool, default=True, per_level={"level1": False}
    )
    yield
    del levels.REGISTRY["test.checkins_per_day"], levels.REGISTRY["test.visitors_allowed"]


def test_new_organization_is_at_normal_level(org):
    assert org.response_level == "normal"


def test_switching_level_applies_every_setting_at_once(org, office_user, sample_settings):
    assert (
        levels.value(org, "test.checkins_per_day"),
        levels.value(org, "test.visitors_allowed"),
    ) == (1, True)
    services.switch_level(org, "level1", by=office_user, reason="本地出现确诊病例")
    assert (
        levels.value(org, "test.checkins_per_day"),
        levels.value(org, "test.visitors_allowed"),
    ) == (2, False)


def test_office_override_wins_over_declared_default(org, office_user, sample_settings):
    services.set_level_value(org, "test.checkins_per_day", "level1", "3", by=office_user)
    services.switch_level(org, "level1", by=office_user, reason="升级")
    assert levels.value(org, "test.checkins_per_day") == 3
    assert levels.value(org, "test.checkins_per_day", "normal") == 1


def test_bad_setting_value_is_refused_and_nothing_stored(org, office_user, sample_settings):
    with pytest.raises(DomainError) as e:
        services.set_level_value(org, "test.checkins_per_day", "level1", "两次", by=office_user)
    assert e.value.fields == {"value": "每日打卡次数：请输入整数。"}
    assert LevelSettingValue.objects.count() == 0


def test_level_switch_is_audited_with_actor_and_reason(org, office_user):
    with time_machine.travel(dt.datetime(2026, 1, 25, 9, 0, tzinfo=dt.UTC), tick=False):
        change = services.switch_level(org, "level1", by=office_user, reason="启动一级响应")
    entry = LogEntry.objects.get_for_object(change).get()
    assert (entry.action, entry.actor, entry.changes["level"][1], entry.changes["reason"][1]) == (
        LogEntry.Action.CREATE,
        office_user,
        "level1",
        "启动一级响应",
    )
    assert change.changed_at == dt.datetime(2026, 1, 25, 9, 0, tzinfo=dt.UTC)


def test_history_keeps_every_switch_newest_first(org, office_user):
    services.switch_level(org, "level1", by=office_user, reason="升级")
    services.switch_level(org, "level3", by=office_user, reason="降级")
    assert list(org.level_changes.values_list("level", flat=True)) == ["level3", "level1"]
    assert org.response_level == "level3"


def test_unit_head_may_not_switch_level(org, unit_head_user):
    with pytest.raises(NotAllowed):
        services.switch_level(org, "level1", by=unit_head_user, reason="x")
    assert ResponseLevelChange.objects.count() == 0


def test_switch_without_reason_is_refused(org, office_user):
    with pytest.raises(DomainError):
        services.switch_level(org, "level1", by=office_user, reason="  ")
    assert ResponseLevelChange.objects.count() == 0


def test_banner_follows_the_level_on_every_page(client, org, office_user):
    client.force_login(office_user)
    assert "一级响应" not in client.get(reverse("home")).content.decode()
    client.post(reverse("core:levels"), {"level": "level1", "reason": "疫情升级", "confirm": "1"})
    page = client.get(reverse("home")).content.decode()
    assert "一级响应：非必要不外出" in page


def test_level_page_switch_by_unit_head_changes_nothing(client, org, unit_head_user):
    client.force_login(unit_head_user)
    response = client.post(reverse("core:levels"), {"level": "level1", "reason": "x"})
    assert response.status_code == 200
    assert ResponseLevelChange.objects.count() == 0


def test_api_switches_level_and_lists_settings(client, org, office_user):
    client.force_login(office_user)
    response = client.post(
        "/api/v1/response-level",
        {"level": "level2", "reason": "二级"},
        content_type="application/json",
    )
    assert response.json()["level"] == "level2"
    rows = {r["key"]: r["values"] for r in client.get("/api/v1/response-level/settings").json()}
    assert rows["core.personal_data_retention_days"] == {
        "level1": 365,
        "level2": 365,
        "level3": 180,
        "normal": 180,
    }


def test_level_page_shows_a_list_setting_as_comma_separated_times(client, org, office_user):
    client.force_login(office_user)

    html = client.get(reverse("core:levels")).content.decode()

    assert 'value="08:30, 14:30"' in html  # the form field takes the text back as it is
    assert "[&#x27;08:30&#x27;" not in html
    assert "['08:30'" not in html


def test_level_page_shows_a_list_setting_read_only_as_comma_separated_times(
    client, org, unit_head_user
):
    client.force_login(unit_head_user)

    html = client.get(reverse("core:levels")).content.decode()

    assert "08:30, 14:30" in html
    assert "&#x27;08:30&#x27;" not in html


def test_a_list_shown_on_the_level_page_saves_back_unchanged(client, org, office_user):
    client.force_login(office_user)

    client.post(
        reverse("core:level_setting"),
        {"key": "health.reminder_times", "level": "level1", "value": "08:30, 14:30"},
    )

    assert levels.value(org, "health.reminder_times", level="level1") == ["08:30", "14:30"]


def test_a_yes_no_setting_shows_yes_or_no_in_the_users_language():
    setting = levels.LevelSetting("x.flag", "Flag", bool, False)

    assert [setting.display(True), setting.display(False)] == ["是", "否"]
