# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""In a real browser on phones (390×844): the guard registers a visitor at the gate, the host
approves on their own phone from "visitors waiting for me", the guard's screen shows the pass
(it refreshes by itself), and the visitor opens the pass page from its link without an account
and sees the QR code. The office's list on a desktop."""

import pytest
from playwright.sync_api import expect

from headwater.access.choices import VisitState
from headwater.access.models import Visit
from headwater.access.tests.factories_visitors import switch_level
from headwater.access.tests.visitors_fixtures import gate, guard, host  # noqa: F401
from headwater.core.tests.browser.harness import follow_menu, login, open_page, shot, submit

pytestmark = pytest.mark.browser


def test_guard_registers_host_approves_visitor_sees_the_pass(
    live_server, phone_page, browser, org, gate, guard, host
):
    switch_level(org, "level2")
    page = phone_page
    login(page, live_server, "guard")
    follow_menu(page, "/access/visitors/gates/")
    submit(page, f'a[href="/access/gates/{gate.pk}/visitors/"]')
    submit(page, "[data-testid=new-visit]")
    page.fill("#id_name", "张来访")
    page.fill("#id_phone", "13800001111")
    page.fill("#id_id_number", "330784199001011231")
    page.fill("#id_company", "杭州管材有限公司")
    page.fill("#id_reason", "送检修配件")
    page.fill("#id_host", "李操作")
    page.fill("#id_temperature", "36.6")
    shot(page, "access-visitor-new-phone")
    submit(page, "[data-testid=register]")
    expect(page.get_by_test_id("visit-state")).to_have_text("待被访人确认")
    expect(page.get_by_test_id("waiting")).to_be_visible()
    shot(page, "access-visitor-pending-phone")
    visit = Visit.objects.get()
    pass_link = page.get_by_test_id("pass-link").get_attribute("href")

    context, host_page, problems = open_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    login(host_page, live_server, "operator")
    follow_menu(host_page, "/access/visits/mine/")
    expect(host_page.get_by_test_id("pending-visit")).to_have_count(1)
    shot(host_page, "access-visitor-host-phone")
    submit(host_page, "[data-testid=approve]")
    expect(host_page.get_by_test_id("none-pending")).to_be_visible()
    context.close()
    assert not problems, problems
    assert Visit.objects.get().state == VisitState.APPROVED

    # the guard's screen reloads by itself and shows the pass
    expect(page.get_by_test_id("pass-qr")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("visit-state")).to_have_text("被访人已同意")
    shot(page, "access-visitor-approved-phone")

    visitor, visitor_page, problems = open_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    visitor_page.goto(pass_link)
    expect(visitor_page.get_by_test_id("pass-qr")).to_be_visible()
    expect(visitor_page.get_by_test_id("pass-name")).to_have_text("张**")
    shot(visitor_page, "access-visitor-pass-phone")
    visitor.close()
    assert not problems, problems

    page.goto(f"{live_server.url}/access/gates/{gate.pk}/visitors/")
    submit(page, "[data-testid=end-visit]")
    expect(page.get_by_test_id("visit-state")).to_have_text("访问已结束")
    shot(page, "access-visitor-gate-list-phone")
    assert Visit.objects.get(pk=visit.pk).state == VisitState.ENDED


def test_the_guard_records_a_vehicle_at_a_closed_site_on_a_phone(
    live_server, phone_page, org, tree, guard
):
    from headwater.access.tests.factories_visitors import make_gate

    switch_level(org, "level1")
    plant = make_gate(org, tree["plant1"], kind="water_plant", name="水厂大门")
    page = phone_page
    login(page, live_server, "guard")
    page.goto(f"{live_server.url}/access/gates/{plant.pk}/vehicles/new/")
    expect(page.get_by_test_id("closed-site")).to_be_visible()
    page.fill("#id_plate", "浙A12345")
    page.fill("#id_driver_temperature", "36.4")
    shot(page, "access-vehicle-new-phone")
    submit(page, "[data-testid=record-vehicle]")
    expect(page.get_by_test_id("vehicle-decision")).to_have_text("已拒绝: 封闭管理，外来人员禁入")
    shot(page, "access-vehicle-refused-phone")


def test_the_office_list_on_a_desktop(live_server, desktop_page, org, gate, guard, office_user):
    from headwater.access.services.visits import register_visit
    from headwater.access.tests.factories_visitors import visit_data

    register_visit(gate, visit_data(), by=guard)
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/access/visits/")
    expect(page.get_by_test_id("visit-row")).to_have_count(1)
    expect(page.get_by_test_id("phone")).to_have_text("138****1111")
    shot(page, "access-visitors-office-desktop")
    submit(page, "[data-testid=reveal]")
    expect(page.get_by_test_id("phone")).to_have_text("13800001111")
