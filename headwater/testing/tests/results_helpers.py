"""Helpers of the results tests: members sampled into tubes as the desk would leave them
(rows written directly: the desk's services are tested on their own), and a results sheet."""

import csv
import io

from headwater.core import clock
from headwater.testing.choices import EntryStatus, TubeState
from headwater.testing.models import RosterEntry, Sample, Tube


def sample_into(tube: Tube, entries: list[RosterEntry]) -> list[Sample]:
    """The entries sampled into the tube (SAMPLED), the tube closed."""
    samples = [
        Sample.objects.create(
            organization_id=tube.organization_id,
            campaign_id=tube.campaign_id,
            entry=e,
            tube=tube,
            taken_at=clock.now(),
        )
        for e in entries
    ]
    RosterEntry.objects.filter(pk__in=[e.pk for e in entries]).update(status=EntryStatus.SAMPLED)
    Tube.objects.filter(pk=tube.pk).update(state=TubeState.CLOSED, closed_at=clock.now())
    return samples


def statuses(entries) -> list[str]:
    by_pk = dict(
        RosterEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list("pk", "status")
    )
    return [by_pk[e.pk] for e in entries]


def sheet(rows, header=("试管编码", "结果", "检测时间", "混采人数")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
