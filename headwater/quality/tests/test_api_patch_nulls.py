"""PATCH of points and plans: null is refused for the fields whose columns hold no null
(422 in the error shape, nothing changed), and still clears the fields that may be empty."""

import pytest

from headwater.quality.models import SamplingPlan, SamplingPoint
from headwater.quality.tests.api_client import DAY, as_user, patch
from headwater.quality.tests.conftest import at

EMPTY = "This field may not be empty."


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


@pytest.fixture
def plan(org, labs, points):
    return SamplingPlan.objects.create(
        organization=org,
        name="出厂水每4小时",
        lab=labs["plant1"],
        point=points["finished"],
        indicators=["turbidity"],
        frequency="hours",
        every_hours=4,
        starts_on=DAY,
    )


def _refused(response, *fields):
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {name: EMPTY for name in fields}


def test_null_name_kind_or_unit_of_a_point_is_refused_and_nothing_changes(client, points, approver):
    point = points["finished"]
    as_user(client, approver)
    body = {"name": None, "kind": None, "unit_id": None, "active": None, "code": "X-1"}
    response = client.patch(
        f"/api/v1/quality/points/{point.pk}",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    _refused(response, "name", "kind", "unit_id", "active")
    point.refresh_from_db()
    assert (point.code, point.name, point.kind, point.active) == (
        "FIN-1",
        "一厂出厂水",
        "finished",
        True,
    )


def test_null_site_of_a_point_still_clears_it(client, points, approver, tree):
    from headwater.core.models import Site

    point = points["finished"]
    site = Site.objects.create(
        organization=point.organization,
        unit=tree["plant1"],
        name="一厂",
        code="P1",
        kind="water_plant",
    )
    SamplingPoint.objects.filter(pk=point.pk).update(site=site)
    response = patch(as_user(client, approver), f"/points/{point.pk}", {"site_id": None})
    assert (response.status_code, response.json()["site_id"]) == (200, None)
    point.refresh_from_db()
    assert point.site_id is None


def test_null_name_indicators_or_start_of_a_plan_is_refused_and_nothing_changes(
    client, plan, approver
):
    as_user(client, approver)
    body = {"name": None, "indicators": None, "starts_on": None, "window_hours": None}
    response = client.patch(
        f"/api/v1/quality/plans/{plan.pk}",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    _refused(response, "name", "indicators", "starts_on", "window_hours")
    plan.refresh_from_db()
    assert (plan.name, plan.indicators, plan.starts_on, plan.window_hours) == (
        "出厂水每4小时",
        ["turbidity"],
        DAY,
        8,
    )


def test_null_point_of_a_plan_still_turns_it_into_a_plan_of_a_kind(client, plan, approver):
    body = {"point_id": None, "point_kind": "network"}
    response = patch(as_user(client, approver), f"/plans/{plan.pk}", body)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert (plan.point_id, plan.point_kind) == (None, "network")
