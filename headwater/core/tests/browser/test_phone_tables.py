"""Wide tables on a phone (390×844): a table that scrolls sideways inside its box with the
first column kept in view, never a page as tall as a tower or wider than the screen. And the
refused page on a phone: the layout, Chinese, a way back."""

import pytest

from headwater.core.tests.browser.harness import login, shot, zh
from headwater.core.tests.factories import make_user

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def first_column_stays_in_view(page, table: str) -> bool:
    """Scroll the table's box to its right end: the first cell of the first row is sticky
    and still at the box's left edge."""
    return page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            const box = table.closest('.table-responsive');
            box.scrollLeft = box.scrollWidth;
            const cell = table.querySelector('tbody tr td');
            const left = cell.getBoundingClientRect().left - box.getBoundingClientRect().left;
            return getComputedStyle(cell).position === 'sticky' && Math.abs(left) < 2
                && box.scrollLeft > 0;
        }""",
        table,
    )


def test_the_limits_page_fits_a_phone(live_server, office_user, phone_page):
    page = phone_page
    login(page, live_server, office_user.username)

    page.goto(f"{live_server.url}/quality/limits/")

    assert page.get_by_test_id("national-limits").locator("tbody tr").count() > 40
    assert height(page) < 4000  # was 12,645 px: every cell wrapped a character a line
    assert width(page) == PHONE_WIDTH  # the table scrolls in its box, not the page
    shot(page, "quality-limits-phone")
    assert first_column_stays_in_view(page, "[data-testid=national-limits]")
    shot(page, "quality-limits-phone-scrolled")


def test_the_health_overview_fits_a_phone(
    live_server, org, tree, people, unit_head_user, phone_page
):
    leader = make_user("leader", person=people["clerk"], roles=[("leader", None)])
    page = phone_page
    login(page, live_server, leader.username)

    page.goto(f"{live_server.url}/health/overview/")

    rows = page.get_by_test_id("unit-row")
    assert rows.count() >= 1  # the reporting units (those with a unit head)
    assert width(page) == PHONE_WIDTH
    # One line a unit: no row taller than two lines of text.
    assert max(r.bounding_box()["height"] for r in rows.all()) < 60
    shot(page, "health-overview-phone")
    assert first_column_stays_in_view(page, "[data-testid=unit-table]")
    shot(page, "health-overview-phone-scrolled")


def test_a_refused_page_on_a_phone_is_ours_and_leads_back(live_server, unit_head_user, phone_page):
    page = phone_page
    login(page, live_server, unit_head_user.username)

    # A bookmark or an old link, followed from the people list.
    response = page.goto(
        f"{live_server.url}/core/audit/", referer=f"{live_server.url}/core/people/"
    )

    assert response.status == 403
    assert page.locator("nav.hw-navbar").is_visible()  # the site's layout
    assert page.locator("main h1").inner_text() == "403"
    assert page.locator("main .lead").inner_text() == zh("Your role may not open this page.")
    assert "Forbidden" not in page.content()
    shot(page, "403-phone")
    with page.expect_navigation():
        page.get_by_test_id("back-previous").click()
    assert page.url == f"{live_server.url}/core/people/"
    page.goto(f"{live_server.url}/core/audit/")
    with page.expect_navigation():
        page.get_by_test_id("back-home").click()
    assert page.url == f"{live_server.url}/"


def test_the_response_level_page_fits_a_phone_and_shows_lists_as_text(
    live_server, office_user, phone_page
):
    page = phone_page
    login(page, live_server, office_user.username)

    page.goto(f"{live_server.url}/core/levels/")

    assert width(page) == PHONE_WIDTH
    reminder = page.locator("form:has(input[name=key][value='health.reminder_times'])")
    values = [v.input_value() for v in reminder.locator("input[name=value]").all()]
    # Levels 1 and 2 remind twice a day, the others once (headwater.health.settings_registry).
    assert sorted(values) == ["08:30, 14:30", "08:30, 14:30"] + ["09:00"] * (len(values) - 2)
    shot(page, "levels-phone")
