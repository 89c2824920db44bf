"""In a real browser on the office's desktop (1366×900): the office follows the menu to the
hidden-risk check, sees the pipes in rank order with the customers they cut off, filters
by fever clinics, opens the clinic's single points of failure (each pipe linking to the
burst page), and recomputes the ranking after a customer is added."""

import pytest
from playwright.sync_api import expect

from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.network import graph
from headwater.network.services import ranking
from headwater.network.tests.factories_ranking import customer, hand_customers, ranking_model

pytestmark = pytest.mark.browser


@pytest.fixture
def ranked(org):
    graph.forget()
    model = ranking_model(org, name="金溪主城区管网")
    customers = hand_customers(org)
    ranking.compute(model)
    yield model, customers
    graph.forget()


def test_the_office_checks_the_ranking_and_a_customers_single_points_of_failure(
    live_server, desktop_page, office_user, ranked
):
    model, c = ranked
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, office_user.username)
    follow_menu(page, "/network/criticality/")

    rows = page.get_by_test_id("rank-row")
    expect(rows).to_have_count(8)
    assert [rows.nth(i).get_attribute("data-pipe") for i in range(4)] == ["P1", "P6", "P8", "P7"]
    expect(rows.first.get_by_test_id("rank-score")).to_have_text("23")
    expect(rows.nth(1).get_by_test_id("low-customer")).to_contain_text("发热门诊")
    shot(page, "network-ranking-list")

    page.select_option("#kind", "telecom")
    page.fill("#min_dn", "250")
    submit(page, "[data-testid=ranking-filters] button[type=submit]")
    expect(rows).to_have_count(2)

    submit(page, f"[data-testid=customer-links] a[href$='/{c['clinic'].pk}/risks/']")
    expect(page.get_by_test_id("customer-name")).to_have_text("发热门诊")
    expect(page.get_by_test_id("risk-cut-row")).to_have_count(1)
    expect(page.get_by_test_id("risk-low-row")).to_have_count(3)
    link = page.get_by_test_id("risk-cut-row").get_by_test_id("burst-link")
    expect(link).to_have_attribute("href", "/network/burst/?pipe=P1")
    shot(page, "network-ranking-customer")

    customer(model.organization, "疾控中心", "cdc", ["J2"])
    page.goto(f"{live_server.url}/network/criticality/")
    expect(page.get_by_test_id("ranking-pending")).to_be_visible()
    submit(page, "[data-testid=recompute]")
    expect(page.get_by_test_id("ranking-pending")).to_have_count(0)
    expect(page.get_by_test_id("rank-row").first.get_by_test_id("rank-score")).to_have_text("31")
