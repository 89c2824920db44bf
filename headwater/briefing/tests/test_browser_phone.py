"""A leader opens the daily briefing on a phone (390×844): the title block, the key points,
numbered sections with figures and trends, a detail table that scrolls in its box, and the
versions with what changed; the office's desktop view has the send and regenerate buttons."""

import datetime as dt

import pytest

from headwater.briefing import services
from headwater.core import clock
from headwater.core.tests.browser.harness import login, shot

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def refusals(page) -> list[str]:
    """What the Content-Security-Policy refused on the page (an inline style, a script)."""
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


@pytest.fixture
def busy_briefing(org, fake_sections):
    day = clock.today() - dt.timedelta(days=1)
    services.generate(org, day)
    fake_sections.busy = True
    fake_sections.abnormal = 6
    fake_sections.rate = 94.0
    briefing, _ = services.generate(org, day)
    return briefing


def test_a_leader_reads_the_briefing_on_a_phone(
    live_server, leader_user, busy_briefing, phone_page
):
    page = phone_page
    refused = refusals(page)
    login(page, live_server, leader_user.username)

    page.goto(f"{live_server.url}/briefings/")
    page.get_by_test_id("briefing-row").first.click()
    page.wait_for_url(f"**/briefings/{busy_briefing.pk}/")

    assert page.locator("h1.briefing-title").inner_text() == "金溪水务集团疫情防控工作日报"
    points = page.get_by_test_id("key-points").locator("li").all_inner_texts()
    assert points[0] == "逾期未办1项：第二水厂未按时报送日报。"
    assert len(points) == 5
    assert page.get_by_test_id("section").count() == 2
    assert page.get_by_test_id("figure").count() == 3
    assert page.locator("svg.sparkline").count() == 2  # the third figure has no trend
    assert page.get_by_test_id("changes").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE_WIDTH
    assert page.get_by_test_id("office-actions").count() == 0
    shot(page, "briefing-phone")
    assert refused == []


def test_the_office_sees_sending_and_regenerating_on_a_desktop(
    live_server, office_user, busy_briefing, desktop_page
):
    page = desktop_page
    refused = refusals(page)
    login(page, live_server, office_user.username)

    page.goto(f"{live_server.url}/briefings/{busy_briefing.pk}/")

    assert page.get_by_test_id("send").is_visible()
    assert page.get_by_test_id("regenerate").is_visible()
    shot(page, "briefing-desktop")
    page.goto(f"{live_server.url}/briefings/")
    shot(page, "briefing-archive-desktop")
    assert refused == []


def test_the_demo_briefing_from_the_real_sections_fits_a_phone(
    transactional_db, live_server, phone_page
):
    from django.utils import translation

    from headwater.briefing.models import Briefing
    from headwater.core import demo

    with translation.override("zh-hans"):
        org = demo.run(staff=120, seed=2020, history_days=3).organization
    briefing = Briefing.objects.of(org).latest_versions().latest("day")
    page = phone_page
    refused = refusals(page)
    login(page, live_server, "leader", "headwater-demo")

    page.goto(f"{live_server.url}/briefings/{briefing.pk}/")

    assert page.get_by_test_id("section").count() == len(briefing.doc("zh-hans")["sections"])
    assert page.get_by_test_id("key-points").locator("li").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE_WIDTH
    shot(page, "briefing-demo-phone")
    assert refused == []
