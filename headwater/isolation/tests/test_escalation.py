"""A missing daily follow-up goes to the unit head at the due time and to the office at the
second time, once per level and day."""

import datetime as dt

import pytest

from headwater.alerts.models import Alert
from headwater.core.tests.factories import make_user
from headwater.isolation import services
from headwater.isolation.tests.conftest import DAY, at, check, open_case, setting

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(org, office_user, people, monitor, unit_head_user, time_machine):
    time_machine.move_to(at(9))
    return [
        open_case(org, office_user, people["operator"], monitor=monitor),
        open_case(org, office_user, people["other_plant"], monitor=monitor),
    ]


def keys():
    return sorted(Alert.objects.values_list("dedup_key", flat=True))


def sweep(org, when):
    return services.escalate_missing_checks(org, when)


def test_nothing_is_raised_before_the_due_time(org, cases):
    assert sweep(org, at(17, 59)) == 0
    assert keys() == []


def test_at_the_due_time_each_units_head_is_told_once(org, cases, tree):
    assert sweep(org, at(18)) == 2
    assert sweep(org, at(18, 5)) == 0

    assert keys() == sorted(
        [
            f"isolation.missing:{DAY}:unit_head:{tree['plant2'].pk}",
            f"isolation.missing:{DAY}:unit_head:{tree['shift_a'].pk}",
        ]
    )
    alert = Alert.objects.get(unit=tree["shift_a"])
    assert "李操作" in alert.body
    assert [i.user.username for i in alert.inbox_items.all()] == ["head"]


def test_a_case_followed_up_in_time_is_not_raised(org, cases, monitor, tree):
    check(cases[0], monitor)

    assert sweep(org, at(18)) == 1
    assert keys() == [f"isolation.missing:{DAY}:unit_head:{tree['plant2'].pk}"]


def test_the_office_is_told_at_the_second_time_once(org, cases, office_user):
    sweep(org, at(18))
    assert sweep(org, at(19, 59)) == 0
    assert sweep(org, at(20)) == 1
    assert sweep(org, at(20, 10)) == 0

    office = Alert.objects.get(dedup_key=f"isolation.missing:{DAY}:office")
    assert (office.severity, office.body) == (
        "critical",
        "各单位未盯控人数：运行甲班 1，第二水厂 1",
    )
    assert [i.user.username for i in office.inbox_items.all()] == ["office"]


def test_a_late_sweep_raises_both_levels_at_once(org, cases):
    assert sweep(org, at(21)) == 3


def test_the_next_day_is_raised_again(org, cases):
    sweep(org, at(21))
    next_day = DAY + dt.timedelta(days=1)

    assert sweep(org, at(18, day=next_day)) == 2
    assert len(keys()) == 5


def test_the_times_are_per_level_settings(org, cases):
    setting(org, "isolation.followup_due_at", "12:00")
    setting(org, "isolation.followup_escalate_office_at", "13:00")

    assert sweep(org, at(11, 59)) == 0
    assert sweep(org, at(12)) == 2
    assert sweep(org, at(13)) == 1


def test_a_case_opened_after_the_due_time_is_due_the_next_day(
    org, office_user, people, time_machine
):
    make_user("head2", person=people["head"])
    time_machine.move_to(at(19))
    open_case(org, office_user, people["operator"])

    assert sweep(org, at(20)) == 0
