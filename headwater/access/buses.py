"""Commute buses: the trip a bus gate is running at a moment (boarding scans attach to it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from headwater.access.models import BusTrip

BOARDING_BEFORE = dt.timedelta(minutes=30)  # boarding opens this long before departure
BOARDING_AFTER = dt.timedelta(minutes=90)  # and a trip is still "now" this long after


def trip_at(gate, at: dt.datetime) -> BusTrip | None:
    """The trip of the route served by `gate` whose boarding window holds `at` (the one
    departing nearest to `at` when windows overlap); None when no trip runs then."""
    local = timezone.localtime(at)
    trips = BusTrip.objects.filter(route__gate=gate, route__active=True, day=local.date())
    best = None
    for trip in trips:
        departs = dt.datetime.combine(trip.day, trip.departs, tzinfo=local.tzinfo)
        if departs - BOARDING_BEFORE <= local <= departs + BOARDING_AFTER:
            gap = abs((local - departs).total_seconds())
            if best is None or gap < best[0]:
                best = (gap, trip)
    return best[1] if best else None
