"""Builders for the tracing tests: gates, canteen slots, bus trips and passages written
directly (the scan service that records passages in production is tested on its own)."""

import datetime as dt
import itertools

from django.utils import timezone

from headwater.access.choices import Credential, Decision, GateKind
from headwater.access.models import BusRoute, BusTrip, Gate, MealSlot, Passage
from headwater.core.tests.factories import SiteFactory

D = dt.date(2026, 3, 10)
_keys = itertools.count(1)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


def gate(org, name="东门", kind=GateKind.GATE, site=None) -> Gate:
    site = site or SiteFactory(organization=org)
    return Gate.objects.create(organization=org, site=site, name=name, kind=kind)


def slot(canteen_gate, name="午餐第一批", starts=dt.time(11, 10)) -> MealSlot:
    return MealSlot.objects.create(
        organization=canteen_gate.organization,
        canteen=canteen_gate.site,
        name=name,
        starts=starts,
        minutes=15,
        capacity=120,
    )


def trip(bus_gate, day=D, departs=dt.time(7, 30), name="1路") -> BusTrip:
    route, _ = BusRoute.objects.get_or_create(
        organization=bus_gate.organization, gate=bus_gate, defaults={"name": name}
    )
    return BusTrip.objects.create(
        organization=bus_gate.organization, route=route, day=day, departs=departs
    )


def passage(person, where: Gate, when: dt.datetime, *, slot=None, trip=None, **extra) -> Passage:
    return Passage.objects.create(
        organization=where.organization,
        gate=where,
        at=when,
        person=person,
        credential=Credential.PASS,
        decision=extra.pop("decision", Decision.ALLOW),
        slot=slot,
        trip=trip,
        key=f"k{next(_keys)}",
        **extra,
    )
