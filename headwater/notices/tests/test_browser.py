"""In a real browser: a staff member on a phone opens their notices from the badge, confirms
one in one tap and answers a quiz (wrong, then right); the office follows the receipts on a
desktop, reminds once, and switches the response level through its preview."""

import pytest

from headwater.core.models import ResponseLevelChange
from headwater.core.tests.browser.harness import login, shot, submit, zh
from headwater.notices.models import Notice, Receipt

pytestmark = pytest.mark.browser


def test_staff_confirms_and_answers_notices_on_a_phone(
    live_server, phone_page, publish, staff_user
):
    page = phone_page
    rules = publish(title="关于错峰就餐的通知", body="各单位：\n一、按时段就餐。\n二、佩戴口罩。")
    quiz = publish(
        title="每日防疫知识",
        kind="training",
        requirement="quiz",
        question="进入厂区前应当？",
        options=["直接进入", "测温并扫码", "无需登记"],
        answer=1,
    )
    login(page, live_server, staff_user.username)
    badge = page.locator('[data-testid="notices-count"]')
    assert badge.inner_text() == "2"
    with page.expect_navigation():
        page.click('[data-testid="notices-link"]')
    assert page.locator('[data-testid="my-notice"][data-pending="1"]').count() == 2
    shot(page, "notices-mine-phone")

    with page.expect_navigation():
        page.click(f'a[href="/notices/{rules.pk}/"]')
    assert "二、佩戴口罩。" in page.locator('[data-testid="notice-body"]').inner_text()
    shot(page, "notices-open-phone")
    submit(page, '[data-testid="confirm"]')
    assert page.url.endswith("/notices/")
    assert Receipt.objects.get(notice=rules, person=staff_user.person).acknowledged_at

    with page.expect_navigation():
        page.click(f'a[href="/notices/{quiz.pk}/"]')
    page.click('label[for="answer-2"]')
    submit(page, '[data-testid="confirm"]')
    assert page.locator('[data-testid="wrong"]').is_visible()
    shot(page, "notices-quiz-wrong-phone")
    page.click('label[for="answer-1"]')
    submit(page, '[data-testid="confirm"]')
    receipt = Receipt.objects.get(notice=quiz, person=staff_user.person)
    assert (receipt.correct, receipt.attempts) == (True, 2)
    assert page.locator('[data-testid="notices-count"]').count() == 0
    shot(page, "notices-done-phone")


def test_office_follows_receipts_and_reminds_once_on_a_desktop(
    live_server, desktop_page, publish, office_user, staff_user
):
    page = desktop_page
    notice = publish(title="防护手册（第二版）", kind="handbook", requirement="acknowledge")
    Receipt.objects.filter(notice=notice, person=staff_user.person).update(
        read_at=notice.published_at, acknowledged_at=notice.published_at
    )
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/notices/sent/")
    with page.expect_navigation():
        page.click('[data-testid="receipts-link"]')
    assert page.locator('[data-testid="total"]').inner_text() == "4"
    assert page.locator('[data-testid="not-read"]').inner_text() == "3"
    assert page.locator('[data-testid="unit-row"]').count() == 4
    assert page.locator('[data-testid="pending-row"]').count() == 3
    submit(page, '[data-testid="remind"]')
    shot(page, "notices-receipts-desktop")
    submit(page, '[data-testid="remind"]')
    assert page.locator(".alert-info").is_visible()
    assert Notice.objects.get().reminder_rows.count() == 1
    page.goto(f"{live_server.url}/notices/new/")
    assert page.locator('[data-testid="publish-form"]').is_visible()
    shot(page, "notices-publish-desktop")


def test_office_previews_then_confirms_a_level_switch(live_server, desktop_page, office_user):
    page = desktop_page
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/core/levels/")
    page.select_option("#id_level", "level1")
    page.fill("#id_reason", "市级启动一级响应")
    submit(page, '[data-testid="preview-switch"]')
    assert page.locator('[data-testid="level-change"]').count() >= 2
    assert ResponseLevelChange.objects.count() == 0
    shot(page, "levels-preview-desktop")
    submit(page, '[data-testid="confirm-switch"]')
    assert ResponseLevelChange.objects.get().level == "level1"
    assert Notice.objects.get().kind == "level_change"
    assert page.locator('[data-testid="current-level"]').inner_text() == zh("Level 1 response")
