"""Reads of the commute buses (通勤车): who may run a bus (record its disinfection, see its
count), the trips of a day with their passenger counts, a trip's passenger list. Counts are
one grouped query over the trips' boarding passages; names come through the passages' scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from headwater.access.choices import Decision, GateKind
from headwater.access.models import BusTrip, Gate, GateTeamMember, Passage
from headwater.access.permissions import MANAGE_GATES, SCAN
from headwater.core.grants import sites_of


def may_manage(user, organization_id: int) -> bool:
    """The office: routes, timetables, corrections."""
    return bool(
        user.is_authenticated
        and user.has_perm(MANAGE_GATES)
        and (user.is_superuser or user.organization_id == organization_id)
    )


def crew_gate_ids(user) -> set[int]:
    """The bus gates whose team lists the user's person (the bus's driver and guard)."""
    if not user.is_authenticated or not user.person_id:
        return set()
    return set(
        GateTeamMember.objects.filter(
            person_id=user.person_id, team__gate__kind=GateKind.BUS
        ).values_list("team__gate_id", flat=True)
    )


def runnable_gates(user):
    """The bus gates the user runs: every one for the office; their team's; those at the
    sites where they are granted as a guard."""
    gates = Gate.objects.filter(organization_id=user.organization_id, kind=GateKind.BUS)
    if may_manage(user, user.organization_id):
        return gates
    sites = sites_of(user) if user.has_perm(SCAN) else []
    return gates.filter(Q(pk__in=crew_gate_ids(user)) | Q(site__in=sites))


def may_run(user, trip: BusTrip) -> bool:
    """Whether `user` may record the trip's disinfection (and see its phone page)."""
    if trip.organization_id != user.organization_id:
        return False
    return runnable_gates(user).filter(pk=trip.route.gate_id).exists()


def trips_of(organization_id: int, day: dt.date, gate_ids=None):
    trips = BusTrip.objects.filter(organization_id=organization_id, day=day)
    if gate_ids is not None:
        trips = trips.filter(route__gate_id__in=gate_ids)
    return trips.select_related("route", "disinfected_by").order_by("departs", "route__name")


def counts(trip_ids) -> dict[int, dict[str, int]]:
    """{trip id: {"boarded": allowed boardings, "refused": refused}} in one grouped query."""
    answer = {pk: {"boarded": 0, "refused": 0} for pk in trip_ids}
    rows = (
        Passage.objects.filter(trip_id__in=list(trip_ids))
        .order_by()
        .values("trip_id")
        .annotate(
            boarded=Count("id", filter=Q(decision=Decision.ALLOW)),
            refused=Count("id", filter=Q(decision=Decision.REFUSE)),
        )
    )
    for row in rows:
        answer[row["trip_id"]] = {"boarded": row["boarded"], "refused": row["refused"]}
    return answer


def with_counts(trips) -> list[BusTrip]:
    """The trips, each with `boarded` and `refused` set."""
    trips = list(trips)
    found = counts([t.pk for t in trips])
    for trip in trips:
        trip.boarded = found[trip.pk]["boarded"]
        trip.refused = found[trip.pk]["refused"]
    return trips


def passengers(trip: BusTrip, user):
    """The trip's boarding passages the user may see (names, time, temperature), in order."""
    return (
        Passage.objects.visible_to(user)
        .filter(trip=trip)
        .select_related("person", "visit")
        .order_by("at", "pk")
    )


def passenger_name(passage: Passage) -> str:
    if passage.person_id:
        return passage.person.name
    if passage.visit_id:
        return passage.visit.name
    return ""
