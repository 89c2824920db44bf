"""Regenerating a day: a new version only when something changed, the earlier version kept,
what changed listed."""

import pytest

from headwater.briefing import services
from headwater.briefing.models import Briefing
from headwater.core.tiles import Flag, FlagKind, Text

from .conftest import DAY


@pytest.fixture(autouse=True)
def _clock(morning):
    pass


def test_regenerating_with_nothing_changed_returns_the_latest_and_stores_nothing(
    org, fake_sections, morning
):
    first, _ = services.generate(org, DAY)
    morning.shift(3600)

    again, created = services.generate(org, DAY)

    assert (again.pk, created) == (first.pk, False)
    assert Briefing.objects.count() == 1


def test_a_change_makes_version_two_and_keeps_version_one(org, fake_sections, morning):
    first, _ = services.generate(org, DAY)
    fake_sections.rate = 98.0
    fake_sections.abnormal = 1
    fake_sections.extra_flags = [Flag(FlagKind.ABNORMAL, Text.plain("赵二厂咳嗽"))]
    morning.shift(3600)

    second, created = services.generate(org, DAY)

    first.refresh_from_db()
    assert created
    assert (first.version, first.is_latest, second.version, second.is_latest) == (1, False, 2, True)
    assert second.number == first.number == 1
    assert first.doc("zh-hans")["key_points"] == ["全集团各项指标正常，无异常情况报告（零报告）。"]
    assert (first.quiet, first.flags, second.quiet, second.flags) == (True, 0, False, 1)
    zh = second.doc("zh-hans")
    assert (zh["version"], zh["issued_at"]) == (2, "2026-12-04 09:30")
    assert zh["changes"] == [
        "打卡率：97.0 → 98.0%。",
        "异常人数：0 → 1人。",
        "健康打卡 — 新增：赵二厂咳嗽",
        "健康打卡 — 改为：应打卡100人，已打卡98人。",
        "健康打卡 — “异常人员”：0 行 → 1 行。",
    ]
    assert second.doc("en")["changes"][0] == "打卡率: 97.0 → 98.0%."
    assert list(Briefing.objects.order_by("version").values_list("version", "is_latest")) == [
        (1, False),
        (2, True),
    ]


def test_a_cleared_flag_is_listed_as_cleared(org, fake_sections):
    fake_sections.extra_flags = [Flag(FlagKind.OVERDUE, Text.plain("第二水厂未报"))]
    services.generate(org, DAY)
    fake_sections.extra_flags = []

    second, _ = services.generate(org, DAY)

    assert second.doc("zh-hans")["changes"] == ["健康打卡 — 已消除：第二水厂未报"]
    assert second.doc("zh-hans")["quiet"] is True


def test_generating_is_audited_without_the_document(org, fake_sections, office_user):
    from auditlog.models import LogEntry

    briefing, _ = services.generate(org, DAY, by=office_user)

    entry = LogEntry.objects.get_for_object(briefing).get()
    assert entry.actor == office_user
    assert "content" not in entry.changes_dict
    assert entry.changes_dict["version"] == [None, 1]
