"""The briefing API: list, one in a language, generate for a day, download, send; refusals."""

import pytest

from headwater.briefing import services
from headwater.briefing.models import Briefing, Dispatch

from .conftest import DAY

API = "/api/v1/briefings"


@pytest.fixture
def versions(org, fake_sections, morning):
    first, _ = services.generate(org, DAY)
    fake_sections.busy = True
    second, _ = services.generate(org, DAY)
    other_day, _ = services.generate(org, DAY.replace(day=1))
    return first, second, other_day


def test_the_list_has_each_days_latest_version_newest_first(client, leader_user, versions):
    client.force_login(leader_user)

    answer = client.get(API).json()

    assert answer["count"] == 2
    assert [(b["id"], b["day"], b["version"], b["versions"]) for b in answer["items"]] == [
        (versions[1].pk, "2026-12-03", 2, 2),
        (versions[2].pk, "2026-12-01", 1, 1),
    ]


def test_the_list_filters_by_days(client, leader_user, versions):
    client.force_login(leader_user)

    answer = client.get(API, {"day_from": "2026-12-02", "day_to": "2026-12-03"}).json()

    assert [b["id"] for b in answer["items"]] == [versions[1].pk]


def test_one_briefing_in_the_language_asked(client, leader_user, versions):
    client.force_login(leader_user)

    zh = client.get(f"{API}/{versions[1].pk}").json()
    en = client.get(f"{API}/{versions[1].pk}", {"language": "en"}).json()

    assert zh["document"]["number"] == "2026年第1期"
    assert zh["previous_versions"] == [versions[0].pk]
    assert en["document"]["number"] == "No. 1 of 2026"
    assert client.get(f"{API}/{versions[1].pk}", {"language": "fr"}).status_code == 422


def test_the_office_generates_201_then_200_when_nothing_changed(
    client, office_user, fake_sections, morning
):
    client.force_login(office_user)

    first = client.post(f"{API}/generate", {"day": "2026-12-03"}, content_type="application/json")
    again = client.post(f"{API}/generate", {"day": "2026-12-03"}, content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Briefing.objects.count() == 1


def test_a_repeated_idempotency_key_answers_the_first_outcome(
    client, office_user, fake_sections, morning
):
    client.force_login(office_user)
    body = {"day": "2026-12-03"}

    first = client.post(f"{API}/generate", body, "application/json", HTTP_IDEMPOTENCY_KEY="k1")
    fake_sections.rate = 90.0
    retry = client.post(f"{API}/generate", body, "application/json", HTTP_IDEMPOTENCY_KEY="k1")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    assert Briefing.objects.count() == 1


def test_a_future_day_is_refused_in_the_error_shape(client, office_user, fake_sections, morning):
    client.force_login(office_user)

    answer = client.post(f"{API}/generate", {"day": "2026-12-09"}, "application/json")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "future_day"
    assert Briefing.objects.count() == 0


def test_download_each_format(client, leader_user, versions):
    client.force_login(leader_user)

    for fmt, start in (("xlsx", b"PK"), ("docx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(f"{API}/{versions[1].pk}/download/{fmt}")
        assert response.status_code == 200, fmt
        assert response.content.startswith(start), fmt
    assert client.get(f"{API}/{versions[1].pk}/download/csv").status_code == 422


def test_the_office_sends_once(client, office_user, versions, django_capture_on_commit_callbacks):
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"{API}/{versions[1].pk}/send").json()
        again = client.post(f"{API}/{versions[1].pk}/send").json()

    assert [d["channel"] for d in first["sent_now"]] == ["robots"]
    assert (again["sent_now"], [d["channel"] for d in again["dispatches"]]) == ([], ["robots"])


@pytest.mark.parametrize("who", ["staff_user", "unit_head_user"])
def test_staff_and_unit_heads_are_refused(client, request, who, versions):
    client.force_login(request.getfixturevalue(who))
    pk = versions[1].pk

    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{pk}").status_code == 403
    assert client.get(f"{API}/{pk}/download/pdf").status_code == 403
    assert (
        client.post(f"{API}/generate", {"day": "2026-12-02"}, "application/json").status_code == 403
    )
    assert client.post(f"{API}/{pk}/send").status_code == 403
    assert (Briefing.objects.count(), Dispatch.objects.count()) == (3, 0)


def test_a_leader_may_read_but_not_generate_or_send(client, leader_user, versions):
    client.force_login(leader_user)

    assert (
        client.post(f"{API}/generate", {"day": "2026-12-02"}, "application/json").status_code == 403
    )
    assert client.post(f"{API}/{versions[1].pk}/send").status_code == 403
    assert (Briefing.objects.count(), Dispatch.objects.count()) == (3, 0)


def test_another_organization_sees_nothing(client, outsider, versions):
    client.force_login(outsider)
    pk = versions[1].pk

    assert client.get(API).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/{pk}").status_code == 404
    assert client.get(f"{API}/{pk}/download/xlsx").status_code == 404
    assert client.post(f"{API}/{pk}/send").status_code == 404
    assert Dispatch.objects.count() == 0
