"""In a real browser: the bus driver, on a phone (390×844), opens today's trips from the menu,
sees the morning trip's passenger count, records its disinfection and sees it recorded; the
office, on a desktop (1366×768), sees the day's trips with the evening one flagged. The live
server runs on the real clock, so the trips are today's."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from headwater.access.tests.buses_helpers import bus_world
from headwater.access.tests.factories_buses import make_passage, make_trip
from headwater.core import clock
from headwater.core.models import RoleGrant
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def bus(org, tree, people):
    bus = bus_world(org, tree)
    RoleGrant.objects.create(user=bus.driver, role="guard", unit=None)
    today = clock.today()
    morning = make_trip(bus.route, today, dt.time(7, 10), plate="湘A·D2020", driver_name="周师傅")
    make_trip(bus.route, today, dt.time(17, 30), plate="湘A·D2020")
    boarded = timezone.make_aware(dt.datetime.combine(today, dt.time(7, 0)))
    for i, key in enumerate(("operator", "head")):
        make_passage(
            bus.gate, boarded + dt.timedelta(minutes=i), people[key], temperature=36.5, trip=morning
        )
    bus.morning = morning
    return bus


def test_the_driver_records_the_disinfection_on_the_phone(live_server, phone_page, bus):
    page = phone_page
    login(page, live_server, "driver")
    follow_menu(page, "/access/bus/")
    expect(page.get_by_test_id("my-trip")).to_have_count(2)
    shot(page, "access-bus-mine-phone")
    submit(page, f'a[href="/access/bus/{bus.morning.pk}/"]')
    expect(page.get_by_test_id("count")).to_have_text("2")
    expect(page.get_by_test_id("passenger-row")).to_have_count(2)
    page.fill("#id_note", "含氯消毒液喷洒座椅扶手")
    shot(page, "access-bus-run-phone")
    submit(page, "[data-testid=record]")
    expect(page.get_by_test_id("disinfected")).to_be_visible()
    expect(page.get_by_test_id("disinfection-form")).to_have_count(0)
    shot(page, "access-bus-run-recorded-phone")
    bus.morning.refresh_from_db()
    assert bus.morning.disinfection_note == "含氯消毒液喷洒座椅扶手"
    assert bus.morning.disinfected_by == bus.driver


def test_the_office_sees_the_days_trips_and_the_flag(live_server, desktop_page, bus, office_user):
    page = desktop_page
    login(page, live_server, "office")
    follow_menu(page, "/access/buses/")
    expect(page.get_by_test_id("trip-row")).to_have_count(2)
    expect(page.get_by_test_id("trip-flag")).to_have_count(2)
    expect(page.get_by_test_id("trip-count").first).to_have_text("2")
    shot(page, "access-buses-desktop")
    submit(page, f'a[href="/access/buses/trips/{bus.morning.pk}/"]')
    expect(page.get_by_test_id("passenger-row")).to_have_count(2)
    shot(page, "access-bus-trip-desktop")
