"""Commute buses (通勤车): routes and their trips (a week generated from a timetable in one
step, idempotent), and each trip's disinfection record — written once by the bus's crew (its
gate's team, a guard of its site, the office), corrected only by the office with a reason,
audited. Every write checks its permission, runs in one transaction on locked rows and
returns `(object, created)`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.access.inputs_buses import DisinfectionInput, RouteInput, TimetableInput
from headwater.access.models import BusRoute, BusTrip
from headwater.access.reads_buses import may_manage, may_run
from headwater.core import audit, locks
from headwater.core.audit import acting_as
from headwater.core.errors import CoreError, DomainError, NotAllowed
from headwater.core.writes import Written, idempotent

RECORD = "access.bus_disinfection"


def require_manager(by, organization_id: int) -> None:
    if not may_manage(by, organization_id):
        raise NotAllowed(_("Only the epidemic-prevention office may manage bus routes."))


def save_route(organization, data: RouteInput, *, by, route: BusRoute | None = None):
    """A new route, or the changes to one (name, bus gate, stops, active)."""
    require_manager(by, organization.pk)
    with transaction.atomic(), acting_as(by):
        if route is None:
            route = BusRoute(organization=organization)
            created = True
        else:
            route = locks.lock_one(BusRoute, route.pk)
            created = False
        route.name, route.gate, route.stops, route.active = (
            data.name,
            data.gate,
            data.stops,
            data.active,
        )
        route.save()
    return route, created


def generate_trips(route: BusRoute, data: TimetableInput, *, by) -> Written[list[BusTrip]]:
    """One trip per departure time on each of the days: the trips already there are kept as
    they are (their plate, driver and disinfection), so generating again adds only what is
    missing. Returns the trips created and whether there were any."""
    require_manager(by, route.organization_id)
    days = [data.starts_on + dt.timedelta(days=i) for i in range(data.days)]
    with transaction.atomic(), acting_as(by):
        locked = locks.lock_one(BusRoute, route.pk)  # two generations at once add once
        if not locked.active:
            raise DomainError(
                _("The route is not in service; put it back in service first."),
                code=CoreError.WRONG_STATE,
                status=409,
            )
        have = set(BusTrip.objects.filter(route=locked, day__in=days).values_list("day", "departs"))
        created = []
        for day in days:
            for departs in data.departures:
                if (day, departs) in have:
                    continue
                created.append(
                    BusTrip.objects.create(
                        organization_id=locked.organization_id,
                        route=locked,
                        day=day,
                        departs=departs,
                        plate=data.plate,
                        driver_name=data.driver_name,
                    )
                )
    return created, bool(created)


def record_disinfection(trip: BusTrip, data: DisinfectionInput, *, by, key: str = ""):
    """The bus was disinfected for this trip: when, by whom, with what. Once per trip (a
    second record is refused: the office corrects it); a retry with the same key answers the
    first record."""
    if not may_run(by, trip):
        raise NotAllowed(_("Only the bus's crew or the office may record its disinfection."))

    def write() -> Written[BusTrip]:
        with acting_as(by):
            locked = locks.lock_one(BusTrip, trip.pk)
            if locked.disinfected_at is not None:
                raise DomainError(
                    _("The disinfection of this trip was already recorded at %(time)s.")
                    % {"time": f"{timezone.localtime(locked.disinfected_at):%m-%d %H:%M}"},
                    code=CoreError.DUPLICATE,
                    status=409,
                )
            locked.disinfected_at = data.at
            locked.disinfected_by = by
            locked.disinfection_note = data.note
            locked.save(update_fields=["disinfected_at", "disinfected_by", "disinfection_note"])
            return locked, True

    return idempotent(RECORD, by=by, key=key, model=BusTrip, write=write)


def correct_disinfection(trip: BusTrip, data: DisinfectionInput, *, by) -> Written[BusTrip]:
    """The office corrects a trip's record (time, note) and says why: the change is in the
    trail with the reason beside it."""
    require_manager(by, trip.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locks.lock_one(BusTrip, trip.pk)
        if locked.disinfected_at is None:
            raise DomainError(
                _("No disinfection was recorded for this trip; record it instead."),
                code=CoreError.WRONG_STATE,
                status=409,
            )
        before = f"{timezone.localtime(locked.disinfected_at):%Y-%m-%d %H:%M}"
        locked.disinfected_at = data.at
        locked.disinfection_note = data.note
        locked.save(update_fields=["disinfected_at", "disinfection_note"])
        audit.record(
            locked,
            actor=by,
            disinfection_corrected=before,
            correction_reason=data.reason,
        )
    return locked, False
