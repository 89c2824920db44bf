"""Who sees which campaign rows: the office everything, a unit head their units' people (no
outsiders), a desk operator only the campaign they are listed for, anybody else nothing."""

from headwater.core.tests.factories import PersonFactory
from headwater.testing.models import Campaign, RosterEntry
from headwater.testing.tests.factories import add_operator, make_campaign, roster_outsider


def names(qs):
    return sorted(str(e) for e in qs)


def test_the_office_sees_every_entry_outsiders_included(office_user, roster, campaign):
    roster_outsider(campaign)
    assert RosterEntry.objects.visible_to(office_user).count() == len(roster) + 1


def test_a_unit_head_sees_only_their_units_people_and_no_outsiders(
    unit_head_user, roster, campaign
):
    roster_outsider(campaign)
    assert names(RosterEntry.objects.visible_to(unit_head_user)) == ["李操作 (E2)", "王厂长 (E1)"]
    assert Campaign.objects.visible_to(unit_head_user).count() == 1


def test_a_desk_operator_sees_their_campaign_only(org, desk_user, roster, campaign, tree):
    roster_outsider(campaign)
    other = make_campaign(org, name="第2轮")
    stranger = PersonFactory(unit=tree["plant2"], name="郑别轮", employee_no="D2")
    add_operator(other, stranger)
    assert list(Campaign.objects.visible_to(desk_user)) == [campaign]
    assert RosterEntry.objects.visible_to(desk_user).count() == len(roster) + 1


def test_staff_and_other_organizations_see_nothing(staff_user, outsider, roster):
    assert Campaign.objects.visible_to(staff_user).count() == 0
    assert RosterEntry.objects.visible_to(staff_user).count() == 0
    assert RosterEntry.objects.visible_to(outsider).count() == 0


def test_an_operator_listed_twice_never_doubles_a_row(org, desk_user, roster, campaign):
    assert RosterEntry.objects.visible_to(desk_user).count() == len(roster)
