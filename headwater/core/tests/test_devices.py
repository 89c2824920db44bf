"""Devices on the office's page and in the API (core.devices): the token is shown once and
authenticates a device endpoint; a revoked token stops working; only the office manages them."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation

from headwater.core import devices
from headwater.core.errors import NotAllowed
from headwater.core.models import DeviceToken
from headwater.core.tests.factories import SiteFactory

API = "/api/v1"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def device_me(client, raw: str):
    return client.get(f"{API}/devices/me", HTTP_AUTHORIZATION=f"Bearer {raw}", **EN)


def test_enrolling_shows_the_token_once_and_it_authenticates(client, office_user, org):
    site = SiteFactory(organization=org)
    client.force_login(office_user)

    response = client.post(reverse("core:devices"), {"name": "一号门扫码枪", "site": site.pk})
    page = response.content.decode()
    raw = page.split('data-testid="device-token">', 1)[1].split("<", 1)[0]
    device = DeviceToken.objects.get(organization=org)
    listing = client.get(reverse("core:devices")).content.decode()

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert raw.startswith("hw_") and raw not in listing and device.token_hash != raw
    assert (device.name, device.site) == ("一号门扫码枪", site)
    client.logout()
    me = device_me(client, raw)
    assert (me.status_code, me.json()["name"]) == (200, "一号门扫码枪")


def test_revoking_stops_the_token_and_is_audited(client, office_user, org):
    device, raw = devices.enrol(org, "在线浊度仪", by=office_user)
    client.force_login(office_user)

    response = client.post(reverse("core:device_revoke", args=[device.pk]))
    client.logout()

    assert response.url == reverse("core:devices")
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert device_me(client, raw).status_code == 401
    entries = LogEntry.objects.filter(content_type__model="devicetoken", object_id=device.pk)
    assert list(entries.order_by("pk").values_list("action", "actor__username")) == [
        (LogEntry.Action.CREATE, "office"),
        (LogEntry.Action.UPDATE, "office"),
    ]


def test_revoking_twice_changes_nothing(office_user, org):
    device, _raw = devices.enrol(org, "在线浊度仪", by=office_user)
    assert devices.revoke(device, by=office_user) is True
    first = DeviceToken.objects.get(pk=device.pk).revoked_at
    assert devices.revoke(device, by=office_user) is False
    assert DeviceToken.objects.get(pk=device.pk).revoked_at == first


def test_only_the_office_manages_devices(client, unit_head_user, org, office_user):
    device, _raw = devices.enrol(org, "在线浊度仪", by=office_user)
    client.force_login(unit_head_user)

    assert client.get(reverse("core:devices")).status_code == 403
    assert client.post(reverse("core:device_revoke", args=[device.pk])).status_code == 403
    with pytest.raises(NotAllowed):
        devices.enrol(org, "私装设备", by=unit_head_user)
    assert DeviceToken.objects.filter(organization=org).count() == 1


def test_a_blank_name_is_refused_on_the_page(client, office_user, org):
    client.force_login(office_user)
    response = client.post(reverse("core:devices"), {"name": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not DeviceToken.objects.exists()


def test_api_enrols_lists_and_revokes(client, office_user, org, outsider):
    client.force_login(office_user)
    enrolled = client.post(
        f"{API}/devices", {"name": "二号门闸机"}, content_type="application/json", **EN
    )
    listed = client.get(f"{API}/devices", **EN).json()
    device_id = enrolled.json()["id"]
    revoked = client.post(f"{API}/devices/{device_id}/revoke", **EN)
    raw = enrolled.json()["token"]

    assert enrolled.status_code == 201 and raw.startswith("hw_")
    assert [(d["id"], d["name"]) for d in listed["items"]] == [(device_id, "二号门闸机")]
    assert "token" not in listed["items"][0]
    assert revoked.json() == {"revoked": True}
    client.logout()
    assert device_me(client, raw).status_code == 401

    client.force_login(outsider)
    assert client.post(f"{API}/devices/{device_id}/revoke", **EN).status_code == 404


def test_api_refuses_a_site_of_another_organization(client, office_user, outsider):
    foreign = SiteFactory(organization=outsider.organization)
    client.force_login(office_user)
    response = client.post(
        f"{API}/devices",
        {"name": "扫码枪", "site_id": foreign.pk},
        content_type="application/json",
        **EN,
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        400,
        {"site_id": "Choose a site of your organization."},
    )
    assert not DeviceToken.objects.exists()
