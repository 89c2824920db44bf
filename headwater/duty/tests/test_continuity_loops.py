"""Closed-loop groups: the group's health watched as one, and the rotation hand-over refused
unless every incoming member holds a green code (naming who does not), changing nothing."""

import pytest

from headwater.core.errors import DomainError, NotAllowed
from headwater.duty.choices import LoopState
from headwater.duty.inputs_continuity import GroupInput
from headwater.duty.models import LoopGroup
from headwater.duty.services import continuity_loops
from headwater.duty.tests.continuity_helpers import D, day, set_code

pytestmark = pytest.mark.django_db


def group(post, name, members, state=LoopState.PLANNED, start=0):
    g = LoopGroup.objects.create(
        organization=post.organization,
        post=post,
        name=name,
        starts_on=day(start),
        ends_on=day(start + 13),
        state=state,
    )
    g.members.set(members)
    return g


@pytest.fixture
def groups(control_room, operators):
    on_site = group(control_room, "第一组", operators[:3], LoopState.ON_SITE)
    incoming = group(control_room, "第二组", operators[3:], start=14)
    for person in operators:
        set_code(person, "green")
    return on_site, incoming


def test_a_member_with_a_red_code_flags_the_whole_group(groups, operators):
    set_code(operators[1], "red")
    health = {h.group.name: h for h in continuity_loops.health(LoopGroup.objects.all(), D)}
    assert (health["第一组"].ok, health["第二组"].ok) == (False, True)
    assert [(m.person.name, m.colour) for m in health["第一组"].problems] == [("操作员1", "red")]


def test_the_hand_over_is_refused_for_an_incoming_member_not_green(
    groups, operators, unit_head_user
):
    on_site, incoming = groups
    set_code(operators[4], "yellow")
    with pytest.raises(DomainError) as refused:
        continuity_loops.hand_over(incoming, by=unit_head_user)
    assert refused.value.message == "交接须接班组全员绿码：操作员4（黄码）。"
    on_site.refresh_from_db()
    incoming.refresh_from_db()
    assert (on_site.state, incoming.state) == (LoopState.ON_SITE, LoopState.PLANNED)


def test_the_hand_over_with_every_incoming_code_green(groups, unit_head_user):
    on_site, incoming = groups
    result, created = continuity_loops.hand_over(
        incoming, by=unit_head_user, outgoing_to=LoopState.RESERVE
    )
    assert created
    on_site.refresh_from_db()
    assert (on_site.state, result.state) == (LoopState.RESERVE, LoopState.ON_SITE)
    assert continuity_loops.hand_over(incoming, by=unit_head_user) == (result, False)


def test_staff_may_not_hand_over(groups, staff_user):
    with pytest.raises(NotAllowed):
        continuity_loops.hand_over(groups[1], by=staff_user)
    assert LoopGroup.objects.get(pk=groups[1].pk).state == LoopState.PLANNED


def test_a_group_of_people_off_the_post_is_refused(control_room, people, unit_head_user):
    data = GroupInput.parse(
        {
            "name": "第三组",
            "starts_on": "2026-03-09",
            "ends_on": "2026-03-22",
            "member_ids": [people["clerk"].pk],
        }
    )
    with pytest.raises(DomainError):
        continuity_loops.create_group(control_room, data, by=unit_head_user)
    assert LoopGroup.objects.count() == 0


def test_a_group_input_names_every_bad_field():
    with pytest.raises(DomainError) as refused:
        GroupInput.parse({"name": "", "starts_on": "2026-03-09", "ends_on": "2026-03-01"})
    assert set(refused.value.fields) == {"name", "ends_on", "member_ids"}
