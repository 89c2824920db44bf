"""The testing rows of the shared sweep world (core/tests/world.py): a campaign of the victim
organization with a site, a desk operator, the victim unit's people on the roster in one
batch, and a label sheet; returns the ids the sweep fills path parameters with."""

import datetime as dt

from headwater.core.models import Person
from headwater.testing.choices import EntrySource
from headwater.testing.models import (
    Batch,
    Campaign,
    CampaignOperator,
    LabelSheet,
    RosterEntry,
    SamplingSite,
)


def victim_rows(world) -> dict:
    org, unit = world.org, world.unit
    person = world.users["victim_staff"].person
    day = dt.date(2020, 2, 10)
    campaign = Campaign.objects.create(
        organization=org, name="ORGV-全员核酸检测", starts_on=day, ends_on=day, state="open"
    )
    site = SamplingSite.objects.create(organization=org, campaign=campaign, name="ORGV-采样点")
    operator = CampaignOperator.objects.create(
        organization=org, campaign=campaign, person=person, site=site
    )
    start = dt.datetime(2020, 2, 10, 8, tzinfo=dt.UTC)
    batch = Batch.objects.create(
        organization=org,
        campaign=campaign,
        site=site,
        label="ORGV-第1批",
        unit=unit,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )
    people = Person.objects.filter(unit__path__startswith=unit.path, organization=org)
    RosterEntry.objects.bulk_create(
        RosterEntry(
            organization=org,
            campaign=campaign,
            person=p,
            unit_id=p.unit_id,
            site=site,
            batch=batch,
            source=EntrySource.UNIT,
        )
        for p in people
    )
    sheet = LabelSheet.objects.create(organization=org, campaign=campaign, first=1, count=2)
    return {
        "campaign": campaign.pk,
        "testing_site": site.pk,
        "operator": operator.pk,
        "batch": batch.pk,
        "entry": RosterEntry.objects.get(campaign=campaign, person=person).pk,
        "sheet": sheet.pk,
    }
