"""In a real browser: a member of staff opens their pass on a phone (390×844) and sees their
code's colour and a QR code that changes by itself after the interval without a reload, then
says it is offline (and for how long the code still works) when the network drops; the office
issues, revokes and prints cards at a desktop. The live server runs on the real clock; the
page's clock is moved forward (Playwright's clock) instead of waiting a minute."""

import pytest
from playwright.sync_api import expect

from headwater.access.models import PassCard
from headwater.access.tests.factories_passes import set_code
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit

pytestmark = pytest.mark.browser


def test_the_pass_shows_the_colour_and_a_qr_that_renews_itself(
    live_server, phone_page, staff_user, people
):
    set_code(people["operator"], "green")
    page = phone_page
    page.clock.install()
    login(page, live_server, "operator")
    follow_menu(page, "/access/pass/")
    qr = page.get_by_test_id("pass-qr")
    expect(qr).to_be_visible()
    expect(page.get_by_test_id("code")).to_have_attribute("data-colour", "green")
    expect(page.get_by_test_id("code")).to_have_class("card-header text-bg-success")
    expect(page.get_by_test_id("pass-name")).to_have_text("李操作")
    expect(page.get_by_test_id("pass-status")).to_contain_text("秒后更新")
    first_token, first_src = qr.get_attribute("data-token"), qr.get_attribute("src")
    shot(page, "access-pass-phone")

    with page.expect_response("**/api/v1/access/pass"):
        page.clock.run_for(59_000)
    expect(qr).not_to_have_attribute("data-token", first_token)
    assert qr.get_attribute("src") != first_src
    expect(page.get_by_test_id("pass-offline")).to_be_hidden()

    page.context.set_offline(True)
    page.clock.run_for(59_000)
    offline = page.get_by_test_id("pass-offline")
    expect(offline).to_be_visible()
    expect(offline).to_contain_text("离线——此码将在")
    shot(page, "access-pass-offline-phone")
    page.context.set_offline(False)
    with page.expect_response("**/api/v1/access/pass"):
        page.get_by_test_id("pass-refresh").click()
    expect(offline).to_be_hidden()


def test_the_office_issues_revokes_and_prints_cards_at_a_desktop(
    live_server, desktop_page, office_user, people
):
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "office")
    follow_menu(page, "/access/cards/")
    for employee_no in ("E2", "E1"):
        page.get_by_test_id("issue-employee").fill(employee_no)
        submit(page, "[data-testid=issue-card]")
    expect(page.get_by_test_id("card-row")).to_have_count(2)
    shot(page, "access-cards-desktop")
    first = PassCard.objects.get(person=people["operator"])
    row = page.locator(f"[data-testid=card-row][data-serial='{first.serial}']")
    row.get_by_test_id("revoke-reason").fill("卡片遗失")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        row.get_by_test_id("revoke").click()
    expect(row).to_contain_text("已吊销")
    first.refresh_from_db()
    assert first.revoke_reason == "卡片遗失"
    page.get_by_test_id("print-choose").first.check()
    with page.expect_download() as download:
        page.get_by_test_id("print-chosen").click()
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, "access-cards-revoked-desktop")


def test_the_office_makes_a_new_key_and_retires_the_old_one_at_a_desktop(
    live_server, desktop_page, office_user, org
):
    from headwater.access import signing

    old = signing.ensure_key(org)
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "office")
    follow_menu(page, "/access/keys/")
    page.on("dialog", lambda dialog: dialog.accept())
    submit(page, "[data-testid=rotate]")
    expect(page.get_by_test_id("key-row")).to_have_count(2)
    old_row = page.locator(f"[data-testid=key-row][data-key='{old.key_id}']")
    with page.expect_navigation():
        old_row.get_by_test_id("retire").click()
    expect(old_row.get_by_test_id("retire")).to_have_count(0)
    old.refresh_from_db()
    assert old.retired_at is not None
    shot(page, "access-keys-desktop")
