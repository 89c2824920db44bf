"""Generating a roster with CP-SAT: every hard rule kept (rules.check finds nothing), hours
balanced within one shift, wishes honoured, unavailable people left out, the reserve drawn
on only when the team cannot cover, and an impossible period explained (post, day, rule)."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from headwater.core.errors import NotAllowed
from headwater.core.tests.factories import PersonFactory
from headwater.duty import rules
from headwater.duty.choices import PreferenceKind, RosterState
from headwater.duty.errors import DutyError
from headwater.duty.models import (
    Assignment,
    Eligibility,
    Leave,
    Post,
    Preference,
    Roster,
    Shift,
)
from headwater.duty.services import rosters
from headwater.duty.tests.factories import make_post
from headwater.health.models import HealthCode

D = dt.date(2026, 3, 9)  # a Monday


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def hours_by_person(roster) -> Counter:
    hours = Counter()
    for a in Assignment.objects.filter(shift__roster=roster).select_related("shift"):
        hours[a.person_id] += (a.shift.ends_at - a.shift.starts_at).total_seconds() / 3600
    return hours


def people_on(roster, on: dt.date) -> set[int]:
    return {
        a.person_id
        for a in Assignment.objects.filter(shift__roster=roster).select_related("shift")
        if timezone.localtime(a.shift.starts_at).date() == on
    }


def test_a_generated_week_keeps_every_hard_rule(control_room, tree, unit_head_user, operators):
    roster, created = rosters.generate(tree["plant1"], D, day(6), by=unit_head_user)
    assert created is True
    assert roster.state == RosterState.DRAFT
    assert roster.solver_status in ("optimal", "feasible")
    assert roster.objective is not None and roster.solve_seconds > 0
    assert roster.shifts.count() == 14
    assert rules.roster_breaks(roster) == []
    assert Assignment.objects.filter(shift__roster=roster).count() == 14  # no one beyond 1


def test_hours_are_balanced_within_one_shift_over_two_weeks(control_room, tree, unit_head_user):
    Post.objects.filter(pk=control_room.pk).update(min_people=2)  # two licensed or not
    roster, _ = rosters.generate(tree["plant1"], D, day(13), by=unit_head_user)
    assert rules.roster_breaks(roster) == []
    hours = hours_by_person(roster)
    assert len(hours) == 6
    assert max(hours.values()) - min(hours.values()) <= 12  # one shift
    assert sum(hours.values()) == 14 * 2 * 2 * 12


def test_someone_with_a_red_code_or_on_leave_is_left_out(
    control_room, tree, unit_head_user, operators, org
):
    red, sick = operators[0], operators[1]
    HealthCode.objects.create(
        organization=org, person=red, colour="red", reason="密接", rule_set_version=1
    )
    Leave.objects.create(organization=org, person=sick, kind="sick", starts_on=D, ends_on=day(2))
    roster, _ = rosters.generate(tree["plant1"], D, day(6), by=unit_head_user)
    assigned = Assignment.objects.filter(shift__roster=roster)
    assert not assigned.filter(person=red).exists()
    assert sick.pk not in people_on(roster, D) | people_on(roster, day(1)) | people_on(
        roster, day(2)
    )
    assert rules.roster_breaks(roster) == []


def test_a_wish_is_honoured_when_possible(control_room, tree, unit_head_user, operators, org):
    wants_off, no_nights = operators[2], operators[3]
    Preference.objects.create(organization=org, person=wants_off, day=day(2), kind="day_off")
    for n in range(7):
        Preference.objects.create(
            organization=org, person=no_nights, day=day(n), kind=PreferenceKind.NO_NIGHT
        )
    roster, _ = rosters.generate(tree["plant1"], D, day(6), by=unit_head_user)
    assert wants_off.pk not in people_on(roster, day(2))
    mine = Assignment.objects.filter(shift__roster=roster, person=no_nights)
    assert mine.exists() and not mine.filter(shift__night=True).exists()


def test_the_reserve_is_drawn_on_only_when_the_team_cannot_cover(tree, people, unit_head_user):
    alone = people["operator"]
    spare = PersonFactory(unit=tree["plant2"], name="备班甲", employee_no="R1")
    post = make_post(tree["plant1"], "加压站", team=[alone])
    Eligibility.objects.create(
        organization=post.organization, post=post, person=spare, reserve=True
    )
    roster, _ = rosters.generate(tree["plant1"], D, day(1), by=unit_head_user)
    assert rules.roster_breaks(roster) == []
    by_person = Counter(
        Assignment.objects.filter(shift__roster=roster).values_list("person_id", flat=True)
    )
    # Two days, a day and a night shift each: one person cannot do them all (rest), the
    # reserve takes as few as it must.
    assert by_person == {alone.pk: 2, spare.pk: 2}


def test_the_leader_of_the_watch_rotates(tree, people, unit_head_user):
    leaders = [
        PersonFactory(unit=tree["plant1"], name=f"带班{i}", employee_no=f"L{i}") for i in (1, 2)
    ]
    post = make_post(tree["plant1"], "带班领导", pattern="full_day", team=leaders)
    Eligibility.objects.filter(post=post).update(is_leader=True)
    roster, _ = rosters.generate(tree["plant1"], D, day(3), by=unit_head_user)
    leads = Counter(
        Assignment.objects.filter(shift__roster=roster, leads=True).values_list(
            "person_id", flat=True
        )
    )
    assert leads == {leaders[0].pk: 2, leaders[1].pk: 2}


def test_a_period_short_of_qualified_people_is_explained(
    control_room, tree, unit_head_user, operators, org
):
    for person in operators[:4]:  # every licensed operator away on the 4th day
        Leave.objects.create(
            organization=org, person=person, kind="sick", starts_on=day(3), ends_on=day(3)
        )
    roster, _ = rosters.generate(tree["plant1"], D, day(6), by=unit_head_user)
    assert roster.solver_status == "infeasible"
    assert roster.objective is None
    assert not Assignment.objects.filter(shift__roster=roster).exists()
    assert [(e["post"], e["day"], e["rule"]) for e in roster.explanation] == [
        ("第一水厂中控室", "2026-03-12", DutyError.NOT_QUALIFIED),
        ("第一水厂中控室", "2026-03-12", DutyError.NOT_QUALIFIED),
    ]
    assert "0" in roster.explanation[0]["message"]


def test_a_period_the_weekly_hours_make_impossible_names_that_rule(tree, unit_head_user):
    crew = [
        PersonFactory(unit=tree["plant1"], name=f"值守{i}", employee_no=f"W{i}") for i in range(6)
    ]
    make_post(tree["plant1"], "调度台", min_people=3, team=crew)
    # Six days of two 12-hour shifts of three: 72 hours each, 60 allowed.
    roster, _ = rosters.generate(tree["plant1"], D, day(5), by=unit_head_user)
    assert roster.solver_status == "infeasible"
    rules_named = {e["rule"] for e in roster.explanation}
    assert rules_named == {DutyError.TOO_MANY_HOURS}
    first = roster.explanation[0]
    assert first["post"] == "调度台" and first["day"] and first["short"] >= 1
    assert "60" in first["message"]


def test_regenerating_a_draft_replaces_its_shifts_and_assignments(
    control_room, tree, unit_head_user
):
    first, _ = rosters.generate(tree["plant1"], D, day(2), by=unit_head_user)
    again, created = rosters.generate(tree["plant1"], D, day(2), by=unit_head_user)
    assert (again.pk, created) == (first.pk, False)
    assert Shift.objects.filter(roster=again).count() == 6
    assert Assignment.objects.filter(shift__roster=again).count() == 6


def test_a_unit_head_generates_only_for_their_units(control_room, tree, unit_head_user):
    make_post(tree["plant2"], "第二水厂中控室")
    with pytest.raises(NotAllowed):
        rosters.generate(tree["plant2"], D, day(6), by=unit_head_user)
    assert Roster.objects.count() == 0


def test_a_published_period_is_not_generated_again(control_room, tree, unit_head_user):
    roster, _ = rosters.generate(tree["plant1"], D, day(2), by=unit_head_user)
    rosters.publish(roster, by=unit_head_user)
    with pytest.raises(Exception) as refused:
        rosters.generate(tree["plant1"], day(1), day(4), by=unit_head_user)
    assert refused.value.code == DutyError.PUBLISHED
    assert Roster.objects.count() == 1
