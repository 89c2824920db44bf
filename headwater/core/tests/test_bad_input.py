"""Input the API cannot use answers 4xx in the one error shape and changes nothing; a 500 is
never the answer (issue 9). The water-quality cases are in quality/tests/test_bad_input.py."""

import pytest

from headwater.alerts.models import InboxItem
from headwater.core.models import Person
from headwater.health.models import UnitReport

API = "/api/v1"
HUGE = 4611686018427387903  # 2**62 - 1: times a page size, past what SQL's OFFSET takes


def post(client, path, body):
    return client.post(f"{API}{path}", body, content_type="application/json")


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/people",
        "/units",
        "/sites",
        "/audit",
        "/alerts",
        "/alerts/deliveries",
        "/health/checkins",
        "/health/codes",
        "/health/statuses",
        "/health/risk-areas",
        "/health/unit-reports",
        "/quality/points",
        "/quality/plans",
        "/quality/tasks",
        "/quality/samples",
        "/quality/results",
        "/quality/readings",
        "/quality/internal-limits",
        "/quality/relaxations",
    ],
)
def test_a_huge_page_number_is_refused_on_every_list(client, office_user, path):
    client.force_login(office_user)
    error = error_of(client.get(f"{API}{path}", {"page": HUGE}), 422)
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"page"}


@pytest.mark.parametrize("ids", [[2**63], [10**19], [2**31]])
def test_an_id_past_the_integer_columns_is_refused_when_marking_alerts_read(
    client, office_user, ids
):
    client.force_login(office_user)
    error = error_of(post(client, "/alerts/read", {"ids": ids}), 422)
    assert set(error["fields"]) == {"ids.0"}
    assert not InboxItem.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("count", [10**19, 2**31])
def test_a_count_past_the_integer_columns_is_refused_on_a_unit_report(
    client, unit_head_user, tree, count
):
    client.force_login(unit_head_user)
    body = {"unit_id": tree["plant1"].pk, "counts": {"on_duty": count}}
    error = error_of(post(client, "/health/unit-reports", body), 400)
    assert error["fields"] == {"on_duty": "数字太大。"}
    assert UnitReport.objects.count() == 0


def test_a_person_id_past_the_integer_columns_is_refused(client, office_user):
    client.force_login(office_user)
    error_of(client.get(f"{API}/people/{2**63}"), 422)
    error_of(client.get(f"{API}/people", {"unit_id": 10**19}), 422)


def test_a_null_name_is_refused_and_the_person_keeps_theirs(client, office_user, people):
    client.force_login(office_user)
    person = people["operator"]
    response = client.patch(
        f"{API}/people/{person.pk}", {"name": None}, content_type="application/json"
    )
    assert error_of(response, 422)["fields"] == {"name": "此项不能为空。"}
    person.refresh_from_db()
    assert person.name == "李操作"
    assert Person.objects.filter(name="").count() == 0


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_the_overview_refuses_a_date_outside_the_records(client, office_user, date):
    client.force_login(office_user)
    error = error_of(client.get(f"{API}/health/overview", {"date": date}), 422)
    assert error["fields"] == {"date": "请输入 1900 至 2999 年之间的日期。"}
