"""In a real browser: on the desktop, a unit head generates next month's roster of their plant
from the menu, looks at the grid and publishes it; the office looks at a post; on a phone, a
member of staff enters a wish. The live server runs on the real clock."""

import pytest

from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.duty import rules
from headwater.duty.models import Assignment, Preference, Roster

pytestmark = pytest.mark.browser


def test_a_unit_head_generates_a_months_roster_and_publishes_it(
    live_server, desktop_page, control_room, unit_head_user, operators
):
    page = desktop_page
    login(page, live_server, unit_head_user.username)
    follow_menu(page, "/duty/rosters/")
    shot(page, "duty-rosters-desktop")
    submit(page, '[data-testid="generate"]')

    roster = Roster.objects.get()
    assert (roster.ends_on - roster.starts_on).days >= 27
    assert roster.solver_status in ("optimal", "feasible")
    assert rules.roster_breaks(roster) == []
    days = (roster.ends_on - roster.starts_on).days + 1
    assert page.get_by_test_id("shift").count() == 2 * days
    assert Assignment.objects.filter(shift__roster=roster).count() == 2 * days
    assert page.get_by_test_id("roster-state").inner_text() == "草稿"
    shot(page, "duty-roster-grid-desktop")

    page.on("dialog", lambda dialog: dialog.accept())
    submit(page, '[data-testid="publish"]')
    assert page.get_by_test_id("roster-state").inner_text() == "已发布"
    assert Roster.objects.get().state == "published"
    shot(page, "duty-roster-published-desktop")


def test_the_office_looks_at_a_post(live_server, desktop_page, control_room, office_user):
    page = desktop_page
    login(page, live_server, office_user.username)
    follow_menu(page, "/duty/posts/")
    submit(page, f'a[href="/duty/posts/{control_room.pk}/"]')
    assert page.get_by_test_id("shift-defs").locator("li").count() == 2
    shot(page, "duty-post-desktop")


def test_a_member_of_staff_enters_a_wish_on_a_phone(live_server, phone_page, staff_user):
    page = phone_page
    login(page, live_server, staff_user.username)
    follow_menu(page, "/duty/wishes/")
    page.fill("#id_wish-day", "2026-03-12")
    page.select_option("#id_wish-kind", "no_night")
    submit(page, '[data-testid="wish-form"] button[type="submit"]')
    assert Preference.objects.get().kind == "no_night"
    assert page.get_by_test_id("wishes").locator("li").count() == 1
    shot(page, "duty-wishes-phone")
