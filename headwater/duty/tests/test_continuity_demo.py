"""Duty's part of `headwater demo`: posts for the plants' control rooms, the dispatch desk,
the leader on duty and a repair team; a published roster of the current month for each that
keeps every hard rule (checked with rules.check); a flag with a suggested replacement; a
closed-loop group on site with the next one planned."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from headwater.core import demo as core_demo
from headwater.core.models import Organization
from headwater.duty import demo as duty_demo
from headwater.duty import rules
from headwater.duty.choices import FlagState, LoopState, RosterState
from headwater.duty.models import Leave, LoopGroup, Post, Roster, ShiftFlag
from headwater.duty.services import continuity_replace
from headwater.health import demo as health_demo


@pytest.fixture
def demo_org(db, settings, monkeypatch, clock_at):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(core_demo, "EXTENSIONS", [health_demo.build, duty_demo.build])
    clock_at(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC))
    call_command("demo", "--staff", "600", "--history-days", "2", stdout=StringIO())
    return Organization.objects.get(slug="demo")


def test_the_demo_rosters_keep_every_hard_rule_and_one_flag_gets_a_suggestion(demo_org):
    posts = set(Post.objects.filter(organization=demo_org).values_list("name", "kind", "critical"))
    assert posts == {
        ("第一水厂中控室", "control_room", True),
        ("第二水厂中控室", "control_room", True),
        ("第三水厂中控室", "control_room", True),
        ("调度中心值班台", "dispatch", True),
        ("带班领导", "leader", False),
        ("抢修一队24小时备勤", "repair_team", False),
    }
    rosters = Roster.objects.filter(organization=demo_org)
    assert rosters.count() == 6
    assert {r.state for r in rosters} == {RosterState.PUBLISHED}
    assert {(r.starts_on, r.ends_on) for r in rosters} == {
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    }
    leaves = Leave.objects.filter(organization=demo_org)
    for roster in rosters:
        # the only breaks: the people on sick leave for the flagged shifts
        breaks = rules.roster_breaks(roster)
        assert {b.person_id for b in breaks} <= set(leaves.values_list("person_id", flat=True))
        assert {b.rule.value for b in breaks} <= {"person_unavailable"}
    flags = ShiftFlag.objects.filter(organization=demo_org, state=FlagState.OPEN)
    assert flags.count() == 3
    assert all(continuity_replace.suggestions(f) for f in flags)
    groups = LoopGroup.objects.filter(organization=demo_org, post__name="第一水厂中控室")
    assert [(g.name, g.state) for g in groups] == [
        ("第一轮值组", LoopState.ON_SITE),
        ("第二轮值组", LoopState.PLANNED),
    ]
