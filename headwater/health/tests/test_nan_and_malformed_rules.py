"""A temperature or a fever threshold of NaN, and rules of the wrong shape, are refused beside
their field (400 in the error shape) and nothing changes."""

import datetime as dt

import pytest

from headwater.health.models import CheckIn, RuleSet
from headwater.health.tests.conftest import at

DAY = dt.date(2026, 2, 3)
TEMPERATURE = "Enter the temperature as a number, e.g. 36.5."
GOOD = {
    "name": "发热",
    "colour": "yellow",
    "recovery": "normal_days",
    "recovery_days": 3,
    "conditions": [{"fact": "fever", "op": "is", "value": True}],
}


@pytest.fixture
def english(client, settings, clock_at):
    clock_at(at(DAY, 8, 30))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def publish(client, rules, threshold="37.3"):
    return client.post(
        "/api/v1/health/rules",
        {"rules": rules, "fever_threshold": threshold, "note": ""},
        content_type="application/json",
    )


@pytest.mark.parametrize("temperature", ["NaN", "sNaN", "Infinity", "-inf", "1e999999"])
def test_checkin_api_refuses_a_temperature_that_is_not_a_number(english, staff_user, temperature):
    english.force_login(staff_user)
    response = english.post(
        "/api/v1/health/checkins",
        {"temperature": temperature, "whereabouts": "at_work"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"temperature": TEMPERATURE}
    assert CheckIn.objects.count() == 0


def test_checkin_page_refuses_nan_beside_the_field(english, staff_user):
    english.force_login(staff_user)
    response = english.post(
        "/health/checkin/",
        {
            "key": "k-nan",
            "slot": "am",
            "temperature": "NaN",
            "whereabouts": "at_work",
            "household": "well",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"temperature": [TEMPERATURE]}
    assert CheckIn.objects.count() == 0


def test_publish_refuses_a_nan_fever_threshold(english, office_user):
    english.force_login(office_user)
    response = publish(english, [GOOD], threshold="NaN")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "fever_threshold": "The fever threshold must be between 37.0 and 39.0 °C."
    }
    assert not RuleSet.objects.filter(version__gte=2).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": 5}, "A rule needs a name."),
        ({"name": ["发热"]}, "A rule needs a name."),
        ({"name": "x" * 101}, "A rule's name may have at most 100 characters."),
        ({"colour": ["yellow"]}, "Choose green, yellow or red."),
        ({"recovery": ["normal_days"]}, "Choose how a yellow or red code"),
        ({"recovery_days": True}, "Days must be a whole number from 0 to 60."),
        ({"conditions": [{"fact": ["fever"], "op": "is", "value": True}]}, "Unknown fact"),
        ({"conditions": [{"fact": {"a": 1}, "op": "is"}]}, "Unknown fact"),
        ({"conditions": [{"fact": "fever", "op": ["is"], "value": True}]}, "cannot be compared"),
        ({"conditions": [{"fact": "status", "op": "in", "value": 5}]}, "Unknown status"),
        ({"conditions": [{"fact": "status", "op": "in", "value": "confirmed"}]}, "Unknown status"),
        ({"conditions": [{"fact": "status", "op": "in", "value": [["x"]]}]}, "Unknown status"),
        (
            {"conditions": [{"fact": "days_without_checkin", "op": "gte", "value": True}]},
            "needs a whole number of days",
        ),
        ({"conditions": ["fever"]}, "Unknown fact"),
        ({"conditions": {"fact": "fever"}}, "A rule needs at least one condition."),
    ],
)
def test_publish_refuses_a_malformed_rule_beside_it(english, office_user, change, message):
    english.force_login(office_user)
    response = publish(english, [{**GOOD, **change}])
    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["rules.1"]
    assert message in error["fields"]["rules.1"]
    assert not RuleSet.objects.filter(version__gte=2).exists()
