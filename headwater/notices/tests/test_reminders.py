"""Remind all who have not read: an inbox item for exactly those people, once per sender per
30 minutes; a unit head reminds only their units' people."""

import datetime as dt

import pytest
from django.urls import reverse

from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import NotAllowed
from headwater.notices import services
from headwater.notices.models import Receipt, Reminder

pytestmark = pytest.mark.django_db


def read(notice, user):
    services.mark_read(Receipt.objects.get(notice=notice, person_id=user.person_id), by=user)


def test_remind_reaches_exactly_the_people_who_have_not_read(
    publish, office_user, staff_user, unit_head_user, people, django_capture_on_commit_callbacks
):
    notice = publish()
    read(notice, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        reminder, sent = services.remind(notice, by=office_user)
    assert sent
    # Four in the audience; the operator has read; only three have logins: head and office.
    assert reminder.recipients == 2
    alert = Alert.objects.get(kind="notices.reminder")
    assert alert.dedup_key == f"notice:{notice.pk}:remind:1"
    assert set(InboxItem.objects.filter(alert=alert).values_list("user_id", flat=True)) == {
        unit_head_user.pk,
        office_user.pk,
    }


def test_a_second_tap_within_30_minutes_sends_nothing(
    publish, office_user, time_machine, django_capture_on_commit_callbacks
):
    notice = publish()
    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        first, sent = services.remind(notice, by=office_user)
    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 29, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        again, sent_again = services.remind(notice, by=office_user)
    assert sent and not sent_again
    assert again.pk == first.pk
    assert Alert.objects.filter(kind="notices.reminder").count() == 1
    assert InboxItem.objects.filter(alert__kind="notices.reminder").count() == 1
    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 31, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        later, sent_later = services.remind(notice, by=office_user)
    assert sent_later and later.round == 2
    assert Alert.objects.filter(kind="notices.reminder").count() == 2


def test_a_unit_head_reminds_only_their_units(
    publish, unit_head_user, staff_user, office_user, django_capture_on_commit_callbacks
):
    notice = publish()
    with django_capture_on_commit_callbacks(execute=True):
        reminder, _sent = services.remind(notice, by=unit_head_user)
    # Plant 1's unread: the head himself and the operator (both with logins).
    assert reminder.recipients == 2
    users = set(InboxItem.objects.values_list("user_id", flat=True))
    assert users == {unit_head_user.pk, staff_user.pk}


def test_staff_may_not_remind(publish, staff_user):
    notice = publish()
    with pytest.raises(NotAllowed):
        services.remind(notice, by=staff_user)
    assert Reminder.objects.count() == 0
    assert Alert.objects.filter(kind="notices.reminder").count() == 0


def test_the_remind_button_says_when_it_sent_and_does_not_send_twice(publish, office_user, english):
    notice = publish()
    english.force_login(office_user)
    url = reverse("notices:remind", args=[notice.pk])
    english.post(url)
    page = english.post(url, follow=True).content.decode()
    assert "Already reminded at" in page
    assert "A second tap within 30 minutes sends nothing again." in page
    assert Reminder.objects.count() == 1


def test_the_inbox_items_go_to_who_is_still_unread_when_the_queue_delivers(
    publish, office_user, staff_user, unit_head_user
):
    notice = publish()
    reminder, _sent = services.remind(notice, by=office_user)  # the queue has not run yet
    assert reminder.recipients == 3  # office, head, operator: all with logins, none has read
    assert InboxItem.objects.count() == 0
    read(notice, staff_user)
    assert services.deliver_reminder(reminder.pk) == 2
    assert services.deliver_reminder(reminder.pk) == 0  # a retried task sends nothing again
    assert set(InboxItem.objects.values_list("user_id", flat=True)) == {
        office_user.pk,
        unit_head_user.pk,
    }


def test_a_reminder_lost_by_the_queue_is_delivered_by_the_catch_up(
    publish, office_user, time_machine
):
    from headwater.notices.tasks import deliver_open_reminders

    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    notice = publish()
    reminder, _sent = services.remind(notice, by=office_user)  # on_commit never ran
    assert deliver_open_reminders.call_local() == 0  # not a minute old yet
    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 2, tzinfo=dt.UTC), tick=False)
    assert deliver_open_reminders.call_local() == 1
    reminder.refresh_from_db()
    assert reminder.delivered_at is not None
    assert InboxItem.objects.filter(alert__kind="notices.reminder").count() == 1  # the office
    assert deliver_open_reminders.call_local() == 0


def test_a_reminder_stays_in_the_inbox_and_never_reaches_a_group_robot(
    publish, office_user, org, django_capture_on_commit_callbacks
):
    from headwater.alerts.models import Delivery, WebhookChannel

    notice = publish()
    WebhookChannel.objects.create(
        organization=org,
        name="值班群",
        kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=x",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.remind(notice, by=office_user)

    alert = Alert.objects.get(kind="notices.reminder")
    assert InboxItem.objects.filter(alert=alert).count() == 1  # the office's own login
    assert Delivery.objects.filter(alert=alert).count() == 0
