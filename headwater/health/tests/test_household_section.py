"""The briefing's section on the relatives of staff: figures, the day before and the 7-day
trend hand-computed, abnormal relatives named with the staff member's unit, and no section
for an organization where nobody registered a relative."""

import datetime as dt

import pytest

from headwater.core.models import HouseholdMember
from headwater.core.tiles import resolve
from headwater.health import services
from headwater.health.household_section import household_section
from headwater.health.tests.conftest import NORMAL, at

DAY = dt.date(2026, 2, 3)
BRIEFING = DAY + dt.timedelta(days=1)  # reports DAY


def lines(*pairs):
    return {**NORMAL, "relatives": [{"member_id": m.pk, "temperature": t} for m, t in pairs]}


@pytest.fixture
def history(org, people, operator_user, unit_head_user, clock_at):
    """DAY-2: 张丽 38.5 (abnormal), 李小宝 36.5; 王母 not reported. DAY-1: nobody reported.
    DAY: 李奶奶 registered; 张丽 36.5, 李小宝 36.6, 李奶奶 37.5 (abnormal), 王母 36.4."""

    def member(person, name, relation):
        return HouseholdMember.objects.create(
            organization=org, person=people[person], name=name, relation=relation
        )

    clock_at(at(DAY - dt.timedelta(days=2), 8, 0))
    zhang, bao = member("operator", "张丽", "spouse"), member("operator", "李小宝", "child")
    wang = member("head", "王母", "parent")
    operator, head = people["operator"], people["head"]
    services.submit_checkin(operator, lines((zhang, "38.5"), (bao, "36.5")), by=operator_user)
    clock_at(at(DAY, 8, 0))
    nai = member("operator", "李奶奶", "grandparent")
    services.submit_checkin(
        operator, lines((zhang, "36.5"), (bao, "36.6"), (nai, "37.5")), by=operator_user
    )
    services.submit_checkin(head, lines((wang, "36.4")), by=unit_head_user)


def test_the_figures_have_the_day_before_and_the_trend(history, org):
    section = resolve(household_section(org, BRIEFING), "zh-hans")

    figures = {f["key"]: (f["value"], f["previous"], f["trend"]) for f in section["figures"]}
    assert figures == {
        "health.household.registered": (4, 3, [0, 0, 0, 0, 3, 3, 4]),
        "health.household.reported": (4, 0, [0, 0, 0, 0, 2, 0, 4]),
        "health.household.abnormal": (1, 0, [0, 0, 0, 0, 1, 0, 1]),
        "health.household.not_reported": (0, 3, [0, 0, 0, 0, 1, 3, 0]),
    }
    assert section["lines"] == ["登记家属 4 人：已填报 4 人，未填报 0 人；异常 1 人。"]
    assert (section["key"], section["order"]) == ("health.household", 15)


def test_an_abnormal_relative_is_flagged_with_the_staff_members_unit(history, org):
    section = resolve(household_section(org, BRIEFING), "zh-hans")

    assert section["flags"] == [
        {
            "kind": "abnormal",
            "text": "第一水厂 运行甲班 李操作 的家属 祖父母/外祖父母 李奶奶：37.5 °C",
        }
    ]
    assert section["tables"][0]["rows"] == [
        ["第一水厂 运行甲班", "李操作", "祖父母/外祖父母 李奶奶：37.5 °C"]
    ]


def test_a_quiet_day_says_so(history, org):
    section = resolve(household_section(org, DAY), "zh-hans")  # reports DAY-1: none abnormal
    assert (section["flags"], section["quiet"]) == ([], "职工家属均无异常。")


def test_no_section_without_household_members(org, people):
    assert household_section(org, BRIEFING) is None


def test_the_section_reads_in_a_fixed_number_of_queries(history, org, django_assert_num_queries):
    with django_assert_num_queries(5):
        household_section(org, BRIEFING)
