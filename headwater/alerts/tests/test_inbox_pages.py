"""The inbox page, opening an item, marking read, and the bell in the layout."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from headwater.alerts.models import InboxItem
from headwater.alerts.querysets import unread_count
from headwater.alerts.services import raise_alert

from .conftest import START


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def alert_to(user, title, **kwargs):
    return raise_alert(user.organization, kind="health.x", title=title, to_users=[user], **kwargs)


def item_of(user, alert) -> InboxItem:
    return InboxItem.objects.get(user=user, alert=alert)


def titles(response) -> list[str]:
    return [item.alert.title for item in response.context["page"]]


def test_inbox_lists_only_the_users_own_items_newest_first(client, office_user, staff_user, frozen):
    alert_to(office_user, "早")
    frozen.shift(dt.timedelta(minutes=5))
    alert_to(office_user, "晚")
    alert_to(staff_user, "别人的")
    client.force_login(office_user)
    response = client.get(reverse("alerts:inbox"))
    assert response.status_code == 200
    assert titles(response) == ["晚", "早"]
    assert "别人的" not in response.content.decode()


def test_an_outsider_sees_none_of_our_alerts(client, office_user, outsider):
    alert_to(office_user, "内部告警")
    client.force_login(outsider)
    response = client.get(reverse("alerts:inbox"))
    assert response.status_code == 200
    assert titles(response) == []
    assert "内部告警" not in response.content.decode()


def test_unread_items_are_bold_with_their_severity_badge(client, office_user, english):
    alert_to(office_user, "未读", severity="critical")
    client.force_login(office_user)
    response = client.get(reverse("alerts:inbox"))
    html = response.content.decode()
    assert 'rounded-0 px-3 pt-2 pb-1 fw-bold"' in html
    assert '<span class="badge text-bg-danger me-1">Critical</span>未读' in html


def test_opening_an_item_marks_it_read_and_goes_to_the_link(client, office_user, frozen):
    alert = alert_to(office_user, "体温异常", link="/health/checkins/7/")
    item = item_of(office_user, alert)
    client.force_login(office_user)
    response = client.post(reverse("alerts:open", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/health/checkins/7/"
    item.refresh_from_db()
    assert item.read_at == START


def test_an_item_without_a_link_opens_the_inbox(client, office_user):
    item = item_of(office_user, alert_to(office_user, "t"))
    client.force_login(office_user)
    response = client.post(reverse("alerts:open", args=[item.pk]))
    assert response["Location"] == reverse("alerts:inbox")


def test_opening_somebody_elses_item_is_not_found_and_leaves_it_unread(
    client, office_user, staff_user
):
    item = item_of(office_user, alert_to(office_user, "t", link="/core/people/"))
    client.force_login(staff_user)
    response = client.post(reverse("alerts:open", args=[item.pk]))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_a_get_of_the_open_address_changes_nothing(client, office_user):
    """Link previews and prefetching follow GETs: only the inbox's POST marks an item read."""
    item = item_of(office_user, alert_to(office_user, "t", link="/health/checkins/7/"))
    client.force_login(office_user)
    response = client.get(reverse("alerts:open", args=[item.pk]))
    assert response.status_code == 405
    item.refresh_from_db()
    assert item.read_at is None


def test_opening_an_item_needs_the_csrf_token(office_user):
    item = item_of(office_user, alert_to(office_user, "t"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    assert client.post(reverse("alerts:open", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert item.read_at is None


def test_the_inbox_opens_an_item_with_a_post_form(client, office_user):
    item = item_of(office_user, alert_to(office_user, "t"))
    client.force_login(office_user)
    html = client.get(reverse("alerts:inbox")).content.decode()
    assert f'<form method="post" action="{reverse("alerts:open", args=[item.pk])}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_bell_shows_the_unread_count_on_every_page(client, office_user, staff_user):
    alert_to(office_user, "一")
    alert_to(office_user, "二")
    alert_to(staff_user, "三")
    client.force_login(office_user)
    response = client.get(reverse("home"))
    assert response.context["unread_alerts"] == 2
    html = response.content.decode()
    assert 'data-testid="inbox-link"' in html
    assert '<span class="badge text-bg-danger" data-testid="unread-count">2</span>' in html


def test_the_unread_count_is_one_query(office_user, django_assert_num_queries):
    alert_to(office_user, "一")
    with django_assert_num_queries(1):
        assert unread_count(office_user) == 1


def test_the_bell_has_no_badge_when_everything_is_read(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert 'data-testid="inbox-link"' in html
    assert 'data-testid="unread-count"' not in html


def test_mark_all_read_marks_only_the_users_own_items(client, office_user, staff_user, frozen):
    ours = [alert_to(office_user, "一"), alert_to(office_user, "二")]
    theirs = alert_to(staff_user, "三")
    client.force_login(office_user)
    response = client.post(reverse("alerts:read_all"))
    assert response.status_code == 302
    assert [item_of(office_user, a).read_at for a in ours] == [START, START]
    assert item_of(staff_user, theirs).read_at is None


def test_mark_all_read_needs_a_post(client, office_user):
    alert_to(office_user, "一")
    client.force_login(office_user)
    assert client.get(reverse("alerts:read_all")).status_code == 405
    assert InboxItem.objects.unread().count() == 1


def test_unread_only_hides_read_items(client, office_user):
    read = alert_to(office_user, "已读")
    alert_to(office_user, "未读")
    InboxItem.objects.filter(alert=read).update(read_at=START)
    client.force_login(office_user)
    response = client.get(reverse("alerts:inbox") + "?unread=1")
    assert titles(response) == ["未读"]


def test_the_inbox_is_paginated(client, office_user):
    for n in range(31):
        alert_to(office_user, f"告警{n}")
    client.force_login(office_user)
    response = client.get(reverse("alerts:inbox") + "?page=2")
    assert len(titles(response)) == 1
    assert response.context["page"].paginator.count == 31


def test_everybody_has_the_inbox_in_the_menu_and_only_the_office_the_robots(
    client, staff_user, office_user
):
    client.force_login(staff_user)
    names = [i["name"] for i in client.get(reverse("home")).context["menu"]]
    assert "alerts:inbox" in names and "alerts:robots" not in names
    client.force_login(office_user)
    names = [i["name"] for i in client.get(reverse("home")).context["menu"]]
    assert "alerts:inbox" in names and "alerts:robots" in names


def test_the_inbox_needs_a_login(client, db):
    response = client.get(reverse("alerts:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
