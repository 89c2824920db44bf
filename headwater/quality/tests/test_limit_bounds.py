"""Internal limits and relaxations take finite, non-negative bounds the columns can hold, and
a period that does not end before it starts; anything else is refused beside its field and
nothing is stored."""

from decimal import Decimal

import pytest

from headwater.quality.models import InternalLimit, Relaxation
from headwater.quality.tests.api_client import DAY, as_user, get, post
from headwater.quality.tests.conftest import at

BOUND = "Enter a number from 0 to 999999999999 with at most 8 decimal places."
# NaN and infinities stop at the API's schema (422); what it lets through, the service checks.
NOT_A_NUMBER = (422, "Enter a valid value.")


@pytest.fixture(autouse=True)
def morning(clock_at, client, settings):
    clock_at(at(DAY, 9))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.mark.parametrize(
    ("bounds", "field", "refusal"),
    [
        ({"maximum": "1e999"}, "maximum", (400, BOUND)),
        ({"maximum": "NaN"}, "maximum", NOT_A_NUMBER),
        ({"maximum": "Infinity"}, "maximum", NOT_A_NUMBER),
        ({"minimum": "-Infinity"}, "minimum", NOT_A_NUMBER),
        ({"maximum": "-1"}, "maximum", (400, BOUND)),
        ({"minimum": "-0.5", "maximum": "1"}, "minimum", (400, BOUND)),
        ({"maximum": "1000000000000"}, "maximum", (400, BOUND)),
        ({"maximum": "0.123456789"}, "maximum", (400, BOUND)),
    ],
)
def test_internal_limit_refuses_a_bound_that_is_not_a_finite_number_in_range(
    client, points, approver, bounds, field, refusal
):
    as_user(client, approver)
    response = post(client, "/internal-limits", {"indicator": "turbidity", **bounds})
    assert (response.status_code, response.json()["error"]["fields"]) == (
        refusal[0],
        {field: refusal[1]},
    )
    assert not InternalLimit.objects.exists()
    assert get(client, "/internal-limits").status_code == 200


def test_internal_limit_refuses_a_period_that_ends_before_it_starts(client, points, approver):
    as_user(client, approver)
    body = {
        "indicator": "turbidity",
        "maximum": "0.5",
        "valid_from": "2026-11-10",
        "valid_until": "2026-11-01",
    }
    response = post(client, "/internal-limits", body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"valid_until": "The end is before the start."}
    assert not InternalLimit.objects.exists()


def test_internal_limit_keeps_a_bound_at_the_edge(client, points, approver):
    as_user(client, approver)
    body = {"indicator": "turbidity", "minimum": "0.00000001", "maximum": "999999999999"}
    assert post(client, "/internal-limits", body).status_code == 201
    limit = InternalLimit.objects.get()
    assert (limit.minimum, limit.maximum) == (Decimal("0.00000001"), Decimal("999999999999"))


def test_relaxation_refuses_a_nan_or_negative_bound(client, points, approver):
    as_user(client, approver)
    body = {
        "indicator": "turbidity",
        "valid_from": "2026-11-02",
        "valid_until": "2026-11-30",
        "reason": "洪水期原水浑浊",
        "risk_assessment": "疾控中心评估：短期饮用无健康风险。",
    }
    for bounds, refusal in (
        ({"maximum": "NaN"}, NOT_A_NUMBER),
        ({"maximum": "-3"}, (400, BOUND)),
        ({"maximum": "1e999"}, (400, BOUND)),
    ):
        response = post(client, "/relaxations", {**body, **bounds})
        assert (response.status_code, response.json()["error"]["fields"]) == (
            refusal[0],
            {"maximum": refusal[1]},
        )
    assert not Relaxation.objects.exists()
