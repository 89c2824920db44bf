"""PATCH of a group robot: null is refused for the fields whose columns hold no null (422 in
the error shape, nothing changed); null still clears the robot's unit."""

from headwater.alerts.models import WebhookChannel

API = "/api/v1"


def test_null_name_url_or_filters_of_a_robot_are_refused_and_nothing_changes(
    client, office_user, make_channel
):
    channel = make_channel(name="值班群", kinds=["quality."])
    client.force_login(office_user)
    response = client.patch(
        f"{API}/alerts/robots/{channel.pk}",
        {"name": None, "url": None, "kinds": None, "active": None, "min_severity": "critical"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {
        "name": "This field may not be empty.",
        "url": "This field may not be empty.",
        "kinds": "This field may not be empty.",
        "active": "This field may not be empty.",
    }
    channel.refresh_from_db()
    assert (channel.name, channel.kinds, channel.active, channel.min_severity) == (
        "值班群",
        ["quality."],
        True,
        "info",
    )
    assert WebhookChannel.objects.count() == 1
