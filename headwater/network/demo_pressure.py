"""Demo data of the pressure watch: on the demo organization's current network model (none:
nothing), five pressure points on junctions fed by one telemetry device, with 24 hours of
readings every five minutes; one point dips below its low threshold in the last hours, and
those last readings go through the readings service, so its alarm is raised as in life."""

import datetime as dt
import math
import random

from auditlog.context import disable_auditlog
from django.utils import timezone

from headwater.core import clock
from headwater.core.demo import extension
from headwater.core.models import DeviceToken, Organization
from headwater.network.choices import NodeKind, PointKind
from headwater.network.models import Node, PressurePoint, Reading
from headwater.network.services import readings

STEP = dt.timedelta(minutes=5)
LIVE = dt.timedelta(hours=3)  # the last hours go through the service (the dip is in them)
NAMES = ["第一人民医院", "市疾控中心", "发热门诊（城东）", "应急指挥中心", "城北加压站出口"]


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    nodes = list(
        Node.objects.filter(model__organization=org, model__current=True, kind=NodeKind.JUNCTION)
        .exclude(demand=0)
        .order_by("name")[:40]
    )
    if len(nodes) < len(NAMES) or PressurePoint.objects.filter(organization=org).exists():
        return
    rng = random.Random(seed + 17)
    chosen = rng.sample(nodes, len(NAMES))
    with disable_auditlog():  # made-up history, not changes anyone made
        device, _raw = DeviceToken.issue(org, "城区压力遥测RTU-1", None)
        points = [
            PressurePoint.objects.create(
                organization=org,
                code=f"YL-{i + 1:02d}",
                name=name,
                kind=PointKind.PRESSURE,
                node=node.name,
                low=22.0,
                high=60.0,
                device=device,
                open_work_order=i == 0,
            )
            for i, (name, node) in enumerate(zip(NAMES, chosen, strict=True))
        ]
    now = clock.now().replace(second=0, microsecond=0)
    now -= dt.timedelta(minutes=now.minute % 5)
    start, live_from = now - dt.timedelta(hours=24), now - LIVE
    history, live = [], []
    for index, point in enumerate(points):
        base = 30 + 4 * index
        at = start
        while at <= now:
            value = _value(rng, base, at, dip=index == 0 and at > now - dt.timedelta(hours=2))
            if at < live_from:
                history.append(Reading(organization=org, point=point, at=at, value=value))
            else:
                live.append((point.code, at, value))
            at += STEP
    Reading.objects.bulk_create(history, batch_size=2000)
    for point in points:
        last = max(r.at for r in history if r.point_id == point.pk)
        value = next(r.value for r in history if r.point_id == point.pk and r.at == last)
        PressurePoint.objects.filter(pk=point.pk).update(last_value=value, last_at=last)
    readings.record(device, live)


def _value(rng: random.Random, base: float, at: dt.datetime, *, dip: bool) -> float:
    """A day's pressure: lower at the morning and evening peaks, a little noise."""
    local = timezone.localtime(at)
    hour = local.hour + local.minute / 60
    daily = 4 * math.cos((hour - 3) / 24 * 2 * math.pi)
    value = base + daily + rng.uniform(-0.6, 0.6)
    if dip:
        value -= 16
    return round(value, 2)
