"""Who sees duty rows, and leave feeding core.availability."""

import datetime as dt

from headwater.core import availability
from headwater.duty.models import Eligibility, Leave, Post, ShiftDef

D = dt.date(2026, 3, 10)


def test_everybody_sees_the_posts_and_their_shifts(control_room, staff_user, outsider):
    assert list(Post.objects.visible_to(staff_user)) == [control_room]
    assert ShiftDef.objects.visible_to(staff_user).count() == 2
    assert Post.objects.visible_to(outsider).count() == 0


def test_a_team_is_seen_by_its_unit_head_and_each_member_sees_their_own(
    control_room, unit_head_user, staff_user, office_user, people
):
    assert Eligibility.objects.visible_to(unit_head_user).count() == 6
    assert Eligibility.objects.visible_to(office_user).count() == 6
    mine = Eligibility.objects.visible_to(staff_user)
    assert [e.person_id for e in mine] == [people["operator"].pk]


def test_leave_makes_a_person_unavailable_for_its_days(people, org):
    operator = people["operator"]
    Leave.objects.create(
        organization=org, person=operator, kind="sick", starts_on=D, ends_on=D + dt.timedelta(2)
    )
    away = availability.unavailable([operator.pk, people["head"].pk], D + dt.timedelta(days=1))
    assert list(away) == [operator.pk]
    assert away[operator.pk].reason == "病假"
    assert availability.unavailable([operator.pk], D + dt.timedelta(days=3)) == {}
