"""Rows of the gates for the buses-and-reporting tests, written directly (the scan, visitor
and vehicle services are other parts' work): gates, bus routes and trips, passages, visits,
vehicle entries, meal slots. Times are Asia/Shanghai moments (core.tests.timing.at)."""

import datetime as dt
import itertools
from decimal import Decimal

from headwater.access.choices import Credential, Decision, Direction, GateKind, VisitState
from headwater.access.models import (
    BusRoute,
    BusTrip,
    Gate,
    GateTeam,
    GateTeamMember,
    MealSlot,
    Passage,
    VehicleEntry,
    Visit,
)
from headwater.core.tests.factories import SiteFactory

_keys = itertools.count(1)


def make_site(org, unit, name="第一水厂", kind="water_plant"):
    return SiteFactory(organization=org, unit=unit, name=name, kind=kind)


def make_gate(site, name="大门", kind=GateKind.GATE, team=()) -> Gate:
    gate = Gate.objects.create(organization=site.organization, site=site, name=name, kind=kind)
    if team:
        crew = GateTeam.objects.create(organization=gate.organization, gate=gate, name=f"{name}班")
        for person in team:
            GateTeamMember.objects.create(organization=gate.organization, team=crew, person=person)
    return gate


def make_route(gate: Gate, name="1号线", **fields) -> BusRoute:
    return BusRoute.objects.create(organization=gate.organization, gate=gate, name=name, **fields)


def make_trip(route: BusRoute, day: dt.date, departs: dt.time, **fields) -> BusTrip:
    return BusTrip.objects.create(
        organization=route.organization, route=route, day=day, departs=departs, **fields
    )


def make_passage(gate: Gate, at: dt.datetime, person=None, **fields) -> Passage:
    fields.setdefault("decision", Decision.ALLOW)
    fields.setdefault("credential", Credential.PASS)
    fields.setdefault("direction", Direction.IN)
    if "temperature" in fields and fields["temperature"] is not None:
        fields["temperature"] = Decimal(str(fields["temperature"]))
    return Passage.objects.create(
        organization=gate.organization,
        gate=gate,
        at=at,
        person=person,
        key=f"k{next(_keys)}",
        **fields,
    )


def make_visit(site, registered_at, state=VisitState.PENDING, **fields) -> Visit:
    return Visit.objects.create(
        organization=site.organization,
        site=site,
        name=fields.pop("name", "访客"),
        reason="检修",
        registered_at=registered_at,
        state=state,
        **fields,
    )


def make_vehicle(gate: Gate, at, decision=Decision.ALLOW, **fields) -> VehicleEntry:
    return VehicleEntry.objects.create(
        organization=gate.organization,
        gate=gate,
        at=at,
        plate=fields.pop("plate", "湘A·12345"),
        decision=decision,
        key=f"v{next(_keys)}",
        **fields,
    )


def make_slot(canteen_site, name, starts: dt.time, capacity=10, minutes=15, position=0):
    return MealSlot.objects.create(
        organization=canteen_site.organization,
        canteen=canteen_site,
        name=name,
        starts=starts,
        minutes=minutes,
        capacity=capacity,
        position=position,
    )
