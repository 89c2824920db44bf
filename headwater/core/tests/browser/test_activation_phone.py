"""In a real browser: the office creates the logins of a plant and hands out codes (desktop);
on a phone, a member of staff opens the activation link of their slip (what its QR code
holds), chooses a password, lands signed in and checks in."""

import pytest

from headwater.core import logins
from headwater.core.models import User
from headwater.core.tests.browser.harness import shot, submit

pytestmark = pytest.mark.browser


def test_staff_activates_from_the_sheet_sets_a_password_and_checks_in(
    live_server, phone_page, unit_head_user, org, tree, people, settings
):
    settings.HEADWATER_BASE_URL = live_server.url
    logins.create_logins(org, tree["plant1"], by=unit_head_user)
    rows, _expires = logins.activation_sheet(tree["plant1"], by=unit_head_user)
    row = next(r for r in rows if r.employee_no == "E2")
    assert row.url == f"{live_server.url}/activate/{row.code}/"
    page = phone_page

    page.goto(row.url)  # what the camera opens from the slip's QR code
    assert "李操作" in page.locator("main").inner_text()
    shot(page, "activation-open-link-phone")
    submit(page, '[data-testid="activate"]')

    assert page.url == f"{live_server.url}/password/set/?next=/"
    page.fill("#id_password1", "Qingshui-river-2026")
    page.fill("#id_password2", "Qingshui-river-2026")
    shot(page, "activation-set-password-phone")
    submit(page, "main form button[type=submit]")

    assert page.url == f"{live_server.url}/"
    user = User.objects.get(username="E2")
    assert user.check_password("Qingshui-river-2026")
    shot(page, "activation-signed-in-phone")

    page.goto(f"{live_server.url}/health/checkin/")
    page.fill("#id_temperature", "36.5")
    submit(page, '[data-testid="submit"]')
    assert page.locator('[data-testid="code-card"]').get_attribute("data-colour") == "green"
    shot(page, "activation-checked-in-phone")

    # The slip's link is used up: opening it again is refused in words.
    page.goto(row.url)
    assert page.locator('[data-testid="activation-refused"]').is_visible()
    shot(page, "activation-used-link-phone")


def test_office_creates_logins_and_reissues_a_code_on_the_desktop(
    live_server, desktop_page, office_user, tree, people
):
    from headwater.core.tests.browser.harness import login

    page = desktop_page
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/core/logins/")
    shot(page, "logins-units-desktop")
    row = page.locator('[data-testid="logins-unit-row"]', has_text="第一水厂")
    with page.expect_navigation():
        row.locator('[data-testid="create-logins"]').click()
    assert page.get_by_test_id("created").inner_text() == "2"
    shot(page, "logins-created-desktop")

    submit(page, "main a.btn-primary")  # hand out activation codes
    assert page.locator('[data-testid="login-row"]').count() == 2
    shot(page, "logins-unit-desktop")
    operator = page.locator('[data-testid="login-row"]', has_text="李操作")
    with page.expect_navigation():
        operator.locator('[data-testid="new-code"]').click()
    code = page.get_by_test_id("code").inner_text()
    assert page.get_by_test_id("code-url").inner_text() == f"http://127.0.0.1:8000/activate/{code}/"
    assert page.get_by_test_id("code-qr").evaluate("img => img.naturalWidth > 0")
    shot(page, "logins-new-code-desktop")
