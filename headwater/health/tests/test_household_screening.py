"""The grid screening of relatives (网格化筛查): every active relative of a unit subtree's
staff with their line's status of a day, counts, a filter, the export, and the scope (a unit
head sees their subtree only, an outsider nothing)."""

import datetime as dt
import io

import pytest
from django.conf import settings
from openpyxl import load_workbook

from headwater.core.models import HouseholdMember
from headwater.health import services
from headwater.health.tests.conftest import NORMAL, at

DAY = dt.date(2026, 2, 3)
PAGE = "/health/household/"
API = "/api/v1/health/household-screening"


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 8, 0))


@pytest.fixture
def household(org, people, operator_user, unit_head_user, office_user):
    """李操作 (shift A): 张丽 abnormal, 李小宝 normal, 李奶奶 not reported, 李前妻 inactive;
    赵二厂 (plant 2): 赵妻 not reported; 王厂长 (plant 1): 王母 normal."""

    def member(person, name, relation="spouse", **kw):
        return HouseholdMember.objects.create(
            organization=org,
            person=people[person],
            name=name,
            relation=relation,
            phone="13700001234",
            **kw,
        )

    m = {
        "zhang": member("operator", "张丽"),
        "bao": member("operator", "李小宝", "child"),
        "nai": member("operator", "李奶奶", "grandparent"),
        "gone": member("operator", "李前妻", is_active=False),
        "zhao": member("other_plant", "赵妻"),
        "wang": member("head", "王母", "parent"),
    }
    services.submit_checkin(
        people["operator"],
        {
            **NORMAL,
            "relatives": [
                {"member_id": m["zhang"].pk, "temperature": "38.3"},
                {"member_id": m["bao"].pk, "temperature": "36.6"},
            ],
        },
        by=operator_user,
    )
    services.submit_checkin(
        people["head"],
        {**NORMAL, "relatives": [{"member_id": m["wang"].pk, "temperature": "36.4"}]},
        by=unit_head_user,
    )
    return m


def test_the_office_sees_every_relative_with_counts_abnormal_first(
    client, office_user, household, tree
):
    client.force_login(office_user)

    body = client.get(API, {"unit": tree["company"].pk, "day": "2026-02-03"}).json()

    assert body["counts"] == {"total": 5, "normal": 2, "abnormal": 1, "not_reported": 2}
    assert [(r["name"], r["status"]) for r in body["items"]] == [
        ("张丽", "abnormal"),
        ("李奶奶", "not_reported"),
        ("赵妻", "not_reported"),
        ("王母", "normal"),
        ("李小宝", "normal"),
    ]
    assert body["items"][0]["temperature"] == 38.3
    assert body["items"][0]["phone"] == "137****1234"


def test_a_status_filter_keeps_the_counts_of_all(client, office_user, household, tree):
    client.force_login(office_user)

    body = client.get(API, {"unit": tree["company"].pk, "status": "not_reported"}).json()

    assert [r["name"] for r in body["items"]] == ["李奶奶", "赵妻"]
    assert (body["count"], body["counts"]["total"]) == (2, 5)


def test_another_day_shows_nobody_reported(client, office_user, household, tree):
    client.force_login(office_user)
    body = client.get(API, {"unit": tree["company"].pk, "day": "2026-02-02"}).json()
    assert body["counts"] == {"total": 5, "normal": 0, "abnormal": 0, "not_reported": 5}


def test_a_unit_head_sees_only_their_subtree(client, unit_head_user, household, tree):
    client.force_login(unit_head_user)

    mine = client.get(API).json()
    other = client.get(API, {"unit": tree["plant2"].pk})

    assert (mine["unit_id"], mine["counts"]["total"]) == (tree["plant1"].pk, 4)
    assert "赵妻" not in {r["name"] for r in mine["items"]}
    assert other.status_code == 404


def test_staff_and_outsiders_get_nothing(client, operator_user, outsider, household, tree):
    client.force_login(operator_user)
    assert client.get(API).status_code == 403
    assert client.get(PAGE).status_code == 403
    client.force_login(outsider)
    assert client.get(API, {"unit": tree["company"].pk}).status_code == 404
    assert client.get(PAGE, {"unit": tree["company"].pk}).status_code == 404


def test_the_page_shows_counts_filters_and_exports(client, unit_head_user, household, tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(unit_head_user)

    page = client.get(PAGE, {"unit": tree["plant1"].pk, "status": "abnormal"}).content.decode()
    export = client.get(PAGE, {"unit": tree["plant1"].pk, "export": "xlsx"})

    assert 'data-testid="count-abnormal"' in page and "张丽" in page and "李小宝" not in page
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert [r[:2] for r in rows[1:]] == [
        ("Abnormal", "张丽"),
        ("Not reported", "李奶奶"),
        ("Normal", "王母"),
        ("Normal", "李小宝"),
    ]
    assert rows[1][6] == 38.3


def test_the_whole_organization_is_counted_per_unit_not_listed(
    client, office_user, household, tree
):
    client.force_login(office_user)

    response = client.get(PAGE, {"unit": tree["company"].pk, "day": "2026-02-03"})
    page = response.content.decode()

    per_unit = [(u.name, u.counts) for u in response.context["per_unit"]]
    assert per_unit == [
        ("第一水厂", {"abnormal": 0, "not_reported": 0, "normal": 1}),
        ("运行甲班", {"abnormal": 1, "not_reported": 1, "normal": 1}),
        ("第二水厂", {"abnormal": 0, "not_reported": 1, "normal": 0}),
    ]
    assert f'data-testid="unit-{tree["shift_a"].pk}"' in page
    assert 'data-testid="screening"' not in page and "张丽" not in page
    assert response.context["counts"] == {"abnormal": 1, "not_reported": 2, "normal": 2}


def test_a_status_lists_the_whole_organizations_relatives(client, office_user, household, tree):
    client.force_login(office_user)

    response = client.get(PAGE, {"unit": tree["company"].pk, "status": "not_reported"})

    assert response.context["per_unit"] is None
    assert [m.name for m in response.context["page"]] == ["李奶奶", "赵妻"]


def test_a_unit_below_the_organization_lists_its_relatives(client, office_user, household, tree):
    client.force_login(office_user)

    response = client.get(PAGE, {"unit": tree["plant1"].pk})

    assert response.context["per_unit"] is None
    assert [m.name for m in response.context["page"]] == ["张丽", "李奶奶", "王母", "李小宝"]
