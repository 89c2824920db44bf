"""The water-quality API: sampling points and plans, the day's tasks, refusals in the
request's language, and the paths the OpenAPI schema lists."""

import datetime as dt

import pytest

from headwater.quality.models import SamplingPlan, SamplingPoint, SamplingTask
from headwater.quality.tests.api_client import (
    API,
    DAY,
    as_user,
    codes,
    get,
    make_task,
    patch,
    post,
    when,
)
from headwater.quality.tests.conftest import at


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


# --- Sampling points -----------------------------------------------------------------------


def test_technician_lists_the_points_of_their_plant(client, points, technician):
    response = get(as_user(client, technician), "/points")
    assert response.status_code == 200
    assert codes(response) == ["FIN-1", "RAW-1"]
    assert response.json()["count"] == 2


def test_points_filter_by_kind_and_unit(client, points, approver, tree):
    as_user(client, approver)
    assert codes(get(client, "/points")) == ["FIN-1", "NET-1", "RAW-1", "SEC-1", "TAP-1"]
    assert codes(get(client, "/points", kind="network")) == ["NET-1"]
    assert codes(get(client, "/points", unit=tree["plant1"].pk)) == ["FIN-1", "RAW-1"]


def test_point_detail_names_its_unit_and_kind(client, points, technician):
    path = f"/points/{points['finished'].pk}"
    body = get(as_user(client, technician), path, headers={"Accept-Language": "en"}).json()
    assert (body["code"], body["kind"], body["kind_label"], body["unit_name"]) == (
        "FIN-1",
        "finished",
        "Finished water",
        "第一水厂",
    )


def test_outsider_sees_no_points_and_gets_404_for_ours(client, points, outsider):
    as_user(client, outsider)
    assert get(client, "/points").json() == {"items": [], "count": 0}
    response = get(client, f"/points/{points['finished'].pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_quality_department_creates_and_renames_a_point(client, points, approver, tree, labs):
    as_user(client, approver)
    body = {
        "code": "NET-2",
        "name": "河西管网末梢",
        "kind": "network",
        "unit_id": tree["company"].pk,
        "lab_id": labs["central"].pk,
    }
    response = post(client, "/points", body)
    assert response.status_code == 201
    point = SamplingPoint.objects.get(code="NET-2")
    assert (point.name, point.kind, point.unit, point.lab) == (
        "河西管网末梢",
        "network",
        tree["company"],
        labs["central"],
    )
    response = patch(client, f"/points/{point.pk}", {"name": "河西末梢", "active": False})
    assert response.status_code == 200
    assert response.json()["name"] == "河西末梢"
    point.refresh_from_db()
    assert (point.name, point.active) == ("河西末梢", False)


def test_point_code_must_be_unique_in_the_organization(client, points, approver, tree, labs):
    body = {
        "code": "FIN-1",
        "name": "重复",
        "kind": "finished",
        "unit_id": tree["plant1"].pk,
        "lab_id": labs["plant1"].pk,
    }
    response = post(as_user(client, approver), "/points", body)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["code"]
    assert SamplingPoint.objects.filter(code="FIN-1").count() == 1


def test_technician_may_not_create_or_change_points(client, points, technician, tree, labs):
    as_user(client, technician)
    body = {
        "code": "FIN-2",
        "name": "二号出厂水",
        "kind": "finished",
        "unit_id": tree["plant1"].pk,
        "lab_id": labs["plant1"].pk,
    }
    response = post(client, "/points", body)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert patch(client, f"/points/{points['finished'].pk}", {"name": "x"}).status_code == 403
    assert not SamplingPoint.objects.filter(code="FIN-2").exists()
    assert SamplingPoint.objects.get(code="FIN-1").name == "一厂出厂水"


# --- Sampling plans ------------------------------------------------------------------------


def plan_body(labs, points, **fields) -> dict:
    return {
        "name": "出厂水每4小时",
        "lab_id": labs["plant1"].pk,
        "point_id": points["finished"].pk,
        "indicators": ["turbidity", "free_chlorine"],
        "frequency": "hours",
        "every_hours": 4,
        **fields,
    }


def test_quality_department_creates_lists_and_changes_a_plan(client, points, labs, approver):
    as_user(client, approver)
    response = post(client, "/plans", plan_body(labs, points))
    assert response.status_code == 201
    plan = SamplingPlan.objects.get()
    assert (plan.point, plan.indicators, plan.every_hours, plan.starts_on) == (
        points["finished"],
        ["turbidity", "free_chlorine"],
        4,
        DAY,
    )
    assert [p["name"] for p in get(client, "/plans").json()["items"]] == ["出厂水每4小时"]
    response = patch(client, f"/plans/{plan.pk}", {"every_hours": 6})
    assert (response.status_code, response.json()["every_hours"]) == (200, 6)
    plan.refresh_from_db()
    assert plan.every_hours == 6


def test_plan_with_unknown_indicator_or_bad_frequency_is_refused(client, points, labs, approver):
    body = plan_body(labs, points, indicators=["turbidity", "unobtainium"], every_hours=5)
    response = post(as_user(client, approver), "/plans", body)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"indicators", "every_hours"}
    assert "unobtainium" in response.json()["error"]["fields"]["indicators"]
    assert not SamplingPlan.objects.exists()


def test_technician_may_not_create_plans(client, points, labs, technician):
    response = post(as_user(client, technician), "/plans", plan_body(labs, points))
    assert response.status_code == 403
    assert not SamplingPlan.objects.exists()


# --- Tasks ---------------------------------------------------------------------------------


def test_tasks_default_to_todays_tasks_in_scope(client, points, technician):
    today = make_task(points["finished"], 8)
    done = make_task(points["raw"], 10)
    SamplingTask.objects.filter(pk=done.pk).update(status="done")
    tomorrow = SamplingTask.objects.create(
        organization=points["finished"].organization,
        point=points["finished"],
        lab=points["finished"].lab,
        indicators=["turbidity"],
        due_at=at(DAY + dt.timedelta(days=1), 8),
        deadline=at(DAY + dt.timedelta(days=1), 16),
    )
    make_task(points["network"], 8)  # the central lab's point: outside plant 1
    as_user(client, technician)
    items = get(client, "/tasks").json()["items"]
    assert [(t["point_code"], t["status"]) for t in items] == [("FIN-1", "open"), ("RAW-1", "done")]
    assert [t["id"] for t in get(client, "/tasks", status="open").json()["items"]] == [today.pk]
    assert [t["id"] for t in get(client, "/tasks", point="RAW-1").json()["items"]] == [done.pk]
    next_day = get(client, "/tasks", date=str(DAY + dt.timedelta(days=1))).json()["items"]
    assert [t["id"] for t in next_day] == [tomorrow.pk]
    body = get(client, f"/tasks/{today.pk}").json()
    assert (body["indicators"], when(body["due_at"]), body["sample_id"]) == (
        ["turbidity", "free_chlorine"],
        at(DAY, 8),
        None,
    )


# --- Language ------------------------------------------------------------------------------


def test_refusals_follow_the_requests_language(client, points, technician, tree, labs):
    body = {
        "code": "FIN-2",
        "name": "二号出厂水",
        "kind": "finished",
        "unit_id": tree["plant1"].pk,
        "lab_id": labs["plant1"].pk,
    }
    as_user(client, technician)
    chinese = post(client, "/points", body, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = post(client, "/points", body, HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.json()["error"]["message"] == "您的角色无权执行此操作。"
    assert english.json()["error"]["message"] == "Your role may not do this."


def test_openapi_lists_the_quality_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    quality = {p for p in paths if p.startswith(f"{API}/")}
    assert {
        f"{API}/points",
        f"{API}/plans",
        f"{API}/tasks/{{task_id}}/results",
        f"{API}/samples",
        f"{API}/results/check",
        f"{API}/results/import",
        f"{API}/internal-limits",
        f"{API}/relaxations/{{relaxation_id}}/revoke",
        f"{API}/readings",
    } <= quality
