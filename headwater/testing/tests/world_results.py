"""The sweep's victim retest (core/tests/world.py): the victim member of staff in a pooled
tube reported positive, so their retest is open — rows written directly, as the services
would leave them."""

from headwater.core import clock
from headwater.testing.choices import EntrySource, EntryStatus, TubeResult, TubeState
from headwater.testing.models import Campaign, Retest, RosterEntry, Sample, Tube


def victim_retest(org, person) -> dict[str, int]:
    """The sweep's ids: the retest and its campaign."""
    today = clock.today()
    campaign, _ = Campaign.objects.get_or_create(
        organization=org,
        name="ORGV-sweep campaign",
        defaults={"starts_on": today, "ends_on": today, "state": "open"},
    )
    entry, _ = RosterEntry.objects.get_or_create(
        organization=org,
        campaign=campaign,
        person=person,
        defaults={"unit_id": person.unit_id, "source": EntrySource.UNIT},
    )
    tube, _ = Tube.objects.get_or_create(
        organization=org,
        barcode=f"SWEEP{campaign.pk:05d}",
        defaults={
            "campaign": campaign,
            "capacity": 5,
            "state": TubeState.CLOSED,
            "result": TubeResult.POSITIVE,
            "result_at": clock.now(),
        },
    )
    Sample.objects.get_or_create(
        organization=org,
        campaign=campaign,
        entry=entry,
        tube=tube,
        defaults={"taken_at": clock.now()},
    )
    RosterEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.RETEST)
    retest, _ = Retest.objects.get_or_create(
        organization=org, campaign=campaign, entry=entry, pool=tube
    )
    return {"retest": retest.pk, "retest_campaign": campaign.pk}
