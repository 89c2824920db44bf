"""Telemetry readings of pressure and flow points (压力/流量遥测), sent in batches of up to
1,000 by a device with its token.

Per reading: the device may write only the points bound to it; a time more than five minutes
in the future, or a value outside what the point's kind can read (inputs_pressure.BOUNDS), is
refused with a reason, and the rest of the batch is written. A reading with the (point, time)
of one stored is a duplicate (a retry): not written again, counted. Readings arriving out of
order are stored; a point's `last_value`/`last_at` only move forward in time.

Writing: the points touched are locked (pk order), the stored (point, time) pairs of the
batch read in one query, the new readings inserted in one statement (`ignore_conflicts` as
well, so nothing can raise on a pair stored meanwhile) and counted, and each point touched
updated once. Two workers sending the same batch serialize on the point locks (SQLite: on
its single writer): the second finds every reading stored and writes nothing.

Alarms (services/pressure_alarms.py) start only from readings newer than the point's last
reading before the batch: a late, older reading tells nothing about now."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.errors import DomainError
from headwater.core.models import DeviceToken
from headwater.network.inputs_pressure import bounds, number
from headwater.network.models import PressurePoint, Reading
from headwater.network.services import pressure_alarms

BATCH_MAX = 1000
FUTURE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Refusal:
    index: int
    point: str
    reason: str


@dataclass
class Recorded:
    """What a batch did: readings written, duplicates not written again, refusals."""

    written: int = 0
    duplicates: int = 0
    refused: list[Refusal] = field(default_factory=list)


def record(device: DeviceToken, readings: list[tuple[str, dt.datetime, float]]) -> Recorded:
    """Store a batch of (point code, time, value) sent by `device` (see the module's doc)."""
    if len(readings) > BATCH_MAX:
        message = _("Send at most %(n)s readings at a time.") % {"n": BATCH_MAX}
        raise DomainError(message, fields={"readings": message})
    org_id = device.organization_id
    codes = {str(code)[:40] for code, _at, _value in readings}
    bound = {
        p.code: p
        for p in PressurePoint.objects.filter(
            organization_id=org_id, device=device, code__in=codes
        ).only("pk", "code", "kind")
    }
    result = Recorded()
    wanted: dict[tuple[int, dt.datetime], float] = {}
    for index, (code, at, raw) in enumerate(readings):
        point = bound.get(str(code)[:40])
        reason = _refusal(point, at, raw)
        if reason:
            result.refused.append(Refusal(index, str(code)[:40], reason))
            continue
        key = (point.pk, _aware(at))
        if key in wanted:
            result.duplicates += 1  # the same reading twice in one batch
            continue
        wanted[key] = number(raw)
    if wanted:
        _write(org_id, wanted, result)
    return result


def _aware(at: dt.datetime) -> dt.datetime:
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def _refusal(point, at, raw) -> str:
    if point is None:
        return _("This device does not feed this point.")
    if not isinstance(at, dt.datetime):
        return _("Give the time of the reading.")
    if _aware(at) > clock.now() + FUTURE:
        return _("The time is in the future.")
    value = number(raw)
    low, high = bounds(point.kind)
    if value is None or not low <= value <= high:
        return _("The value must be a number from %(low)s to %(high)s.") % {
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
    return ""


def _write(org_id: int, wanted: dict, result: Recorded) -> None:
    point_ids = sorted({pk for pk, _at in wanted})
    times = sorted({at for _pk, at in wanted})
    now = clock.now()
    with transaction.atomic():
        points = {p.pk: p for p in locks.lock(PressurePoint.objects.filter(pk__in=point_ids))}
        in_batch = Reading.objects.filter(point_id__in=point_ids, at__in=times)
        stored = set(in_batch.values_list("point_id", "at"))
        new = [
            Reading(organization_id=org_id, point_id=pk, at=at, value=value, received_at=now)
            for (pk, at), value in wanted.items()
            if (pk, at) not in stored and pk in points
        ]
        Reading.objects.bulk_create(new, ignore_conflicts=True)
        # Counted, not assumed: under the point locks this is the number inserted.
        result.written = in_batch.count() - len(stored)
        result.duplicates += len(wanted) - result.written
        by_point: dict[int, list[Reading]] = {}
        for reading in new:
            by_point.setdefault(reading.point_id, []).append(reading)
        for pk, rows in by_point.items():
            _advance(points[pk], sorted(rows, key=lambda r: r.at))


def _advance(point: PressurePoint, rows: list[Reading]) -> None:
    """Move the point's last reading forward (one UPDATE) and judge the newer readings."""
    newer = [r for r in rows if point.last_at is None or r.at > point.last_at]
    if not newer:
        return
    before = point.last_value
    PressurePoint.objects.filter(pk=point.pk).update(
        last_value=newer[-1].value, last_at=newer[-1].at
    )
    point.last_value, point.last_at = newer[-1].value, newer[-1].at
    pressure_alarms.judge(point, before, [(r.at, r.value) for r in newer])
