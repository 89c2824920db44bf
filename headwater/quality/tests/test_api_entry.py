"""The water-quality API: entering results (by task, without a task, by spreadsheet), alerts
and re-sampling on an exceedance, corrections, and retries with an idempotency key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from headwater.alerts.models import Alert, InboxItem
from headwater.core.models import IdempotencyKey
from headwater.quality import services
from headwater.quality.models import Result, Sample, SamplingTask
from headwater.quality.tests.api_client import API, DAY, as_user, get, make_task, post, when
from headwater.quality.tests.conftest import at


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


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


# --- One write contract: the service says whether it created ------------------------------


def test_a_retried_key_answers_201_then_200_as_the_service_says(
    client, points, technician, monkeypatch
):
    as_user(client, technician)
    body = {"point": "FIN-1", "values": {"turbidity": "0.3"}}
    first = post(client, "/samples", body, HTTP_IDEMPOTENCY_KEY="phone-7")
    again = post(client, "/samples", body, HTTP_IDEMPOTENCY_KEY="phone-7")
    assert (first.status_code, again.status_code) == (201, 200)
    key = IdempotencyKey.objects.get()
    assert (key.user, key.action, key.key, key.object_id, key.created) == (
        technician,
        "quality.sample",
        "phone-7",
        first.json()["id"],
        True,
    )
    # The status is the service's (sample, created), not a look-up of the key beforehand: a
    # key never seen, answered "not created" by the service, is a 200.
    sample = Sample.objects.get()
    monkeypatch.setattr(services, "record_sample", lambda *args, **kwargs: (sample, False))
    unseen = post(client, "/samples", body, HTTP_IDEMPOTENCY_KEY="never-seen")
    assert (unseen.status_code, unseen.json()["id"]) == (200, sample.pk)
    assert Sample.objects.count() == 1


def test_a_correction_retried_late_with_its_key_changes_nothing(client, points, technician):
    task = make_task(points["finished"])
    path = f"/tasks/{task.pk}/results"
    as_user(client, technician)
    first = post(client, path, {"values": {"turbidity": "0.3"}}, HTTP_IDEMPOTENCY_KEY="entry")
    correction = post(client, path, {"values": {"turbidity": "0.4"}}, HTTP_IDEMPOTENCY_KEY="fix-1")
    post(client, path, {"values": {"turbidity": "0.5"}}, HTTP_IDEMPOTENCY_KEY="fix-2")
    # The first correction's answer was lost on a weak signal: the phone sends it again.
    retry = post(client, path, {"values": {"turbidity": "0.4"}}, HTTP_IDEMPOTENCY_KEY="fix-1")
    assert (first.status_code, correction.status_code, retry.status_code) == (201, 200, 200)
    assert retry.json()["id"] == first.json()["id"]
    assert [r["raw"] for r in retry.json()["results"]] == ["0.5"]
    assert list(Result.objects.values_list("raw", "status")) == [("0.5", "entered")]
    assert dict(IdempotencyKey.objects.values_list("key", "created")) == {
        "entry": True,
        "fix-1": False,
        "fix-2": False,
    }
