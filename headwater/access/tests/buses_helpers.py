"""The commute bus of the buses tests, on the root conftest's organization: a bus gate at the
head office whose team is its driver (周司机, a member of staff with a login), route 1, and
the day the tests happen on."""

import datetime as dt
from types import SimpleNamespace

from headwater.access.choices import GateKind
from headwater.access.tests.factories_buses import make_gate, make_route, make_site
from headwater.core.tests.factories import PersonFactory, make_user

D = dt.date(2026, 3, 10)  # a Tuesday


def bus_world(org, tree) -> SimpleNamespace:
    hq = make_site(org, tree["company"], "总部", "office")
    person = PersonFactory(unit=tree["company"], name="周司机", employee_no="B1")
    gate = make_gate(hq, "1号通勤车", GateKind.BUS, team=[person])
    driver = make_user("driver", person=person, roles=[("staff", None)])
    route = make_route(gate, stops="清源社区 → 第一水厂")
    return SimpleNamespace(site=hq, gate=gate, route=route, driver=driver)
