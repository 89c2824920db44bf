"""The browser-test harness, a pytest plugin loaded by the root conftest so that every app's
tests share one Chromium: Playwright (sync API) driving the system Chromium against
pytest-django's live_server. Import `login` and `shot` from here.

- The browser is Debian's Chromium at $HEADWATER_CHROMIUM (default /usr/bin/chromium);
  Playwright's own browser downloads are not used. Without it the tests are skipped, unless
  HEADWATER_REQUIRE_BROWSER=1 (CI sets it), when they fail instead.
- One browser per test session (per xdist worker), a fresh context per test.
- `login()` goes through the real login form; `shot()` saves a full-page screenshot under
  test-results/screenshots/ at the repository root (gitignored), to look at.
- Each page fixture fails the test on a JavaScript error or a static file that did not load.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; without this Django refuses
# ORM calls from the test (SynchronousOnlyOperation). The test code itself is synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_DIR = Path(__file__).resolve().parents[4]
SCREENSHOTS = REPO_DIR / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def _unavailable(reason: str):
    if os.environ.get("HEADWATER_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason} (HEADWATER_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    wanted = os.environ.get("HEADWATER_CHROMIUM", "/usr/bin/chromium")
    executable = shutil.which(wanted)
    if not executable:
        _unavailable(
            f"Chromium not found at {wanted} (install Debian's chromium, or set HEADWATER_CHROMIUM)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (make install-dev)")
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


def open_page(browser, **options):
    """A new browser context and page in Chinese, Asia/Shanghai; returns (context, page,
    problems): JavaScript errors and failed static files, to assert empty at the end."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} for {r.url}")
            if r.status >= 400 and "/static/" in r.url
            else None
        ),
    )
    return context, page, problems


@pytest.fixture
def phone_page(browser):
    """A phone: 390×844 CSS pixels at 2×, touch, Chinese."""
    context, page, problems = open_page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def desktop_page(browser):
    """A desktop screen: 1440×900, Chinese."""
    context, page, problems = open_page(browser, viewport={"width": 1440, "height": 900})
    yield page
    context.close()
    assert not problems, problems


def login(page, live_server, username: str, password: str | None = None) -> None:
    """Log in through the real login page (password defaults to the factories' PASSWORD);
    `username` may be the staff number or the phone number (ADR 0012)."""
    if password is None:
        from headwater.core.tests.factories import PASSWORD

        password = PASSWORD
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form[data-testid=password-login] button[type=submit]")


def follow_menu(page, href: str) -> None:
    """Follow the menu's entry for `href` as a user would: open the phone menu when it is
    folded, open the entry's group when it sits in one, click it, wait for the next page."""
    toggler = page.locator("nav .navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    link = page.locator(f'#hw-nav a[href="{href}"]')
    group = link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]")
    if group.count():
        group.locator("[data-hw-dropdown]").click()
    with page.expect_navigation():
        link.click()


def shot(page, name: str) -> Path:
    """A full-page screenshot at test-results/screenshots/<name>.png; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def submit(page, selector: str) -> None:
    """Click what submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.click(selector)


def zh(message: str) -> str:
    """What a page shows for `message` in Chinese (the message itself until translated)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(message)
