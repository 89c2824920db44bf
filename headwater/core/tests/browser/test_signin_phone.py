"""On a phone, in a real browser: a staff member opens the check-in, is asked to sign in, asks
for an SMS code, types the code the (test) SMS sender received, and lands on the check-in."""

import re

import pytest

from headwater.core import sms
from headwater.core.tests.browser.harness import shot, submit, zh

pytestmark = pytest.mark.browser


def test_staff_signs_in_with_an_sms_code_and_reaches_the_checkin(
    live_server, phone_page, staff_user, settings
):
    settings.HEADWATER_SMS_SENDER = "headwater.core.sms.MemorySender"
    sms.OUTBOX.clear()
    page = phone_page

    page.goto(f"{live_server.url}/health/checkin/")
    assert page.url == f"{live_server.url}/login/?next=/health/checkin/"
    shot(page, "signin-password-or-code-phone")

    submit(page, '[data-testid="code-login"]')
    page.fill("#id_phone", "139 1234 5678")
    shot(page, "signin-request-code-phone")
    submit(page, "main form button[type=submit]")

    assert [m.phone for m in sms.OUTBOX] == ["13912345678"]
    code = re.search(r"\b(\d{6})\b", sms.OUTBOX[0].text).group(1)
    page.fill("#id_code", code)
    shot(page, "signin-enter-code-phone")
    submit(page, "main form button[type=submit]")

    assert page.url == f"{live_server.url}/health/checkin/"
    assert page.locator("#id_temperature").is_visible()
    welcome = zh("Successfully signed in as %(name)s.") % {"name": "李操作"}
    assert page.locator("main .alert-success").inner_text() == welcome
    shot(page, "signin-checkin-after-code-phone")
    sms.OUTBOX.clear()
