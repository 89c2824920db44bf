"""The health panels of the command dashboard, through GET /api/v1/dashboard, against figures
counted by hand on a small organization (the company, plant 1 with its shift A, plant 2; heads
of plant 1 and plant 2 file the daily reports)."""

import datetime as dt

import pytest

from headwater.core.tests.factories import OrganizationFactory, PersonFactory, make_user
from headwater.health.models import CheckIn, HealthCode, UnitReport
from headwater.health.tests.conftest import at

DAY = dt.date(2026, 3, 10)
YESTERDAY = DAY - dt.timedelta(days=1)


def checkin(person, day, slot="am", abnormal=False):
    return CheckIn.objects.create(
        organization=person.organization,
        person=person,
        unit=person.unit,
        date=day,
        slot=slot,
        temperature="37.8" if abnormal else "36.5",
        whereabouts="at_work",
        is_abnormal=abnormal,
        submitted_at=at(day, 8 if slot == "am" else 14),
    )


def code(person, colour, since, current=True):
    return HealthCode.objects.create(
        organization=person.organization,
        person=person,
        colour=colour,
        reason="test",
        rule_set_version=1,
        since=since,
        is_current=current,
    )


@pytest.fixture
def world(org, tree, people, office_user, clock_at):
    """Active: 王厂长 (plant 1), 李操作 (shift A), 赵二厂 (plant 2), 钱文员 (company); 孙离职
    (plant 2) left today, so was on the roster yesterday."""
    make_user("head1", person=people["head"], roles=[("unit_head", tree["plant1"])])
    make_user("head2", person=people["other_plant"], roles=[("unit_head", tree["plant2"])])
    leaver = PersonFactory(
        unit=tree["plant2"], name="孙离职", employee_no="E9", employment_status="left", left_on=DAY
    )
    head, operator, clerk = people["head"], people["operator"], people["clerk"]
    second = people["other_plant"]
    # Yesterday: three people checked in, the clerk abnormal.
    checkin(head, YESTERDAY)
    checkin(operator, YESTERDAY)
    checkin(clerk, YESTERDAY, abnormal=True)
    checkin(clerk, YESTERDAY, slot="pm", abnormal=True)
    # Today: the operator twice (one person), plant 2's man abnormal.
    checkin(operator, DAY)
    checkin(operator, DAY, slot="pm")
    checkin(second, DAY, abnormal=True)
    # Codes: the operator green all along; plant 2's man green until red this morning; the
    # clerk yellow since yesterday; the head none yet; the leaver red (not counted).
    code(operator, "green", at(DAY - dt.timedelta(days=3), 9))
    code(second, "green", at(DAY - dt.timedelta(days=3), 9), current=False)
    code(second, "red", at(DAY, 9, 5))
    code(clerk, "yellow", at(YESTERDAY, 18))
    code(leaver, "red", at(YESTERDAY, 9))
    UnitReport.objects.create(
        organization=org, unit=tree["plant2"], date=DAY, submitted_at=at(DAY, 9)
    )
    clock_at(at(DAY, 15, 30))
    return office_user


def _panels(client, user) -> dict[str, dict]:
    client.force_login(user)
    response = client.get("/api/v1/dashboard")
    assert response.status_code == 200
    return {p["key"]: p for p in response.json()["panels"]}


def test_key_figures_stand_beside_yesterday_s(client, world):
    figures = _panels(client, world)["health.figures"]

    assert (figures["title"], figures["size"]) == ("今日关键指标", "w")
    assert figures["data"]["previous_label"] == "昨日"
    shown = {f["key"]: f for f in figures["data"]["items"]}
    assert [
        (k, f["label"], f["text"], f["previous_text"], f["change"], f["colour"])
        for k, f in shown.items()
    ] == [
        ("staff", "在册人数", "4", "5", "down", "primary"),
        ("checked_in", "已打卡", "2", "3", "down", "primary"),
        ("rate", "打卡率", "50.0", "60.0", "down", "danger"),
        ("abnormal", "异常", "1", "1", "", "danger"),
        ("red", "红码", "1", "0", "up", "danger"),
        ("yellow", "黄码", "1", "1", "", "warning"),
    ]
    assert (shown["staff"]["unit"], shown["rate"]["unit"]) == ("人", "%")
    assert (shown["checked_in"]["better"], shown["red"]["better"]) == ("up", "down")


def test_codes_by_colour_count_the_active_staff_s_codes_in_force(client, world):
    codes = _panels(client, world)["health.codes"]

    assert codes["kind"] == "pie"
    assert codes["data"]["items"] == [
        {"label": "绿码", "value": 1, "colour": "success"},
        {"label": "黄码", "value": 1, "colour": "warning"},
        {"label": "红码", "value": 1, "colour": "danger"},
    ]


def test_completion_by_reporting_unit_lowest_first(client, world):
    bars = _panels(client, world)["health.completion"]

    assert (bars["title"], bars["kind"], bars["size"], bars["note"]) == (
        "各单位打卡完成率",
        "bars",
        "t",
        "由低到高",
    )
    assert bars["data"] == {
        "items": [
            # Plant 1 with shift A: the head and the operator, the operator checked in.
            {"label": "第一水厂", "value": 50.0, "text": "50.0%  1/2", "colour": "danger"},
            # Plant 2: its man (the leaver is not counted), checked in.
            {"label": "第二水厂", "value": 100.0, "text": "100.0%  1/1", "colour": "success"},
        ],
        "max": 100,
        "unit": "%",
    }


def test_units_whose_report_is_not_in_are_listed_missing_after_the_deadline(
    client, world, tree, clock_at
):
    reports = _panels(client, world)["health.reports"]

    assert (reports["title"], reports["note"]) == ("日报未报单位", "1 / 2")
    assert reports["data"]["items"] == [
        {
            "id": f"unit-{tree['plant1'].pk}",
            "time": "",
            "text": "第一水厂",
            "note": "漏报",
            "colour": "danger",
            "muted": False,
        }
    ]

    clock_at(at(DAY, 9, 30))  # before the 10:00 deadline: still due
    item = _panels(client, world)["health.reports"]["data"]["items"][0]
    assert (item["note"], item["colour"]) == ("10:00 前报送", "warning")


def test_every_report_in_says_so(client, world, tree, org):
    UnitReport.objects.create(organization=org, unit=tree["plant1"], date=DAY)

    reports = _panels(client, world)["health.reports"]

    assert reports["data"]["items"] == []
    assert reports["data"]["empty"] == "各单位今日日报均已报送。"


def test_no_health_panels_for_an_organization_without_staff(client, db):
    empty = OrganizationFactory(name="新建水司", slug="new")
    office = make_user("new-office", organization=empty, roles=[("office", None)])

    panels = _panels(client, office)

    assert [k for k in panels if k.startswith("health.")] == []
