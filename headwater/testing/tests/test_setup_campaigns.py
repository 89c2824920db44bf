"""Preparing a campaign: create, edit, open, close; its sites and desk operators. Every refusal
changes nothing; only the office may prepare a campaign."""

import datetime as dt

import pytest
import time_machine

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.testing.choices import CampaignState, TubeState
from headwater.testing.inputs_setup import CampaignInput, OperatorInput, SiteInput
from headwater.testing.models import Campaign, CampaignOperator, SamplingSite, Tube
from headwater.testing.services import setup
from headwater.testing.tests.factories import make_campaign, make_tubes


def campaign_data(**overrides) -> CampaignInput:
    today = clock.today()
    values = {
        "name": "全员核酸检测（第2轮）",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=1),
        "pool_size": 5,
        "bring": "身份证、口罩",
    }
    return CampaignInput.parse({**values, **overrides})


def snapshot(campaign):
    campaign.refresh_from_db()
    return (campaign.name, campaign.starts_on, campaign.ends_on, campaign.pool_size, campaign.state)


def test_the_office_creates_a_campaign_being_prepared(org, office_user):
    campaign, created = setup.create_campaign(org, campaign_data(), by=office_user)
    assert created is True
    assert (campaign.state, campaign.pool_size, campaign.created_by) == ("draft", 5, office_user)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": clock.today() - dt.timedelta(days=1)}, "ends_on"),
        ({"pool_size": 7}, "pool_size"),
        ({"name": ""}, "name"),
        ({"starts_on": "2.2."}, "starts_on"),
    ],
)
def test_a_bad_campaign_is_refused_naming_the_field(org, overrides, field):
    with pytest.raises(DomainError) as e:
        campaign_data(**overrides)
    assert list(e.value.fields) == [field]
    assert Campaign.objects.count() == 0


def test_the_end_before_the_start_says_so(db):
    with pytest.raises(DomainError) as e:
        campaign_data(ends_on=clock.today() - dt.timedelta(days=1))
    assert e.value.fields == {"ends_on": "截止日期早于起始日期。"}


def test_unit_heads_and_desk_operators_may_not_prepare_campaigns(
    org, unit_head_user, desk_user, campaign
):
    for user in (unit_head_user, desk_user):
        with pytest.raises(NotAllowed):
            setup.create_campaign(org, campaign_data(), by=user)
        with pytest.raises(NotAllowed):
            setup.edit_campaign(campaign, campaign_data(name="改名"), by=user)
        with pytest.raises(NotAllowed):
            setup.close_campaign(campaign, by=user)
    assert Campaign.objects.count() == 1
    assert snapshot(campaign)[0] == "全员核酸检测（第1轮）"


def test_editing_changes_the_pooling_size_of_unused_tubes(org, office_user):
    campaign = make_campaign(org, state=CampaignState.DRAFT)
    make_tubes(campaign, count=2)
    setup.edit_campaign(campaign, campaign_data(pool_size=10), by=office_user)
    assert list(Tube.objects.values_list("capacity", flat=True)) == [10, 10]


def test_the_pooling_size_no_longer_changes_once_a_tube_is_filled(org, office_user, campaign):
    tube = make_tubes(campaign, count=1)[0]
    Tube.objects.filter(pk=tube.pk).update(state=TubeState.OPEN)
    before = snapshot(campaign)
    with pytest.raises(DomainError) as e:
        setup.edit_campaign(campaign, campaign_data(pool_size=10), by=office_user)
    assert e.value.code == "pool_size_in_use"
    assert snapshot(campaign) == before


def test_opening_needs_a_site_and_a_draft(org, office_user):
    campaign = make_campaign(org, state=CampaignState.DRAFT, sites=())
    with pytest.raises(DomainError) as e:
        setup.open_campaign(campaign, by=office_user)
    assert e.value.code == "campaign_no_site"
    assert snapshot(campaign)[4] == "draft"
    setup.save_site(campaign, SiteInput.parse({"name": "大院"}, org), by=office_user)
    opened, _c = setup.open_campaign(campaign, by=office_user)
    assert opened.state == "open"
    with pytest.raises(DomainError) as e:
        setup.open_campaign(campaign, by=office_user)
    assert e.value.code == "campaign_not_draft"


def test_closing_stamps_the_time_and_closing_twice_is_refused(office_user, campaign):
    moment = clock.now()
    with time_machine.travel(moment, tick=False):
        closed, _c = setup.close_campaign(campaign, by=office_user)
    assert (closed.state, closed.closed_at) == ("closed", moment)
    stamped = closed.closed_at
    with pytest.raises(DomainError) as e:
        setup.close_campaign(campaign, by=office_user)
    assert (e.value.code, e.value.message) == ("campaign_not_open", "该检测活动已结束。")
    campaign.refresh_from_db()
    assert campaign.closed_at == stamped


def test_a_closed_campaign_cannot_be_edited_or_given_sites(org, office_user, campaign):
    setup.close_campaign(campaign, by=office_user)
    before = snapshot(campaign)
    with pytest.raises(DomainError) as e:
        setup.edit_campaign(campaign, campaign_data(name="改名"), by=office_user)
    assert e.value.code == "campaign_closed"
    with pytest.raises(DomainError):
        setup.save_site(campaign, SiteInput.parse({"name": "二号"}, org), by=office_user)
    assert snapshot(campaign) == before
    assert SamplingSite.objects.filter(campaign=campaign).count() == 1


def test_an_operator_is_listed_once_and_then_sees_the_campaign(
    org, office_user, campaign, people, staff_user
):
    second = setup.save_site(campaign, SiteInput.parse({"name": "二号"}, org), by=office_user)[0]
    data = OperatorInput.parse({"person_id": people["operator"].pk}, campaign)
    operator, created = setup.add_operator(campaign, data, by=office_user)
    assert (created, operator.site_id) == (True, campaign.sites.order_by("pk").first().pk)
    data = OperatorInput.parse({"person_id": people["operator"].pk, "site_id": second.pk}, campaign)
    operator, created = setup.add_operator(campaign, data, by=office_user)
    assert (created, operator.site_id) == (False, second.pk)
    assert CampaignOperator.objects.filter(campaign=campaign).count() == 1
    assert list(Campaign.objects.visible_to(staff_user)) == [campaign]


def test_an_operator_must_be_a_person_of_the_organization(campaign, outsider):
    with pytest.raises(DomainError) as e:
        OperatorInput.parse({"person_id": outsider.person_id}, campaign)
    assert list(e.value.fields) == ["person_id"]
