"""A day at the gates, built by hand for the briefing, tile and panel tests (D = 2026-03-10,
on the root conftest's organization):

- plant 1's gate: 李操作, 王厂长 and 钱文员 in (07:30–07:32), 李操作 out; 赵二厂 refused for a
  fever (38.1 °C, 07:45); 李操作 refused for a red code (08:00);
- the canteen door: slot A (11:10, 2 places) lets in three, slot B (11:25, 10 places) one;
  钱文员 refused in slot B (not her slot);
- the bus: the 07:10 trip (disinfected) with two boardings, the 17:30 trip not disinfected;
- visitors: four registered on D (one approved until 18:00, one refused, one still pending,
  one decided the next morning), one registered the day before, approved on D until 11:00;
- vehicles on D: two, one refused; the day before: one passage in, one refused for a red code.
"""

import datetime as dt
from types import SimpleNamespace

from headwater.access.choices import Decision, Direction, GateKind, RefusalReason, VisitState
from headwater.access.tests.factories_buses import (
    make_gate,
    make_passage,
    make_route,
    make_site,
    make_slot,
    make_trip,
    make_vehicle,
    make_visit,
)
from headwater.core.tests.timing import at

D = dt.date(2026, 3, 10)
B = D - dt.timedelta(days=1)


def gate_day(org, tree, people) -> SimpleNamespace:
    plant = make_site(org, tree["plant1"], "第一水厂")
    hq = make_site(org, tree["company"], "总部", "office")
    canteen = make_site(org, tree["company"], "总部食堂", "canteen")
    gate = make_gate(plant, "一厂大门")
    door = make_gate(canteen, "食堂入口", GateKind.CANTEEN)
    bus = make_gate(hq, "1号通勤车", GateKind.BUS)
    a = make_slot(canteen, "A", dt.time(11, 10), capacity=2, position=0)
    b = make_slot(canteen, "B", dt.time(11, 25), capacity=10, position=1)
    op, head, clerk, other = (people[k] for k in ("operator", "head", "clerk", "other_plant"))
    for i, person in enumerate((op, head, clerk)):
        make_passage(gate, at(D, 7, 30 + i), person, temperature=36.5)
    make_passage(gate, at(D, 17, 30), op, direction=Direction.OUT)
    refuse = {"decision": Decision.REFUSE}
    make_passage(gate, at(D, 7, 45), other, temperature=38.1, reason=RefusalReason.FEVER, **refuse)
    make_passage(gate, at(D, 8, 0), op, temperature=36.6, reason=RefusalReason.RED_CODE, **refuse)
    for i, person in enumerate((op, head, other)):
        make_passage(door, at(D, 11, 12 + i), person, slot=a)
    make_passage(door, at(D, 11, 26), clerk, slot=b, reason=RefusalReason.WRONG_SLOT, **refuse)
    make_passage(door, at(D, 11, 27), clerk, slot=b)
    route = make_route(bus)
    morning = make_trip(route, D, dt.time(7, 10), disinfected_at=at(D, 6, 50))
    make_trip(route, D, dt.time(17, 30))
    make_passage(bus, at(D, 7, 0), op, trip=morning)
    make_passage(bus, at(D, 7, 2), head, trip=morning)
    make_visit(
        plant,
        at(D, 9),
        VisitState.APPROVED,
        decided_at=at(D, 9, 10),
        valid_until=at(D, 18),
        name="访客甲",
    )
    make_visit(plant, at(D, 10), VisitState.REFUSED, decided_at=at(D, 10, 5), name="访客乙")
    make_visit(plant, at(D, 15), VisitState.PENDING, name="访客丙")
    make_visit(plant, at(D, 16), VisitState.APPROVED, decided_at=at(D + dt.timedelta(days=1), 8))
    make_visit(
        plant,
        at(B, 16),
        VisitState.APPROVED,
        decided_at=at(D, 8),
        valid_until=at(D, 11),
        name="访客丁",
    )
    make_vehicle(gate, at(D, 8, 30))
    make_vehicle(gate, at(D, 9, 30), Decision.REFUSE, reason=RefusalReason.SITE_CLOSED)
    make_passage(gate, at(B, 7, 30), op)
    make_passage(gate, at(B, 7, 40), head, reason=RefusalReason.RED_CODE, **refuse)
    make_passage(gate, at(D + dt.timedelta(days=1), 7, 30), op)  # the day after: not reported
    return SimpleNamespace(
        plant=plant, gate=gate, door=door, bus=bus, slots=(a, b), route=route, hq=hq
    )
