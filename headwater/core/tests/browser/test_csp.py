"""Every role's pages under the Content-Security-Policy, in a real browser (ADR 0009).

The demo organization is built once; each role logs in once (staff, unit head and lab
technician on a phone, the others on a desktop) and opens every entry of its menu and the key
pages behind them. A page passes when the browser reported no policy violation (a
`securitypolicyviolation` event, recorded from before the page's first script), wrote no
error to the console and threw no JavaScript error. Then the parts that used to be inline
script are worked: the menu toggler, the charts, the check-in form, the rule editor, the
confirm dialog, the auto-submitting selects, the "<" button of result entry.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from headwater.core import clock, demo
from headwater.core.models import User
from headwater.core.navigation import menu_for
from headwater.core.roles import Role
from headwater.core.tests.browser.harness import TIMEOUT_MS, shot, submit
from headwater.health.models import CheckIn, RiskArea
from headwater.quality.models import SamplingTask

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
# Every page of these roles' menus is opened; of the other roles' (and the superuser's, whose
# menu is the office's and more), only those not yet seen, and their key pages.
WALKED = [
    Role.OFFICE,
    Role.UNIT_HEAD,
    Role.STAFF,
    Role.LAB_TECH,
    Role.LAB_REVIEWER,
    Role.QUALITY,
    Role.REGULATOR,
]
ON_A_PHONE = {Role.STAFF, Role.UNIT_HEAD, Role.LAB_TECH, Role.MONITOR, Role.GUARD, Role.CREW}
# Recorded before any script of the page runs, so nothing refused goes unseen.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at "
    + e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""
REFUSED_PAGE = "the server responded with a status of 403"
# Pages behind the menus, worth a look of their own.
KEY_PAGES = {
    Role.STAFF: ["/login/", "/health/checkin/", "/health/me/"],
    Role.OFFICE: [
        "/health/rules/?edit=1",
        "/health/overview/",
        "/core/levels/",
        "/alerts/",
        "/notices/new/",
    ],
    Role.UNIT_HEAD: ["/health/unit/", "/health/unit/report/"],
    Role.QUALITY: ["/quality/trend/", "/quality/report/"],
    demo.ADMIN: ["/admin/", "/admin/core/person/", "/admin/core/unit/add/", "/api/v1/docs"],
}


class Visitor:
    """One role's logged-in browser context; collects every problem the pages report."""

    def __init__(self, browser, base_url: str, username: str, phone: bool):
        self.base_url = base_url
        self.username = username
        self.context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", **(PHONE if phone else DESKTOP)
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.refused: list[str] = []  # addresses answered 403
        self.console: list = []  # (where, url, message) of errors and warnings
        self.policies: dict[str, str | None] = {}  # the policy header of each page visited
        self.page.on("pageerror", lambda exc: self.problems.append(f"{self.where}: error {exc}"))
        self.page.on("console", self._console)
        # Logged in by cookie: the login page itself is one of the pages visited.
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
        self.where = username

    def _console(self, message) -> None:
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.console.append((self.where, message.location.get("url"), message))

    def goto(self, path: str, allowed=(200,)):
        self.where = f"{self.username} {path}"
        response = self.page.goto(f"{self.base_url}{path}")
        assert response.status in allowed, f"{self.where}: {response.status}"
        if response.status != 200:
            self.refused.append(response.url)
        return response

    def check(self) -> None:
        """Move the violations the page recorded into the problems (the page may still be
        changing: call after each interaction worth checking)."""
        for where, url, message in self.console:
            if url in self.refused and REFUSED_PAGE in message.text:
                continue  # the browser's note on a page answered 403, counted by the test
            self.problems.append(f"{where}: console {message.type}: {message.text}")
        self.console.clear()
        for v in self.page.evaluate("window.__violations || []"):
            self.problems.append(f"{self.where}: refused {v}")
        self.page.evaluate("window.__violations = []")

    def visit(self, path: str) -> None:
        response = self.goto(path, allowed=(200, 403))
        self.policies[path] = response.headers.get("content-security-policy")
        self.check()

    def menu(self) -> list[str]:
        user = User.objects.get(username=self.username)
        return [item["url"] for item in menu_for(user)]


@pytest.fixture
def world(transactional_db, live_server):
    """The demo organization with every demo login, on the real clock."""
    with translation.override("zh-hans"):
        demo.run(staff=120, seed=2020, history_days=3)
    return live_server.url


def test_every_role_opens_its_pages_with_no_policy_violation(world, browser):
    problems: list[str] = []
    refused: list[str] = []
    policies: set[str | None] = set()
    seen: set[str] = set()
    for role in [*WALKED, *(r for r in Role.values if r not in WALKED), demo.ADMIN]:
        visitor = Visitor(browser, world, role, phone=role in ON_A_PHONE)
        key_pages = KEY_PAGES.get(role, [])
        for path in dict.fromkeys([*visitor.menu(), *key_pages]):
            if role in WALKED or path in key_pages or path not in seen:
                visitor.visit(path)
                seen.add(path)
        if role == Role.OFFICE:
            api = visitor.page.request.get(f"{world}/api/v1/people")
            assert api.status == 200
            policies.add(api.headers.get("content-security-policy"))
        problems += visitor.problems
        refused += [f"{role} {url.removeprefix(world)}" for url in visitor.refused]
        policies.update(visitor.policies.values())
        visitor.context.close()

    assert len(seen) > 25
    assert problems == []
    # One policy on every page and on the API; its strict directives (the rest: test_csp.py).
    assert len(policies) == 1
    policy = dict(d.strip().split(" ", 1) for d in policies.pop().split(";"))
    assert (policy["script-src"], policy["style-src"]) == ("'self'", "'self'")
    # Every menu entry a login sees opens (logins without a person have no check-in entry).
    assert refused == []


def test_inline_behaviour_moved_to_static_files_still_works(world, browser):
    # The office on a desktop: the charts, the rule editor, the confirm dialog, the units tree.
    office = Visitor(browser, world, Role.OFFICE, phone=False)
    office.goto("/health/overview/")
    canvas = office.page.locator("#trend-chart canvas").first
    canvas.wait_for()
    assert canvas.bounding_box()["height"] == 320
    canvas.hover()  # the tooltip is drawn on the canvas, not as HTML with style attributes
    office.page.wait_for_timeout(400)
    shot(office.page, "csp-overview-tooltip-desktop")
    bars = office.page.locator("[data-bar-width]")
    assert bars.count() > 0
    for i in range(bars.count()):
        bar = bars.nth(i)
        width = bar.evaluate("el => el.style.width")
        assert width == f"{bar.get_attribute('data-bar-width')}%"
    office.check()

    office.goto("/core/units/")
    depths = office.page.locator("td.hw-indent").evaluate_all(
        "tds => tds.map(td => td.style.getPropertyValue('--depth'))"
    )
    assert depths[:2] == ["0", "1"]

    office.goto("/health/rules/?edit=1")
    condition = office.page.get_by_test_id("condition").first
    kinds = condition.locator(".hw-fact option").evaluate_all(
        "options => options.map(o => [o.value, o.dataset.kind])"
    )
    int_fact = next(value for value, kind in kinds if kind == "int")
    condition.locator(".hw-fact").select_option(int_fact)
    assert condition.locator('.hw-value[data-kind="int"]').is_visible()
    assert condition.locator('.hw-value[data-kind="bool"]').is_hidden()
    ops = condition.locator(".hw-op option:not([hidden])").evaluate_all(
        "options => options.map(o => o.dataset.kind)"
    )
    assert set(ops) == {"int"}
    office.page.get_by_test_id("add-rule").click()  # htmx swaps the editor in place
    office.page.get_by_test_id("edit-rule").nth(9).wait_for()
    office.check()

    area = RiskArea.objects.filter(organization__slug=demo.SLUG).order_by("name").first()
    office.goto("/health/risk-areas/")
    delete = office.page.locator(f'form[data-confirm]:has(input[name=pk][value="{area.pk}"])')
    asked: list[str] = []
    office.page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    delete.locator("button[type=submit]").click()
    assert asked == [delete.get_attribute("data-confirm")]
    assert RiskArea.objects.filter(pk=area.pk).exists()  # dismissed: nothing deleted
    office.check()
    shot(office.page, "csp-risk-areas-desktop")
    office.context.close()

    # The quality department: the trend chart, and the point select that sends the form.
    quality = Visitor(browser, world, Role.QUALITY, phone=False)
    quality.goto("/quality/trend/")
    quality.page.select_option("#t-indicator", "turbidity")
    submit(quality.page, '[data-testid="trend-form"] button[type=submit]')
    chart = quality.page.evaluate("JSON.parse(document.getElementById('chart-data').textContent)")
    assert len(chart["results"]) > 0
    quality.page.locator("#trend-chart canvas").first.wait_for()
    quality.page.wait_for_timeout(400)  # the chart's 300 ms animation, for the screenshot
    shot(quality.page, "csp-trend-desktop")
    points = quality.page.locator("#t-point option").evaluate_all("os => os.map(o => o.value)")
    with quality.page.expect_navigation():
        quality.page.select_option("#t-point", points[1])
    # The indicator chosen for the old point is dropped: the page picks the new point's first.
    assert f"point={points[1]}&from=" in quality.page.url
    assert "indicator" not in quality.page.url
    quality.page.locator("#trend-chart canvas").first.wait_for()
    quality.check()
    quality.context.close()

    # The lab technician on a phone: the "<" button of result entry.
    tech = Visitor(browser, world, Role.LAB_TECH, phone=True)
    task = SamplingTask.objects.filter(
        organization__slug=demo.SLUG, status="open", point__unit__code__startswith="P1"
    ).first()
    tech.goto(f"/quality/tasks/{task.pk}/")
    below = tech.page.locator("[data-below]").first
    field = tech.page.locator(f"#{below.get_attribute('data-below')}")
    field.fill("0.01")
    below.click()
    assert field.input_value() == "<0.01"
    tech.check()
    tech.context.close()

    # The unit head on a phone: the menu toggler and the unit picker.
    head = Visitor(browser, world, Role.UNIT_HEAD, phone=True)
    head.goto("/health/unit/")
    assert head.page.locator("#hw-nav").is_hidden()
    head.page.click(".navbar-toggler")
    assert head.page.locator("#hw-nav").is_visible()
    options = head.page.locator("#unit-select option").evaluate_all("os => os.map(o => o.value)")
    with head.page.expect_navigation():
        head.page.select_option("#unit-select", options[-1])
    assert head.page.url.endswith(f"?unit={options[-1]}")
    head.check()
    head.context.close()

    # Staff on a phone: the check-in form shows, hides and sends.
    staff = Visitor(browser, world, Role.STAFF, phone=True)
    staff.goto("/health/checkin/")
    page = staff.page
    assert page.get_by_test_id("no-symptoms").is_visible()
    page.click('label[for="id_symptoms_1"]')
    assert page.get_by_test_id("no-symptoms").is_hidden()
    page.click('label[for="id_symptoms_1"]')
    page.check("#id_left_city")
    assert page.get_by_test_id("travel").is_visible()
    page.uncheck("#id_left_city")
    page.fill("#id_temperature", "36.4")
    page.fill("#id_location_note", "一号泵房")
    submit(page, '[data-testid="submit"]')
    assert page.get_by_test_id("already").is_visible()
    person = User.objects.get(username=Role.STAFF).person
    sent = CheckIn.objects.filter(person=person, date=clock.today(), location_note="一号泵房")
    assert [str(c.temperature) for c in sent] == ["36.4"]
    staff.check()
    shot(page, "csp-checkin-phone")
    staff.context.close()

    problems = office.problems + quality.problems + tech.problems + head.problems
    assert problems + staff.problems == []
