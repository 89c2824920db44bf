"""Acknowledging and closing an alert (who, when, a note), by its recipients only; the inbox's
open and handled tabs, the bell counting open unread items, and the same through the API."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from headwater.alerts import services
from headwater.alerts.models import Alert, InboxItem
from headwater.alerts.querysets import unread_count
from headwater.alerts.services import raise_alert
from headwater.core.errors import DomainError, NotAllowed

from .conftest import START

API = "/api/v1"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def alert(org, tree, office_user, unit_head_user):
    return raise_alert(
        org,
        kind="health.abnormal_checkin",
        title="体温异常：李操作",
        severity="critical",
        unit=tree["shift_a"],
        to_roles=["unit_head", "office"],
    )


def item_of(user, alert) -> InboxItem:
    return InboxItem.objects.get(user=user, alert=alert)


def audit_changes(alert) -> list[dict]:
    entries = LogEntry.objects.get_for_object(alert).order_by("pk")
    return [(e.actor.username if e.actor else None, e.changes) for e in entries]


# --- Services --------------------------------------------------------------------------------


def test_a_recipient_acknowledges_once_and_it_is_audited(
    alert, office_user, unit_head_user, frozen
):
    acknowledged, changed = services.acknowledge(alert, by=office_user)
    frozen.shift(dt.timedelta(minutes=3))
    again, changed_again = services.acknowledge(alert, by=unit_head_user)

    assert (changed, changed_again) == (True, False)
    alert.refresh_from_db()
    assert (alert.acknowledged_at, alert.acknowledged_by, alert.state) == (
        START,
        office_user,
        "acknowledged",
    )
    assert audit_changes(alert) == [
        (
            "office",
            {
                "acknowledged_at": [None, "2025-03-03T09:00:00+08:00"],
                "acknowledged_by": [None, "钱文员"],
            },
        )
    ]
    assert item_of(office_user, alert).read_at == START


def test_somebody_the_alert_did_not_go_to_may_not_acknowledge_or_close_it(
    alert, staff_user, outsider
):
    for user in (staff_user, outsider):
        with pytest.raises(NotAllowed):
            services.acknowledge(alert, by=user)
        with pytest.raises(NotAllowed):
            services.close(alert, by=user, note="不是我的")
    alert.refresh_from_db()
    assert (alert.acknowledged_at, alert.closed_at, alert.close_note) == (None, None, "")
    assert audit_changes(alert) == []


@pytest.mark.parametrize("note", ["", "   ", "x" * 1001])
def test_closing_needs_a_note_of_at_most_1000_characters(alert, office_user, note):
    with pytest.raises(DomainError) as refused:
        services.close(alert, by=office_user, note=note)
    assert list(refused.value.fields) == ["note"]
    alert.refresh_from_db()
    assert (alert.closed_at, alert.acknowledged_at) == (None, None)


def test_closing_records_who_when_and_the_note_once_and_acknowledges_too(
    alert, office_user, unit_head_user, frozen
):
    closed, changed = services.close(alert, by=unit_head_user, note="  已安排居家观察  ")
    frozen.shift(dt.timedelta(minutes=5))
    _again, changed_again = services.close(alert, by=office_user, note="另一条")
    services.acknowledge(alert, by=office_user)

    assert (changed, changed_again) == (True, False)
    alert.refresh_from_db()
    assert (
        alert.closed_at,
        alert.closed_by,
        alert.close_note,
        alert.acknowledged_at,
        alert.acknowledged_by,
    ) == (START, unit_head_user, "已安排居家观察", START, unit_head_user)
    assert [changes for _actor, changes in audit_changes(alert)] == [
        {
            "closed_at": [None, "2025-03-03T09:00:00+08:00"],
            "closed_by": [None, "王厂长"],
            "close_note": [None, "已安排居家观察"],
        }
    ]


# --- Pages -----------------------------------------------------------------------------------


def test_the_inbox_separates_open_from_handled_with_counts(
    client, frozen, alert, org, office_user, english
):
    handled = raise_alert(org, kind="health.x", title="已处理的", to_users=[office_user])
    services.close(handled, by=office_user, note="done")
    client.force_login(office_user)

    open_tab = client.get(reverse("alerts:inbox"))
    handled_tab = client.get(reverse("alerts:inbox"), {"tab": "handled"})

    assert [i.alert.title for i in open_tab.context["page"]] == ["体温异常：李操作"]
    assert [i.alert.title for i in handled_tab.context["page"]] == ["已处理的"]
    assert open_tab.context["counts"] == {"open": 1, "handled": 1}
    html = handled_tab.content.decode()
    assert 'data-testid="count-open">1</span>' in html
    assert "Closed by 钱文员 at 03-03 09:00: done" in html


def test_the_bell_counts_only_unread_items_of_open_alerts(alert, org, office_user):
    other = raise_alert(org, kind="health.x", title="t", to_users=[office_user])
    assert unread_count(office_user) == 2
    services.close(other, by=InboxItem.objects.get(alert=other).user, note="ok")
    InboxItem.objects.filter(alert=other).update(read_at=None)
    assert unread_count(office_user) == 1


def test_the_acknowledge_button_is_a_post_form_and_a_get_changes_nothing(
    client, alert, office_user
):
    item = item_of(office_user, alert)
    client.force_login(office_user)
    html = client.get(reverse("alerts:inbox")).content.decode()
    url = reverse("alerts:acknowledge", args=[item.pk])
    assert f'<form method="post" action="{url}">' in html
    inbox = html.split('data-testid="inbox-tabs"')[1].split("</main>")[0]
    assert ("<script" in inbox, "onclick" in inbox) == (False, False)

    assert client.get(url).status_code == 405
    assert Alert.objects.get().acknowledged_at is None
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, "/alerts/?tab=open")
    assert Alert.objects.get().acknowledged_by == office_user


def test_closing_from_the_page_without_a_note_shows_why_and_changes_nothing(
    client, alert, office_user, english
):
    item = item_of(office_user, alert)
    client.force_login(office_user)
    url = reverse("alerts:close", args=[item.pk])

    refused = client.post(url, {"note": " "})

    assert refused.status_code == 200
    assert "Say what was done before closing the alert." in refused.content.decode()
    assert Alert.objects.get().closed_at is None
    closed = client.post(url, {"note": "已处理"})
    assert (closed.status_code, closed["Location"]) == (302, "/alerts/?tab=handled")
    assert Alert.objects.get().close_note == "已处理"


def test_the_close_page_shows_the_form_and_once_closed_who_closed_it(
    client, alert, office_user, english, frozen
):
    item = item_of(office_user, alert)
    client.force_login(office_user)
    url = reverse("alerts:close", args=[item.pk])
    assert 'name="note"' in client.get(url).content.decode()

    services.close(alert, by=office_user, note="已处理")

    html = client.get(url).content.decode()
    assert ('name="note"' in html, "Closed by 钱文员 at 03-03 09:00: 已处理" in html) == (
        False,
        True,
    )


def test_another_users_item_cannot_be_acknowledged_or_closed_from_the_page(
    client, alert, staff_user, office_user
):
    item = item_of(office_user, alert)
    client.force_login(staff_user)
    assert client.post(reverse("alerts:acknowledge", args=[item.pk])).status_code == 404
    response = client.post(reverse("alerts:close", args=[item.pk]), {"note": "x"})
    assert response.status_code == 404
    assert Alert.objects.filter(acknowledged_at=None, closed_at=None).count() == 1


# --- API -------------------------------------------------------------------------------------


def test_the_api_acknowledges_and_closes_and_lists_by_state(client, alert, office_user, frozen):
    item = item_of(office_user, alert)
    client.force_login(office_user)

    acked = client.post(f"{API}/alerts/{item.pk}/acknowledge", **EN)
    closed = client.post(
        f"{API}/alerts/{item.pk}/close", {"note": "已处理"}, content_type="application/json", **EN
    )

    assert acked.status_code == 200
    assert (acked.json()["state"], acked.json()["acknowledged_by"]) == ("acknowledged", "钱文员")
    assert closed.status_code == 200
    body = closed.json()
    assert (body["state"], body["closed_by"], body["close_note"], body["closed_at"]) == (
        "closed",
        "钱文员",
        "已处理",
        "2025-03-03T01:00:00Z",
    )
    assert client.get(f"{API}/alerts?state=open", **EN).json()["count"] == 0
    assert client.get(f"{API}/alerts?state=handled", **EN).json()["count"] == 1
    assert client.get(f"{API}/alerts?state=other", **EN).status_code == 422


def test_the_api_refuses_closing_without_a_note_in_the_error_shape(client, alert, office_user):
    item = item_of(office_user, alert)
    client.force_login(office_user)
    response = client.post(
        f"{API}/alerts/{item.pk}/close", {"note": ""}, content_type="application/json", **EN
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Please correct the marked fields.",
            "fields": {"note": "Say what was done before closing the alert."},
        }
    }
    assert Alert.objects.get().closed_at is None


def test_the_api_answers_404_for_somebody_elses_item(client, alert, office_user, staff_user):
    item = item_of(office_user, alert)
    client.force_login(staff_user)
    assert client.post(f"{API}/alerts/{item.pk}/acknowledge", **EN).status_code == 404
    assert Alert.objects.get().acknowledged_at is None
