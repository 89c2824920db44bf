"""The pages a person meets first, in a real browser: the login page on a phone (Chinese by
default, a wrong password, the language switch), the 404 page, and on a desktop the office's
walk from the people list to a phone number shown in full and its entry in the audit trail."""

import re

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from headwater.core.tests.browser.harness import follow_menu, login, shot

pytestmark = pytest.mark.browser


def zh(message) -> str:
    """What the page shows for `message` in Chinese (the message itself until translated)."""
    with translation.override("zh-hans"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_login_page_is_chinese_and_refuses_a_wrong_password(live_server, staff_user, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/")  # anonymous: sent to the login page
    assert page.url.startswith(f"{live_server.url}/login/")
    assert lang(page) == "zh-hans"
    assert page.locator("main h1").inner_text() == zh("Log in to Headwater")
    assert page.locator("label[for=id_login]").inner_text() == zh("Staff number or phone number")
    shot(page, "login-phone")

    login(page, live_server, staff_user.username, "not-the-password")
    assert page.url.startswith(f"{live_server.url}/login/")
    error = page.locator("main .alert-danger")
    assert error.is_visible()
    assert error.inner_text() == zh("The staff number (or phone number) and password do not match.")
    assert page.input_value("#id_login") == staff_user.username
    shot(page, "login-wrong-password-phone")


def test_language_switch_goes_to_english_and_back(live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    assert lang(page) == "zh-hans"
    with page.expect_navigation():
        page.click("nav button[name=language][value=en]")
    assert lang(page) == "en"
    assert page.url == f"{live_server.url}/login/"
    assert page.locator("main h1").inner_text() == "Log in to Headwater"
    assert page.locator("nav button[name=language]").inner_text() == "中文"
    shot(page, "login-english-phone")

    with page.expect_navigation():
        page.click("nav button[name=language][value=zh-hans]")
    assert lang(page) == "zh-hans"
    assert page.locator("main h1").inner_text() == zh("Log in to Headwater")
    assert page.locator("nav button[name=language]").inner_text() == "English"


def test_unknown_address_shows_the_sites_404_page(live_server, phone_page):
    page = phone_page
    response = page.goto(f"{live_server.url}/no/such/page/")
    assert response.status == 404
    assert lang(page) == "zh-hans"
    assert page.locator("nav.hw-navbar").is_visible()  # the site's layout, not Django's
    assert page.locator("main h1").inner_text() == "404"
    assert page.locator("main .lead").inner_text() == zh(
        "This page does not exist, or your role may not see it."
    )
    back = page.locator("main a.btn")
    assert back.get_attribute("href") == "/"
    shot(page, "404-phone")


def test_office_reveals_a_phone_number_and_the_trail_records_it(
    live_server, office_user, people, desktop_page
):
    page = desktop_page
    operator = people["operator"]
    login(page, live_server, office_user.username)

    follow_menu(page, "/core/people/")
    page.wait_for_url(f"{live_server.url}/core/people/")
    phones = page.locator("tbody td.font-monospace").all_inner_texts()
    assert "139****5678" in phones
    assert all(not re.fullmatch(r"1\d{10}", p) for p in phones), phones  # nothing in full
    assert "13912345678" not in page.content()
    shot(page, "people-desktop")

    page.click(f'tbody a:text-is("{operator.name}")')
    page.wait_for_url(f"{live_server.url}/core/people/{operator.pk}/")
    assert page.get_by_test_id("phone").inner_text() == "139****5678"
    page.fill("input[name=purpose]", "核实紧急联系电话")
    with page.expect_navigation():
        page.click('main form[action$="/reveal/"] button[type=submit]')
    assert page.get_by_test_id("phone").inner_text() == "13912345678"
    assert page.get_by_test_id("id-number").inner_text() == operator.id_number
    shot(page, "person-revealed-desktop")

    page.goto(f"{live_server.url}/core/audit/")
    access = zh(dict(LogEntry.Action.choices)[LogEntry.Action.ACCESS])
    rows = page.get_by_test_id("audit-row").filter(has_text=operator.name)
    row = rows.filter(has=page.locator(f'td:text-is("{access}")'))
    assert row.count() == 1, rows.all_inner_texts()
    assert office_user.username in row.inner_text()
    assert "核实紧急联系电话" in row.inner_text()
    assert "13912345678" not in page.content()  # the trail names the view, not the number
    shot(page, "audit-desktop")
