"""On a phone, in a real browser: a staff member checks in and sees the health code, corrects
the check-in to fever with a cough and sees a yellow code with what to do next; their unit
head sees them on top as abnormal, is warned that a zero report would contradict that, and
files the true report.

The live server runs on the real clock: at the normal level there is one check-in a day
and its window is the whole day, so nothing here depends on the hour."""

import pytest

from headwater.core.tests.browser.harness import follow_menu, login, shot, submit, zh
from headwater.health.models import CheckIn, HealthCode, UnitReport

pytestmark = pytest.mark.browser


def open_menu_item(page, href: str) -> None:
    follow_menu(page, href)


def test_staff_checks_in_and_unit_head_reports_on_a_phone(
    live_server, phone_page, staff_user, unit_head_user, people
):
    page = phone_page
    operator = people["operator"]

    # A staff member checks in from the menu and sees a green code.
    login(page, live_server, staff_user.username)
    open_menu_item(page, "/health/checkin/")
    assert page.locator('[data-testid="no-symptoms"]').is_visible()
    assert page.locator('[data-testid="travel"]').is_hidden()
    page.fill("#id_temperature", "36.5")
    shot(page, "health-checkin-form-phone")
    submit(page, '[data-testid="submit"]')

    card = page.locator('[data-testid="code-card"]')
    assert card.get_attribute("data-colour") == "green"
    assert page.locator('[data-testid="code-colour"]').inner_text() == zh("Green")
    assert page.locator('[data-testid="already"]').is_visible()
    assert CheckIn.objects.filter(person=operator).count() == 1
    shot(page, "health-checkin-green-phone")

    # The same morning: 37.8 °C and a cough, sent as a correction.
    page.fill("#id_temperature", "37.8")
    page.click('label[for="id_symptoms_1"]')  # 咳嗽 / cough
    assert page.locator('[data-testid="no-symptoms"]').is_hidden()
    page.check("#id_left_city")
    assert page.locator('[data-testid="travel"]').is_visible()
    page.uncheck("#id_left_city")
    submit(page, '[data-testid="submit"]')

    assert card.get_attribute("data-colour") == "yellow"
    code = HealthCode.objects.get(person=operator, is_current=True)
    assert page.locator('[data-testid="code-reason"]').inner_text() == code.reason
    assert code.rule_name == "发热"
    # What to do next, under the code: the fever clinic, when it turns green, whom to call.
    steps = page.locator('[data-testid="next-step"]')
    assert steps.first.inner_text().startswith("请戴好口罩前往发热门诊就诊")
    assert code.green_on.isoformat() in page.get_by_test_id("turns-green").inner_text()
    assert "王厂长" in page.get_by_test_id("whom-to-call").inner_text()
    shot(page, "health-code-next-steps-phone")
    checkin = CheckIn.objects.get(person=operator)
    assert (str(checkin.temperature), checkin.symptoms, checkin.is_abnormal) == (
        "37.8",
        ["cough"],
        True,
    )
    shot(page, "health-checkin-yellow-phone")

    # Their timeline: the check-in, and the code going from green to yellow.
    submit(page, 'a[href="/health/me/"]')
    codes = page.locator('[data-testid="timeline-code"]')
    assert [codes.nth(i).get_attribute("data-colour") for i in range(codes.count())] == [
        "yellow",
        "green",
    ]
    assert page.locator('[data-testid="timeline-checkin"]').count() == 1
    shot(page, "health-timeline-phone")

    # The unit head sees the operator on top, abnormal.
    page.context.clear_cookies()
    login(page, live_server, unit_head_user.username)
    page.goto(f"{live_server.url}/health/unit/")
    first = page.locator('[data-testid="member"]').first
    assert first.get_attribute("data-person") == str(operator.pk)
    assert first.get_attribute("data-status") == "abnormal"
    assert "37.8 °C" in first.locator('[data-testid="abnormal-note"]').inner_text()
    assert page.locator('[data-testid="count-abnormal"]').inner_text() == "1"
    shot(page, "health-unit-phone")

    # A zero report would contradict the check-in: the page says so before sending anything.
    submit(page, '[data-testid="report-link"]')
    assert page.locator('[data-testid="zero-warning"]').is_visible()
    shot(page, "health-unit-report-phone")
    submit(page, '[data-testid="zero-report"]')
    assert page.locator('[data-testid="zero-anyway"]').is_visible()
    assert "李操作" in page.locator('[data-testid="zero-warning"]').inner_text()
    assert UnitReport.objects.count() == 0
    shot(page, "health-unit-report-zero-warning-phone")

    # The head files the true report instead: one abnormal.
    assert page.input_value("#id_abnormal") == "1"
    page.fill("#id_notes", "李操作发热伴咳嗽，已通知居家观察")
    submit(page, '[data-testid="send-report"]')

    report = UnitReport.objects.get()
    assert (report.unit_id, report.is_zero, report.abnormal, report.on_duty) == (
        unit_head_user.role_grants.get().unit_id,
        False,
        1,
        1,
    )
    assert report.notes == "李操作发热伴咳嗽，已通知居家观察"
    assert page.locator('[data-testid="report-sent"]').is_visible()
    assert page.locator('[data-testid="report-status"]').get_attribute("data-status") in (
        "on_time",
        "late",
    )
    shot(page, "health-unit-report-sent-phone")


def test_a_close_contact_sees_a_red_code_that_waits_for_the_office_on_a_phone(
    live_server, phone_page, staff_user, office_user, unit_head_user, people
):
    from headwater.core import clock
    from headwater.health import services

    services.set_status(people["operator"], "close_contact", clock.today(), by=office_user)
    page = phone_page
    login(page, live_server, staff_user.username)
    page.goto(f"{live_server.url}/health/me/")

    assert page.get_by_test_id("code-card").get_attribute("data-colour") == "red"
    assert page.get_by_test_id("green-on").inner_text() == "待防疫办解除状态后转绿码"
    steps = page.get_by_test_id("next-step")
    assert steps.first.inner_text() == "请居家隔离，转绿码前不要到岗。"
    assert "待防疫办解除你的状态后转绿码" in page.get_by_test_id("turns-green").inner_text()
    assert "王厂长" in page.get_by_test_id("whom-to-call").inner_text()
    shot(page, "health-code-red-waits-for-office-phone")
