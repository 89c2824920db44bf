"""Demo data of the testing app for `headwater demo`: one campaign over yesterday and today
(pools of five) whose roster is the people of three units and outside workers of two
companies, with two sampling sites and a batch per unit and company. About nine in ten were
sampled; yesterday's tubes have their results — all negative but one pool, whose members are
being retested (some retest results in) — one tube's laboratory count differs from the
registration, and today's tubes await their results. Rows are written directly
(bulk_create), deterministic from the seed."""

import datetime as dt
import random

from auditlog.context import disable_auditlog
from django.utils import timezone

from headwater.core import clock
from headwater.core.demo import extension
from headwater.core.models import Organization, Unit
from headwater.testing.choices import (
    CampaignState,
    EntrySource,
    EntryStatus,
    RetestState,
    TubeKind,
    TubeResult,
    TubeState,
)
from headwater.testing.models import (
    Batch,
    Campaign,
    Outsider,
    Retest,
    RosterEntry,
    Sample,
    SamplingSite,
    Tube,
)

POOL = 5
UNITS = 3
COMPANIES = (("江河建设集团", 18), ("华信工程监理", 7))
SAMPLED = 0.9
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超秀霞平刚桂"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    rng = random.Random(seed + 14)
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    with disable_auditlog():  # made-up history, not changes anyone made
        campaign = Campaign.objects.create(
            organization=org,
            name="全员核酸检测（第一轮）",
            starts_on=yesterday,
            ends_on=today,
            pool_size=POOL,
            state=CampaignState.OPEN,
            bring="身份证、口罩，手机出示健康码",
            created_at=_at(yesterday - dt.timedelta(days=2), 9),
        )
        sites = SamplingSite.objects.bulk_create(
            SamplingSite(organization=org, campaign=campaign, name=name, desks=desks)
            for name, desks in (("机关大院采样点", 2), ("一水厂采样点", 1))
        )
        entries = _roster(org, rng, campaign, sites, yesterday)
        _samples(org, rng, campaign, entries, yesterday, today)


def _roster(org, rng, campaign, sites, day) -> list[RosterEntry]:
    units = list(Unit.objects.filter(organization=org, depth=2).order_by("path")[: UNITS * 2 : 2])
    created = _at(day - dt.timedelta(days=1), 17)
    batches, entries = [], []
    for i, unit in enumerate(units):
        site = sites[i % len(sites)]
        batch = Batch(
            organization=org,
            campaign=campaign,
            site=site,
            label=unit.name,
            unit=unit,
            starts_at=_at(day, 8 + i),
            ends_at=_at(day, 9 + i),
            called_at=_at(day, 8 + i),
        )
        batches.append(batch)
        people = org.people.filter(unit__path__startswith=unit.path).order_by("pk")
        entries += [
            RosterEntry(
                organization=org,
                campaign=campaign,
                person_id=pk,
                unit_id=unit_id,
                site=site,
                batch=batch,
                source=EntrySource.UNIT,
                created_at=created,
            )
            for pk, unit_id in people.values_list("pk", "unit_id")
        ]
    outsiders = []
    for c, (company, n) in enumerate(COMPANIES):
        batch = Batch(
            organization=org,
            campaign=campaign,
            site=sites[0],
            label=company,
            company=company,
            starts_at=_at(day, 13 + c),
            ends_at=_at(day, 14 + c),
        )
        batches.append(batch)
        for k in range(n):
            outsiders.append(
                Outsider(
                    organization=org,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    company=company,
                    phone=f"137{c:02d}{k:06d}",
                    created_at=created,
                )
            )
    Batch.objects.bulk_create(batches)
    Outsider.objects.bulk_create(outsiders)
    by_company = {b.company: b for b in batches if b.company}
    entries += [
        RosterEntry(
            organization=org,
            campaign=campaign,
            outsider=o,
            company=o.company,
            site=sites[0],
            batch=by_company[o.company],
            source=EntrySource.IMPORT,
            created_at=created,
        )
        for o in outsiders
    ]
    return RosterEntry.objects.bulk_create(entries, batch_size=2000)


def _samples(org, rng, campaign, entries, yesterday, today) -> None:
    """Pools of five in roster order, yesterday's first; the results of yesterday's pools."""
    taken = [e for e in entries if rng.random() < SAMPLED]
    half = len(taken) * 2 // 3
    tubes, samples, moments = [], [], []
    for i in range(0, len(taken), POOL):
        day = yesterday if i < half else today
        tubes.append(
            Tube(
                organization=org,
                campaign=campaign,
                barcode=f"HS{campaign.pk:03d}{len(tubes) + 1:05d}",
                capacity=POOL,
                state=TubeState.CLOSED,
                site=taken[i].site,
                opened_at=_at(day, 8, 0),
                closed_at=_at(day, 8, 5),
            )
        )
        moments.append(day)
    Tube.objects.bulk_create(tubes)
    positive = next((k for k, d in enumerate(moments) if d == yesterday and k >= 3), None)
    for k, tube in enumerate(tubes):
        members = taken[k * POOL : (k + 1) * POOL]
        when = _at(moments[k], 8 + k // 40, (k * 3) % 60)
        samples += [
            Sample(
                organization=org,
                campaign=campaign,
                entry=e,
                tube=tube,
                taken_at=when,
                recorded_at=when,
            )
            for e in members
        ]
        if moments[k] == yesterday:
            tube.result = TubeResult.POSITIVE if k == positive else TubeResult.NEGATIVE
            tube.result_at = _at(yesterday, 22)
            tube.lab_members = len(members) - (1 if k == 1 else 0)  # one miscounted tube
            status = EntryStatus.RETEST if k == positive else EntryStatus.CLEARED
        else:
            status = EntryStatus.SAMPLED
        for e in members:
            e.status = status
    Sample.objects.bulk_create(samples, batch_size=2000)
    Tube.objects.bulk_update(tubes, ["result", "result_at", "lab_members"], batch_size=2000)
    RosterEntry.objects.bulk_update(taken, ["status"], batch_size=2000)
    if positive is not None:
        pool = tubes[positive]
        _retests(org, campaign, pool, [s for s in samples if s.tube_id == pool.pk], today)


def _retests(org, campaign, pool, pooled: list[Sample], today) -> None:
    """Every member of the positive pool retested alone: the first two sampled with a negative
    result, the third sampled and waiting, the rest not yet sampled."""
    singles = Tube.objects.bulk_create(
        Tube(
            organization=org,
            campaign=campaign,
            barcode=f"{pool.barcode}-R{i + 1}",
            kind=TubeKind.SINGLE,
            capacity=1,
            state=TubeState.CLOSED,
            result=TubeResult.NEGATIVE if i < 2 else TubeResult.PENDING,
            result_at=_at(today, 11) if i < 2 else None,
        )
        for i in range(min(3, len(pooled)))
    )
    retests = []
    for i, first in enumerate(pooled):
        sample = None
        entry = first.entry
        if i < len(singles):
            sample = Sample.objects.create(
                organization=org,
                campaign=campaign,
                entry=entry,
                tube=singles[i],
                retest_of=first,
                taken_at=_at(today, 8, 30 + i),
            )
        done = i < 2
        entry.status = (
            EntryStatus.CLEARED if done else EntryStatus.RETESTING if sample else EntryStatus.RETEST
        )
        retests.append(
            Retest(
                organization=org,
                campaign=campaign,
                entry=entry,
                pool=pool,
                sample=sample,
                state=RetestState.CLOSED if done else RetestState.OPEN,
                result=TubeResult.NEGATIVE if done else TubeResult.PENDING,
                opened_at=pool.result_at,
                closed_at=_at(today, 11) if done else None,
            )
        )
    Retest.objects.bulk_create(retests)
    RosterEntry.objects.bulk_update([s.entry for s in pooled], ["status"])
