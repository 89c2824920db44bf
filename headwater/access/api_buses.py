"""Commute bus endpoints (/api/v1/access): routes (list, create, change), a week of trips
generated from a timetable, the trips of a day with their counts, a trip's passengers, its
disinfection (recorded once by the crew, with an Idempotency-Key; corrected by the office).
Thin: reads through `visible_to` and reads_buses.py, writes through services/buses.py."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.access import reads_buses as reads
from headwater.access.inputs_buses import DisinfectionInput, RouteInput, TimetableInput
from headwater.access.models import BusRoute, BusTrip
from headwater.access.permissions import VIEW_PASSAGES
from headwater.access.schemas_buses import (
    CorrectionIn,
    DisinfectionIn,
    GeneratedOut,
    PassengerOut,
    RouteIn,
    RouteOut,
    TimetableIn,
    TripOut,
)
from headwater.access.services import buses as services
from headwater.core import clock
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.errors import require

router = Router(auth=SessionAuth())
TAGS = ["commute buses"]
KEY = Header("", alias="Idempotency-Key")
PAGE = 50


def _status(created: bool) -> int:
    return 201 if created else 200


def _route(request, route_id: int) -> BusRoute:
    return get_object_or_404(BusRoute.objects.visible_to(request.user), pk=route_id)


def _trip(request, trip_id: int) -> BusTrip:
    """A trip the caller may see: the office's and leaders' views, or the bus's crew."""
    trip = get_object_or_404(
        BusTrip.objects.visible_to(request.user).select_related("route"), pk=trip_id
    )
    if not (request.user.has_perm(VIEW_PASSAGES) or reads.may_run(request.user, trip)):
        raise Http404
    return trip


def trip_out(trip: BusTrip) -> dict:
    return {
        "id": trip.pk,
        "route_id": trip.route_id,
        "route": trip.route.name,
        "day": trip.day,
        "departs": trip.departs,
        "plate": trip.plate,
        "driver_name": trip.driver_name,
        "boarded": getattr(trip, "boarded", 0),
        "refused": getattr(trip, "refused", 0),
        "disinfected_at": trip.disinfected_at,
        "disinfection_note": trip.disinfection_note,
    }


@router.get("/bus-routes", response=list[RouteOut], tags=TAGS)
@paginate(Pagination, page_size=PAGE)
def list_routes(request):
    require(request.user, VIEW_PASSAGES)
    return BusRoute.objects.visible_to(request.user).order_by("name", "pk")


@router.post("/bus-routes", response={201: RouteOut}, tags=TAGS)
def create_route(request, payload: RouteIn):
    data = RouteInput.parse(payload.dict(), request.user.organization_id)
    route, _created = services.save_route(request.user.organization, data, by=request.user)
    return Status(201, route)


@router.put("/bus-routes/{int:route_id}", response=RouteOut, tags=TAGS)
def change_route(request, route_id: Id, payload: RouteIn):
    route = _route(request, route_id)
    data = RouteInput.parse(payload.dict(), route.organization_id)
    route, _created = services.save_route(
        request.user.organization, data, by=request.user, route=route
    )
    return route


@router.post(
    "/bus-routes/{int:route_id}/trips", response={200: GeneratedOut, 201: GeneratedOut}, tags=TAGS
)
def generate_trips(request, route_id: Id, payload: TimetableIn):
    """The trips of `days` days from `starts_on`, one per departure time; generating again
    adds only the missing ones (200 when nothing was added)."""
    route = _route(request, route_id)
    created, any_new = services.generate_trips(
        route, TimetableInput.parse(payload.dict()), by=request.user
    )
    trips = [trip_out(t) for t in reads.with_counts(created)]
    return Status(_status(any_new), {"created": len(created), "trips": trips})


@router.get("/bus-trips", response=list[TripOut], tags=TAGS)
@paginate(Pagination, page_size=PAGE)
def list_trips(request, day: Day | None = None, route_id: Id | None = None):
    """The trips of a day (today by default) with their counts; the crew sees their bus's."""
    user = request.user
    gates = None if user.has_perm(VIEW_PASSAGES) else reads.runnable_gates(user).values("pk")
    trips = reads.trips_of(user.organization_id, day or clock.today(), gate_ids=gates)
    if route_id:
        trips = trips.filter(route_id=route_id)
    return [trip_out(t) for t in reads.with_counts(trips)]


@router.get("/bus-trips/{int:trip_id}", response=TripOut, tags=TAGS)
def get_trip(request, trip_id: Id):
    return trip_out(reads.with_counts([_trip(request, trip_id)])[0])


@router.get("/bus-trips/{int:trip_id}/passengers", response=list[PassengerOut], tags=TAGS)
@paginate(Pagination, page_size=PAGE)
def list_passengers(request, trip_id: Id):
    """Who boarded (and who was refused), in order, as far as the caller may see people."""
    trip = _trip(request, trip_id)
    return [
        {
            "id": p.pk,
            "name": reads.passenger_name(p),
            "person_id": p.person_id,
            "visit_id": p.visit_id,
            "at": p.at,
            "temperature": p.temperature,
            "decision": p.decision,
            "reason": p.reason,
        }
        for p in reads.passengers(trip, request.user)
    ]


@router.post(
    "/bus-trips/{int:trip_id}/disinfection", response={200: TripOut, 201: TripOut}, tags=TAGS
)
def record_disinfection(request, trip_id: Id, payload: DisinfectionIn, idempotency_key: str = KEY):
    """Record the trip's disinfection, once (a second record answers 409; a retry with the
    same Idempotency-Key answers 200 with the first)."""
    trip = _trip(request, trip_id)
    data = DisinfectionInput.parse(payload.dict())
    trip, created = services.record_disinfection(trip, data, by=request.user, key=idempotency_key)
    return Status(_status(created), trip_out(reads.with_counts([trip])[0]))


@router.put("/bus-trips/{int:trip_id}/disinfection", response=TripOut, tags=TAGS)
def correct_disinfection(request, trip_id: Id, payload: CorrectionIn):
    """The office corrects a recorded disinfection, saying why (audited)."""
    trip = _trip(request, trip_id)
    data = DisinfectionInput.parse(payload.dict(), correction=True)
    trip, _created = services.correct_disinfection(trip, data, by=request.user)
    return trip_out(reads.with_counts([trip])[0])
