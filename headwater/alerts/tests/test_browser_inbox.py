"""The office's inbox on a desktop, in a real browser: an abnormal check-in corrected three
times is one open alert showing the latest reason; the office acknowledges it, closes it with
a note, and finds it under the handled tab. Every button is a POST form; no script runs."""

import pytest

from headwater.alerts.models import Alert
from headwater.alerts.services import raise_alert
from headwater.core.tests.browser.harness import login, shot, submit

pytestmark = pytest.mark.browser


def test_office_acknowledges_and_closes_an_alert_then_finds_it_handled(
    live_server, desktop_page, org, tree, office_user, unit_head_user
):
    for reason in ("37.6 °C", "38.2 °C", "38.9 °C, 咳嗽"):
        raise_alert(
            org,
            kind="health.abnormal_checkin",
            severity="critical",
            title="体温异常：李操作（运行甲班）",
            body=reason,
            unit=tree["shift_a"],
            to_roles=["unit_head", "office"],
            episode="health.abnormal:1",
        )
    raise_alert(org, kind="duty.gap", title="第二水厂夜班缺岗", to_roles=["office"])
    page = desktop_page
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/alerts/")

    assert page.get_by_test_id("count-open").inner_text() == "2"
    assert page.get_by_test_id("count-handled").inner_text() == "0"
    entry = page.locator("[data-testid=inbox-entry]").filter(has_text="李操作")
    assert entry.get_by_test_id("alert-body").inner_text() == "38.9 °C, 咳嗽"
    assert entry.get_by_test_id("state").inner_text() == "待处理"
    forms = page.locator("[data-testid=inbox] form")
    assert set(forms.evaluate_all("fs => fs.map(f => f.method)")) == {"post"}
    assert page.locator("main script, main [onclick]").count() == 0
    shot(page, "alerts-inbox-open-desktop")

    submit(page, "[data-testid=inbox-entry]:has-text('李操作') [data-testid=acknowledge]")
    entry = page.locator("[data-testid=inbox-entry]").filter(has_text="李操作")
    assert entry.get_by_test_id("acknowledged-by").inner_text().startswith("钱文员 于")
    assert entry.get_by_test_id("acknowledge").count() == 0

    entry.locator("summary").click()
    entry.get_by_test_id("close-note").fill("已电话联系本人，安排居家观察并复测")
    shot(page, "alerts-inbox-closing-desktop")
    submit(page, "[data-testid=inbox-entry]:has-text('李操作') [data-testid=close]")

    assert page.url.endswith("/alerts/?tab=handled")
    assert page.get_by_test_id("tab-handled").get_attribute("class") == "nav-link active"
    assert page.get_by_test_id("count-open").inner_text() == "1"
    assert page.get_by_test_id("count-handled").inner_text() == "1"
    handled = page.locator("[data-testid=inbox-entry]")
    assert handled.count() == 1
    assert (
        handled.get_by_test_id("closed-by")
        .inner_text()
        .endswith("关闭：已电话联系本人，安排居家观察并复测")
    )
    shot(page, "alerts-inbox-handled-desktop")

    page.click("[data-testid=tab-open]")
    page.wait_for_url(f"{live_server.url}/alerts/?tab=open")
    assert page.locator("[data-testid=inbox-entry]").count() == 1
    alert = Alert.objects.get(episode="health.abnormal:1")
    assert (alert.state, alert.closed_by, alert.updates) == ("closed", office_user, 2)


def test_a_unit_head_on_a_phone_acknowledges_the_alert(
    live_server, phone_page, org, tree, unit_head_user, office_user
):
    raise_alert(
        org,
        kind="health.abnormal_checkin",
        severity="critical",
        title="体温异常：李操作（运行甲班）",
        body="38.9 °C, 咳嗽",
        unit=tree["shift_a"],
        to_roles=["unit_head", "office"],
        episode="health.abnormal:1",
    )
    page = phone_page
    login(page, live_server, unit_head_user.username)
    page.goto(f"{live_server.url}/alerts/")
    entry = page.locator("[data-testid=inbox-entry]")
    entry.locator("summary").click()
    box = entry.get_by_test_id("close-note").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] > 300
    shot(page, "alerts-inbox-phone")

    submit(page, "[data-testid=inbox-entry] [data-testid=acknowledge]")

    assert page.get_by_test_id("acknowledged-by").inner_text().startswith("王厂长 于")
    assert Alert.objects.get().acknowledged_by == unit_head_user
