"""Registration at a desk: a person's swab into a pooled tube, every refusal (nothing
changed), pooling limits, and replays from a desk's offline queue."""

import datetime as dt

import pytest
from django.utils import timezone

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import IdempotencyKey
from headwater.testing.choices import CampaignState, EntryStatus, TubeState
from headwater.testing.models import RosterEntry, Sample, Ticket, Tube
from headwater.testing.services import desk_queue
from headwater.testing.tests.desk_helpers import reg
from headwater.testing.tests.factories import make_campaign, make_tubes, roster_people


@pytest.fixture
def site(campaign):
    return campaign.sites.get()


def snapshot(campaign):
    return (
        Sample.objects.count(),
        sorted(RosterEntry.objects.filter(campaign=campaign).values_list("status", flat=True)),
        sorted(Tube.objects.values_list("barcode", "state")),
    )


def refused(code, site, entry, barcode, by, **extra):
    before = snapshot(site.campaign)
    with pytest.raises(DomainError) as e:
        reg(site, entry, barcode, by, **extra)
    assert e.value.code == code
    assert snapshot(site.campaign) == before
    return e.value


def test_registering_samples_the_person_into_the_tube_and_opens_it(desk_user, roster, tubes, site):
    sample, created = reg(site, roster[0], tubes[0].barcode, desk_user, proxy_name="王女儿")

    assert created is True
    roster[0].refresh_from_db()
    tubes[0].refresh_from_db()
    assert roster[0].status == EntryStatus.SAMPLED
    assert (tubes[0].state, tubes[0].site_id, tubes[0].opened_at is not None) == (
        TubeState.OPEN,
        site.pk,
        True,
    )
    assert (sample.registered_by, sample.proxy_name, sample.offline, sample.conflict) == (
        desk_user,
        "王女儿",
        False,
        False,
    )
    assert sample.taken_at == clock.now() or abs(sample.taken_at - clock.now()).seconds < 5


def test_a_tube_closes_itself_when_its_places_are_taken(org, desk_user, campaign, site, tubes):
    entries = roster_people(campaign)
    from headwater.core.tests.factories import PersonFactory

    extra = [PersonFactory(unit=entries[0].unit, employee_no=f"X{i}") for i in range(2)]
    entries += roster_people(campaign, extra)
    for e in entries[:5]:
        reg(site, e, tubes[0].barcode, desk_user)

    tube = Tube.objects.get(pk=tubes[0].pk)
    assert (tube.state, tube.closed_by, tube.samples.count()) == (TubeState.CLOSED, desk_user, 5)
    assert tube.closed_at is not None
    err = refused("tube_full", site, entries[5], tubes[0].barcode, desk_user)
    assert "T" in err.message


def test_a_person_is_sampled_once_per_campaign(desk_user, roster, tubes, site):
    reg(site, roster[0], tubes[0].barcode, desk_user)
    refused("already_sampled", site, roster[0], tubes[1].barcode, desk_user)


def test_an_unknown_tube_is_refused(desk_user, roster, tubes, site):
    refused("unknown_tube", site, roster[0], "NOPE-1", desk_user)


def test_a_tube_of_another_campaign_is_refused(org, desk_user, roster, site):
    other = make_campaign(org, name="第2轮")
    tube = make_tubes(other, count=1, prefix="O")[0]
    refused("tube_other_campaign", site, roster[0], tube.barcode, desk_user)


def test_a_closed_tube_is_refused(desk_user, roster, tubes, site):
    Tube.objects.filter(pk=tubes[0].pk).update(state=TubeState.CLOSED)
    refused("tube_closed", site, roster[0], tubes[0].barcode, desk_user)


def test_a_campaign_not_open_is_refused(desk_user, roster, tubes, site, campaign):
    campaign.state = CampaignState.CLOSED
    campaign.save()
    refused("campaign_closed", site, roster[0], tubes[0].barcode, desk_user)


def test_registration_outside_the_campaigns_dates_is_refused(
    desk_user, roster, tubes, site, campaign, clock_at
):
    clock_at(
        timezone.make_aware(dt.datetime.combine(campaign.ends_on, dt.time(9)))
        + dt.timedelta(days=1)
    )
    refused("campaign_outside_dates", site, roster[0], tubes[0].barcode, desk_user)


def test_a_person_of_another_campaigns_roster_is_refused(org, desk_user, roster, tubes, site):
    other = make_campaign(org, name="第2轮")
    stranger = roster_people(other)[0]
    refused("not_on_roster", site, stranger, tubes[0].barcode, desk_user)


def test_an_unknown_queue_number_is_refused(desk_user, roster, tubes, site):
    refused("unknown_ticket", site, roster[0], tubes[0].barcode, desk_user, queue_number=7)


def test_the_queue_number_held_is_bound_to_the_person(desk_user, roster, tubes, site):
    ticket, _ = desk_queue.issue_ticket(site, by=desk_user)
    sample, _ = reg(site, roster[0], tubes[0].barcode, desk_user, queue_number=ticket.number)
    assert sample.ticket == ticket
    assert Ticket.objects.get(pk=ticket.pk).entry == roster[0]


def test_someone_who_works_no_desk_of_the_campaign_is_refused(unit_head_user, roster, tubes, site):
    before = snapshot(site.campaign)
    with pytest.raises(NotAllowed):
        reg(site, roster[0], tubes[0].barcode, unit_head_user)
    assert snapshot(site.campaign) == before


def test_the_office_may_work_any_desk(office_user, roster, tubes, site):
    _sample, created = reg(site, roster[0], tubes[0].barcode, office_user)
    assert created is True


def test_a_person_is_found_by_staff_number_when_the_desk_could_not_search(
    desk_user, roster, tubes, site, people
):
    from headwater.testing.inputs_desk import RegisterInput
    from headwater.testing.services import desk

    data = RegisterInput.parse({"barcode": tubes[0].barcode, "identifier": "E2"})
    sample, _ = desk.register(site, data, by=desk_user)
    assert sample.entry.person == people["operator"]


def test_the_same_key_twice_writes_one_sample(desk_user, roster, tubes, site):
    first, created = reg(site, roster[0], tubes[0].barcode, desk_user, key="k1")
    again, created_again = reg(site, roster[0], tubes[0].barcode, desk_user, key="k1")

    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Sample.objects.count() == 1
    assert IdempotencyKey.objects.filter(action="testing.register").count() == 1


def offline(at):
    return {"offline": True, "taken_at": at.isoformat()}


def test_an_offline_replay_of_someone_sampled_already_is_kept_as_a_conflict(
    desk_user, roster, tubes, site
):
    reg(site, roster[0], tubes[0].barcode, desk_user)
    taken = clock.now() - dt.timedelta(minutes=20)

    sample, created = reg(
        site, roster[0], tubes[1].barcode, desk_user, key="off-1", **offline(taken)
    )

    assert (created, sample.conflict, sample.offline, sample.taken_at) == (True, True, True, taken)
    assert Sample.objects.filter(entry=roster[0]).count() == 2
    assert RosterEntry.objects.get(pk=roster[0].pk).status == EntryStatus.SAMPLED


def test_an_offline_replay_into_a_full_tube_is_kept_as_a_conflict(desk_user, campaign, site, tubes):
    from headwater.core.tests.factories import PersonFactory

    entries = roster_people(campaign)
    entries += roster_people(
        campaign, [PersonFactory(unit=entries[0].unit, employee_no=f"Y{i}") for i in range(2)]
    )
    for e in entries[:5]:
        reg(site, e, tubes[0].barcode, desk_user)
    taken = clock.now() - dt.timedelta(minutes=3)

    sample, _ = reg(site, entries[5], tubes[0].barcode, desk_user, **offline(taken))

    assert sample.conflict is True
    assert Tube.objects.get(pk=tubes[0].pk).samples.count() == 6
    assert RosterEntry.objects.get(pk=entries[5].pk).status == EntryStatus.SAMPLED


def test_an_offline_replay_sent_twice_is_one_sample(desk_user, roster, tubes, site):
    taken = clock.now() - dt.timedelta(minutes=5)
    first, _ = reg(site, roster[0], tubes[0].barcode, desk_user, key="q-1", **offline(taken))
    again, created = reg(site, roster[0], tubes[0].barcode, desk_user, key="q-1", **offline(taken))

    assert (again.pk, created, again.conflict) == (first.pk, False, False)
    assert Sample.objects.count() == 1


def test_an_offline_replay_of_an_unknown_tube_is_still_refused(desk_user, roster, tubes, site):
    refused("unknown_tube", site, roster[0], "NOPE", desk_user, **offline(clock.now()))


def test_an_offline_replay_is_judged_on_the_day_it_was_taken(
    desk_user, roster, tubes, site, campaign, clock_at
):
    last = timezone.make_aware(dt.datetime.combine(campaign.ends_on, dt.time(17)))
    clock_at(last + dt.timedelta(hours=16))  # the next morning, back online

    sample, created = reg(site, roster[0], tubes[0].barcode, desk_user, **offline(last))

    assert (created, sample.taken_at, sample.conflict) == (True, last, False)


def test_an_offline_time_in_the_future_is_refused(desk_user, roster, tubes, site):
    with pytest.raises(DomainError) as e:
        reg(
            site,
            roster[0],
            tubes[0].barcode,
            desk_user,
            **offline(clock.now() + dt.timedelta(hours=1)),
        )
    assert set(e.value.fields) == {"taken_at"}
    assert Sample.objects.count() == 0
