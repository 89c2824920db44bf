"""The health sections of the daily briefing (health.sections): check-ins, codes and
follow-ups, and the unit daily reports — figures against hand-counted factory data, the
tables and flags named exactly, the quiet day, and both languages from the same figures.

The briefing of 03-10 reports 03-09 (D); its trend runs 03-03 … 03-09."""

import datetime as dt
from decimal import Decimal

import pytest

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.core.tiles import resolve
from headwater.health import sections
from headwater.health.models import CheckIn, FollowUp, HealthCode, UnitReport, UnitReportFiling
from headwater.health.tests.conftest import at

D = dt.date(2026, 3, 9)
BRIEFING = D + dt.timedelta(days=1)


def day(n: int) -> dt.date:
    """D - n."""
    return D - dt.timedelta(days=n)


def checkin(person, on: dt.date, temperature="36.5", slot="am", **fields) -> CheckIn:
    return CheckIn.objects.create(
        organization=person.organization,
        person=person,
        unit=person.unit,
        date=on,
        slot=slot,
        temperature=Decimal(temperature),
        whereabouts="at_work",
        is_abnormal=Decimal(temperature) >= Decimal("37.3"),
        submitted_at=at(on, 8),
        **fields,
    )


def code(person, colour: str, since: dt.datetime, current: bool = True) -> HealthCode:
    return HealthCode.objects.create(
        organization=person.organization,
        person=person,
        colour=colour,
        reason="",
        rule_set_version=1,
        since=since,
        is_current=current,
    )


def follow_up(item: CheckIn, opened: dt.datetime, closed: dt.datetime | None = None):
    return FollowUp.objects.create(
        organization=item.organization,
        person=item.person,
        checkin=item,
        reason="发热",
        opened_at=opened,
        closed_at=closed,
    )


@pytest.fixture
def busy(people, clock_at):
    """Four staff on the roster on D (a fifth left on D-1), a fever on D and one on D-5."""
    clock_at(at(BRIEFING, 8, 30))
    head, operator, other, clerk = (
        people["head"],
        people["operator"],
        people["other_plant"],
        people["clerk"],
    )
    leaver = PersonFactory(
        unit=head.unit, name="周离职", employee_no="E9", employment_status="left", left_on=day(1)
    )
    fever = checkin(operator, D, "37.8", symptoms=["cough"])
    checkin(head, D)
    checkin(other, D)
    checkin(head, day(1))
    checkin(operator, day(1))
    old_fever = checkin(other, day(5), "38.1")
    closed_fever = checkin(leaver, day(2), "37.5")
    follow_up(fever, at(D, 8, 5))
    follow_up(old_fever, at(day(5), 8, 5))
    follow_up(closed_fever, at(day(2), 8, 5), closed=at(D, 15))
    for person in (head, operator, other, clerk, leaver):
        code(person, "green", at(day(10), 8), current=person != operator)
    code(operator, "yellow", at(D, 8))
    return people


def test_the_check_in_figures_with_the_day_before_and_the_week(busy):
    section = resolve(sections.health_section(busy["head"].organization, BRIEFING), "en")
    figures = {f["key"]: f for f in section["figures"]}

    # D: 3 of 4 checked in; D-1: 2 of 4; D-2 and D-5: 1 of 5 (the leaver was still on the
    # roster).
    assert figures["health.checkin_rate"]["value"] == 75.0
    assert figures["health.checkin_rate"]["previous"] == 50.0
    assert figures["health.checkin_rate"]["trend"] == [None, 20.0, None, None, 20.0, 50.0, 75.0]
    assert figures["health.checkin_rate"]["text"] == "75.0"
    assert figures["health.checked_in"]["trend"] == [None, 1, None, None, 1, 2, 3]
    assert figures["health.abnormal"]["trend"] == [None, 1, None, None, 1, 0, 1]
    assert (figures["health.abnormal"]["value"], figures["health.abnormal"]["previous"]) == (1, 0)


def test_codes_are_those_held_at_the_end_of_each_day_by_people_on_the_roster(busy):
    section = resolve(sections.health_section(busy["head"].organization, BRIEFING), "en")
    figures = {f["key"]: f for f in section["figures"]}

    assert figures["health.codes.green"]["trend"] == [4, 4, 4, 4, 4, 4, 3]
    assert figures["health.codes.yellow"]["trend"] == [0, 0, 0, 0, 0, 0, 1]
    assert figures["health.codes.red"]["trend"] == [0, 0, 0, 0, 0, 0, 0]


def test_follow_ups_opened_closed_and_overdue(busy):
    section = resolve(sections.health_section(busy["head"].organization, BRIEFING), "en")
    figures = {f["key"]: f for f in section["figures"]}

    assert figures["health.follow_ups.opened"]["trend"] == [0, 1, 0, 0, 1, 0, 1]
    assert figures["health.follow_ups.closed"]["trend"] == [0, 0, 0, 0, 0, 0, 1]
    assert section["lines"] == [
        "4 staff on the roster: 3 checked in (75.0%), 1 did not; 1 abnormal.",
        "Health codes at the end of the day: 3 green, 1 yellow, 0 red.",
        "Follow-ups: 1 opened, 1 closed; 1 open for more than 3 days.",
    ]


def test_the_abnormal_people_and_overdue_follow_ups_are_named(busy):
    section = resolve(sections.health_section(busy["head"].organization, BRIEFING), "en")

    assert section["flags"] == [
        {"kind": "abnormal", "text": "第一水厂 运行甲班 李操作: 37.8 °C, Cough"},
        {
            "kind": "overdue",
            "text": "第二水厂: follow-ups open for more than 3 days: 1 (the oldest since 03-04)",
        },
    ]
    assert section["quiet"] == ""
    assert section["tables"][0] == {
        "title": "Abnormal people",
        "header": ["Unit", "Name", "What was reported", "Follow-up"],
        "rows": [["第一水厂 运行甲班", "李操作", "37.8 °C, Cough", "Open"]],
    }


def test_many_abnormal_people_are_named_by_unit_most_first(tree, clock_at):
    clock_at(at(BRIEFING, 8, 30))
    for i in range(8):
        checkin(PersonFactory(unit=tree["shift_a"], name=f"甲{i}", employee_no=f"A{i}"), D, "38")
    for i in range(3):
        checkin(PersonFactory(unit=tree["plant2"], name=f"乙{i}", employee_no=f"B{i}"), D, "38")

    section = resolve(sections.health_section(tree["plant2"].organization, BRIEFING), "en")

    assert section["flags"] == [
        {"kind": "abnormal", "text": "第一水厂 运行甲班: abnormal people: 8 (甲0、甲1、甲2 …)"},
        {"kind": "abnormal", "text": "第二水厂: abnormal people: 3 (乙0、乙1、乙2)"},
    ]
    assert len(section["tables"][0]["rows"]) == 11


def test_check_ins_by_reporting_unit_sum_the_subtree(busy, tree):
    make_user("head2", person=busy["other_plant"], roles=[("unit_head", tree["plant2"])])
    make_user("head1", person=busy["head"], roles=[("unit_head", tree["plant1"])])

    section = resolve(sections.health_section(busy["head"].organization, BRIEFING), "en")

    assert section["tables"][1] == {
        "title": "Check-ins by unit",
        "header": ["Unit", "Staff", "Checked in", "Rate (%)", "Abnormal"],
        "rows": [["第一水厂", 2, 2, 100.0, 1], ["第二水厂", 1, 1, 100.0, 0]],
    }


def test_the_section_reads_in_chinese_from_the_same_figures(busy):
    org = busy["head"].organization
    zh = resolve(sections.health_section(org, BRIEFING), "zh-hans")
    en = resolve(sections.health_section(org, BRIEFING), "en")

    assert zh["title"] == "健康打卡"
    units = {f["key"]: f["unit"] for f in zh["figures"]}
    assert (units["health.abnormal"], units["health.follow_ups.opened"]) == ("人", "件")
    assert zh["lines"][0] == "在册职工 4 人，已打卡 3 人（75.0%），未打卡 1 人，异常 1 人。"
    assert zh["flags"][0]["text"] == "第一水厂 运行甲班 李操作：37.8 °C，咳嗽"
    assert [f["value"] for f in zh["figures"]] == [f["value"] for f in en["figures"]]


def test_a_quiet_day_says_so(people, clock_at):
    clock_at(at(BRIEFING, 8, 30))
    for person in people.values():
        checkin(person, D)

    section = resolve(sections.health_section(people["head"].organization, BRIEFING), "en")

    assert section["flags"] == []
    assert section["quiet"] == "No abnormal check-ins and no overdue follow-ups."
    assert section["tables"][0]["rows"] == []


def test_no_section_before_any_check_in_or_code(people):
    assert sections.health_section(people["head"].organization, BRIEFING) is None


# --- Unit daily reports --------------------------------------------------------------------


def report(unit, on: dt.date, hour: int, *, abnormal=0, known=0, cleared=False) -> UnitReport:
    """A unit's report of `on` first sent at `hour`, with one filing judged against `known`
    abnormal people; a filing saying less raises the flag (cleared by the office if asked)."""
    sent = at(on, hour)
    item = UnitReport.objects.create(
        organization=unit.organization,
        unit=unit,
        date=on,
        abnormal=abnormal,
        is_zero=abnormal == 0,
        submitted_at=sent,
    )
    contradicts = known > abnormal
    filing = UnitReportFiling.objects.create(
        organization=unit.organization,
        report=item,
        filed_at=sent,
        abnormal=abnormal,
        is_zero=abnormal == 0,
        abnormal_known=known,
        contradicts=contradicts,
        cleared_at=sent if contradicts and cleared else None,
    )
    if contradicts and not cleared:
        item.flag = filing
        item.save(update_fields=["flag"])
    return item


@pytest.fixture
def reporting(tree, people, clock_at):
    clock_at(at(BRIEFING, 8, 30))
    make_user("head1", person=people["head"], roles=[("unit_head", tree["plant1"])])
    make_user("head2", person=people["other_plant"], roles=[("unit_head", tree["plant2"])])
    report(tree["plant1"], D, 9, known=1)  # on time, a zero report while 1 was abnormal
    report(tree["plant1"], day(1), 11)  # late
    report(tree["plant2"], day(1), 9, known=2, abnormal=1, cleared=True)
    return tree


def test_unit_reports_on_time_late_missing_and_flagged(reporting, org):
    section = resolve(sections.reports_section(org, BRIEFING), "en")
    figures = {f["key"]: f["trend"] for f in section["figures"]}

    assert figures == {
        "health.reports.on_time": [0, 0, 0, 0, 0, 1, 1],
        "health.reports.late": [0, 0, 0, 0, 0, 1, 0],
        "health.reports.missing": [2, 2, 2, 2, 2, 0, 1],
        "health.reports.concealment": [0, 0, 0, 0, 0, 1, 1],
    }
    assert section["lines"] == [
        "2 units file a daily report: 1 on time, 0 late, 1 missing; 1 possible concealment."
    ]


def test_each_missing_unit_and_each_uncleared_concealment_is_named(reporting, org):
    section = resolve(sections.reports_section(org, BRIEFING), "en")

    assert section["flags"] == [
        {"kind": "overdue", "text": "第二水厂 did not file its daily report."},
        {
            "kind": "decision",
            "text": "第一水厂 reported abnormal people: 0, while its check-ins showed 1: "
            "possible concealment, for the office to check.",
        },
    ]
    assert section["tables"] == [
        {
            "title": "Unit daily reports",
            "header": ["Unit", "Status", "Filed at", "Abnormal reported", "Possible concealment"],
            "rows": [
                ["第一水厂", "On time", "09:00", 0, "To be checked"],
                ["第二水厂", "Missing", "—", "—", ""],
            ],
        }
    ]


def test_a_late_report_is_named_and_a_cleared_flag_asks_nothing(reporting, org):
    section = resolve(sections.reports_section(org, D), "en")

    assert section["flags"] == [
        {"kind": "overdue", "text": "第一水厂 filed its daily report late, at 11:00."}
    ]
    assert section["tables"][0]["rows"][1] == [
        "第二水厂",
        "On time",
        "09:00",
        1,
        "Cleared by the office",
    ]


def test_every_report_on_time_is_a_quiet_day(tree, people, org, clock_at):
    clock_at(at(BRIEFING, 8, 30))
    make_user("head1", person=people["head"], roles=[("unit_head", tree["plant1"])])
    report(tree["plant1"], D, 9)

    section = resolve(sections.reports_section(org, BRIEFING), "en")
    zh = resolve(sections.reports_section(org, BRIEFING), "zh-hans")

    assert section["flags"] == []
    assert section["quiet"] == "Every unit filed its daily report on time; no possible concealment."
    assert zh["quiet"] == "各单位均按时报送日报，未发现可能瞒报。"


def test_no_reports_section_without_reporting_units(people, org):
    assert sections.reports_section(org, BRIEFING) is None
