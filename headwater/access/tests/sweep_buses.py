"""The bus rows of the shared sweep world (core/tests/world.py): a bus gate at the victim
unit's plant, its route and a trip of the victim organization (routes and trips are the
organization's: "ORGV-" names) with the victim on board, so the passenger list of the trip is
what an outsider or a sibling must not see; returns the ids the sweep fills parameters with."""

import datetime as dt

from headwater.access.choices import GateKind
from headwater.access.tests.factories_buses import make_gate, make_passage, make_route, make_trip
from headwater.core.models import Site


def victim_rows(world, moment: dt.datetime) -> dict:
    person = world.users["victim_staff"].person
    site = Site.objects.filter(organization=world.org, unit=world.unit).order_by("pk").first()
    gate = make_gate(site, "ORGV-三厂通勤车", GateKind.BUS)
    route = make_route(gate, "ORGV-三厂线", stops="ORGV-站")
    trip = make_trip(route, moment.date(), dt.time(7, 10), driver_name="ORGV-司机")
    make_passage(gate, moment - dt.timedelta(hours=2), person, temperature=36.6, trip=trip)
    return {"bus_route": route.pk, "bus_trip": trip.pk, "bus_gate": gate.pk}
