"""Replacement suggestions for a flagged shift — only people who can take it under every hard
rule, ranked team before reserve, qualified, rested, fairest, nearest — and accepting one in
a tap: the shift handed over, the flag resolved, the replacement told; refusals change
nothing."""

import datetime as dt

import pytest
import time_machine

from headwater.alerts.models import InboxItem
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.duty.choices import AssignmentSource, FlagState
from headwater.duty.models import Assignment, Eligibility, Leave, ShiftFlag
from headwater.duty.services import continuity, continuity_replace
from headwater.duty.services.continuity_replace import Candidate
from headwater.duty.tests.continuity_helpers import BEFORE, day, publish_roster, set_code
from headwater.duty.tests.factories import qualify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evening_before():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def reservist(tree, control_room):
    person = PersonFactory(unit=tree["plant2"], name="孙后备", employee_no="R1")
    qualify(person)
    Eligibility.objects.create(
        organization=person.organization, post=control_room, person=person, reserve=True
    )
    return person


@pytest.fixture
def flag(control_room, operators, org, reservist):
    """operators[0]'s day shift of day 2 flagged (a red code)."""
    publish_roster(control_room, operators[:4])
    set_code(operators[0], "red")
    continuity.sweep(org)
    return ShiftFlag.objects.get(assignment__shift__starts_at__date=day(2))


def names(found):
    return [c.person.name for c in found]


def test_only_people_who_keep_every_hard_rule_are_suggested_team_first(flag, operators, reservist):
    # operators[1] is on the night of day 2 and operators[3] came off the night of day 1:
    # too little rest; operators[4] and [5] hold no licence and the shift needs one;
    # operators[0] is the one flagged.
    assert names(continuity_replace.suggestions(flag)) == ["操作员2", "孙后备"]
    best = continuity_replace.suggestions(flag)[0]
    assert (best.reserve, best.qualified, best.rest_hours, best.period_hours, best.nearness) == (
        False,
        True,
        12.0,
        36.0,  # the day shifts of days 1, 3 and 5
        1,
    )


def test_someone_on_leave_or_with_a_red_code_is_not_suggested(flag, operators, reservist, org):
    Leave.objects.create(
        organization=org, person=operators[2], kind="annual", starts_on=day(2), ends_on=day(2)
    )
    set_code(reservist, "red")
    assert continuity_replace.suggestions(flag) == []


def test_without_a_licence_needed_the_unlicensed_come_after_the_rested_and_fair(
    flag, control_room, operators
):
    control_room.min_qualified = 0
    control_room.save()
    # operators[4], [5] (no licence, no shifts) after operators[2] (licensed, 12 h rest)
    assert names(continuity_replace.suggestions(flag)) == [
        "操作员2",
        "操作员4",
        "操作员5",
        "孙后备",
    ]


def test_the_ranking_goes_team_qualified_rested_fairest_nearest():
    def c(name, **kw):
        values = dict(reserve=False, qualified=True, rest_hours=None, period_hours=0, nearness=0)
        values.update(kw)
        return Candidate(Person(pk=len(name), name=name), **values)

    found = [
        c("后备", reserve=True),
        c("无证", qualified=False),
        c("刚下班", rest_hours=12),
        c("满勤", period_hours=48),
        c("外单位", nearness=3),
        c("最佳"),
    ]
    assert [x.person.name for x in sorted(found, key=lambda x: x.rank_key)] == [
        "最佳",
        "外单位",
        "满勤",
        "刚下班",
        "无证",
        "后备",
    ]


def test_the_unit_head_accepts_a_replacement_in_a_tap(
    flag, operators, unit_head_user, django_capture_on_commit_callbacks
):
    user = make_user("op2", person=operators[2], roles=[("staff", None)])
    assignment_id = flag.assignment_id
    with django_capture_on_commit_callbacks(execute=True):
        result, created = continuity_replace.accept(flag, operators[2].pk, by=unit_head_user)
    assert created
    assert (result.state, result.replacement_id, result.person_id, result.resolved_by_id) == (
        FlagState.REPLACED,
        operators[2].pk,
        operators[0].pk,
        unit_head_user.pk,
    )
    assignment = Assignment.objects.get(pk=assignment_id)
    assert (assignment.person_id, assignment.source) == (
        operators[2].pk,
        AssignmentSource.REPLACEMENT,
    )
    told = InboxItem.objects.get(user=user, alert__kind="duty.replacement")
    assert told.alert.title == "请接替值守：第一水厂中控室 03-11 08:00 白班"
    # a second tap on the same person changes nothing
    assert continuity_replace.accept(flag, operators[2].pk, by=unit_head_user) == (result, False)


def test_accepting_someone_who_breaks_a_rule_is_refused_and_changes_nothing(
    flag, operators, unit_head_user
):
    with pytest.raises(DomainError) as refused:
        continuity_replace.accept(flag, operators[3].pk, by=unit_head_user)
    assert refused.value.message == (
        "操作员3在第一水厂中控室 03-10 夜班与第一水厂中控室 03-11 白班之间休息不足12小时。"
    )
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN
    assert flag.assignment.person_id == operators[0].pk


def test_staff_and_a_head_of_another_unit_may_not_accept(flag, operators, staff_user, tree, people):
    other_head = make_user(
        "head2", person=people["other_plant"], roles=[("unit_head", tree["plant2"])]
    )
    for user in (staff_user, other_head):
        with pytest.raises(NotAllowed):
            continuity_replace.accept(flag, operators[2].pk, by=user)
    flag.refresh_from_db()
    assert (flag.state, flag.assignment.person_id) == (FlagState.OPEN, operators[0].pk)


def test_a_flag_no_longer_open_or_a_started_shift_is_refused(flag, operators, unit_head_user):
    ShiftFlag.objects.filter(pk=flag.pk).update(state=FlagState.CLEARED)
    with pytest.raises(DomainError):
        continuity_replace.accept(flag, operators[2].pk, by=unit_head_user)
    ShiftFlag.objects.filter(pk=flag.pk).update(state=FlagState.OPEN)
    with time_machine.travel(flag.assignment.shift.starts_at + dt.timedelta(minutes=1)):
        with pytest.raises(DomainError):
            continuity_replace.accept(flag, operators[2].pk, by=unit_head_user)
    assert Assignment.objects.get(pk=flag.assignment_id).person_id == operators[0].pk


def test_drawing_a_reserve_person_onto_a_short_shift(
    control_room, operators, reservist, unit_head_user
):
    roster = publish_roster(control_room, operators[:4])
    shift = roster.shifts.get(starts_at__date=day(5), night=False)
    Assignment.objects.filter(shift=shift).delete()
    found = continuity_replace.candidates(shift)
    assert "孙后备" in names(found)
    assignment, created = continuity_replace.draw(shift, reservist.pk, by=unit_head_user)
    assert created and assignment.source == AssignmentSource.REPLACEMENT
    assert continuity_replace.draw(shift, reservist.pk, by=unit_head_user) == (assignment, False)
