"""The notices API: list mine, one, read, confirm with an Idempotency-Key; publish, receipts,
pending, remind."""

import pytest

from headwater.alerts.models import Alert
from headwater.notices.models import Notice, Receipt

pytestmark = pytest.mark.django_db
API = "/api/v1/notices"


def post(client, path, body=None, **headers):
    return client.post(f"{API}{path}", body or {}, content_type="application/json", **headers)


def test_staff_list_read_and_confirm_through_the_api(publish, staff_user, client):
    notice = publish(
        requirement="quiz", question="Q", options=["a", "b"], answer=1, kind="training"
    )
    client.force_login(staff_user)
    listed = client.get(f"{API}/mine").json()
    assert listed["count"] == 1
    assert listed["items"][0]["notice"]["options"] == ["a", "b"]
    assert "answer" not in listed["items"][0]["notice"]
    assert client.get(f"{API}/mine/{notice.pk}").json()["read_at"] is None
    assert post(client, f"/mine/{notice.pk}/read").json()["read_at"] is not None
    wrong = post(client, f"/mine/{notice.pk}/confirm", {"answer": 0}, HTTP_IDEMPOTENCY_KEY="1")
    assert wrong.status_code == 201
    assert (wrong.json()["correct"], wrong.json()["acknowledged_at"]) == (False, None)
    retry = post(client, f"/mine/{notice.pk}/confirm", {"answer": 0}, HTTP_IDEMPOTENCY_KEY="1")
    assert retry.status_code == 200
    assert retry.json()["attempts"] == 1
    right = post(client, f"/mine/{notice.pk}/confirm", {"answer": 1}, HTTP_IDEMPOTENCY_KEY="2")
    assert right.status_code == 201
    assert right.json()["correct"] is True
    assert Receipt.objects.get(notice=notice, person_id=staff_user.person_id).attempts == 2
    assert client.get(f"{API}/mine?pending=true").json()["count"] == 0


def test_publish_through_the_api_once_per_key(office_user, tree, client):
    client.force_login(office_user)
    body = {"kind": "rules", "title": "T", "body": "B", "unit_ids": [tree["plant1"].pk]}
    first = post(client, "", body, HTTP_IDEMPOTENCY_KEY="p1")
    again = post(client, "", body, HTTP_IDEMPOTENCY_KEY="p1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["audience"] == 2
    assert first.json()["unit_ids"] == [tree["plant1"].pk]
    assert Notice.objects.count() == 1
    assert Receipt.objects.count() == 2


def test_a_unit_head_publishing_outside_is_refused_in_the_error_shape(unit_head_user, tree, client):
    client.force_login(unit_head_user)
    body = {"kind": "rules", "title": "T", "body": "B", "unit_ids": [tree["plant2"].pk]}
    response = post(client, "", body)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "outside_units"
    assert Notice.objects.count() == 0


def test_receipts_pending_and_remind(
    publish, office_user, client, django_capture_on_commit_callbacks
):
    notice = publish()
    client.force_login(office_user)
    counts = client.get(f"{API}/{notice.pk}/receipts").json()
    assert (counts["total"], counts["read"], counts["done"]) == (4, 0, 0)
    assert len(counts["units"]) == 4
    assert client.get(f"{API}/{notice.pk}/pending").json()["count"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, f"/{notice.pk}/remind")
        again = post(client, f"/{notice.pk}/remind")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["sent"] is False
    assert Alert.objects.filter(kind="notices.reminder").count() == 1


def test_staff_may_not_follow_receipts(publish, staff_user, client):
    notice = publish()
    client.force_login(staff_user)
    assert client.get(f"{API}/{notice.pk}/receipts").status_code == 403
    assert post(client, f"/{notice.pk}/remind").status_code == 403
    assert Alert.objects.filter(kind="notices.reminder").count() == 0


def test_another_organization_sees_none_of_it(publish, outsider, client):
    notice = publish()
    client.force_login(outsider)
    assert client.get(f"{API}/{notice.pk}/receipts").status_code == 404
    assert client.get(f"{API}/mine/{notice.pk}").status_code == 404
    assert client.get(API).json()["count"] == 0
