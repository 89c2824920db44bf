"""The office's journeys on a desktop, in a real browser: the health overview with its trend
chart (ECharts, served locally) and a unit flagged for possible concealment with the evidence,
then the code rules in force, edited and published as version 2; and a new risk area, a
recorded status and the person's timeline."""

import datetime as dt

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, zh
from headwater.core.tests.factories import make_user
from headwater.health import services
from headwater.health.models import CheckIn

pytestmark = pytest.mark.browser


def history(people, days: int = 13) -> None:
    """Check-ins of the last days, so the trend chart has a shape: three of four people a
    day, one of them abnormal three days ago."""
    today = clock.today()
    for n in range(1, days + 1):
        for person in list(people.values())[: 3 if n % 4 else 2]:
            CheckIn.objects.create(
                organization=person.organization,
                person=person,
                unit=person.unit,
                date=today - dt.timedelta(days=n),
                slot="am",
                temperature="36.5",
                whereabouts="at_work",
                is_abnormal=n == 3 and person == people["operator"],
            )


def test_office_sees_the_overview_with_a_concealment_flag_and_edits_the_rules(
    live_server, desktop_page, office_user, unit_head_user, people, tree
):
    history(people)
    operator = people["operator"]
    services.submit_checkin(
        operator,
        {"temperature": "38.6", "symptoms": ["cough"]},
        by=make_user("li", person=operator),
    )
    services.submit_checkin(people["head"], {"temperature": "36.4"}, by=unit_head_user)
    services.submit_unit_report(tree["plant1"], by=unit_head_user, counts={"on_duty": 2}, zero=True)
    page = desktop_page
    login(page, live_server, office_user.username)

    follow_menu(page, "/health/overview/")
    page.wait_for_url(f"{live_server.url}/health/overview/")
    row = page.locator('[data-testid=unit-row][data-unit="P1"]')
    assert row.locator("td").first.inner_text() == "第一水厂"
    assert row.get_by_test_id("concealment-flag").inner_text() == zh("Possible concealment")
    assert page.get_by_test_id("total-done").inner_text() == "2 / 4"
    page.locator("#trend-chart canvas").first.wait_for()
    box = page.locator("#trend-chart canvas").first.bounding_box()
    assert box["width"] > 600 and box["height"] > 250
    page.wait_for_timeout(400)  # the chart's short entry animation
    shot(page, "health-overview-desktop")

    evidence = page.get_by_test_id("evidence")
    assert not evidence.is_visible()
    page.locator('[data-testid=evidence-row][data-unit="P1"] summary').click()
    assert evidence.is_visible()
    assert "李操作" in evidence.inner_text()
    assert "38.6 °C" in evidence.inner_text()
    assert page.get_by_test_id("report-said").locator("strong").inner_text() == zh(
        "Zero report — nothing abnormal"
    )
    shot(page, "health-overview-evidence-desktop")

    follow_menu(page, "/health/rules/")
    page.wait_for_url(f"{live_server.url}/health/rules/")
    rules = page.get_by_test_id("rule")
    assert rules.count() == 11
    assert rules.first.locator("td").nth(2).inner_text() == "确诊或疑似病例"
    assert rules.nth(10).locator("td").nth(2).inner_text() == "连续2天未打卡"
    shot(page, "health-rules-desktop")

    page.get_by_test_id("edit-rules").click()
    page.wait_for_url(f"{live_server.url}/health/rules/?edit=1")
    assert page.get_by_test_id("edit-rule").count() == 11
    page.get_by_test_id("add-rule").click()  # htmx swaps the editor in place
    page.get_by_test_id("edit-rule").nth(11).wait_for()
    new_rule = page.get_by_test_id("edit-rule").nth(11)
    condition = new_rule.get_by_test_id("condition")
    condition.locator("select.hw-fact").select_option("days_without_checkin")
    assert condition.locator("input[data-kind=int]").is_visible()
    assert not condition.locator("select[data-kind=bool]").is_visible()
    assert condition.locator("select.hw-op").input_value() == "gte"
    new_rule.locator("input[name$=-name]").fill("连续5天未打卡")
    condition.locator("input[data-kind=int]").fill("5")
    shot(page, "health-rules-editor-desktop")

    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    assert page.url == f"{live_server.url}/health/rules/"
    assert "2" in page.get_by_test_id("rule-set-version").inner_text()
    assert page.get_by_test_id("rule").count() == 12
    assert page.get_by_test_id("rule").nth(11).locator("td").nth(2).inner_text() == "连续5天未打卡"
    assert page.get_by_test_id("version").count() == 2
    shot(page, "health-rules-published-desktop")


def test_office_adds_a_risk_area_records_a_status_and_reads_the_timeline(
    live_server, desktop_page, office_user, people
):
    operator = people["operator"]
    services.submit_checkin(
        operator,
        {
            "temperature": "36.6",
            "left_city": True,
            "travel_to": "湖北省武汉市",
            "returned_on": (clock.today() - dt.timedelta(days=3)).isoformat(),
        },
        by=make_user("li", person=operator),
    )
    page = desktop_page
    login(page, live_server, office_user.username)

    follow_menu(page, "/health/risk-areas/")
    page.wait_for_url(f"{live_server.url}/health/risk-areas/")
    form = page.get_by_test_id("area-form")
    form.locator("input[name=name]").fill("湖北省武汉市")
    form.locator("select[name=level]").select_option("high")
    form.locator("input[name=valid_from]").fill((clock.today() - dt.timedelta(days=20)).isoformat())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    area = page.locator('[data-testid=area][data-name="湖北省武汉市"]')
    assert area.count() == 1
    shot(page, "health-risk-areas-desktop")

    page.get_by_test_id("import-link").click()
    page.wait_for_url(f"{live_server.url}/health/risk-areas/import/")
    shot(page, "health-risk-areas-import-desktop")

    page.goto(f"{live_server.url}/health/statuses/?q=李操作")
    page.get_by_test_id("found-person").first.click()
    page.get_by_test_id("status-form").wait_for()
    page.select_option("#id_kind", "close_contact")
    with page.expect_navigation():
        page.click("[data-testid=status-form] button[type=submit]")
    assert page.get_by_test_id("open-status").count() == 1
    shot(page, "health-statuses-desktop")

    page.get_by_test_id("open-status").locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/health/people/{operator.pk}/")
    codes = page.get_by_test_id("code-row")
    assert codes.first.locator(".badge").nth(1).inner_text() == zh("Red")
    assert "139****" in page.get_by_test_id("phone").inner_text()
    shot(page, "health-person-timeline-desktop")
