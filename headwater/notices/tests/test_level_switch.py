"""The response-level switch: a preview lists exactly the settings that change and changes
nothing; the switch publishes one notice to every active person and tells the robots."""

import pytest
from django.urls import reverse

from headwater.alerts.models import Alert, Delivery
from headwater.core import levels, services
from headwater.core.errors import NotAllowed
from headwater.core.models import ResponseLevelChange
from headwater.notices.models import Notice, Receipt

pytestmark = pytest.mark.django_db


def expected_changes(org, level):
    return sorted(
        key
        for key, s in levels.REGISTRY.items()
        if levels.value(org, key, "normal") != levels.value(org, key, level)
    )


def test_the_preview_lists_exactly_the_changed_settings(org, office_user):
    changes = levels.changes(org, "level1")
    assert sorted(c.key for c in changes) == expected_changes(org, "level1")
    retention = next(c for c in changes if c.key == "core.personal_data_retention_days")
    assert (retention.old, retention.new) == (180, 365)
    assert retention.capability == "Organization and platform"
    assert levels.changes(org, "normal") == []


def test_an_office_override_counts_in_the_preview(org, office_user):
    services.set_level_value(
        org, "core.personal_data_retention_days", "level1", 180, by=office_user
    )
    keys = [c.key for c in levels.changes(org, "level1")]
    assert "core.personal_data_retention_days" not in keys


def test_the_preview_page_changes_nothing_until_confirmed(org, office_user, english):
    english.force_login(office_user)
    response = english.post(reverse("core:levels"), {"level": "level1", "reason": "升级"})
    html = response.content.decode()
    assert 'data-testid="level-preview"' in html
    shown = [c.key for _cap, group in response.context["preview"]["groups"] for c in group]
    assert sorted(shown) == expected_changes(org, "level1")
    assert ResponseLevelChange.objects.count() == 0
    assert Notice.objects.count() == 0
    english.post(reverse("core:levels"), {"level": "level1", "reason": "升级", "confirm": "1"})
    assert ResponseLevelChange.objects.get().level == "level1"


def test_the_preview_api_reads_only(org, office_user, client):
    client.force_login(office_user)
    body = client.get("/api/v1/response-level/preview?level=level2").json()
    assert body["current"] == "normal"
    assert sorted(c["key"] for c in body["changes"]) == expected_changes(org, "level2")
    assert ResponseLevelChange.objects.count() == 0
    assert client.get("/api/v1/response-level/preview?level=bogus").status_code == 422


def test_staff_may_not_preview(org, staff_user, client):
    client.force_login(staff_user)
    assert client.get("/api/v1/response-level/preview?level=level2").status_code == 403


def test_the_switch_publishes_one_notice_to_every_active_person(
    org, office_user, people, make_channel
):
    make_channel()
    services.switch_level(org, "level1", by=office_user, reason="市级启动一级响应")
    notice = Notice.objects.get()
    assert notice.kind == "level_change"
    assert notice.requirement == "read"
    assert notice.title == "Response level: Level 1 response"
    assert "Reason: 市级启动一级响应" in notice.body
    assert "Days to keep a leaver's personal data: 180 → 365" in notice.body
    assert Receipt.objects.filter(notice=notice).count() == len(people)
    alert = Alert.objects.get()
    assert alert.kind == "notices.published"
    assert Delivery.objects.filter(alert=alert).count() == 1


def test_a_refused_switch_publishes_nothing(org, staff_user):
    with pytest.raises(NotAllowed):
        services.switch_level(org, "level1", by=staff_user, reason="x")
    assert Notice.objects.count() == 0
    assert Receipt.objects.count() == 0


def test_an_organization_with_nobody_on_the_roster_still_switches(org, office_user, people):
    from headwater.core.models import Person

    Person.objects.update(employment_status="left")
    services.switch_level(org, "level2", by=office_user, reason="x")
    assert ResponseLevelChange.objects.get().level == "level2"
    assert Notice.objects.get().audience == 0
