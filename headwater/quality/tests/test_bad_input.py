"""Water-quality input the API cannot use answers 4xx in the one error shape and changes
nothing (issue 9): ids past the integer columns, Unicode digits taken for ids, sampling times
without an offset or outside the records, a year past the calendar."""

import pytest

from headwater.quality.models import Result, Sample
from headwater.quality.tests.api_client import DAY, as_user, get, post
from headwater.quality.tests.conftest import at


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


@pytest.mark.parametrize("action", ["return", "check", "approve"])
@pytest.mark.parametrize("ids", [[2**63], [10**19], [2**31]])
def test_a_result_id_past_the_integer_columns_is_refused(client, approver, action, ids):
    response = post(as_user(client, approver), f"/results/{action}", {"ids": ids})
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"ids.0"}


def test_a_unicode_digit_is_a_point_code_not_an_id_in_the_task_filter(client, technician, points):
    response = get(as_user(client, technician), "/tasks", point="³")
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_unicode_digit_is_an_unknown_point_when_entering_a_sample(client, technician, points):
    body = {"point": "²", "values": {"turbidity": "0.3"}}
    response = post(as_user(client, technician), "/samples", body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"point": "未知的采样点。"}
    assert Sample.objects.count() == 0


def test_a_sampling_time_without_offset_is_local_time(client, technician, points):
    body = {"point": "FIN-1", "sampled_at": "2026-11-02T08:00:00", "values": {"turbidity": "0.3"}}
    response = post(as_user(client, technician), "/samples", body)
    assert response.status_code == 201
    assert Sample.objects.get().sampled_at == at(DAY, 8)


@pytest.mark.parametrize("sampled_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_a_sampling_time_outside_the_records_is_refused(client, technician, points, sampled_at):
    body = {"point": "FIN-1", "sampled_at": sampled_at, "values": {"turbidity": "0.3"}}
    response = post(as_user(client, technician), "/samples", body)
    assert response.status_code == 422
    refusal = {"sampled_at": "请输入 1900 至 2999 年之间的日期。"}
    assert response.json()["error"]["fields"] == refusal
    assert (Sample.objects.count(), Result.objects.count()) == (0, 0)


def test_a_year_past_the_calendar_is_refused_on_the_report(client, approver, points):
    response = get(as_user(client, approver), "/report", year=10**20)
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"year"}
