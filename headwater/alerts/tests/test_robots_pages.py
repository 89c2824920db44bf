"""The group robots pages (office only): list, add, edit, send a test."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from headwater.alerts.models import Delivery, WebhookChannel

DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def form_data(**fields) -> dict:
    return {
        "name": "防疫值班群",
        "kind": "dingtalk",
        "url": DINGTALK,
        "secret": "SECabc",
        "kinds": "health, isolation",
        "min_severity": "warning",
        "unit": "",
        "active": "on",
        **fields,
    }


def test_the_robots_pages_are_refused_to_a_unit_head_and_nothing_is_created(
    client, unit_head_user, make_channel
):
    channel = make_channel()
    client.force_login(unit_head_user)
    assert client.get(reverse("alerts:robots")).status_code == 403
    assert client.get(reverse("alerts:robot_new")).status_code == 403
    assert client.post(reverse("alerts:robot_new"), form_data()).status_code == 403
    assert client.post(reverse("alerts:robot_test", args=[channel.pk])).status_code == 403
    assert list(WebhookChannel.objects.values_list("name", flat=True)) == ["值班群"]
    assert Delivery.objects.count() == 0


def test_the_office_opens_the_robot_pages(client, office_user, make_channel):
    channel = make_channel()
    client.force_login(office_user)
    for url in (
        reverse("alerts:robots"),
        reverse("alerts:robot_new"),
        reverse("alerts:robot_edit", args=[channel.pk]),
    ):
        assert client.get(url).status_code == 200


def test_the_office_adds_a_robot(client, office_user, tree):
    client.force_login(office_user)
    response = client.post(reverse("alerts:robot_new"), form_data(unit=tree["plant1"].pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:robots")
    channel = WebhookChannel.objects.get()
    assert (
        channel.organization,
        channel.name,
        channel.kind,
        channel.url,
        channel.secret,
        channel.kinds,
        channel.min_severity,
        channel.unit,
        channel.active,
    ) == (
        office_user.organization,
        "防疫值班群",
        "dingtalk",
        DINGTALK,
        "SECabc",
        ["health", "isolation"],
        "warning",
        tree["plant1"],
        True,
    )


def test_the_trail_records_the_robot_with_url_and_secret_masked(client, office_user):
    client.force_login(office_user)
    client.post(reverse("alerts:robot_new"), form_data())
    entry = LogEntry.objects.get(content_type__model="webhookchannel")
    assert (entry.actor, entry.additional_data) == (
        office_user,
        {"organization_id": office_user.organization_id},
    )
    assert entry.changes["url"][1] != DINGTALK and "*" in entry.changes["url"][1]
    assert entry.changes["secret"][1] != "SECabc" and "*" in entry.changes["secret"][1]


@pytest.mark.parametrize(
    "url", ["ftp://oapi.dingtalk.com/robot", "javascript:alert(1)", "oapi.dingtalk.com/robot"]
)
def test_a_bad_url_is_refused_with_a_message_and_nothing_saved(client, office_user, english, url):
    client.force_login(office_user)
    response = client.post(reverse("alerts:robot_new"), form_data(url=url))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "url": ["Enter the robot's webhook address, starting with https:// or http://."]
    }
    assert 'data-testid="error-url"' in response.content.decode()
    assert WebhookChannel.objects.count() == 0


def test_an_unknown_robot_kind_is_refused_and_nothing_saved(client, office_user, english):
    client.force_login(office_user)
    response = client.post(reverse("alerts:robot_new"), form_data(kind="slack"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["Select a valid choice. slack is not one of the available choices."]
    }
    assert WebhookChannel.objects.count() == 0


def test_a_unit_of_another_organization_cannot_be_chosen(client, office_user, outsider):
    client.force_login(office_user)
    response = client.post(reverse("alerts:robot_new"), form_data(unit=outsider.person.unit_id))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["unit"]
    assert WebhookChannel.objects.count() == 0


def test_editing_with_an_empty_secret_keeps_the_secret(client, office_user, make_channel):
    channel = make_channel(secret="SECold")
    client.force_login(office_user)
    response = client.post(
        reverse("alerts:robot_edit", args=[channel.pk]),
        form_data(secret="", kinds="", min_severity="critical"),
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.secret, channel.kinds, channel.min_severity) == ("SECold", [], "critical")


def test_editing_can_remove_the_secret(client, office_user, make_channel):
    channel = make_channel(secret="SECold")
    client.force_login(office_user)
    client.post(
        reverse("alerts:robot_edit", args=[channel.pk]), form_data(secret="", clear_secret="on")
    )
    channel.refresh_from_db()
    assert channel.secret == ""


def test_the_secret_is_never_shown_on_the_edit_page(client, office_user, make_channel):
    channel = make_channel(secret="SECold")
    client.force_login(office_user)
    response = client.get(reverse("alerts:robot_edit", args=[channel.pk]))
    assert response.status_code == 200
    assert "SECold" not in response.content.decode()


def test_another_organizations_office_cannot_see_or_edit_our_robot(client, outsider, make_channel):
    channel = make_channel(name="我们的群")
    client.force_login(outsider)
    assert "我们的群" not in client.get(reverse("alerts:robots")).content.decode()
    edit = client.post(reverse("alerts:robot_edit", args=[channel.pk]), form_data(name="改"))
    assert edit.status_code == 404
    assert client.post(reverse("alerts:robot_test", args=[channel.pk])).status_code == 404
    channel.refresh_from_db()
    assert channel.name == "我们的群"
    assert Delivery.objects.count() == 0


def test_send_test_posts_to_the_robot_and_the_delivery_is_listed(
    client, office_user, make_channel, robot, on_commit, english
):
    channel = make_channel(kind="wecom", url=robot.url)
    client.force_login(office_user)
    with on_commit():
        response = client.post(reverse("alerts:robot_test", args=[channel.pk]))
    assert response.status_code == 302
    assert len(robot.requests) == 1
    assert robot.requests[0]["json"]["markdown"]["content"].startswith(
        "**Test message from Headwater**\n> 钱文员 sent this to check the group robot “值班群”."
    )
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == (channel, "sent", 1)
    assert delivery.alert.inbox_items.count() == 0  # a test bothers nobody's inbox
    page = client.get(reverse("alerts:robots"))
    assert list(page.context["deliveries"]) == [delivery]
