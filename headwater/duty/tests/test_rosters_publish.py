"""Publishing refuses a roster that breaks a hard rule, naming each break, and changes
nothing; hand edits are free on a draft and refused on a published roster when they would
break a rule; every change is audited."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from headwater.core.errors import DomainError, NotAllowed
from headwater.duty.choices import AssignmentSource, RosterState
from headwater.duty.errors import DutyError
from headwater.duty.models import Assignment, Roster, Shift
from headwater.duty.services import rosters

D = dt.date(2026, 3, 9)


@pytest.fixture
def draft(control_room, tree, unit_head_user):
    roster, _ = rosters.generate(tree["plant1"], D, D + dt.timedelta(days=2), by=unit_head_user)
    return roster


def first_shifts(roster, n):
    return list(Shift.objects.filter(roster=roster).order_by("starts_at")[:n])


def test_a_roster_keeping_every_rule_is_published(draft, unit_head_user):
    roster, _ = rosters.publish(draft, by=unit_head_user)
    roster.refresh_from_db()
    assert roster.state == RosterState.PUBLISHED
    assert roster.published_by == unit_head_user and roster.published_at is not None


def test_publishing_a_broken_roster_names_each_break_and_changes_nothing(draft, unit_head_user):
    emptied = first_shifts(draft, 2)
    Assignment.objects.filter(shift__in=emptied).delete()
    with pytest.raises(DomainError) as refused:
        rosters.publish(draft, by=unit_head_user)
    message = refused.value.message
    assert refused.value.code == DutyError.INFEASIBLE
    assert message.startswith("此排班表违反 4 条硬性规则：1. ")
    for shift in emptied:
        assert f"{shift.label}" in message
    assert len(refused.value.fields["breaks"].splitlines()) == 4  # 2 × (people, qualified)
    draft.refresh_from_db()
    assert draft.state == RosterState.DRAFT and draft.published_at is None


def test_hand_edits_on_a_draft_are_free_and_audited(draft, unit_head_user, operators):
    shift = first_shifts(draft, 1)[0]
    on_it = Assignment.objects.get(shift=shift)
    other = next(p for p in operators if p.pk != on_it.person_id)
    added, created = rosters.assign(shift, other, by=unit_head_user)
    assert created and added.source == AssignmentSource.HAND
    assert rosters.assign(shift, other, by=unit_head_user)[1] is False  # a retry: nothing new
    rosters.unassign(on_it, by=unit_head_user)
    assert list(Assignment.objects.filter(shift=shift).values_list("person_id", flat=True)) == [
        other.pk
    ]
    actions = LogEntry.objects.filter(
        content_type__model="assignment", object_pk__in=[str(added.pk), str(on_it.pk)]
    )
    assert sorted(e.action for e in actions) == [0, 2]  # created, deleted
    assert {e.actor_id for e in actions} == {unit_head_user.pk}


def test_on_a_published_roster_a_shift_is_not_left_below_its_minimum(draft, unit_head_user):
    rosters.publish(draft, by=unit_head_user)
    shift = first_shifts(draft, 1)[0]
    only = Assignment.objects.get(shift=shift)
    with pytest.raises(DomainError) as refused:
        rosters.unassign(only, by=unit_head_user)
    assert refused.value.code == DutyError.BELOW_MINIMUM
    assert Assignment.objects.filter(pk=only.pk).exists()


def test_on_a_published_roster_overlapping_shifts_are_refused(draft, unit_head_user):
    rosters.publish(draft, by=unit_head_user)
    day, night = first_shifts(draft, 2)
    on_day = Assignment.objects.get(shift=day).person
    before = Assignment.objects.count()
    with pytest.raises(DomainError) as refused:
        rosters.assign(night, on_day, by=unit_head_user)
    assert refused.value.code == DutyError.REST_TOO_SHORT
    assert on_day.name in refused.value.message
    assert Assignment.objects.count() == before


def test_only_the_units_head_or_the_office_edit_and_publish(draft, staff_user, office_user, people):
    shift = first_shifts(draft, 1)[0]
    with pytest.raises(NotAllowed):
        rosters.assign(shift, people["head"], by=staff_user)
    with pytest.raises(NotAllowed):
        rosters.publish(draft, by=staff_user)
    assert Roster.objects.get().state == RosterState.DRAFT
    rosters.publish(draft, by=office_user)
    assert Roster.objects.get().state == RosterState.PUBLISHED
