"""The water-quality API: internal limits and relaxations."""

import pytest

from headwater.quality.models import InternalLimit, Relaxation
from headwater.quality.tests.api_client import DAY, as_user, get, post
from headwater.quality.tests.conftest import at


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


# --- Internal limits and relaxations -------------------------------------------------------


def test_quality_department_sets_an_internal_limit(client, points, approver):
    as_user(client, approver)
    body = {"indicator": "turbidity", "point_kind": "finished", "maximum": "0.5"}
    response = post(client, "/internal-limits", body)
    assert response.status_code == 201
    limit = InternalLimit.objects.get()
    assert (limit.indicator, limit.point_kind, str(limit.maximum), limit.valid_from) == (
        "turbidity",
        "finished",
        "0.50000000",
        DAY,
    )
    items = get(client, "/internal-limits").json()["items"]
    assert [(i["indicator"], i["maximum"]) for i in items] == [("turbidity", "0.5")]


def test_internal_limit_refusals(client, points, approver, technician):
    as_user(client, technician)
    response = post(client, "/internal-limits", {"indicator": "turbidity", "maximum": "0.5"})
    assert response.status_code == 403
    as_user(client, approver)
    response = post(client, "/internal-limits", {"indicator": "unobtainium", "maximum": "1"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["indicator"]
    assert not InternalLimit.objects.exists()


def relaxation_body(**fields) -> dict:
    return {
        "indicator": "turbidity",
        "maximum": "3",
        "valid_from": "2026-11-02",
        "valid_until": "2026-11-30",
        "reason": "洪水期原水浑浊",
        "risk_assessment": "疾控中心评估：短期饮用无健康风险。",
        **fields,
    }


def test_relaxation_is_proposed_then_approved_by_someone_else(
    client, points, approver, office_user
):
    response = post(as_user(client, approver), "/relaxations", relaxation_body())
    assert response.status_code == 201
    relaxation_id = response.json()["id"]
    response = post(client, f"/relaxations/{relaxation_id}/approve", {})
    assert response.status_code == 403
    assert Relaxation.objects.get().status == "proposed"
    response = post(as_user(client, office_user), f"/relaxations/{relaxation_id}/approve", {})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == ("approved", "office")
    response = post(client, f"/relaxations/{relaxation_id}/revoke", {})
    assert (response.status_code, response.json()["status"]) == (200, "revoked")
    assert [r["status"] for r in get(client, "/relaxations").json()["items"]] == ["revoked"]


def test_relaxation_can_be_rejected_once(client, points, approver, office_user):
    relaxation_id = post(as_user(client, approver), "/relaxations", relaxation_body()).json()["id"]
    as_user(client, office_user)
    response = post(client, f"/relaxations/{relaxation_id}/reject", {})
    assert (response.status_code, response.json()["status"]) == (200, "rejected")
    response = post(client, f"/relaxations/{relaxation_id}/approve", {})
    assert (response.status_code, response.json()["error"]["code"]) == (400, "wrong_state")
    assert Relaxation.objects.get().status == "rejected"


def test_microbiological_limits_may_not_be_relaxed(client, points, approver):
    body = relaxation_body(indicator="total_coliforms")
    response = post(as_user(client, approver), "/relaxations", body)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["indicator"]
    assert not Relaxation.objects.exists()


def test_outsider_cannot_decide_our_relaxation(client, points, approver, outsider):
    relaxation_id = post(as_user(client, approver), "/relaxations", relaxation_body()).json()["id"]
    response = post(as_user(client, outsider), f"/relaxations/{relaxation_id}/approve", {})
    assert response.status_code == 404
    assert get(client, "/relaxations").json() == {"items": [], "count": 0}
    assert Relaxation.objects.get().status == "proposed"
