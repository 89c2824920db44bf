"""In a real browser: the office, on a 1366×900 desktop, opens the critical customers' board
from the menu, reads the states and reasons, filters the cut-off ones, opens a customer and
registers a new one. The live server runs on the real clock, so readings are written for now."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, open_page, shot, submit
from headwater.network.models import CriticalCustomer
from headwater.network.tests.factories_customers import (
    make_customer,
    make_model,
    make_order,
    make_point,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def office_page(browser):
    """The office's screen: 1366×900, Chinese."""
    context, page, problems = open_page(browser, viewport={"width": 1366, "height": 900})
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def registry(org):
    make_model(org)
    hospital = make_customer(org, name="市第一人民医院（定点医院）", feeds=2, nodes=("J1", "J2"))
    point = make_point(org, "P-07", value=17.6, at=clock.now() - dt.timedelta(minutes=3))
    make_customer(
        org, name="市中心医院发热门诊", kind="fever_clinic", min_pressure=25, pressure_point=point,
        contact="李红梅", contact_phone="0731-84450102",
    )  # fmt: skip
    make_customer(org, name="电信枢纽机房", kind="telecom", feeds=2, nodes=("J4",))
    make_customer(org, name="市疾病预防控制中心", kind="cdc", nodes=("J3",))
    return make_order(org, critical=[(hospital, "cut")], title="解放西路 DN600 爆管", x=100, y=0)


def test_the_office_reads_the_board_and_registers_a_customer(
    live_server, office_page, office_user, registry
):
    page = office_page
    login(page, live_server, "office")
    follow_menu(page, "/network/customers/")
    expect(page.get_by_test_id("customer-row")).to_have_count(4)
    expect(page.get_by_test_id("count-cut")).to_have_text("1")
    expect(page.get_by_test_id("count-at_risk")).to_have_text("2")
    first = page.get_by_test_id("customer-row").first
    expect(first.get_by_test_id("state")).to_have_text("停水")
    expect(first.get_by_test_id("reasons")).to_contain_text("关阀停水")
    assert page.evaluate("typeof htmx") == "object"
    shot(page, "network-customers-board-desktop")

    with page.expect_navigation():
        page.select_option("#filter-state", "cut")
    expect(page.get_by_test_id("customer-row")).to_have_count(1)
    submit(page, 'a:text("市第一人民医院（定点医院）")')
    expect(page.get_by_test_id("order-row")).to_have_count(1)
    expect(page.get_by_test_id("nodes")).to_have_text("J1、J2")
    shot(page, "network-customers-detail-desktop")

    page.goto(f"{live_server.url}/network/customers/new/")
    page.get_by_label("名称").fill("星城宾馆（隔离酒店）")
    page.get_by_label("用户类型").select_option("quarantine_hotel")
    page.get_by_label("供水节点").fill("J2、X9")
    page.get_by_label("值班电话").fill("0731-84470100")
    submit(page, '[data-testid="save"]')
    expect(page.get_by_test_id("error-nodes")).to_contain_text("X9")
    shot(page, "network-customers-form-desktop")
    page.get_by_label("供水节点").fill("J2")
    submit(page, '[data-testid="save"]')
    expect(page.get_by_test_id("customer-name")).to_contain_text("星城宾馆（隔离酒店）")
    hotel = CriticalCustomer.objects.get(name="星城宾馆（隔离酒店）")
    assert (hotel.nodes, hotel.x, hotel.y) == (["J2"], 200, 0)
