"""The isolation section of the daily briefing: figures hand-computed over a week of cases."""

import datetime as dt

import pytest

from headwater.core.tiles import FlagKind, resolve
from headwater.isolation import services
from headwater.isolation.sections import isolation_section
from headwater.isolation.tests.conftest import DAY, at, check, open_case

pytestmark = pytest.mark.django_db
BRIEFING = DAY + dt.timedelta(days=3)  # reports DAY + 2


def test_no_section_for_an_organization_that_never_had_a_case(org):
    assert isolation_section(org, BRIEFING) is None


def test_the_section_counts_new_released_and_current_cases(
    org, office_user, people, monitor, time_machine
):
    # DAY: 李操作 and 王厂长 isolated. DAY+1: 赵二厂 isolated, 王厂长 released (override).
    # DAY+2: 钱文员 isolated; 李操作 followed up, 赵二厂 not; 李操作's release proposed.
    time_machine.move_to(at(9))
    li = open_case(org, office_user, people["operator"], monitor=monitor)
    wang = open_case(org, office_user, people["head"])
    time_machine.move_to(at(9, day=DAY + dt.timedelta(days=1)))
    zhao = open_case(org, office_user, people["other_plant"], monitor=monitor)
    services.approve_release(wang, by=office_user, override="误报")
    day2 = DAY + dt.timedelta(days=2)
    time_machine.move_to(at(9, day=day2))
    open_case(org, office_user, people["clerk"], started_on=day2)
    check(li, monitor)
    li.planned_end = day2
    li.save(update_fields=["planned_end"])
    check(li, monitor)  # two normal follow-ups: may be released
    services.propose_release(li, by=monitor)
    time_machine.move_to(at(9, day=BRIEFING))

    section = isolation_section(org, BRIEFING)

    figures = {f.key: (f.value, f.previous, f.trend) for f in section.figures}
    zeros = [0, 0, 0, 0]
    assert figures["isolation.opened"] == (1, 1, zeros + [2, 1, 1])
    assert figures["isolation.released"] == (0, 1, zeros + [0, 1, 0])
    assert figures["isolation.current"] == (3, 2, zeros + [2, 2, 3])
    overdue = [str(f.text) for f in section.flags if f.kind == FlagKind.OVERDUE]
    decisions = [str(f.text) for f in section.flags if f.kind == FlagKind.DECISION]
    # 钱文员 and 赵二厂 had no follow-up on DAY+2 (in the tree's order); 李操作 had.
    assert overdue == ["金溪水务集团 钱文员：盯控人未登记盯控", "第二水厂 赵二厂：盯控人未登记盯控"]
    assert decisions == ["李操作：已申请解除隔离，待防疫办审批"]
    assert zhao.pk
    data = resolve(section, "zh-hans")
    assert data["lines"][0] == "当日末在隔离 3 人；新增 1 人，解除 0 人。"
    assert data["key"] == "isolation" and data["order"] == 40
