"""In a real browser: a technician, on a phone, opens today's sampling task at the plant outlet
and enters a turbidity above the limit; the result shows as exceeding, and the plant lab head,
on a desktop, finds the alert in the inbox, opens the sample, checks the results; the central
lab approves them. The live server runs on the real clock, so the task is made due now."""

import datetime as dt

import pytest

from headwater.alerts.models import InboxItem
from headwater.core import clock
from headwater.core.tests.browser.harness import login, open_page, shot, submit, zh
from headwater.quality.models import Result, SamplingTask

pytestmark = pytest.mark.browser


def test_technician_enters_an_exceedance_on_a_phone_and_the_lab_head_is_alerted(
    live_server, browser, phone_page, desktop_page, points, labs, technician, lab_head, approver
):
    now = clock.now()
    task = SamplingTask.objects.create(
        organization=points["finished"].organization,
        point=points["finished"],
        lab=labs["plant1"],
        indicators=["turbidity", "free_chlorine", "ph"],
        due_at=now - dt.timedelta(minutes=30),
        deadline=now + dt.timedelta(hours=4),
    )

    # The technician's phone: today's tasks, grouped by point.
    page = phone_page
    login(page, live_server, "tech")
    page.goto(f"{live_server.url}/quality/tasks/")
    assert page.locator('[data-testid="point-FIN-1"]').is_visible()
    submit(page, f'[data-testid="task-{task.pk}"]')
    page.fill('[data-testid="value-turbidity"]', "1.6")
    page.fill('[data-testid="value-free_chlorine"]', "0.45")
    page.fill('[data-testid="value-ph"]', "7.2")
    shot(page, "quality-entry-phone")
    submit(page, '[data-testid="save"]')

    # The sample page shows the exceedance at once.
    row = page.locator('[data-testid="result-turbidity"]')
    assert row.locator('[data-testid="outcome"]').inner_text() == zh("Exceeds limit")
    assert page.locator('[data-testid="result-ph"] [data-testid="outcome"]').inner_text() == zh(
        "Within limit"
    )
    shot(page, "quality-sample-phone")
    task.refresh_from_db()
    assert task.status == "done"
    resample = SamplingTask.objects.get(point=points["finished"], kind="resample")
    assert resample.indicators == ["turbidity"]

    # The lab head's desktop: the alert is in the inbox and leads to the sample.
    item = InboxItem.objects.get(user=lab_head, alert__kind="quality.exceedance")
    assert "一厂出厂水" in item.alert.title
    desk = desktop_page
    login(desk, live_server, "labhead")
    desk.goto(f"{live_server.url}/alerts/")
    alert_row = desk.get_by_text(item.alert.title)
    assert alert_row.is_visible()
    shot(desk, "quality-alert-desktop")
    desk.goto(f"{live_server.url}/quality/review/")
    submit(desk, f'[data-testid="open-{task.sample.pk}"]')
    submit(desk, '[data-testid="check"]')
    assert set(Result.objects.filter(sample=task.sample).values_list("status", flat=True)) == {
        "checked"
    }

    # The central lab approves; only now do the results count.
    context, approver_page, problems = open_page(browser, viewport={"width": 1440, "height": 900})
    try:
        login(approver_page, live_server, "approver")
        approver_page.goto(f"{live_server.url}/quality/samples/{task.sample.pk}/")
        submit(approver_page, '[data-testid="approve"]')
        shot(approver_page, "quality-approved-desktop")
    finally:
        context.close()
    assert not problems, problems
    assert Result.objects.filter(sample=task.sample).official().count() == 3
