"""In a real browser on a phone (390x844): the isolated person books a shopping request, the
case's volunteer accepts it from "service to-do" in the menu and marks it delivered with a
note, and the person confirms it. The live server runs on the real clock."""

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.isolation.models import ServiceRequest
from headwater.isolation.tests.conftest import open_case

pytestmark = pytest.mark.browser


def test_a_volunteer_accepts_and_delivers_a_shopping_request_and_the_person_confirms(
    live_server, phone_page, org, tree, office_user, staff_user, people, monitor
):
    page = phone_page
    helper_person = PersonFactory(
        unit=tree["shift_a"], name="周志愿", employee_no="V1", phone="13800000002"
    )
    helper = make_user("helper", person=helper_person, roles=[("monitor", tree["shift_a"])])
    case = open_case(
        org,
        office_user,
        people["operator"],
        monitor=monitor,
        volunteer=helper_person,
        started_on=clock.today(),
        address="金溪路1号3-201",
    )

    login(page, live_server, staff_user.username)
    page.goto(f"{live_server.url}/isolation/requests/mine/")
    page.click('[data-testid="book-toggle"]')
    page.select_option("#id_kind", "shopping")
    page.fill("#id_details", "大米5斤、鸡蛋一盒、青菜两把")
    shot(page, "requests-book-phone")
    submit(page, '[data-testid="book"]')
    assert page.get_by_test_id("request-state").inner_text() == "待接单"
    shot(page, "requests-mine-open-phone")
    req = ServiceRequest.objects.get(case=case)

    page.context.clear_cookies()
    login(page, live_server, helper.username)
    follow_menu(page, "/isolation/requests/todo/")
    assert page.get_by_test_id("todo-count").inner_text() == "1"
    assert "大米5斤" in page.get_by_test_id("todo-row").inner_text()
    shot(page, "requests-todo-phone")
    submit(page, '[data-testid="accept"]')
    req.refresh_from_db()
    assert (req.state, req.accepted_by_id) == ("accepted", helper_person.pk)
    submit(page, '[data-testid="open-request"]')
    assert page.get_by_test_id("contact-phone").inner_text() == "13912345678"
    assert page.get_by_test_id("contact-address").inner_text() == "金溪路1号3-201"
    assert "°C" not in page.content()
    page.fill("#deliver-note", "已放门口，共86元")
    shot(page, "requests-deliver-phone")
    submit(page, '[data-testid="deliver"]')
    assert page.get_by_test_id("request-state").inner_text() == "已送达"

    page.context.clear_cookies()
    login(page, live_server, staff_user.username)
    page.goto(f"{live_server.url}/isolation/requests/mine/")
    assert page.get_by_test_id("request-state").inner_text() == "已送达"
    submit(page, '[data-testid="request-row"]')
    assert page.get_by_test_id("delivery-note").inner_text() == "已放门口，共86元"
    shot(page, "requests-confirm-phone")
    submit(page, '[data-testid="confirm"]')

    req.refresh_from_db()
    assert req.state == "closed"
    assert page.get_by_test_id("request-state").inner_text() == "已确认"
    history = page.get_by_test_id("request-history").inner_text()
    assert [s in history for s in ("已预约", "已接单", "已送达", "已确认")] == [True] * 4
    shot(page, "requests-closed-phone")


def test_the_office_books_for_a_person_from_the_case_page(
    live_server, desktop_page, org, office_user, people, monitor
):
    page = desktop_page
    case = open_case(
        org, office_user, people["operator"], monitor=monitor, started_on=clock.today()
    )

    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/isolation/cases/{case.pk}/")
    submit(page, '[data-testid="case-requests"]')
    page.click('[data-testid="book-toggle"]')
    page.select_option("#id_kind", "garbage")
    page.fill("#id_details", "生活垃圾两袋，放门口")
    submit(page, '[data-testid="book"]')

    req = ServiceRequest.objects.get(case=case)
    assert (req.kind, req.created_by) == ("garbage", office_user)
    assert page.get_by_test_id("request-state").inner_text() == "待接单"
    assert page.get_by_test_id("request-list").get_attribute("hx-trigger") == "every 30s"
    shot(page, "requests-case-desktop")
