"""A critical alert nobody acknowledges within the level's time goes one role up, once."""

import datetime as dt

import pytest

from headwater.alerts import services
from headwater.alerts.models import Alert, Delivery, InboxItem
from headwater.alerts.services import escalation_target, raise_alert
from headwater.alerts.tasks import escalate_overdue_alerts
from headwater.core import levels
from headwater.core import services as core_services
from headwater.core.tests.factories import PersonFactory, make_user

from .conftest import START


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.HEADWATER_BASE_URL = "https://hw.example.cn"


@pytest.fixture
def leader_user(tree):
    person = PersonFactory(unit=tree["company"], name="周总", employee_no="E9")
    return make_user("leader", person=person, roles=[("leader", None)])


def urgent(org, tree, roles=("unit_head",), **kwargs):
    fields = {
        "kind": "health.abnormal_checkin",
        "title": "体温异常：李操作",
        "severity": "critical",
    }
    return raise_alert(org, unit=tree["shift_a"], to_roles=list(roles), **{**fields, **kwargs})


def inboxes(alert) -> list[tuple[str, bool]]:
    items = alert.inbox_items.order_by("user__username")
    return [(i.user.username, i.escalated) for i in items]


@pytest.mark.parametrize(
    "roles, target",
    [
        ([], "unit_head"),
        (["lab_reviewer", "quality"], "unit_head"),
        (["unit_head"], "office"),
        (["lab_reviewer", "unit_head", "quality", "office"], "leader"),
        (["leader", "office"], ""),
    ],
)
def test_the_ladder_goes_unit_head_then_office_then_leader(roles, target):
    assert escalation_target(roles) == target


def test_the_setting_is_declared_with_a_range_and_shorter_in_an_emergency():
    setting = levels.REGISTRY["alerts.escalate_after_minutes"]
    assert (setting.minimum, setting.maximum, setting.default) == (5, 1440, 60)
    assert [setting.declared(lvl) for lvl in ("level1", "level2", "level3", "normal")] == [
        30,
        30,
        60,
        60,
    ]


def test_an_unacknowledged_critical_alert_reaches_the_office_after_an_hour_once(
    org, tree, unit_head_user, office_user, frozen, make_channel, robot, on_commit
):
    make_channel(url=robot.url)
    with on_commit():
        alert = urgent(org, tree)
    frozen.shift(dt.timedelta(minutes=59))
    assert escalate_overdue_alerts.call_local() == 0
    assert inboxes(alert) == [("head", False)]

    frozen.shift(dt.timedelta(minutes=1))
    with on_commit():
        assert escalate_overdue_alerts.call_local() == 1
    with on_commit():
        assert escalate_overdue_alerts.call_local() == 0  # the next run, a retry: nothing more
        assert services.escalate(alert.pk) is False  # a second worker holding the same id

    alert.refresh_from_db()
    assert alert.escalated_at == START + dt.timedelta(minutes=60)
    assert inboxes(alert) == [("head", False), ("office", True)]
    assert [r["json"]["markdown"]["title"] for r in robot.requests] == [
        "体温异常：李操作",
        "升级（无人确认）：体温异常：李操作",
    ]
    assert list(Delivery.objects.order_by("pk").values_list("escalation", "status")) == [
        (False, "sent"),
        (True, "sent"),
    ]


def test_at_level_one_it_escalates_after_thirty_minutes(
    org, tree, unit_head_user, office_user, frozen
):
    core_services.switch_level(org, "level1", by=office_user, reason="一级响应")
    alert = urgent(org, tree)
    frozen.shift(dt.timedelta(minutes=30))

    assert escalate_overdue_alerts.call_local() == 1
    assert inboxes(alert) == [("head", False), ("office", True)]


def test_an_alert_to_unit_heads_and_office_escalates_to_the_leader(
    org, tree, unit_head_user, office_user, leader_user, frozen
):
    alert = urgent(org, tree, roles=["unit_head", "office"])
    services.mark_all_read(office_user)
    frozen.shift(dt.timedelta(hours=2))

    escalate_overdue_alerts.call_local()

    assert inboxes(alert) == [("head", False), ("leader", True), ("office", False)]
    assert InboxItem.objects.get(user=leader_user).read_at is None


def test_a_user_already_alerted_is_marked_escalated_and_unread_not_alerted_twice(
    org, tree, unit_head_user, people, frozen
):
    both = make_user(
        "both", person=people["other_plant"], roles=[("unit_head", None), ("office", None)]
    )
    alert = urgent(org, tree)
    services.mark_all_read(both)
    frozen.shift(dt.timedelta(hours=2))

    escalate_overdue_alerts.call_local()

    assert inboxes(alert) == [("both", True), ("head", False)]
    assert InboxItem.objects.get(user=both).read_at is None


@pytest.mark.parametrize("handled", ["acknowledged", "closed", "warning", "top_of_ladder"])
def test_what_is_handled_or_not_urgent_or_at_the_top_does_not_escalate(
    org, tree, unit_head_user, office_user, leader_user, frozen, handled
):
    if handled == "warning":
        alert = urgent(org, tree, severity="warning")
    elif handled == "top_of_ladder":
        alert = urgent(org, tree, roles=["leader"])
    else:
        alert = urgent(org, tree)
    if handled == "acknowledged":
        services.acknowledge(alert, by=unit_head_user)
    if handled == "closed":
        services.close(alert, by=unit_head_user, note="已处理")
    before = inboxes(alert)
    frozen.shift(dt.timedelta(days=2))

    assert escalate_overdue_alerts.call_local() == 0
    assert (Alert.objects.get().escalated_at, inboxes(alert)) == (None, before)


def test_an_episode_raised_again_to_more_roles_escalates_above_all_of_them(
    org, tree, unit_head_user, office_user, leader_user, frozen
):
    urgent(org, tree, episode="health.abnormal:3")
    alert = urgent(org, tree, roles=["office"], episode="health.abnormal:3", body="39 °C")
    frozen.shift(dt.timedelta(hours=2))

    escalate_overdue_alerts.call_local()

    assert (alert.to_roles, alert.escalate_to) == (["unit_head", "office"], "leader")
    assert inboxes(alert) == [("head", False), ("leader", True), ("office", False)]
