"""Flags when someone rostered becomes unavailable: a code turning red or yellow, an
epidemiological status, leave — every future shift of a published roster flagged at once
(one open flag per assignment), the unit head alerted once per flag, and the flag cleared
when the person is available again before the shift."""

import datetime as dt

import pytest
import time_machine

from headwater.alerts.models import Alert, InboxItem
from headwater.duty.choices import FlagState, RosterState
from headwater.duty.models import Leave, ShiftFlag
from headwater.duty.services import continuity
from headwater.duty.tests.continuity_helpers import BEFORE, day, publish_roster, set_code, shifts_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evening_before():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def roster(control_room, operators):
    return publish_roster(control_room, operators[:4])


def open_flags():
    return list(
        ShiftFlag.objects.filter(state=FlagState.OPEN)
        .order_by("assignment__shift__starts_at")
        .values_list("assignment__shift__starts_at__date", "assignment__shift__label", "reason")
    )


def test_a_code_turning_red_flags_each_future_shift_and_alerts_the_unit_head(
    roster, operators, unit_head_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_code(operators[0], "red")
    # operators[0] has the day shift of days 0, 2, 4 and 6
    assert [(d, r) for d, _label, r in open_flags()] == [
        (day(0), "红码"),
        (day(2), "红码"),
        (day(4), "红码"),
        (day(6), "红码"),
    ]
    alerts = Alert.objects.filter(kind="duty.flag")
    assert alerts.count() == 4
    assert set(InboxItem.objects.filter(alert__in=alerts).values_list("user", flat=True)) == {
        unit_head_user.pk
    }
    assert alerts.first().title.startswith("李操作")


def test_a_yellow_code_flags_only_the_shifts_before_it_turns_green(
    roster, operators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_code(operators[0], "yellow", green_on=day(3))
    assert [(d, r) for d, _label, r in open_flags()] == [(day(0), "黄码"), (day(2), "黄码")]


def test_an_epidemiological_status_flags_the_shifts_at_once(
    roster, operators, office_user, django_capture_on_commit_callbacks
):
    from headwater.health.services.statuses import set_status

    with django_capture_on_commit_callbacks(execute=True):
        set_status(operators[1], "close_contact", day(-1), by=office_user)
    assert [(d, r) for d, _label, r in open_flags()] == [
        (day(0), "密切接触者"),
        (day(2), "密切接触者"),
        (day(4), "密切接触者"),
        (day(6), "密切接触者"),
    ]


def test_leave_flags_its_days_and_the_flag_clears_when_the_leave_is_withdrawn(
    roster, operators, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        leave = Leave.objects.create(
            organization=org, person=operators[2], kind="sick", starts_on=day(1), ends_on=day(3)
        )
    assert open_flags() == [(day(1), "白班", "病假"), (day(3), "白班", "病假")]
    with django_capture_on_commit_callbacks(execute=True):
        leave.delete()
    assert open_flags() == []
    assert ShiftFlag.objects.filter(state=FlagState.CLEARED).count() == 2


def test_a_flag_clears_itself_when_the_code_turns_green_before_the_shift(
    roster, operators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_code(operators[0], "red")
    with django_capture_on_commit_callbacks(execute=True):
        set_code(operators[0], "green")
    assert open_flags() == []
    cleared = ShiftFlag.objects.filter(state=FlagState.CLEARED)
    assert cleared.count() == 4
    assert all(f.resolved_at is not None for f in cleared)


def test_a_sweep_again_raises_no_second_flag_nor_alert(roster, operators, org):
    set_code(operators[0], "red")  # not announced: the periodic sweep catches it
    assert continuity.sweep(org) == (4, 0)
    assert continuity.sweep(org) == (0, 0)
    assert ShiftFlag.objects.count() == 4


def test_started_shifts_and_draft_rosters_are_not_flagged(control_room, operators, org):
    publish_roster(control_room, operators[:4], start=day(-1), days=1)  # over by now
    publish_roster(control_room, operators[:4], start=day(10), state=RosterState.DRAFT)
    set_code(operators[0], "red")
    assert continuity.sweep(org) == (0, 0)


def test_the_periodic_task_sweeps_every_organization_with_a_published_roster(roster, operators):
    from headwater.duty.tasks_continuity import sweep_flags

    set_code(operators[3], "red")
    sweep_flags.call_local()
    assert [d for d, _label, _r in open_flags()] == [day(1), day(3), day(5)]
    assert shifts_of(operators[3], roster)[0].label == "夜班"


def test_other_people_s_changes_leave_the_roster_alone(
    roster, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_code(people["other_plant"], "red")
    assert ShiftFlag.objects.count() == 0
    assert dt.date(2026, 3, 9) == day(0)
