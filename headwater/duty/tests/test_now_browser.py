"""In a real browser on a phone (390x844): a member of staff opens "on duty now" from the
menu and sees the duty phone to call; coming on shift, they acknowledge the handover of the
shift before and log a call. The live server runs on the real clock."""

import datetime as dt

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.core.tests.factories import make_user
from headwater.duty.models import Handover, LogEntry
from headwater.duty.tests.now_helpers import roster, shift

pytestmark = pytest.mark.browser


def _warm(page, live_server) -> None:
    """The live server's first page may take long on a busy machine: wait for it once."""
    page.goto(f"{live_server.url}/login/", timeout=120_000)


def _hour() -> dt.datetime:
    return clock.now().replace(minute=0, second=0, microsecond=0)


def test_on_duty_now_on_a_phone(
    live_server, phone_page, tree, staff_user, control_room, operators, people
):
    start = _hour() - dt.timedelta(hours=2)
    rost = roster(
        tree["plant1"], clock.today() - dt.timedelta(days=2), clock.today() + dt.timedelta(days=2)
    )
    shift(rost, control_room, start, 12, operators[:2], leads=operators[1])
    page = phone_page
    _warm(page, live_server)
    login(page, live_server, staff_user.username)
    follow_menu(page, "/duty/now/")
    row = page.get_by_test_id("post-row")
    assert row.get_by_test_id("post-name").inner_text() == "第一水厂中控室"
    assert row.get_by_test_id("duty-phone").get_attribute("href") == "tel:0571-88880001"
    people_text = row.get_by_test_id("people").inner_text()
    assert "李操作" in people_text and "139****5678" in people_text
    assert "13912345678" not in page.content()
    shot(page, "duty-now-phone")


def test_the_incoming_person_acknowledges_the_handover_and_logs_a_call(
    live_server, phone_page, tree, staff_user, control_room, operators
):
    now = _hour()
    rost = roster(
        tree["plant1"], clock.today() - dt.timedelta(days=2), clock.today() + dt.timedelta(days=2)
    )
    before = shift(rost, control_room, now - dt.timedelta(hours=13), 12, operators[1:2])
    current = shift(rost, control_room, now - dt.timedelta(hours=1), 12, operators[:1])
    outgoing = make_user("outgoing", person=operators[1], roles=[("staff", None)])
    Handover.objects.create(
        organization=before.organization,
        shift=before,
        next_shift=current,
        note="2号加压泵检修中，备用泵运行。",
        written_by=outgoing,
    )
    page = phone_page
    _warm(page, live_server)
    login(page, live_server, staff_user.username)
    page.goto(f"{live_server.url}/duty/mine/")
    submit(page, '[data-testid="open-log"]')
    assert page.get_by_test_id("received-note").inner_text() == "2号加压泵检修中，备用泵运行。"
    shot(page, "duty-handover-to-acknowledge-phone")
    submit(page, '[data-testid="acknowledge"]')
    assert "李操作" in page.get_by_test_id("acknowledged").inner_text()
    page.fill("#log-text", "管网科来电：东区水压偏低，已通知泵站。")
    submit(page, '[data-testid="add-entry"]')
    assert page.get_by_test_id("log-entry").count() == 1
    shot(page, "duty-log-phone")
    handover = Handover.objects.get(shift=before)
    assert handover.acknowledged_by_id == staff_user.pk
    assert LogEntry.objects.get(shift=current).kind == "call"
