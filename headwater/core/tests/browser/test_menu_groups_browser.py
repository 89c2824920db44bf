"""The office's long menu sits under group headings, on a desktop and on a phone: a group
opens on a click, shows its entries, and an entry leads to its page."""

import pytest

from headwater.core.tests.browser.harness import follow_menu, login, shot, zh

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_office_opens_a_menu_group_and_follows_an_entry(
    request, live_server, office_user, viewport
):
    page = request.getfixturevalue(f"{viewport}_page")
    login(page, live_server, office_user.username)

    group = page.get_by_test_id("menu-group-health")
    if viewport == "phone":
        page.click("nav .navbar-toggler")
    assert group.locator("button").inner_text() == zh("Health")
    entry = group.locator('a[href="/health/rules/"]')
    assert not entry.is_visible()
    group.locator("button").click()
    assert entry.is_visible()
    shot(page, f"menu-groups-office-{viewport}")
    # Escape closes it; the helper opens it again and follows the entry.
    page.keyboard.press("Escape")
    assert not entry.is_visible()
    follow_menu(page, "/health/rules/")
    assert page.url == f"{live_server.url}/health/rules/"
