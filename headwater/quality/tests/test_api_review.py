"""The water-quality API: reading samples and results, and the three-level review."""

import pytest

from headwater.quality.models import Result
from headwater.quality.tests.api_client import DAY, as_user, get, post, when
from headwater.quality.tests.conftest import at


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


# --- Reading samples and results -----------------------------------------------------------


@pytest.fixture
def entered(client, points, technician):
    """Two samples entered by the technician: FIN-1 within limits, RAW-1 with a pH reading."""
    as_user(client, technician)
    fin = post(
        client,
        "/samples",
        {
            "point": "FIN-1",
            "sampled_at": "2026-11-02T08:00:00+08:00",
            "values": {"turbidity": "0.3", "free_chlorine": "0.5"},
        },
    )
    raw = post(
        client,
        "/samples",
        {"point": "RAW-1", "sampled_at": "2026-11-01T08:00:00+08:00", "values": {"ph": "7.4"}},
    )
    client.logout()
    return {"finished": fin.json(), "raw": raw.json()}


def test_samples_list_filters_by_point_and_date(client, entered, lab_head):
    as_user(client, lab_head)
    everything = get(client, "/samples").json()
    assert [s["point_code"] for s in everything["items"]] == ["FIN-1", "RAW-1"]
    assert [s["point_code"] for s in get(client, "/samples", point="RAW-1").json()["items"]] == [
        "RAW-1"
    ]
    on_day = get(client, "/samples", date_from="2026-11-02", date_to="2026-11-02").json()
    assert [s["id"] for s in on_day["items"]] == [entered["finished"]["id"]]
    assert get(client, "/samples", outcome="fail").json()["count"] == 0
    assert get(client, "/samples", status="entered").json()["count"] == 2


def test_sample_detail_carries_its_results_and_review(client, entered, lab_head):
    body = get(as_user(client, lab_head), f"/samples/{entered['finished']['id']}").json()
    turbidity = next(r for r in body["results"] if r["indicator"] == "turbidity")
    assert (turbidity["outcome"], turbidity["status"], turbidity["checked_by"]) == (
        "pass",
        "entered",
        None,
    )
    assert turbidity["limit_text"] != ""
    assert body["entered_by"] == "tech"


def test_outsider_gets_no_samples_or_results(client, entered, outsider):
    as_user(client, outsider)
    assert get(client, "/samples").json() == {"items": [], "count": 0}
    assert get(client, "/results").json() == {"items": [], "count": 0}
    assert get(client, f"/samples/{entered['finished']['id']}").status_code == 404


def test_results_list_filters_by_indicator_and_point(client, entered, approver):
    as_user(client, approver)
    assert get(client, "/results").json()["count"] == 3
    by_indicator = get(client, "/results", indicator="turbidity").json()["items"]
    assert [(r["indicator"], r["raw"]) for r in by_indicator] == [("turbidity", "0.3")]
    by_point = get(client, "/results", point="RAW-1").json()["items"]
    assert [r["indicator"] for r in by_point] == ["ph"]


# --- The three-level review ----------------------------------------------------------------


def result_ids(sample: dict) -> list[int]:
    return [r["id"] for r in sample["results"]]


def test_lab_head_checks_then_the_approver_approves(client, entered, lab_head, approver):
    ids = result_ids(entered["finished"])
    response = post(as_user(client, lab_head), "/results/check", {"ids": ids})
    assert (response.status_code, response.json()) == (200, {"count": 2})
    assert set(Result.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"checked"}
    response = post(as_user(client, approver), "/results/approve", {"ids": ids})
    assert (response.status_code, response.json()) == (200, {"count": 2})
    result = get(client, "/results", indicator="turbidity").json()["items"][0]
    assert (result["status"], result["checked_by"], result["approved_by"]) == (
        "approved",
        "labhead",
        "approver",
    )
    assert when(result["approved_at"]) == at(DAY, 9)


def test_approving_before_the_check_is_refused_as_wrong_state(client, entered, approver):
    ids = result_ids(entered["finished"])
    response = post(as_user(client, approver), "/results/approve", {"ids": ids})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "wrong_state"
    assert set(Result.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"entered"}


def test_technician_may_not_check_results(client, entered, technician):
    ids = result_ids(entered["finished"])
    response = post(as_user(client, technician), "/results/check", {"ids": ids})
    assert response.status_code == 403
    assert set(Result.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"entered"}


def test_returning_results_requires_a_reason(client, entered, lab_head):
    ids = result_ids(entered["finished"])
    as_user(client, lab_head)
    response = post(client, "/results/return", {"ids": ids, "reason": " "})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["reason"]
    assert set(Result.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"entered"}
    response = post(client, "/results/return", {"ids": ids, "reason": "余氯读数可疑，请复测"})
    assert (response.status_code, response.json()) == (200, {"count": 2})
    assert set(Result.objects.filter(pk__in=ids).values_list("return_reason", flat=True)) == {
        "余氯读数可疑，请复测"
    }


def test_outsider_cannot_review_our_results(client, entered, outsider):
    ids = result_ids(entered["finished"])
    response = post(as_user(client, outsider), "/results/check", {"ids": ids})
    assert response.status_code == 404
    assert set(Result.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"entered"}
