"""Demo data of the access app for `headwater demo`: the organization's signing key; a plant
gate (第一水厂), a community checkpoint (清源社区) with three duty teams in batches — the demo
guard login on the first —, the head-office canteen door with three lunch slots (11:10,
11:25, 11:40, 15 minutes each) and three units rotating through them, and a commute bus gate
with its route and the trips of yesterday and today; a few printed pass cards; visitors
(approved, awaiting their host, refused); vehicle entries; and yesterday's and today's
passages up to now, among them a fever, a red code and a wrong slot refused, so that every
page, the briefing and the dashboard have something. Deterministic from the seed."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.utils import timezone

from headwater.access import signing
from headwater.access.choices import (
    Credential,
    Decision,
    Direction,
    GateKind,
    RefusalReason,
    VisitState,
)
from headwater.access.models import (
    BusRoute,
    BusTrip,
    DiningGroup,
    Gate,
    GateTeam,
    GateTeamMember,
    MealSlot,
    Passage,
    PassCard,
    VehicleEntry,
    Visit,
)
from headwater.core import clock
from headwater.core.demo import clearer, extension
from headwater.core.models import Organization, Person, Site, Unit, User
from headwater.core.roles import Role

SLOTS = (
    ("第一时段", dt.time(11, 10)),
    ("第二时段", dt.time(11, 25)),
    ("第三时段", dt.time(11, 40)),
)
SLOT_PLACES = 40
TEAMS = 3
TEAM_SIZE = 4
DEPARTURES = (dt.time(7, 10), dt.time(17, 30))
PLATE = "湘A·D2020"


def _at(day: dt.date, time: dt.time, minutes: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, time) + dt.timedelta(minutes=minutes)
    return timezone.make_aware(moment)


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    rng = random.Random(seed + 15)
    today = clock.today()
    sites = {s.code: s for s in Site.objects.filter(organization=org)}
    if not {"WP-1", "CP-1", "CT-1", "HQ"} <= set(sites):
        return
    people = list(
        Person.objects.filter(organization=org).select_related("unit").order_by("employee_no")
    )
    if len(people) < 20:
        return
    with disable_auditlog():  # made-up history, not changes anyone made
        signing.ensure_key(org)
        gates = _gates(org, sites)
        _teams(org, gates["checkpoint"], people)
        slots = _canteen(org, sites["CT-1"], today)
        trips = _bus(org, gates["bus"], today)
        _cards(org, people, today)
        _visits(org, sites["WP-1"], gates["plant"], people, today)
        _vehicles(org, gates["plant"], today)
        _passages(org, rng, gates, slots, trips, people, today)


@clearer
def clear(org: Organization) -> None:
    """Delete the organization's gate rows, the protected ones last: gates, their sites and
    visits protect each other (PROTECT keys), so `core.demo.delete` cannot remove an
    organization that has gates until these are gone (`headwater demo --reset`)."""
    for model in (Passage, VehicleEntry, Visit, BusRoute, Gate):
        model.objects.filter(organization=org).delete()


def _gates(org, sites) -> dict[str, Gate]:
    specs = {
        "plant": ("第一水厂大门", "WP-1", GateKind.GATE),
        "checkpoint": ("清源社区卡点", "CP-1", GateKind.CHECKPOINT),
        "canteen": ("总部食堂入口", "CT-1", GateKind.CANTEEN),
        "bus": ("1号通勤车", "HQ", GateKind.BUS),
    }
    return {
        key: Gate.objects.create(organization=org, name=name, site=sites[code], kind=kind)
        for key, (name, code, kind) in specs.items()
    }


def _teams(org, gate: Gate, people: list[Person]) -> None:
    """Three teams in batches: the security department's people first, the demo guard on the
    first team (so the guard login works the checkpoint)."""
    guard = User.objects.filter(organization=org, username=Role.GUARD).first()
    guard_person = guard.person if guard and guard.person_id else None
    crew = [p for p in people if p.unit.code == "HQ-AB" and p != guard_person]
    crew += [p for p in people if p.unit.code != "HQ-AB" and p != guard_person]
    for batch in range(1, TEAMS + 1):
        members = crew[(batch - 1) * TEAM_SIZE : batch * TEAM_SIZE]
        if batch == 1 and guard_person is not None:
            members = [guard_person, *members[:-1]]
        team = GateTeam.objects.create(
            organization=org, gate=gate, name=f"清源卡点第{batch}班", batch=batch, leader=members[0]
        )
        GateTeamMember.objects.bulk_create(
            GateTeamMember(organization=org, team=team, person=p) for p in members
        )


def _canteen(org, canteen: Site, today: dt.date) -> list[MealSlot]:
    slots = MealSlot.objects.bulk_create(
        MealSlot(
            organization=org,
            canteen=canteen,
            name=name,
            starts=starts,
            minutes=15,
            capacity=SLOT_PLACES,
            position=i,
        )
        for i, (name, starts) in enumerate(SLOTS)
    )
    units = list(Unit.objects.filter(organization=org, depth=2).order_by("path")[: len(SLOTS)])
    DiningGroup.objects.bulk_create(
        DiningGroup(
            organization=org,
            canteen=canteen,
            unit=unit,
            position=i,
            starts_on=today - dt.timedelta(days=7),
        )
        for i, unit in enumerate(units)
    )
    return slots


def _bus(org, gate: Gate, today: dt.date) -> list[BusTrip]:
    """Yesterday's and today's trips; yesterday's evening run was never disinfected, today's
    morning run was (before it left)."""
    route = BusRoute.objects.create(
        organization=org,
        name="1号线 清源社区—第一水厂",
        gate=gate,
        stops="清源社区 → 河东路口 → 第一水厂",
    )
    trips = []
    for day in (today - dt.timedelta(days=1), today):
        for departs in DEPARTURES:
            trip = BusTrip(
                organization=org,
                route=route,
                day=day,
                departs=departs,
                plate=PLATE,
                driver_name="周师傅",
            )
            done = _at(day, departs, -20)
            if (day < today and departs == DEPARTURES[0]) or (
                day == today and departs == DEPARTURES[0] and done <= clock.now()
            ):
                trip.disinfected_at = done
                trip.disinfection_note = "含氯消毒液喷洒座椅、扶手"
            trips.append(trip)
    return BusTrip.objects.bulk_create(trips)


def _cards(org, people: list[Person], today: dt.date) -> None:
    PassCard.objects.bulk_create(
        PassCard(
            organization=org,
            person=person,
            serial=f"XC-{i + 1:05d}",
            expires_on=today + dt.timedelta(days=90),
        )
        for i, person in enumerate(people[-3:])
    )


def _visits(org, site: Site, gate: Gate, people: list[Person], today: dt.date) -> None:
    hosts = [p for p in people if p.unit.code.startswith("P1")] or people
    now = clock.now()
    yesterday = today - dt.timedelta(days=1)
    rows = [
        ("陈立新", "华信仪表", "在线浊度仪校准", VisitState.APPROVED, yesterday, 9, "湘A·7Q521"),
        ("林晓", "江河建设集团", "加氯间管道检修", VisitState.APPROVED, today, 8, ""),
        ("马国庆", "星城市疾控中心", "水质采样检查", VisitState.PENDING, today, 8, ""),
        ("吴斌", "个人", "推销净水设备", VisitState.REFUSED, yesterday, 10, ""),
    ]
    for i, (name, company, reason, state, day, hour, plate) in enumerate(rows):
        registered = _at(day, dt.time(hour, 5 * i))
        if registered > now:
            registered = now - dt.timedelta(minutes=30)
        decided = registered + dt.timedelta(minutes=12) if state != VisitState.PENDING else None
        Visit.objects.create(
            organization=org,
            site=site,
            gate=gate,
            name=name,
            phone=f"1380731{4500 + i:04d}",
            company=company,
            reason=reason,
            host=hosts[i % len(hosts)],
            plate=plate,
            temperature=Decimal("36.5"),
            travel_history="近14天未离开星城市",
            contact_history="无",
            state=state,
            registered_at=registered,
            decided_at=decided,
            valid_until=_at(day, dt.time(18)) if state == VisitState.APPROVED else None,
        )


def _vehicles(org, gate: Gate, today: dt.date) -> None:
    now = clock.now()
    rows = [
        (today - dt.timedelta(days=1), dt.time(8, 40), "湘A·3K218", "聚合氯化铝 20吨", True, ""),
        (today - dt.timedelta(days=1), dt.time(14, 5), "湘A·9F736", "次氯酸钠 10吨", True, ""),
        (today - dt.timedelta(days=1), dt.time(15, 30), "湘C·21X07", "", False, "site_closed"),
        (today, dt.time(8, 15), "湘A·3K218", "聚合氯化铝 20吨", True, ""),
    ]
    VehicleEntry.objects.bulk_create(
        VehicleEntry(
            organization=org,
            gate=gate,
            at=_at(day, time),
            plate=plate,
            driver_name="驾驶员",
            driver_temperature=Decimal("36.4"),
            cargo=cargo,
            disinfected=allowed,
            decision=Decision.ALLOW if allowed else Decision.REFUSE,
            reason=reason,
            key=f"demo-vehicle-{i}",
        )
        for i, (day, time, plate, cargo, allowed, reason) in enumerate(rows)
        if _at(day, time) <= now
    )


def _passages(org, rng, gates, slots, trips, people, today) -> None:
    """Yesterday's passages, and today's up to now: the plant gate in the morning, the
    checkpoint, lunch at the canteen in each unit's slot, the bus runs; with a fever, a red
    code and a wrong slot refused."""
    now = clock.now()
    rows: list[Passage] = []

    def add(gate, person, at, temperature=None, decision=Decision.ALLOW, reason="", **more):
        if at > now:
            return
        rows.append(
            Passage(
                organization=org,
                gate=gate,
                at=at,
                recorded_at=at,
                person=person,
                credential=Credential.PASS,
                direction=Direction.IN,
                temperature=temperature,
                decision=decision,
                reason=reason,
                key=f"demo-{len(rows)}",
                **more,
            )
        )

    def normal() -> Decimal:
        return Decimal(rng.choice(("36.2", "36.4", "36.5", "36.6", "36.7")))

    plant = [p for p in people if p.unit.code.startswith("P1")][:24] or people[:24]
    diners = _diners(people, slots)
    for day in (today - dt.timedelta(days=1), today):
        for i, person in enumerate(plant):
            add(gates["plant"], person, _at(day, dt.time(7, 30), i), normal())
        for i, person in enumerate(people[24:36]):
            add(gates["checkpoint"], person, _at(day, dt.time(18), 3 * i), normal())
        for i, (person, position) in enumerate(diners):
            slot = slots[(position + (day - today).days + 7) % len(slots)]
            add(gates["canteen"], person, _at(day, slot.starts, i % 12), normal(), slot=slot)
        for trip in (t for t in trips if t.day == day):
            for i, person in enumerate(plant[:10]):
                add(gates["bus"], person, _at(day, trip.departs, -12 + i), normal(), trip=trip)
        # the refusals of the day
        add(
            gates["plant"],
            plant[-1],
            _at(day, dt.time(7, 58)),
            Decimal("38.1"),
            Decision.REFUSE,
            RefusalReason.FEVER,
        )
        add(
            gates["checkpoint"],
            people[min(40, len(people) - 1)],
            _at(day, dt.time(18, 50)),
            normal(),
            Decision.REFUSE,
            RefusalReason.RED_CODE,
        )
        if diners:
            person, position = diners[0]
            wrong = slots[(position + (day - today).days + 8) % len(slots)]
            add(
                gates["canteen"],
                person,
                _at(day, wrong.starts, 3),
                normal(),
                Decision.REFUSE,
                RefusalReason.WRONG_SLOT,
                slot=wrong,
            )
    Passage.objects.bulk_create(rows)


def _diners(people: list[Person], slots: list[MealSlot]) -> list[tuple[Person, int]]:
    """(person, their unit's slot position on the groups' first day, 7 days ago) for up to 20
    people of each dining unit; a day's slot is that position shifted by the days since."""
    groups = DiningGroup.objects.filter(canteen_id=slots[0].canteen_id).select_related("unit")
    diners = []
    for group in groups:
        mine = [p for p in people if p.unit.path.startswith(group.unit.path)][:20]
        diners += [(p, group.position) for p in mine]
    return diners
