"""Generating a day's briefing from the registered sections: the document, its key points
on a quiet and on a busy day, the issue number."""

import datetime as dt

import pytest

from headwater.briefing import services
from headwater.briefing.models import Briefing
from headwater.core.errors import DomainError, NotAllowed

from .conftest import DAY


@pytest.fixture(autouse=True)
def _clock(morning):
    pass


def test_a_quiet_day_says_so_plainly_in_both_languages(org, fake_sections):
    briefing, created = services.generate(org, DAY)

    assert created
    zh = briefing.doc("zh-hans")
    assert zh["title"] == "金溪水务集团疫情防控工作日报"
    assert zh["number"] == "2026年第1期"
    assert (zh["day"], zh["day_text"], zh["issued_at"]) == (
        "2026-12-03",
        "2026年12月3日",
        "2026-12-04 08:30",
    )
    assert (zh["issuer"], zh["level"], zh["version"], zh["quiet"]) == (
        "疫情防控办公室",
        "常态",
        1,
        True,
    )
    assert zh["key_points"] == ["全集团各项指标正常，无异常情况报告（零报告）。"]
    assert [s["quiet"] for s in zh["sections"]] == [
        "全员健康打卡无异常。",
        "各采样点水质全部合格。",
    ]
    assert zh["changes"] == []
    assert zh["link"] == f"http://127.0.0.1:8000/briefings/{briefing.pk}/"
    en = briefing.doc("en")
    assert en["title"] == "金溪水务集团 — Daily epidemic-prevention briefing"
    assert (en["number"], en["day_text"]) == ("No. 1 of 2026", "3 December 2026")
    assert en["key_points"] == [
        "Every indicator across the organization is normal; nothing abnormal was reported "
        "(zero report)."
    ]
    assert [s["title"] for s in en["sections"]] == ["Health check-ins", "供水水质"]


def test_sections_are_asked_for_the_morning_after_the_day_reported(org, fake_sections):
    services.generate(org, DAY)

    assert fake_sections.asked == [DAY + dt.timedelta(days=1)]


def test_a_quiet_day_names_the_figure_that_worsened_most(org, fake_sections):
    fake_sections.rate = 95.0

    briefing, _ = services.generate(org, DAY)

    assert briefing.doc("zh-hans")["key_points"] == [
        "全集团各项指标正常，无异常情况报告（零报告）。",
        "打卡率95.0%，较前日下降1.5%。",
    ]


def test_a_busy_day_puts_overdue_then_decisions_then_abnormal_then_worse_figures(
    org, fake_sections
):
    fake_sections.busy = True
    fake_sections.abnormal = 5
    fake_sections.rate = 95.0

    briefing, _ = services.generate(org, DAY)

    zh = briefing.doc("zh-hans")
    assert zh["quiet"] is False
    assert zh["key_points"] == [
        "逾期未办1项：第二水厂未按时报送日报。",
        "待决策事项1项：第一水厂浊度限值放宽待审批。",
        "异常情况1项：李操作体温38.2℃。",
        "异常人数5人，较前日上升3人。",
        "打卡率95.0%，较前日下降1.5%。",
    ]
    assert briefing.doc("en")["key_points"] == [
        "Overdue (1): 第二水厂未按时报送日报.",
        "Waiting for a decision (1): 第一水厂浊度限值放宽待审批.",
        "Abnormal (1): 李操作体温38.2℃.",
        "异常人数 5人, up 3人 on the day before.",
        "打卡率 95.0%, down 1.5% on the day before.",
    ]


def test_many_flags_of_a_kind_make_one_point_and_other_changes_fill_it_to_three(org, fake_sections):
    from headwater.core.tiles import Flag, FlagKind, Text

    fake_sections.extra_flags = [
        Flag(FlagKind.OVERDUE, Text.plain(f"第{n}班组未打卡")) for n in range(1, 5)
    ]

    briefing, _ = services.generate(org, DAY)

    assert briefing.doc("zh-hans")["key_points"] == [
        "逾期未办4项：第1班组未打卡；第2班组未打卡；第3班组未打卡等，另有1项。",
        "异常人数0人，较前日下降2人。",
        "打卡率97.0%，较前日上升0.5%。",
    ]


def test_issue_numbers_count_the_days_of_the_year_in_the_order_generated(org, fake_sections):
    first, _ = services.generate(org, DAY - dt.timedelta(days=1))
    second, _ = services.generate(org, DAY)
    earlier, _ = services.generate(org, DAY - dt.timedelta(days=5))
    other_year, _ = services.generate(org, dt.date(2025, 12, 31))

    assert (first.number, second.number, earlier.number, other_year.number) == (1, 2, 3, 1)
    assert second.doc("zh-hans")["number"] == "2026年第2期"


def test_a_future_day_is_refused_and_nothing_is_stored(org, fake_sections):
    with pytest.raises(DomainError) as refused:
        services.generate(org, dt.date(2026, 12, 5))

    assert refused.value.code == "future_day"
    assert Briefing.objects.count() == 0


def test_only_the_office_generates(org, fake_sections, unit_head_user, office_user):
    with pytest.raises(NotAllowed):
        services.generate(org, DAY, by=unit_head_user)
    assert Briefing.objects.count() == 0

    briefing, created = services.generate(org, DAY, by=office_user)
    assert (created, briefing.generated_by) == (True, office_user)


def test_the_real_providers_give_a_briefing(org, tree, people):
    briefing, created = services.generate(org, DAY)

    zh = briefing.doc("zh-hans")
    assert created
    assert [s["key"] for s in zh["sections"]][:1] == ["core"]
    assert len(zh["key_points"]) >= 1
    assert set(briefing.content) == {"zh-hans", "en"}
