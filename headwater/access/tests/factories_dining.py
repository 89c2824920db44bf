"""Factories of staggered dining: a canteen (a core site of kind canteen) with its slots, a
unit's group in its rotation, its door (a gate of kind canteen) and the passages the scan
part would record there (made directly here)."""

import datetime as dt
import itertools

import factory
from django.utils import timezone

from headwater.access.choices import Credential, Decision, Direction, GateKind
from headwater.access.models import DiningGroup, Gate, MealSlot, Passage
from headwater.core.tests.factories import SiteFactory

_keys = itertools.count(1)


def make_canteen(org, name="职工食堂", **kw):
    return SiteFactory(organization=org, name=name, kind="canteen", **kw)


def make_slots(canteen, first=dt.time(11, 10), minutes=15, count=3, capacity=100):
    start = dt.datetime.combine(dt.date(2000, 1, 1), first)
    return [
        MealSlot.objects.create(
            organization=canteen.organization,
            canteen=canteen,
            name=f"第{i + 1}批",
            starts=(start + dt.timedelta(minutes=minutes * i)).time(),
            minutes=minutes,
            capacity=capacity,
            position=i,
        )
        for i in range(count)
    ]


class DiningGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiningGroup

    organization = factory.LazyAttribute(lambda o: o.canteen.organization)
    position = 0
    starts_on = dt.date(2026, 3, 2)
    rotates = True


def make_door(canteen, name="食堂门口"):
    return Gate.objects.create(
        organization=canteen.organization, site=canteen, name=name, kind=GateKind.CANTEEN
    )


def make_passage(gate, at, *, person=None, visit=None, decision=Decision.ALLOW, **kw):
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return Passage.objects.create(
        organization=gate.organization,
        gate=gate,
        at=at,
        person=person,
        visit=visit,
        credential=Credential.VISIT if visit else Credential.PASS,
        direction=kw.pop("direction", Direction.IN),
        decision=decision,
        key=f"k{next(_keys)}",
        **kw,
    )
