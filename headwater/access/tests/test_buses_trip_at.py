"""The trip a bus gate runs at a moment (`access.buses.trip_at`): boarding opens 30 minutes
before departure and the trip stays current 90 minutes after; when windows overlap the trip
departing nearest wins; other routes, other days and routes out of service run nothing."""

import datetime as dt

import pytest

from headwater.access.buses import trip_at
from headwater.access.choices import GateKind
from headwater.access.tests.buses_helpers import D, bus_world
from headwater.access.tests.factories_buses import make_gate, make_route, make_trip
from headwater.core.tests.timing import at


@pytest.fixture
def bus(org, tree):
    return bus_world(org, tree)


@pytest.fixture
def morning(bus):
    return make_trip(bus.route, D, dt.time(7, 10))


def test_boarding_opens_thirty_minutes_before_departure(bus, morning):
    assert trip_at(bus.gate, at(D, 6, 39)) is None
    assert trip_at(bus.gate, at(D, 6, 40)) == morning
    assert trip_at(bus.gate, at(D, 7, 10)) == morning


def test_the_trip_stays_current_ninety_minutes_after_departure(bus, morning):
    assert trip_at(bus.gate, at(D, 8, 40)) == morning
    assert trip_at(bus.gate, at(D, 8, 41)) is None


def test_overlapping_windows_give_the_trip_departing_nearest(bus, morning):
    second = make_trip(bus.route, D, dt.time(8, 0))
    assert trip_at(bus.gate, at(D, 7, 30)) == morning  # 20 min after vs 30 min before
    assert trip_at(bus.gate, at(D, 7, 40)) == second  # 30 min after vs 20 min before
    assert trip_at(bus.gate, at(D, 9, 0)) == second  # the first's window has closed


def test_another_day_another_routes_gate_or_a_route_out_of_service_runs_nothing(bus, morning):
    assert trip_at(bus.gate, at(D + dt.timedelta(days=1), 7, 10)) is None
    other_gate = make_gate(bus.site, "2号通勤车", GateKind.BUS)
    make_route(other_gate, "2号线")
    assert trip_at(other_gate, at(D, 7, 10)) is None
    bus.route.active = False
    bus.route.save()
    assert trip_at(bus.gate, at(D, 7, 10)) is None
