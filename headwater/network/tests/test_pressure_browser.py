"""In a real browser, on the office's 1366×900 desktop: the pressure watch from the menu, a
point dipping below its low threshold charted over the last 24 hours with its thresholds,
the thresholds changed, and a telemetry device enrolled with its token shown once. The live
server runs on the real clock, so the readings are written for the last day."""

import datetime as dt
import math

import pytest
from playwright.sync_api import expect

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, open_page, shot, submit
from headwater.network.models import PressurePoint, Reading
from headwater.network.tests.factories_pressure import *  # noqa: F403
from headwater.network.tests.factories_pressure import make_point

pytestmark = pytest.mark.browser


@pytest.fixture
def office_page(browser):
    context, page, problems = open_page(browser, viewport={"width": 1366, "height": 900})
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def watched(org, device):
    now = clock.now().replace(second=0, microsecond=0)
    dipping = make_point(
        org, "YL-01", name="第一人民医院", device=device, node="J1", low=22, high=60
    )
    steady = make_point(org, "YL-02", name="市疾控中心", device=device, node="J2", low=22, high=60)
    rows = []
    for i in range(24 * 12):
        at = now - dt.timedelta(minutes=5 * i)
        wave = 4 * math.cos(i / 288 * 2 * math.pi)
        rows.append(Reading(organization=org, point=steady, at=at, value=round(38 + wave, 2)))
        dip = 18 if i < 24 else 0
        rows.append(
            Reading(organization=org, point=dipping, at=at, value=round(33 + wave - dip, 2))
        )
    Reading.objects.bulk_create(rows)
    PressurePoint.objects.filter(pk=dipping.pk).update(last_value=33 + 4 - 18, last_at=now)
    PressurePoint.objects.filter(pk=steady.pk).update(last_value=42, last_at=now)
    return dipping


def test_the_office_watches_a_dipping_point_and_enrols_a_device(
    live_server, office_page, office_user, network_model, watched
):
    page = office_page
    login(page, live_server, "office")
    follow_menu(page, "/network/points/")
    expect(page.get_by_test_id("point-row")).to_have_count(2)
    expect(page.locator('[data-testid="point-row"][data-state="low"]')).to_have_count(1)
    shot(page, "network-pressure-list-desktop")
    submit(page, f'a[href="/network/points/{watched.pk}/"]')
    chart = page.get_by_test_id("pressure-chart")
    expect(chart.locator("canvas")).to_have_count(1)
    expect(chart).to_have_attribute("data-points", "288")
    box = chart.bounding_box()
    assert box["width"] > 1000 and box["height"] > 300
    shot(page, "network-pressure-point-desktop")
    form = page.get_by_test_id("edit-form")
    form.get_by_label("下限").fill("25")
    submit(page, '[data-testid="save-point"]')
    watched.refresh_from_db()
    assert watched.low == 25.0
    page.get_by_label("设备名称").fill("一院RTU-2")
    submit(page, '[data-testid="enrol"]')
    token = page.get_by_test_id("device-token").inner_text()
    assert token.startswith("hw_")
    shot(page, "network-pressure-enrolled-desktop")
