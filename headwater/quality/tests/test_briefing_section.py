"""The water-quality section of the daily briefing (quality.sections): tasks, pass rates of
the day and the month with their week, exceedances, relaxations and reviews, named exactly;
the quiet day; both languages from the same figures.

The briefing of 03-11 reports 03-10 (D); its trend runs 03-04 … 03-10."""

import datetime as dt

import pytest

from headwater.core.tiles import resolve
from headwater.quality import sections
from headwater.quality.models import Relaxation, SamplingTask
from headwater.quality.tests.conftest import at
from headwater.quality.tests.test_reports import add_sample

D = dt.date(2025, 3, 10)
BRIEFING = D + dt.timedelta(days=1)


def day(n: int) -> dt.date:
    return D - dt.timedelta(days=n)


def task(point, on: dt.date, hour: int, status: str) -> SamplingTask:
    return SamplingTask.objects.create(
        organization=point.organization,
        point=point,
        lab=point.lab,
        indicators=["turbidity"],
        due_at=at(on, hour),
        deadline=at(on, hour + 4),
        status=status,
    )


def relaxation(approver, status: str, start: dt.date, end: dt.date) -> Relaxation:
    return Relaxation.objects.create(
        organization=approver.organization,
        indicator="turbidity",
        point_kind="finished",
        maximum="3",
        valid_from=start,
        valid_until=end,
        reason="汛期原水浑浊",
        risk_assessment="评估",
        status=status,
        proposed_by=approver,
    )


@pytest.fixture
def busy(points, approver, clock_at):
    fin, net = points["finished"], points["network"]
    clock_at(at(day(2), 10))
    add_sample(fin, at(day(2), 9), {"ph": "pass"}, status="entered")  # waiting since D-2
    clock_at(at(BRIEFING, 8, 30))
    add_sample(fin, at(D, 8), {"turbidity": "pass", "ph": ("fail", {"raw": "9.1"})})
    add_sample(fin, at(day(1), 8), {"turbidity": "pass", "ph": "pass"})
    add_sample(net, at(dt.date(2025, 3, 1), 8), {"turbidity": "fail"})
    add_sample(fin, at(D, 9), {"chlorine": "pass"}, status="entered")
    task(fin, D, 8, "done")
    task(net, D, 14, "missed")
    task(fin, day(1), 8, "done")
    relaxation(approver, "approved", day(3), D + dt.timedelta(days=2))
    relaxation(approver, "proposed", D + dt.timedelta(days=5), D + dt.timedelta(days=30))
    return points


def test_pass_rates_of_the_day_and_the_month_with_the_week(busy, org):
    section = resolve(sections.quality_section(org, BRIEFING), "en")
    figures = {f["key"]: f for f in section["figures"]}

    # D: 1 of 2 tests, 0 of 1 samples; D-1: 2 of 2, 1 of 1. Month: 03-01's failing sample too.
    assert figures["quality.pass_rate"]["trend"] == [None, None, None, None, None, 100.0, 50.0]
    assert figures["quality.sample_pass_rate"]["trend"] == [None] * 5 + [100.0, 0.0]
    assert figures["quality.pass_rate.month"]["trend"] == [0.0, 0.0, 0.0, 0.0, 0.0, 66.67, 60.0]
    assert figures["quality.sample_pass_rate.month"]["trend"] == [0.0] * 5 + [50.0, 33.33]
    assert figures["quality.pass_rate.month"]["text"] == "60.00"
    assert figures["quality.pass_rate.month"]["previous_text"] == "66.67"


def test_tasks_exceedances_relaxations_and_reviews_by_day(busy, org):
    section = resolve(sections.quality_section(org, BRIEFING), "en")
    figures = {f["key"]: f for f in section["figures"]}

    assert figures["quality.tasks.done"]["trend"] == [0, 0, 0, 0, 0, 1, 1]
    assert figures["quality.tasks.missed"]["trend"] == [0, 0, 0, 0, 0, 0, 1]
    assert figures["quality.exceedances"]["trend"] == [0, 0, 0, 0, 0, 0, 1]
    assert figures["quality.relaxations"]["trend"] == [0, 0, 0, 1, 1, 1, 1]
    assert figures["quality.awaiting_review"]["trend"] == [None] * 6 + [2]
    assert figures["quality.awaiting_review"]["previous"] is None
    assert section["lines"] == [
        "03-10: tests 50.00%, samples 0.00% pass.",
        "Month to date: tests 60.00%, samples 33.33% pass (target 95%).",
        "Exceedances: 1; results awaiting review: 2.",
        "Sampling tasks: 1 done, 1 missed, 0 still open.",
        "Relaxations in force: 1.",
    ]


def test_every_exception_is_named(busy, org):
    section = resolve(sections.quality_section(org, BRIEFING), "en")

    assert section["flags"] == [
        {
            "kind": "abnormal",
            "text": "FIN-1 一厂出厂水: pH 9.1 exceeds the limit ≤1 NTU (sampled at 08:00).",
        },
        {
            "kind": "abnormal",
            "text": "The pass rate of tests this month, 60.00%, is below the 95% target.",
        },
        {
            "kind": "abnormal",
            "text": "The pass rate of samples this month, 33.33%, is below the 95% target.",
        },
        {"kind": "overdue", "text": "NET-1 河东管网末梢: the sampling due at 14:00 was missed."},
        {
            "kind": "decision",
            "text": "The relaxation of Turbidity (Finished water) ends on 2025-03-12: "
            "extend it or let it end.",
        },
        {
            "kind": "decision",
            "text": "A relaxation of Turbidity (Finished water, 2025-03-15 to 2025-04-09) "
            "awaits approval.",
        },
        {"kind": "decision", "text": "FIN-1 一厂出厂水: results awaiting review since 03-08: 1."},
    ]
    assert section["quiet"] == ""


def test_the_tables_list_exceedances_missed_tasks_and_relaxations(busy, org):
    tables = resolve(sections.quality_section(org, BRIEFING), "en")["tables"]

    assert [t["title"] for t in tables] == [
        "Exceedances",
        "Missed sampling tasks",
        "Relaxations in force",
    ]
    assert tables[0]["rows"] == [["FIN-1 一厂出厂水", "08:00", "pH", "9.1", "≤1 NTU", "Approved"]]
    assert tables[1]["rows"] == [["NET-1 河东管网末梢", "14:00", "中心化验室"]]
    assert tables[2]["header"] == [
        "Indicator",
        "Point kind",
        "Relaxed limit",
        "Valid from",
        "Valid until",
        "Reason",
    ]
    assert tables[2]["rows"] == [
        ["Turbidity", "Finished water", "≤3", "2025-03-07", "2025-03-12", "汛期原水浑浊"]
    ]


def test_the_section_reads_in_chinese_from_the_same_figures(busy, org):
    zh = resolve(sections.quality_section(org, BRIEFING), "zh-hans")
    en = resolve(sections.quality_section(org, BRIEFING), "en")

    assert zh["title"] == "水质"
    units = {f["key"]: f["unit"] for f in zh["figures"]}
    assert (units["quality.tasks.missed"], units["quality.exceedances"]) == ("个", "项")
    assert zh["tables"][2]["rows"][0][:2] == ["浑浊度", "出厂水"]
    assert zh["flags"][3]["text"] == "NET-1 河东管网末梢：14:00 应完成的采样已漏采。"
    assert [f["value"] for f in zh["figures"]] == [f["value"] for f in en["figures"]]


def test_a_quiet_day_says_so(points, org, clock_at):
    clock_at(at(BRIEFING, 8, 30))
    add_sample(points["finished"], at(D, 8), {"turbidity": "pass"})
    task(points["finished"], D, 8, "done")

    section = resolve(sections.quality_section(org, BRIEFING), "en")

    assert section["flags"] == []
    assert section["tables"] == []
    assert section["quiet"] == "Every result within its limit; no sampling task missed."


def test_no_section_for_an_organization_without_results_or_tasks(points, org):
    assert sections.quality_section(org, BRIEFING) is None
