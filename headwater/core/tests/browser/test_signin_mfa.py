"""On a desktop, in a real browser, with the production profile's second-factor rule: the
office signs in, is sent to set up an authenticator app first, types the app's code, and only
then reaches the people list."""

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from headwater.core.tests.browser.harness import login, shot, submit

pytestmark = pytest.mark.browser


def test_office_sets_up_totp_before_anything_else(live_server, desktop_page, office_user, settings):
    settings.HEADWATER_REQUIRE_MFA = True
    page = desktop_page

    login(page, live_server, office_user.username)
    assert page.url == f"{live_server.url}/2fa/totp/activate/"
    page.goto(f"{live_server.url}/core/people/")
    assert page.url == f"{live_server.url}/2fa/totp/activate/"  # nothing else first
    assert page.locator("main img.hw-qr").is_visible()
    shot(page, "signin-totp-activate-desktop")

    secret = page.input_value("#authenticator_secret")
    counter = next(iter(yield_hotp_counters_from_time()))
    page.fill("#id_code", format_hotp_value(hotp_value(secret, counter)))
    submit(page, "main form button[type=submit]")
    shot(page, "signin-totp-activated-desktop")

    page.goto(f"{live_server.url}/core/people/")
    assert page.url == f"{live_server.url}/core/people/"
