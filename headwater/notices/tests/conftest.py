"""Fixtures of the notices tests: the tree of the root conftest (company → plant 1 → shift A,
plant 2) with its four people, and a quick way to publish."""

import pytest
from django.conf import settings
from django.utils import translation

from headwater.notices import services
from headwater.notices.inputs import PublishInput


@pytest.fixture
def publish(org, office_user):
    """publish(by=office, units=[...], **fields) -> Notice."""

    def make(by=None, units=(), key="", **fields):
        data = {"kind": "rules", "title": "关于加强防控的通知", "body": "第一条\n第二条", **fields}
        data["unit_ids"] = [u.pk for u in units]
        notice, _created = services.publish(
            org, PublishInput.parse(data), by=by or office_user, key=key
        )
        return notice

    return make


@pytest.fixture(autouse=True)
def services_in_english():
    """Services called directly speak English here (msgids); pages follow their client."""
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def make_channel(org):
    from headwater.alerts.models import WebhookChannel

    def make(**fields) -> WebhookChannel:
        fields = {
            "name": "值班群",
            "kind": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=fixture",
            **fields,
        }
        return WebhookChannel.objects.create(organization=org, **fields)

    return make
