"""The command dashboard on a 1920×1080 screen: the demo organization's panels drawn in the dark
theme with no policy violation and no overlapping panels, the next fetch 30 seconds later
updating the data and its time without reloading the page, and a failed fetch keeping the
panels and marking them stale. The screenshot is test-results/screenshots/dashboard.png
(copied by hand to docs/screenshots/ when the page changes: a test run leaves the tree clean)."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from headwater.alerts.services import raise_alert
from headwater.core import demo
from headwater.core.models import Organization, User
from headwater.core.tests.browser.harness import SCREENSHOTS, TIMEOUT_MS
from headwater.core.tests.browser.test_csp import RECORD_VIOLATIONS

pytestmark = pytest.mark.browser

SCREENSHOT = SCREENSHOTS / "dashboard.png"
EARLIER_ALERTS = [
    ("第一水厂出厂水浑浊度 0.62 NTU，接近内控限值", "info"),
    ("安全保卫部日报逾期未报", "warning"),
    ("河东管网末梢余氯 0.03 mg/L，低于限值", "critical"),
    ("清源社区卡点发现黄码人员 1 名", "warning"),
    ("第二水厂运行乙班 2 人未完成上午打卡", "info"),
]
KEYS = [
    "core.level",
    "health.figures",
    "health.completion",
    "alerts.latest",
    "health.codes",
    "core.sites",
    "health.reports",
    "quality.compliance",
    "quality.exceedances",
]


# The screen shown now, its marker and its panels with their boxes, read at one moment.
SHOWN = """() => ({
  page: document.getElementById("screen").dataset.page,
  marker: document.getElementById("scr-page").textContent,
  panels: Array.from(document.querySelectorAll("[data-testid=panel]"))
    .filter(p => !p.hidden)
    .map(p => { const r = p.getBoundingClientRect();
                return [p.dataset.key, {x: r.x, y: r.y, width: r.width, height: r.height}]; }),
})"""


@pytest.fixture
def world(transactional_db, live_server):
    with translation.override("zh-hans"):
        demo.run(staff=400, seed=2020, history_days=3)
    return live_server.url


def _screen(browser, base_url: str):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1920, "height": 1080}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_VIOLATIONS)
    client = Client()
    client.force_login(User.objects.get(username="office"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"error {exc}"))
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    return context, page, problems


def _overlaps(boxes: list[dict]) -> list[tuple[int, int]]:
    found = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1 :], i + 1):
            if (
                a["x"] < b["x"] + b["width"] - 1
                and b["x"] < a["x"] + a["width"] - 1
                and a["y"] < b["y"] + b["height"] - 1
                and b["y"] < a["y"] + a["height"] - 1
            ):
                found.append((i, j))
    return found


def test_the_dashboard_fills_the_screen_and_refreshes_without_reloading(world, browser):
    org = Organization.objects.get(slug=demo.SLUG)
    for title, severity in EARLIER_ALERTS:
        raise_alert(org, kind="test.screen", title=title, severity=severity)
    context, page, problems = _screen(browser, world)
    page.clock.install()
    # time stands still but for run_for: a loaded machine's slow steps never turn a screen
    page.clock.pause_at(time.time() + 1)  # seconds since the epoch
    page.goto(f"{world}/dashboard/screen/")
    root = page.get_by_test_id("screen")
    page.locator("#screen[data-loads='1']").wait_for()
    for key in ("health-completion", "health-codes", "core-sites"):
        page.locator(f"#panel-{key} canvas").first.wait_for()
    page.clock.run_for(2_000)  # the charts' animations

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    every = page.get_by_test_id("panel")
    total = every.count()
    panels = page.locator("[data-testid=panel]:visible")  # the first screen's
    assert panels.evaluate_all("ps => ps.map(p => p.dataset.key)") == KEYS
    boxes = [panels.nth(i).bounding_box() for i in range(panels.count())]
    assert _overlaps(boxes) == []
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 1920 for b in boxes)
    assert all(b["y"] >= 0 and b["y"] + b["height"] <= 1080 for b in boxes)
    background = "getComputedStyle(document.documentElement).backgroundColor"
    assert page.evaluate(background) == "rgb(5, 13, 28)"  # the dark theme
    assert page.get_by_test_id("level").inner_text() == "二级响应"
    assert page.get_by_test_id("figure-staff").locator(".scr-fig-value").inner_text() == "400人"

    # The panels that do not fit the first screen are on further ones, shown in turn every
    # 15 seconds with "screen n of m" in the corner.
    pages = int(root.get_attribute("data-pages"))
    assert pages >= 2
    assert page.get_by_test_id("screen-page").inner_text() == f"第 1/{pages} 屏"
    page.clock.run_for(15_000)
    # read in one go: the clock keeps flowing while a loaded machine runs the test
    shown = page.evaluate(SHOWN)
    assert shown["page"] == "1"
    assert shown["marker"] == f"第 2/{pages} 屏"
    later = [key for key, _box in shown["panels"]]
    assert later and not set(later) & set(KEYS)
    assert any(key.startswith(("testing.", "duty.")) for key in later)
    boxes = [box for _key, box in shown["panels"]]
    assert _overlaps(boxes) == []
    assert all(b["y"] + b["height"] <= 1080 for b in boxes)
    page.clock.run_for(2_000)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-2.png"))
    assert total > len(KEYS)

    first = root.get_attribute("data-generated-at")
    updated = page.get_by_test_id("screen-updated").inner_text()
    assert updated == f"数据更新于 {first[11:19]}"

    # 30 seconds later the page fetches again, without reloading: a new alert arrives.
    page.evaluate("window.__kept = 'same page'")
    time.sleep(1.1)  # the server's clock moves to the next second
    raise_alert(org, kind="test.screen", title="二厂加药间氯气泄漏报警", severity="critical")
    page.clock.run_for(30_000)
    page.locator("#screen[data-loads='2']").wait_for()
    second = root.get_attribute("data-generated-at")
    assert second > first
    assert page.get_by_test_id("screen-updated").inner_text() == f"数据更新于 {second[11:19]}"
    assert page.evaluate("window.__kept") == "same page"
    newest = page.locator("#panel-alerts-latest .scr-row").first
    assert newest.locator(".scr-row-text").text_content() == "二厂加药间氯气泄漏报警"
    assert "scr-new" in newest.get_attribute("class")

    # A failed fetch keeps the panels and the time of their data, marked stale.
    page.route("**/api/v1/dashboard", lambda route: route.abort())
    page.clock.run_for(30_000)
    page.get_by_test_id("screen-stale").wait_for()
    stale = page.get_by_test_id("screen-stale").inner_text()
    assert stale == "数据更新失败，显示的可能不是最新数据"
    assert page.get_by_test_id("screen-updated").inner_text() == f"数据更新于 {second[11:19]}"
    assert every.count() == total

    problems += page.evaluate("window.__violations")
    context.close()
    # The aborted fetch is the browser's own console error, expected here.
    assert [p for p in problems if "ERR_FAILED" not in p] == []
