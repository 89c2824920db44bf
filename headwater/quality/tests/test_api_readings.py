"""The water-quality API: readings of online analyzers sent with a device token."""

import pytest

from headwater.alerts.models import Alert, InboxItem
from headwater.core.models import DeviceToken
from headwater.quality.models import AnalyzerReading
from headwater.quality.tests.api_client import DAY, as_user, get, post, when
from headwater.quality.tests.conftest import at


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


# --- Online analyzers ----------------------------------------------------------------------


@pytest.fixture
def device_token(org, points):
    _, raw = DeviceToken.issue(org, "一厂在线浊度仪")
    return raw


def send(client, token: str, readings: list[dict]):
    return post(client, "/readings", {"readings": readings}, HTTP_AUTHORIZATION=f"Bearer {token}")


def reading(minute: int, value: str = "0.35", indicator: str = "turbidity") -> dict:
    return {
        "point": "FIN-1",
        "indicator": indicator,
        "at": f"2026-11-02T08:{minute:02d}:00+08:00",
        "value": value,
    }


def test_device_readings_are_stored_once(client, device_token):
    batch = [reading(0), reading(5, "0.4")]
    response = send(client, device_token, batch)
    assert (response.status_code, response.json()) == (
        200,
        {"received": 2, "stored": 2, "duplicates": 0},
    )
    response = send(client, device_token, batch)
    assert response.json() == {"received": 2, "stored": 0, "duplicates": 2}
    assert AnalyzerReading.objects.count() == 2
    assert not Alert.objects.exists()


def test_reading_over_the_limit_alerts(client, device_token, lab_head):
    response = send(client, device_token, [reading(10, "1.5")])
    assert response.json()["stored"] == 1
    assert AnalyzerReading.objects.get().outcome == "fail"
    alert = Alert.objects.get(kind="quality.analyzer_exceedance")
    assert alert.severity == "critical"
    assert InboxItem.objects.filter(alert=alert, user=lab_head).count() == 1


def test_bad_reading_refuses_the_batch_with_its_field(client, device_token):
    response = send(client, device_token, [reading(0), reading(5, "abc")])
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["1.value"]
    assert not AnalyzerReading.objects.exists()


def test_session_user_may_not_post_readings(client, points, technician):
    response = post(as_user(client, technician), "/readings", {"readings": [reading(0)]})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not AnalyzerReading.objects.exists()


def test_readings_are_listed_to_session_users_in_scope(
    client, device_token, lab_head, other_plant_tech
):
    send(client, device_token, [reading(0), reading(5, "0.4"), reading(5, "0.6", "free_chlorine")])
    as_user(client, lab_head)
    items = get(client, "/readings", point="FIN-1", indicator="turbidity").json()["items"]
    assert [(when(r["at"]), r["value"]) for r in items] == [
        (at(DAY, 8, 5), "0.4"),
        (at(DAY, 8, 0), "0.35"),
    ]
    assert get(as_user(client, other_plant_tech), "/readings").json() == {"items": [], "count": 0}
