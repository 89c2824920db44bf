"""Bus pages: the office's list of routes and the day's trips (counts, missing disinfection
flagged), a route's page (generate the week, edit), a trip's passengers and the correction of
its record; the crew's phone pages (today's trips, record the disinfection once). Staff and
other organizations get nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from headwater.access.choices import Decision, RefusalReason
from headwater.access.models import BusRoute, BusTrip
from headwater.access.tests.buses_helpers import D, bus_world
from headwater.access.tests.factories_buses import make_passage, make_trip
from headwater.core.tests.timing import at


@pytest.fixture
def bus(org, tree, clock_at):
    clock_at(at(D, 7, 0))
    return bus_world(org, tree)


@pytest.fixture
def trips(bus, people):
    morning = make_trip(bus.route, D, dt.time(7, 10), plate="湘A·D2020")
    evening = make_trip(bus.route, D, dt.time(17, 30), disinfected_at=at(D, 17, 0))
    make_passage(bus.gate, at(D, 6, 55), people["operator"], temperature=36.5, trip=morning)
    make_passage(bus.gate, at(D, 6, 58), people["head"], temperature=36.4, trip=morning)
    make_passage(
        bus.gate,
        at(D, 7, 1),
        people["clerk"],
        temperature=38.2,
        trip=morning,
        decision=Decision.REFUSE,
        reason=RefusalReason.FEVER,
    )
    return morning, evening


def test_the_office_sees_the_days_trips_with_counts_and_the_missing_disinfection(
    client, office_user, trips
):
    client.force_login(office_user)
    response = client.get(reverse("access:buses"))
    assert response.status_code == 200
    rows = response.context["trips"]
    assert [(t.departs, t.boarded, t.refused) for t in rows] == [
        (dt.time(7, 10), 2, 1),
        (dt.time(17, 30), 0, 0),
    ]
    assert response.context["not_disinfected"] == 1
    assert "1号线" in response.text
    other_day = client.get(reverse("access:buses") + "?day=2026-03-11")
    assert other_day.context["trips"] == []


def test_the_office_adds_a_route_and_generates_its_week(client, office_user, bus):
    client.force_login(office_user)
    response = client.post(
        reverse("access:buses"), {"name": "2号线", "gate_id": bus.gate.pk, "active": "on"}
    )
    route = BusRoute.objects.get(name="2号线")
    assert response.status_code == 302 and response.url == reverse(
        "access:bus_route", args=[route.pk]
    )
    page = reverse("access:bus_route", args=[route.pk])
    response = client.post(
        page,
        {
            "action": "timetable",
            "starts_on": "2026-03-10",
            "days": "7",
            "departures": "07:10,17:30",
        },
    )
    assert response.status_code == 302
    assert BusTrip.objects.filter(route=route).count() == 14
    response = client.get(page)
    assert len(response.context["trips"]) == 14


def test_a_bad_timetable_shows_its_fields_and_adds_nothing(client, office_user, bus):
    client.force_login(office_user)
    page = reverse("access:bus_route", args=[bus.route.pk])
    response = client.post(
        page, {"action": "timetable", "starts_on": "2026-03-10", "days": "7", "departures": "早上"}
    )
    assert response.status_code == 200
    assert "departures" in response.context["timetable"].errors
    assert BusTrip.objects.count() == 0


def test_the_trip_page_lists_the_passengers_and_the_office_corrects_the_record(
    client, office_user, trips, bus
):
    morning, evening = trips
    client.force_login(office_user)
    page = reverse("access:bus_trip", args=[evening.pk])
    response = client.get(reverse("access:bus_trip", args=[morning.pk]))
    names = [p.name for p in response.context["passengers"]]
    assert names == ["李操作", "王厂长", "钱文员"]
    assert response.context["trip"].boarded == 2
    response = client.post(page, {"at": "2026-03-10T06:30", "note": "x", "reason": ""})
    assert response.status_code == 200
    evening.refresh_from_db()
    assert evening.disinfected_at == at(D, 17, 0)
    response = client.post(page, {"at": "2026-03-10T06:30", "note": "补录", "reason": "时间填错"})
    assert response.status_code == 302
    evening.refresh_from_db()
    assert evening.disinfected_at == at(D, 6, 30)


def test_the_driver_records_the_disinfection_on_the_phone_once(client, bus, trips):
    morning, _evening = trips
    client.force_login(bus.driver)
    response = client.get(reverse("access:bus_mine"))
    assert [t.pk for t in response.context["trips"]] == [morning.pk, _evening.pk]
    page = reverse("access:bus_run", args=[morning.pk])
    response = client.get(page)
    assert response.context["trip"].boarded == 2
    assert [p.name for p in response.context["passengers"]] == ["李操作", "王厂长", "钱文员"]
    response = client.post(page, {"note": "含氯消毒液", "key": "abc"})
    assert response.status_code == 302
    morning.refresh_from_db()
    assert (morning.disinfected_at, morning.disinfected_by) == (at(D, 7, 0), bus.driver)
    response = client.post(page, {"note": "再来一次", "key": "abd"})
    assert response.status_code == 200
    assert "已" in response.text or "already" in response.text
    morning.refresh_from_db()
    assert morning.disinfection_note == "含氯消毒液"


def test_staff_and_outsiders_get_nothing(client, staff_user, outsider, bus, trips):
    morning, _evening = trips
    client.force_login(staff_user)
    assert client.get(reverse("access:buses")).status_code == 403
    assert client.get(reverse("access:bus_trip", args=[morning.pk])).status_code == 403
    assert client.get(reverse("access:bus_run", args=[morning.pk])).status_code == 404
    assert (
        client.post(reverse("access:bus_run", args=[morning.pk]), {"key": "x"}).status_code == 404
    )
    assert client.get(reverse("access:bus_mine")).context["trips"] == []
    client.force_login(outsider)
    assert client.get(reverse("access:bus_trip", args=[morning.pk])).status_code == 404
    assert client.get(reverse("access:bus_route", args=[bus.route.pk])).status_code == 404
    assert client.get(reverse("access:bus_run", args=[morning.pk])).status_code == 404
    assert client.get(reverse("access:buses")).context["trips"] == []
    morning.refresh_from_db()
    assert morning.disinfected_at is None


def test_a_unit_head_sees_the_trip_but_only_the_passengers_of_their_sites(
    client, unit_head_user, trips
):
    morning, _evening = trips
    client.force_login(unit_head_user)
    response = client.get(reverse("access:bus_trip", args=[morning.pk]))
    assert response.status_code == 200
    # the bus gate is at the head office, outside plant 1: only their own boarding shows
    assert [p.name for p in response.context["passengers"]] == ["王厂长"]
    assert client.post(reverse("access:buses"), {"name": "x"}).status_code == 403
