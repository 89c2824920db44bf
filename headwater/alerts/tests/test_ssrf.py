"""Group robots cannot be pointed inside the server's own network (SSRF): refused on save
(page and API) and on send after resolving the name, no redirect followed, no reply body kept."""

import json
import socket

import pytest
from django.urls import reverse
from django.utils import translation

from headwater.alerts import channels, services
from headwater.alerts.models import Delivery, WebhookChannel
from headwater.alerts.services import raise_alert

INSIDE = [
    "http://127.0.0.1:22/",
    "http://localhost:6379/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://192.168.1.1/robot",
    "http://224.0.0.1/",
    "http://evil.example.com/robot",  # not a robot host
    "https://oapi.dingtalk.com.evil.example.com/robot/send",
    "https://oapi.dingtalk.com@127.0.0.1/robot/send",
]
ROBOT_HOST_MESSAGE = (
    "Headwater posts only to the DingTalk and WeCom robot hosts (and to the hosts the "
    "server's administrator adds): oapi.dingtalk.com, qyapi.weixin.qq.com."
)
NETWORK_MESSAGE = "A group robot may not post to an address inside the server's own network."


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages in English: the API client's by its cookie, the functions' by the override."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize("url", INSIDE)
def test_the_api_refuses_a_robot_inside_the_network_and_saves_nothing(
    client, office_user, english, url
):
    client.force_login(office_user)
    response = client.post(
        "/api/v1/alerts/robots",
        json.dumps({"name": "群", "kind": "dingtalk", "url": url}),
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["url"]
    assert error["fields"]["url"] in (ROBOT_HOST_MESSAGE, NETWORK_MESSAGE)
    assert WebhookChannel.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:22/", "http://169.254.169.254/", "http://[::1]/"]
)
def test_a_literal_address_inside_is_named_as_such(url):
    assert channels.url_problem(url) == NETWORK_MESSAGE


def test_the_page_refuses_a_robot_inside_the_network_in_chinese(client, office_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(office_user)
    response = client.post(
        reverse("alerts:robot_new"),
        {
            "name": "群",
            "kind": "dingtalk",
            "url": "http://169.254.169.254/",
            "min_severity": "info",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["url"] == ["群机器人不能发往服务器所在内部网络的地址。"]
    assert WebhookChannel.objects.count() == 0


def test_patching_a_robot_to_an_address_inside_is_refused(client, office_user, make_channel):
    channel = make_channel()
    client.force_login(office_user)
    response = client.patch(
        f"/api/v1/alerts/robots/{channel.pk}",
        json.dumps({"url": "http://10.0.0.1/"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    channel.refresh_from_db()
    assert channel.url.startswith("https://oapi.dingtalk.com/")


def test_the_robot_hosts_are_admitted_by_default():
    assert channels.url_problem("https://oapi.dingtalk.com/robot/send?access_token=a") == ""
    assert channels.url_problem("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k") == ""


def test_an_intranet_gateway_is_admitted_when_listed(settings):
    gateway = "http://robot-gw.intranet:8080/dingtalk/send"
    assert channels.url_problem(gateway) == ROBOT_HOST_MESSAGE
    settings.HEADWATER_ROBOT_HOSTS = ["oapi.dingtalk.com", "robot-gw.intranet"]
    assert channels.url_problem(gateway) == ""


def test_the_default_configuration_refuses_loopback_even_when_listed(settings):
    settings.HEADWATER_ROBOT_HOSTS = ["127.0.0.1", "10.1.2.3"]
    assert channels.url_problem("http://127.0.0.1:8000/") == NETWORK_MESSAGE
    assert channels.url_problem("http://10.1.2.3/") == NETWORK_MESSAGE
    settings.HEADWATER_ROBOT_ALLOW_PRIVATE = True  # an intranet gateway on a private address
    assert channels.url_problem("http://10.1.2.3/") == ""
    assert channels.url_problem("http://127.0.0.1:8000/") == NETWORK_MESSAGE


def fake_dns(monkeypatch, address: str):
    def resolve(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.7", "169.254.169.254", "::1"])
def test_a_robot_host_that_resolves_inside_is_refused_at_send_and_given_up(
    org, make_channel, monkeypatch, address
):
    """An allowed name whose DNS answer points inside: refused before any connection, the
    delivery failed at once with the platform's reason (not retried)."""
    make_channel()
    raise_alert(org, kind="health.fever", title="t")
    fake_dns(monkeypatch, address)
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))
    delivery = services.attempt_delivery(Delivery.objects.get().pk)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 1, None)
    assert delivery.last_error == (
        f"refused: oapi.dingtalk.com resolves to {address}, inside the server's own network"
    )
    assert connected == []


def test_a_stored_url_inside_is_refused_at_send(org, make_channel, monkeypatch):
    """A channel saved before the guard (or written around it) is still refused."""
    make_channel(url="http://169.254.169.254/latest/meta-data/")
    raise_alert(org, kind="health.fever", title="t")
    delivery = services.attempt_delivery(Delivery.objects.get().pk)
    assert (delivery.status, delivery.last_error) == (
        "failed",
        "refused: an address inside the server's own network",
    )


def test_a_redirect_is_not_followed_and_the_body_is_not_kept(org, robot, make_channel):
    make_channel(url=robot.url)
    robot.answer = (302, "secret internal page")
    robot.redirect_to = "http://169.254.169.254/latest/meta-data/"
    raise_alert(org, kind="health.fever", title="t")
    delivery = services.attempt_delivery(Delivery.objects.get().pk)
    assert len(robot.requests) == 1
    assert (delivery.status, delivery.response, delivery.last_error) == (
        "pending",
        "HTTP 302",
        "HTTP 302",
    )


def test_only_the_platforms_code_is_kept_from_a_reply(
    org, robot, make_channel, client, office_user
):
    make_channel(url=robot.url)
    robot.answer = (200, {"errcode": 0, "errmsg": "ok", "leak": "root:x:0:0"})
    raise_alert(org, kind="health.fever", title="t")
    services.attempt_delivery(Delivery.objects.get().pk)
    client.force_login(office_user)
    api = client.get("/api/v1/alerts/deliveries").json()["items"][0]
    page = client.get(reverse("alerts:robots")).content.decode()
    assert (api["status"], api["response"]) == ("sent", "HTTP 200, errcode 0")
    assert "root:x" not in json.dumps(api) and "root:x" not in page
