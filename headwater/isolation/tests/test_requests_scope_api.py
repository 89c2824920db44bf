"""Who sees which service request, through the API and the pages: the case's volunteer their
cases', the pool the requests of volunteer-less cases in their units, a sibling unit's
volunteer and an outsider nothing; a volunteer never gets health data, and the pool sees the
person's phone masked and no address until they accept. Writes answer in the one error
shape, and a retried booking with the same Idempotency-Key is one request."""

import json

import pytest
from django.urls import reverse

from headwater.isolation.models import ServiceRequest
from headwater.isolation.tests.conftest import at, check
from headwater.isolation.tests.requests_helpers import *  # noqa: F403 (fixtures)
from headwater.isolation.tests.requests_helpers import book

pytestmark = pytest.mark.django_db
API = "/api/v1/isolation"
BODY = {
    "kind": "medicine",
    "details": "布洛芬一盒",
    "window_start": at(14).isoformat(),
    "window_end": at(16).isoformat(),
}


def post(client, path, body=None, key=""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def todo_ids(client):
    return [r["id"] for r in client.get(f"{API}/requests/todo").json()]


def test_the_person_books_by_api_and_a_retry_is_one_request(client, case, staff_user):
    client.force_login(staff_user)
    first = post(client, f"{API}/cases/{case.pk}/requests", BODY, key="r-1")
    again = post(client, f"{API}/cases/{case.pk}/requests", BODY, key="r-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["state_label"] == "待接单"
    assert ServiceRequest.objects.count() == 1
    assert [r["id"] for r in client.get(f"{API}/requests/mine").json()] == [first.json()["id"]]


def test_a_stranger_may_not_book_and_nothing_is_written(client, case, helper):
    client.force_login(helper)  # the case's volunteer does not even see the case
    answer = post(client, f"{API}/cases/{case.pk}/requests", BODY)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert ServiceRequest.objects.count() == 0


def test_the_cases_volunteer_never_reaches_the_case_its_follow_ups_or_history(client, case, helper):
    """The volunteer serves the requests; the case's reason, temperatures and flow are the
    monitor's and the office's."""
    client.force_login(helper)
    assert client.get(reverse("isolation:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("isolation:card", args=[case.pk])).status_code == 404
    assert client.get(f"{API}/cases/{case.pk}").status_code == 404
    assert client.get(f"{API}/cases/{case.pk}/checks").status_code == 404
    assert client.get(f"{API}/cases/{case.pk}/events").status_code == 404


def test_a_bad_window_is_refused_naming_the_field(client, case, staff_user):
    client.force_login(staff_user)
    body = {**BODY, "window_end": at(13).isoformat()}
    answer = post(client, f"{API}/cases/{case.pk}/requests", body)
    assert answer.status_code == 400
    assert set(answer.json()["error"]["fields"]) == {"window_end"}
    assert ServiceRequest.objects.count() == 0


def test_the_cases_volunteer_sees_it_with_the_contact_and_no_health_data(
    client, case, staff_user, helper, monitor
):
    check(case, monitor, morning_temperature="37.9", symptoms="咳嗽")
    req, _ = book(case, staff_user)
    client.force_login(helper)
    rows = client.get(f"{API}/requests/todo").json()
    assert [r["id"] for r in rows] == [req.pk]
    assert rows[0]["contact"] == {
        "name": "李操作",
        "phone": "13912345678",
        "address": "金溪路1号3-201",
        "full": True,
    }
    text = json.dumps(rows, ensure_ascii=False)
    assert "37.9" not in text and "咳嗽" not in text and "temperature" not in text


def test_the_pool_sees_volunteerless_cases_masked_until_accepting(
    client, pool_case, staff_user, pool, sibling
):
    req, _ = book(pool_case, staff_user)
    client.force_login(sibling)
    assert todo_ids(client) == []
    assert client.get(f"{API}/requests/{req.pk}").status_code == 404
    assert post(client, f"{API}/requests/{req.pk}/accept").status_code == 404

    client.force_login(pool)
    assert todo_ids(client) == [req.pk]
    before = client.get(f"{API}/requests/{req.pk}").json()["contact"]
    assert before == {"name": "李操作", "phone": "139****5678", "address": "", "full": False}
    accepted = post(client, f"{API}/requests/{req.pk}/accept", key="a-1")
    assert accepted.status_code == 200
    assert accepted.json()["contact"]["phone"] == "13912345678"
    assert accepted.json()["state"] == "accepted"
    # the pool sees no case page: the case's health records stay with the monitor
    assert client.get(f"{API}/cases/{pool_case.pk}").status_code == 404
    assert client.get(f"{API}/cases/{pool_case.pk}/checks").status_code == 404


def test_the_pool_sees_nothing_of_a_case_with_its_own_volunteer(client, case, staff_user, pool):
    req, _ = book(case, staff_user)
    client.force_login(pool)
    assert todo_ids(client) == []
    assert client.get(f"{API}/requests/{req.pk}").status_code == 404


def test_an_outsider_sees_and_changes_nothing(client, case, staff_user, outsider):
    req, _ = book(case, staff_user)
    client.force_login(outsider)
    assert todo_ids(client) == []
    assert client.get(f"{API}/requests/{req.pk}").status_code == 404
    assert client.get(f"{API}/cases/{case.pk}/requests").status_code == 404
    assert post(client, f"{API}/cases/{case.pk}/requests", BODY).status_code == 404
    assert client.get(reverse("isolation:request", args=[req.pk])).status_code == 404
    assert client.get(reverse("isolation:case_requests", args=[case.pk])).status_code == 404
    req.refresh_from_db()
    assert req.state == "open" and ServiceRequest.objects.count() == 1


def test_the_full_way_through_the_api(client, case, staff_user, helper):
    client.force_login(staff_user)
    rid = post(client, f"{API}/cases/{case.pk}/requests", BODY).json()["id"]
    client.force_login(helper)
    assert post(client, f"{API}/requests/{rid}/accept").json()["state"] == "accepted"
    delivered = post(client, f"{API}/requests/{rid}/deliver", {"note": "药已送达"})
    assert (delivered.json()["state"], delivered.json()["delivery_note"]) == (
        "delivered",
        "药已送达",
    )
    refused = post(client, f"{API}/requests/{rid}/confirm")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    client.force_login(staff_user)
    assert post(client, f"{API}/requests/{rid}/confirm").json()["state"] == "closed"
    events = client.get(f"{API}/requests/{rid}/events").json()
    assert [e["state"] for e in events] == ["open", "accepted", "delivered", "closed"]
    wrong = post(client, f"{API}/requests/{rid}/reopen", {"note": "不对"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (400, "request_wrong_state")


def test_the_pages_book_accept_deliver_and_confirm(client, case, staff_user, helper):
    client.force_login(staff_user)
    assert client.get(reverse("isolation:my_requests")).url == reverse(
        "isolation:case_requests", args=[case.pk]
    )
    page = reverse("isolation:case_requests", args=[case.pk])
    form = {**BODY, "window_start": "2026-02-10T14:00", "window_end": "2026-02-10T16:00"}
    assert client.post(page, form | {"key": "p-1"}).status_code == 302
    assert client.post(page, form | {"key": "p-1"}).status_code == 302
    req = ServiceRequest.objects.get()
    part = client.get(page + "?part=list").content.decode()
    assert 'hx-trigger="every 30s"' in part and "待接单" in part

    client.force_login(helper)
    todo = client.get(reverse("isolation:requests_todo")).content.decode()
    assert "布洛芬一盒" in todo
    detail = reverse("isolation:request", args=[req.pk])
    client.post(detail, {"action": "accept", "key": "x1"})
    client.post(detail, {"action": "deliver", "note": "已送", "key": "x2"})
    assert client.post(detail, {"action": "confirm"}).status_code == 403
    client.force_login(staff_user)
    client.post(detail, {"action": "confirm", "key": "x3"})
    req.refresh_from_db()
    assert req.state == "closed"


def test_a_booking_page_refuses_a_volunteer(client, case, helper):
    client.force_login(helper)
    page = reverse("isolation:case_requests", args=[case.pk])
    assert client.post(page, BODY).status_code == 404
    assert ServiceRequest.objects.count() == 0
