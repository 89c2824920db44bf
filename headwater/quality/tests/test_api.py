"""The water-quality API: points and plans, tasks and entering results (alerts and re-sampling
on an exceedance, idempotent retries), the three-level review, the results import, internal
limits and relaxations, analyzer readings with a device token, scope and refusals."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from headwater.alerts.models import Alert, InboxItem
from headwater.core.models import DeviceToken
from headwater.quality.models import (
    AnalyzerReading,
    InternalLimit,
    Relaxation,
    Result,
    Sample,
    SamplingPlan,
    SamplingPoint,
    SamplingTask,
)
from headwater.quality.tests.conftest import at

API = "/api/v1/quality"
DAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


def post(client, path: str, body: dict, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def patch(client, path: str, body: dict):
    return client.patch(f"{API}{path}", body, content_type="application/json")


def get(client, path: str, headers=None, **params):
    return client.get(f"{API}{path}", params, headers=headers)


def as_user(client, user):
    client.force_login(user)
    return client


def make_task(point, hour: int = 8, indicators=("turbidity", "free_chlorine")) -> SamplingTask:
    return SamplingTask.objects.create(
        organization=point.organization,
        point=point,
        lab=point.lab,
        indicators=list(indicators),
        due_at=at(DAY, hour),
        deadline=at(DAY, hour + 8),
    )


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


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


# --- Entering results ----------------------------------------------------------------------


def test_technician_enters_a_tasks_results_within_limits(client, points, technician):
    task = make_task(points["finished"])
    response = post(
        as_user(client, technician),
        f"/tasks/{task.pk}/results",
        {"values": {"turbidity": "0.3", "free_chlorine": "0.5"}},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["point_code"], body["task_id"], body["source"], when(body["sampled_at"])) == (
        "FIN-1",
        task.pk,
        "task",
        at(DAY, 9),
    )
    rows = {r["indicator"]: r for r in body["results"]}
    assert rows["turbidity"]["name"] == "浑浊度"
    assert rows["turbidity"]["unit"] == "NTU"
    assert (rows["turbidity"]["raw"], rows["turbidity"]["value"]) == ("0.3", "0.3")
    assert [(r["outcome"], r["status"]) for r in body["results"]] == [
        ("pass", "entered"),
        ("pass", "entered"),
    ]
    task.refresh_from_db()
    assert task.status == "done"
    assert Result.objects.count() == 2
    assert not SamplingTask.objects.filter(kind="resample").exists()


def test_exceedance_alerts_the_lab_head_and_opens_a_resampling_task(
    client, points, technician, lab_head
):
    task = make_task(points["finished"])
    response = post(
        as_user(client, technician), f"/tasks/{task.pk}/results", {"values": {"turbidity": "1.5"}}
    )
    assert response.status_code == 201
    (result,) = response.json()["results"]
    assert (result["indicator"], result["outcome"], result["standard"]) == (
        "turbidity",
        "fail",
        "GB 5749-2022",
    )
    alert = Alert.objects.get(kind="quality.exceedance")
    assert InboxItem.objects.filter(alert=alert, user=lab_head).count() == 1
    resample = SamplingTask.objects.get(kind="resample")
    assert (resample.point, resample.status, resample.indicators) == (
        points["finished"],
        "open",
        ["turbidity"],
    )


def test_entering_a_task_again_corrects_its_sample_with_200(client, points, technician):
    task = make_task(points["finished"])
    as_user(client, technician)
    first = post(client, f"/tasks/{task.pk}/results", {"values": {"turbidity": "0.3"}})
    again = post(client, f"/tasks/{task.pk}/results", {"values": {"turbidity": "0.4"}})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert list(Result.objects.values_list("raw", flat=True)) == ["0.4"]


def test_bad_value_is_refused_with_its_field_and_nothing_stored(client, points, technician):
    task = make_task(points["finished"])
    response = post(
        as_user(client, technician),
        f"/tasks/{task.pk}/results",
        {"values": {"turbidity": "cloudy", "free_chlorine": "0.5"}},
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["turbidity"]
    assert not Sample.objects.exists()
    task.refresh_from_db()
    assert task.status == "open"


def test_results_without_a_task_name_the_point_by_code(client, points, technician):
    response = post(
        as_user(client, technician),
        "/samples",
        {"point": "RAW-1", "sampled_at": "2026-11-02T07:30:00+08:00", "values": {"ph": "7.4"}},
    )
    assert response.status_code == 201
    sample = Sample.objects.get()
    assert (sample.point, sample.source, sample.task, sample.entered_by) == (
        points["raw"],
        "api",
        None,
        technician,
    )
    assert sample.sampled_at == at(DAY, 7, 30)
    assert response.json()["results"][0]["indicator"] == "ph"


def test_retry_with_the_same_idempotency_key_creates_one_sample(
    client, points, technician, clock_at
):
    as_user(client, technician)
    body = {"point": "FIN-1", "values": {"turbidity": "0.3"}}
    first = post(client, "/samples", body, HTTP_IDEMPOTENCY_KEY="tablet-42")
    clock_at(at(DAY, 9, 5))  # the retry comes later: without the key it would be a new sample
    again = post(client, "/samples", body, HTTP_IDEMPOTENCY_KEY="tablet-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Sample.objects.count() == 1
    assert Result.objects.count() == 1


def test_other_plants_technician_can_neither_see_nor_enter_plant1(client, points, other_plant_tech):
    task = make_task(points["finished"])
    as_user(client, other_plant_tech)
    assert get(client, "/points").json() == {"items": [], "count": 0}
    assert get(client, "/tasks").json() == {"items": [], "count": 0}
    assert get(client, f"/tasks/{task.pk}").status_code == 404
    response = post(client, f"/tasks/{task.pk}/results", {"values": {"turbidity": "0.3"}})
    assert response.status_code == 404
    response = post(client, "/samples", {"point": "FIN-1", "values": {"turbidity": "0.3"}})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["point"]
    assert not Sample.objects.exists()


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


# --- The results import --------------------------------------------------------------------


def upload(client, text: str):
    file = SimpleUploadedFile("results.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(f"{API}/results/import", {"file": file})


def test_import_stores_the_files_results(client, points, technician):
    text = "采样点编号,采样时间,指标,结果,单位\nFIN-1,2026-11-02 08:00,浑浊度,0.3,NTU\n"
    text += "FIN-1,2026-11-02 08:00,free_chlorine,0.5,mg/L\n"
    response = upload(as_user(client, technician), text)
    assert response.status_code == 200
    assert response.json() == {"total": 2, "samples": 1, "results": 2, "exceedances": 0}
    assert Sample.objects.get().source == "import"


def test_import_with_a_bad_row_names_it_and_stores_nothing(client, points, technician):
    text = "采样点编号,采样时间,指标,结果,单位\nFIN-1,2026-11-02 08:00,浑浊度,0.3,NTU\n"
    text += "NOPE-9,2026-11-02 08:00,浑浊度,0.3,NTU\n"
    response = upload(as_user(client, technician), text)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_rejected"
    assert [row["row"] for row in error["rows"]] == [3]
    assert not Sample.objects.exists()


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
