"""In a real browser: on a phone, a monitor opens today's monitoring from the menu and records
a follow-up with a fever; on the desktop, the office approves a proposed release and sees the
case released with its history. The live server runs on the real clock."""

import datetime as dt

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.isolation import services
from headwater.isolation.models import Case, CaseCheck
from headwater.isolation.tests.conftest import check, open_case

pytestmark = pytest.mark.browser


def test_a_monitor_records_a_follow_up_on_a_phone(
    live_server, phone_page, org, office_user, people, monitor, volunteer
):
    page = phone_page
    case = open_case(
        org,
        office_user,
        people["operator"],
        monitor=monitor,
        volunteer=volunteer,
        started_on=clock.today(),
    )
    open_case(org, office_user, people["other_plant"], monitor=monitor, started_on=clock.today())

    login(page, live_server, monitor.username)
    follow_menu(page, "/isolation/today/")
    assert page.get_by_test_id("due-count").inner_text() == "2"
    shot(page, "isolation-today-phone")
    submit(page, f'a[href="/isolation/cases/{case.pk}/check/"]')
    page.select_option("#id_channel", "video")
    page.fill("#id_morning_temperature", "37.8")
    page.fill("#id_symptoms", "咳嗽")
    page.fill("#id_needs", "代购退烧药")
    shot(page, "isolation-check-form-phone")
    submit(page, '[data-testid="save-check"]')

    item = CaseCheck.objects.get(case=case)
    assert (str(item.morning_temperature), item.channel, item.is_normal) == ("37.8", "video", False)
    assert page.get_by_test_id("due-count").inner_text() == "1"
    assert page.get_by_test_id("done-case").inner_text().startswith("李操作")
    shot(page, "isolation-today-done-phone")


def test_the_office_approves_a_proposed_release(
    live_server, desktop_page, org, office_user, people, monitor
):
    page = desktop_page
    today = clock.today()
    case = open_case(
        org,
        office_user,
        people["operator"],
        monitor=monitor,
        started_on=today - dt.timedelta(days=14),
        planned_end=today,
    )
    check(case, monitor)
    check(case, monitor, morning_temperature="36.4")
    services.propose_release(case, by=monitor, note="连续正常")

    login(page, live_server, office_user.username)
    follow_menu(page, "/isolation/")
    shot(page, "isolation-list-desktop")
    submit(page, f'a[href="/isolation/cases/{case.pk}/"]')
    assert page.get_by_test_id("proposal").is_visible()
    shot(page, "isolation-case-proposed-desktop")
    submit(page, '[data-testid="approve"]')

    case.refresh_from_db()
    assert case.state == "released"
    assert page.get_by_test_id("case-state").inner_text() == "已解除"
    events = page.get_by_test_id("event").all_inner_texts()
    assert [e.split(" ", 2)[2].split(" ·")[0].split("\n")[0] for e in events] == [
        "开始隔离",
        "确定盯控人和志愿者",
        "已申请解除",
        "已解除",
    ]
    shot(page, "isolation-case-released-desktop")
    assert Case.objects.open().count() == 0


def test_the_isolated_person_reads_their_service_card_on_a_phone(
    live_server, phone_page, org, office_user, staff_user, people, monitor, volunteer
):
    page = phone_page
    open_case(
        org,
        office_user,
        people["operator"],
        monitor=monitor,
        volunteer=volunteer,
        started_on=clock.today(),
    )

    login(page, live_server, staff_user.username)
    page.goto(f"{live_server.url}/isolation/card/")

    contacts = page.get_by_test_id("contacts").inner_text()
    assert "盯控人：孙盯控 13800000001" in contacts
    assert "志愿者：周志愿 13800000002" in contacts
    assert page.get_by_test_id("rules").inner_text().startswith("一、隔离期间不外出")
    assert "隔离须知" in page.get_by_test_id("service-card").inner_text()
    shot(page, "isolation-card-phone")


def test_the_office_opens_a_case_by_hand(live_server, desktop_page, office_user, people, monitor):
    page = desktop_page
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/isolation/open/?q=E2")
    submit(page, '[data-testid="found-person"]')
    page.fill("#id_reason", "武汉返回")
    page.select_option("#id_monitor_id", str(monitor.person_id))
    shot(page, "isolation-open-desktop")
    submit(page, '[data-testid="open-form"] button[type=submit]')

    case = Case.objects.get()
    assert (case.person, case.monitor_id, case.reason) == (
        people["operator"],
        monitor.person_id,
        "武汉返回",
    )
    assert page.get_by_test_id("case-state").inner_text() == "隔离中"
