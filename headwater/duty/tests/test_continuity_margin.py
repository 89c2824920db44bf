"""The 14-day staffing margin of critical posts with the test clock (qualified available
people vs the people the day's shifts need), the office alerted once per post and day that
falls short, and the reserve pool's view."""

import pytest
import time_machine

from headwater.alerts.models import Alert, InboxItem
from headwater.duty.models import Eligibility, Leave
from headwater.duty.services import continuity_margin
from headwater.duty.tests.continuity_helpers import BEFORE, day, set_code
from headwater.duty.tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evening_before():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def shortages(control_room, operators, org):
    """4 licensed operators; operators[0] red until day 3, [1] [2] [3] on leave on day 1."""
    set_code(operators[0], "red", green_on=day(3))
    for person in operators[1:4]:
        Leave.objects.create(
            organization=org, person=person, kind="sick", starts_on=day(1), ends_on=day(1)
        )


def test_the_margin_counts_qualified_available_people_against_the_day_s_need(
    control_room, shortages, tree
):
    make_post(tree["plant2"], "二厂中控室")  # not critical: not watched
    [margin] = continuity_margin.margins(
        continuity_margin.critical_posts(control_room.organization)
    )
    assert margin.post == control_room
    figures = [(d.day, d.available, d.needed, d.margin) for d in margin.days]
    assert len(figures) == 14
    assert figures[0] == (day(-1), 3, 2, 1)  # "today" is the day before the roster
    assert figures[1:5] == [
        (day(0), 3, 2, 1),
        (day(1), 0, 2, -2),
        (day(2), 3, 2, 1),
        (day(3), 4, 2, 2),  # green again from day 3
    ]
    assert (margin.lowest.day, margin.lowest.margin) == (day(1), -2)


def test_the_office_is_alerted_once_per_post_and_day_short(
    control_room, shortages, office_user, unit_head_user
):
    assert continuity_margin.alert_shortfalls(control_room.organization) == 1
    assert continuity_margin.alert_shortfalls(control_room.organization) == 1  # a no-op
    alert = Alert.objects.get(kind="duty.margin")
    assert alert.title == "第一水厂中控室 2026-03-10 合格人员缺 2 人"
    assert alert.dedup_key == f"duty.margin:{control_room.pk}:2026-03-10"
    assert list(InboxItem.objects.filter(alert=alert).values_list("user", flat=True)) == [
        office_user.pk
    ]


def test_no_alert_when_every_day_has_its_minimum(control_room, office_user):
    assert continuity_margin.alert_shortfalls(control_room.organization) == 0
    assert Alert.objects.filter(kind="duty.margin").count() == 0


def test_the_reserve_pool_shows_who_is_qualified_and_free(control_room, people, operators, org):
    Eligibility.objects.create(
        organization=org, post=control_room, person=people["other_plant"], reserve=True
    )
    Eligibility.objects.create(
        organization=org, post=control_room, person=people["clerk"], reserve=True
    )
    set_code(people["clerk"], "yellow")
    rows = continuity_margin.reserve_pool([control_room])
    assert [(r.name, r.qualified, r.free, r.reason) for r in rows] == [
        ("钱文员", False, False, "黄码"),
        ("赵二厂", False, True, ""),
    ]
