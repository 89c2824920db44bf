"""A campaign with every kind of gap of the completeness view, written row by row (the desk's
and the results' services are tested on their own):

| person (unit / company)      | what happened                                   | status    |
|------------------------------|-------------------------------------------------|-----------|
| 王厂长 (第一水厂)            | never sampled                                   | pending   |
| 李操作 (运行甲班)            | in T1 and again in T2 (two pooled tubes)        | sampled   |
| 赵二厂 (第二水厂)            | in T2, negative                                 | cleared   |
| 钱文员 (金溪水务集团)        | in T3, positive pool, retest not sampled        | retest    |
| 周民工 (江河建设)            | in T3, positive pool, retest sampled in R1      | retesting |
| 孙监理 (宏远监理)            | never sampled                                   | pending   |
| 郑监理 (宏远监理)            | in T1 from an offline queue, T1 was full        | sampled   |

Tubes: T1 has 1 place and 2 members; T2's laboratory counted 3 where 2 were registered; T4
has a negative result and nobody registered in it.
"""

import datetime as dt

from headwater.core import clock
from headwater.testing.choices import EntryStatus, RetestState, TubeKind, TubeResult, TubeState
from headwater.testing.models import Retest, Sample, Tube
from headwater.testing.tests.factories import roster_outsider, roster_people

S = EntryStatus


def _tube(campaign, barcode, *, capacity=5, kind=TubeKind.POOL, result=TubeResult.PENDING, **kw):
    return Tube.objects.create(
        organization=campaign.organization,
        campaign=campaign,
        barcode=barcode,
        kind=kind,
        capacity=capacity,
        state=TubeState.CLOSED,
        result=result,
        result_at=clock.now() if result != TubeResult.PENDING else None,
        **kw,
    )


def _sample(entry, tube, *, minutes=0, **kw) -> Sample:
    return Sample.objects.create(
        organization=entry.organization,
        campaign=entry.campaign,
        entry=entry,
        tube=tube,
        taken_at=clock.now() - dt.timedelta(hours=2) + dt.timedelta(minutes=minutes),
        **kw,
    )


def _status(entry, status):
    entry.status = status
    entry.save(update_fields=["status"])


def gappy_campaign(campaign, people) -> dict:
    """Fill `campaign` (pool size 5) with the rows above; returns the entries and tubes by
    name."""
    staff = [people[k] for k in ("head", "operator", "other_plant", "clerk")]
    e = {p.name: p_entry for p, p_entry in zip(staff, roster_people(campaign, staff), strict=True)}
    e["周民工"] = roster_outsider(campaign)
    e["孙监理"] = roster_outsider(
        campaign, "孙监理", "宏远监理", "330784198606061235", "13700002222"
    )
    e["郑监理"] = roster_outsider(
        campaign, "郑监理", "宏远监理", "330784198707071236", "13700003333"
    )
    t1 = _tube(campaign, "T1", capacity=1)
    t2 = _tube(campaign, "T2", lab_members=3, result=TubeResult.NEGATIVE)
    t3 = _tube(campaign, "T3", result=TubeResult.POSITIVE, lab_members=2)
    t4 = _tube(campaign, "T4", result=TubeResult.NEGATIVE)
    r1 = _tube(campaign, "R1", capacity=1, kind=TubeKind.SINGLE)
    _sample(e["李操作"], t1, minutes=1)
    _sample(e["郑监理"], t1, minutes=2, offline=True, conflict=True)
    _sample(e["李操作"], t2, minutes=3)
    _sample(e["赵二厂"], t2, minutes=4)
    _sample(e["钱文员"], t3, minutes=5)
    first = _sample(e["周民工"], t3, minutes=6)
    retest_sample = _sample(e["周民工"], r1, minutes=30, retest_of=first)
    for name, status in (
        ("李操作", S.SAMPLED),
        ("郑监理", S.SAMPLED),
        ("赵二厂", S.CLEARED),
        ("钱文员", S.RETEST),
        ("周民工", S.RETESTING),
    ):
        _status(e[name], status)
    for name, sample in (("钱文员", None), ("周民工", retest_sample)):
        Retest.objects.create(
            organization=campaign.organization,
            campaign=campaign,
            entry=e[name],
            pool=t3,
            sample=sample,
            state=RetestState.OPEN,
        )
    return {"entries": e, "tubes": {"T1": t1, "T2": t2, "T3": t3, "T4": t4, "R1": r1}}
