"""Fixtures of the briefing tests: the registered sections replaced by small fakes whose
figures and flags the tests set, and a fixed clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy as _

from headwater.alerts.tests.conftest import make_channel, robot  # noqa: F401 (fixtures)
from headwater.core import tiles
from headwater.core.tiles import BriefingSection, Figure, Flag, FlagKind, Table, Text

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The briefing of 2026-12-03 is generated the next morning.
DAY = dt.date(2026, 12, 3)
MORNING = dt.datetime(2026, 12, 4, 8, 30, tzinfo=SHANGHAI)


class FakeSections:
    """What the two fake providers report: tests change `health`/`quality` between runs."""

    def __init__(self):
        self.busy = False
        self.abnormal = 0
        self.rate = 97.0
        self.extra_flags: list[Flag] = []
        self.asked: list[dt.date] = []

    def health(self, organization, date):
        self.asked.append(date)
        flags = []
        if self.busy:
            flags = [
                Flag(FlagKind.ABNORMAL, Text.plain("李操作体温38.2℃")),
                Flag(FlagKind.OVERDUE, Text.plain("第二水厂未按时报送日报")),
            ]
        return BriefingSection(
            _("Health check-ins"),
            key="health",
            order=10,
            lines=[Text.plain(f"应打卡100人，已打卡{self.rate:.0f}人。")],
            figures=[
                Figure(
                    "health.rate",
                    Text.plain("打卡率"),
                    self.rate,
                    96.5,
                    [95.0, 96.0, None, 96.0, 97.5, 96.5, self.rate],
                    "%",
                    "up",
                    1,
                ),
                Figure(
                    "health.abnormal",
                    Text.plain("异常人数"),
                    self.abnormal,
                    2,
                    [1, 2, 2, 3, 2, 2, self.abnormal],
                    "人",
                    "down",
                ),
            ],
            tables=[
                Table(
                    Text.plain("异常人员"), ["单位", "姓名"], [["第一水厂", "李*"]] * self.abnormal
                )
            ],
            flags=flags + self.extra_flags,
            quiet=Text.plain("全员健康打卡无异常。"),
        )

    def quality(self, organization, date):
        flags = (
            [Flag(FlagKind.DECISION, Text.plain("第一水厂浊度限值放宽待审批"))] if self.busy else []
        )
        return BriefingSection(
            Text.plain("供水水质"),
            key="quality",
            order=20,
            figures=[Figure("quality.rate", Text.plain("合格率"), 100.0, 100.0, [], "%", "up", 1)],
            flags=flags,
            quiet=Text.plain("各采样点水质全部合格。"),
        )


@pytest.fixture
def fake_sections(monkeypatch):
    """Only the two fake sections are registered for the test."""
    fake = FakeSections()
    monkeypatch.setattr(tiles, "BRIEFING_SECTIONS", [fake.quality, fake.health])
    return fake


@pytest.fixture
def morning(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return time_machine


@pytest.fixture
def leader_user(people):
    from headwater.core.tests.factories import make_user

    return make_user("leader", person=people["other_plant"], roles=[("leader", None)])


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (robot deliveries, the e-mail) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
