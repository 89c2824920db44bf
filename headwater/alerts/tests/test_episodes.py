"""raise_alert with an episode: one open alert per episode, updated rather than repeated."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from headwater.alerts import services
from headwater.alerts.models import Alert, Delivery, InboxItem
from headwater.alerts.services import raise_alert
from headwater.core.tests.factories import make_user
from headwater.health import services as health
from headwater.health.tests.conftest import NORMAL, at

EPISODE = "health.abnormal:42"


def raise_episode(org, tree, **kwargs):
    fields = {
        "kind": "health.abnormal_checkin",
        "title": "体温异常：李操作",
        "body": "38.2 °C",
        "severity": "critical",
        "unit": tree["shift_a"],
        "to_roles": ["unit_head", "office"],
        "episode": EPISODE,
        **kwargs,
    }
    return raise_alert(org, **fields)


def test_raising_an_open_episode_again_updates_its_alert_instead_of_adding_one(
    org, tree, office_user, unit_head_user, make_channel, frozen
):
    make_channel()
    first = raise_episode(org, tree)
    services.mark_all_read(office_user)
    frozen.shift(dt.timedelta(minutes=7))

    again = raise_episode(org, tree, body="38.9 °C, cough")

    assert again.pk == first.pk
    alert = Alert.objects.get()
    assert (alert.body, alert.updates, alert.updated_at) == (
        "38.9 °C, cough",
        1,
        first.created_at + dt.timedelta(minutes=7),
    )
    assert alert.created_at == first.created_at
    items = InboxItem.objects.order_by("user__username")
    assert [(i.user.username, i.read_at) for i in items] == [("head", None), ("office", None)]
    assert Delivery.objects.count() == 1  # the robot is not told again


def test_the_same_raise_again_changes_nothing(org, tree, office_user, frozen):
    raise_episode(org, tree)
    services.mark_all_read(office_user)
    frozen.shift(dt.timedelta(minutes=1))

    raise_episode(org, tree)

    alert = Alert.objects.get()
    assert (alert.updates, alert.updated_at) == (0, None)
    assert InboxItem.objects.get(user=office_user).read_at is not None


def test_a_closed_episode_is_opened_anew_by_the_next_raise(org, tree, office_user, frozen):
    first = raise_episode(org, tree)
    services.close(first, by=office_user, note="已通知本人居家观察")

    second = raise_episode(org, tree, body="39.0 °C")

    assert second.pk != first.pk
    assert list(Alert.objects.order_by("pk").values_list("closed_at", flat=True)) == [
        first.created_at,
        None,
    ]
    assert InboxItem.objects.filter(user=office_user).count() == 2


def test_a_robot_that_did_not_take_the_alert_gets_it_once_its_severity_rises(
    org, tree, office_user, make_channel
):
    urgent_only = make_channel(name="紧急群", min_severity="critical")
    raise_episode(org, tree, severity="warning")
    assert Delivery.objects.count() == 0

    raise_episode(org, tree, severity="critical")
    raise_episode(org, tree, severity="critical", body="39.1 °C")

    assert list(Delivery.objects.values_list("channel_id", flat=True)) == [urgent_only.pk]


def test_an_exact_retry_with_its_dedup_key_is_still_a_no_op(org, tree, office_user):
    raise_episode(org, tree, dedup_key="checkin:1:a")
    raise_episode(org, tree, dedup_key="checkin:1:b", body="38.5 °C")

    raise_episode(org, tree, dedup_key="checkin:1:a", body="a stale retry")

    assert Alert.objects.get().body == "38.5 °C"


def test_the_database_holds_one_open_alert_per_episode(org):
    Alert.objects.create(organization=org, kind="x", title="t", episode=EPISODE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(organization=org, kind="x", title="t", episode=EPISODE)


def test_a_raise_that_loses_the_race_to_open_the_episode_updates_the_winners_alert(
    org, tree, office_user, monkeypatch
):
    """Two parallel raises both find no open alert; the second insert hits the constraint
    and updates the alert the first one committed."""
    winner = raise_episode(org, tree)
    real_lock = services.locks.lock
    calls = []

    def first_look_sees_nothing(queryset, **kwargs):
        calls.append(1)
        return [] if len(calls) == 1 else real_lock(queryset, **kwargs)

    monkeypatch.setattr(services.locks, "lock", first_look_sees_nothing)

    loser = raise_episode(org, tree, body="39.2 °C")

    assert loser.pk == winner.pk
    assert list(Alert.objects.values_list("body", "updates")) == [("39.2 °C", 1)]
    assert InboxItem.objects.filter(user=office_user).count() == 1


DAY = dt.date(2026, 2, 3)


def test_an_abnormal_checkin_corrected_six_times_is_one_alert_with_the_latest_reason(
    org, people, office_user, unit_head_user, clock_at
):
    operator = people["operator"]
    login = make_user("li", person=operator, roles=[("staff", None)])
    clock_at(at(DAY, 8, 0))
    health.submit_checkin(operator, {**NORMAL, "temperature": "38.1"}, by=login, key="k0")
    for n in range(1, 7):
        clock_at(at(DAY, 8, n))
        fever = {**NORMAL, "temperature": f"38.{n + 1}"}
        health.submit_checkin(operator, fever, by=login, key=f"k{n}")
        health.submit_checkin(operator, fever, by=login, key=f"k{n}")  # a retry

    items = InboxItem.objects.filter(user=office_user).select_related("alert")
    assert len(items) == 1
    assert (items[0].alert.body, items[0].alert.updates) == ("38.7 °C", 6)
    assert Alert.objects.filter(kind="health.abnormal_checkin").count() == 1
    assert InboxItem.objects.filter(user=unit_head_user).count() == 1
