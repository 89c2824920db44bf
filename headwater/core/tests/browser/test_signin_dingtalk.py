"""On a phone, in a real browser: a staff member taps "Sign in with DingTalk", agrees on
DingTalk's page and lands on the check-in; a DingTalk account whose mobile number is on nobody's
login is sent back to the sign-in page with the reason. DingTalk is the local double: the
browser's requests to DingTalk's authorize page are answered by it, the server's token and
user-info calls too; any other address off this site is aborted (no network)."""

import copy

import pytest

from headwater.core.tests import dingtalk_double
from headwater.core.tests.browser.harness import shot, submit, zh
from headwater.core.tests.dingtalk_double import DingTalkUser

pytestmark = pytest.mark.browser


@pytest.fixture
def dingtalk(settings, monkeypatch):
    # as settings.py does when HEADWATER_DINGTALK_CLIENT_ID/_SECRET are set
    settings.SOCIALACCOUNT_PROVIDERS = dingtalk_double.provider_settings()
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(settings.DINGTALK_AUTHORIZE_ORIGIN)
    settings.CONTENT_SECURITY_POLICY = policy
    return dingtalk_double.install(monkeypatch)


def route_dingtalk(page, live_server, dingtalk, user: DingTalkUser) -> list[str]:
    """DingTalk's authorize page, played by the double: the person agrees at once.

    A browser follows a redirect without showing it to a route handler, so the handler takes
    our own start request: it lets our server answer (state kept in the session, the redirect
    to DingTalk), has the double approve that authorize URL, and hands the browser DingTalk's
    redirect back to our callback instead. Any address off this site is aborted."""
    visited: list[str] = []

    def handle(route):
        url = route.request.url
        if not url.startswith(live_server.url):
            return route.abort()
        if not url.startswith(f"{live_server.url}/dingtalk/login/?"):
            return route.continue_()
        response = route.fetch(max_redirects=0)
        authorize_url = response.headers["location"]
        assert authorize_url.startswith(dingtalk_double.AUTHORIZE_URL + "?")
        visited.append(authorize_url)
        callback = live_server.url + dingtalk.approve(authorize_url, user)
        return route.fulfill(
            response=response, status=302, headers={**response.headers, "location": callback}
        )

    page.route("**/*", handle)
    return visited


def test_staff_signs_in_with_dingtalk_and_reaches_the_checkin(
    live_server, phone_page, staff_user, dingtalk
):
    page = phone_page
    visited = route_dingtalk(page, live_server, dingtalk, DingTalkUser("open-li", "13912345678"))

    page.goto(f"{live_server.url}/health/checkin/")
    assert page.url == f"{live_server.url}/login/?next=/health/checkin/"
    button = page.locator('[data-testid="provider-login-dingtalk"] button')
    assert button.inner_text() == "钉钉登录"
    shot(page, "signin-dingtalk-offered-phone")

    submit(page, '[data-testid="provider-login-dingtalk"] button')

    assert len(visited) == 1
    assert page.url == f"{live_server.url}/health/checkin/"
    assert page.locator("#id_temperature").is_visible()
    welcome = zh("Successfully signed in as %(name)s.") % {"name": "李操作"}
    assert page.locator("main .alert-success").inner_text() == welcome
    shot(page, "signin-dingtalk-checkin-phone")


def test_dingtalk_account_matching_nobody_is_sent_back_with_the_reason(
    live_server, phone_page, staff_user, dingtalk
):
    page = phone_page
    route_dingtalk(page, live_server, dingtalk, DingTalkUser("open-x", "13700000000"))

    page.goto(f"{live_server.url}/login/")
    submit(page, '[data-testid="provider-login-dingtalk"] button')

    assert page.url == f"{live_server.url}/login/"
    message = zh(
        "The mobile number of this %(provider)s account matches nobody with a login on the "
        "roster. Ask the control office to check your mobile number on the roster."
    ) % {"provider": "钉钉"}
    assert page.locator("main .alert-danger").inner_text() == message
    assert page.locator("#id_login").is_visible()
    shot(page, "signin-dingtalk-refused-phone")
