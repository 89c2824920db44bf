"""Builders for testing-app tests: rows written directly (the services are tested on their
own), so each test states the campaign it needs in a line or two."""

import datetime as dt

from headwater.core import clock
from headwater.core.models import Person
from headwater.testing.choices import CampaignState, EntrySource, TubeKind
from headwater.testing.models import (
    Campaign,
    CampaignOperator,
    Outsider,
    RosterEntry,
    SamplingSite,
    Tube,
)


def make_campaign(
    org,
    *,
    name="全员核酸检测（第1轮）",
    pool_size=5,
    days=2,
    starts_on=None,
    state=CampaignState.OPEN,
    sites=("一号采样点",),
) -> Campaign:
    starts_on = starts_on or clock.today()
    campaign = Campaign.objects.create(
        organization=org,
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1),
        pool_size=pool_size,
        state=state,
        bring="身份证、口罩",
    )
    for site_name in sites:
        SamplingSite.objects.create(organization=org, campaign=campaign, name=site_name, desks=2)
    return campaign


def add_operator(campaign, person, site=None) -> CampaignOperator:
    return CampaignOperator.objects.create(
        organization=campaign.organization,
        campaign=campaign,
        person=person,
        site=site or campaign.sites.first(),
    )


def roster_people(campaign, people=None) -> list[RosterEntry]:
    """Every active person of the organization (or `people`) on the campaign's roster."""
    people = (
        people if people is not None else Person.objects.filter(organization=campaign.organization)
    )
    site = campaign.sites.first()
    return RosterEntry.objects.bulk_create(
        RosterEntry(
            organization=campaign.organization,
            campaign=campaign,
            person=p,
            unit_id=p.unit_id,
            site=site,
            source=EntrySource.UNIT,
        )
        for p in people
    )


def roster_outsider(
    campaign, name="周民工", company="江河建设", id_number="330784198505051234", phone="13700001111"
) -> RosterEntry:
    outsider, _ = Outsider.objects.get_or_create(
        organization=campaign.organization,
        id_number=id_number,
        defaults={"name": name, "company": company, "phone": phone},
    )
    return RosterEntry.objects.create(
        organization=campaign.organization,
        campaign=campaign,
        outsider=outsider,
        company=company,
        site=campaign.sites.first(),
        source=EntrySource.IMPORT,
    )


def make_tubes(campaign, count=5, prefix="T", kind=TubeKind.POOL) -> list[Tube]:
    capacity = campaign.pool_size if kind == TubeKind.POOL else 1
    return Tube.objects.bulk_create(
        Tube(
            organization=campaign.organization,
            campaign=campaign,
            barcode=f"{prefix}{campaign.pk:03d}{i:05d}",
            kind=kind,
            capacity=capacity,
        )
        for i in range(1, count + 1)
    )
