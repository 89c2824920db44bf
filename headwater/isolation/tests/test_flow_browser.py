"""In a real browser on a phone (390×844): a monitor records a follow-up with a fever, and
the case page shows the escalation flow at its first step with the remaining time and the
button to inform the unit head; pressing it moves the flow on. The live server runs on the
real clock."""

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.isolation.models_flow import Flow
from headwater.isolation.services import flow as flows
from headwater.isolation.tests.conftest import open_case

pytestmark = pytest.mark.browser


def test_a_fever_in_a_follow_up_starts_the_flow_on_the_case_page(
    live_server, phone_page, org, office_user, people, monitor
):
    page = phone_page
    case = open_case(
        org, office_user, people["operator"], monitor=monitor, started_on=clock.today()
    )

    login(page, live_server, monitor.username)
    page.goto(f"{live_server.url}/isolation/cases/{case.pk}/check/")
    page.select_option("#id_channel", "phone")
    page.fill("#id_morning_temperature", "38.4")
    page.fill("#id_symptoms", "发热、乏力")
    submit(page, '[data-testid="save-check"]')
    page.goto(f"{live_server.url}/isolation/cases/{case.pk}/")

    flow = Flow.objects.get(case=case)
    assert flow.state == "reported"
    assert page.get_by_test_id("flow-state").inner_text() == "已报告"
    diagram = page.get_by_test_id("flow-diagram")
    assert diagram.locator('[data-kind="current"]').count() == 1
    assert "剩余 1" in diagram.locator('[data-kind="current"]').text_content()
    page.get_by_test_id("flow-diagram").scroll_into_view_if_needed()
    shot(page, "isolation-flow-reported-phone")

    submit(page, '[data-testid="flow-inform_head"]')

    flow.refresh_from_db()
    assert flow.state == "head_informed"
    assert page.get_by_test_id("flow-state").inner_text() == "已报告单位负责人"
    assert page.get_by_test_id("flow-diagram").locator('[data-kind="done"]').count() == 2
    shot(page, "isolation-flow-head-informed-phone")


def test_the_office_refers_from_the_open_flows_page(
    live_server, desktop_page, org, office_user, people, monitor
):
    page = desktop_page
    case = open_case(
        org, office_user, people["operator"], monitor=monitor, started_on=clock.today()
    )
    flow, _ = flows.open_flow(org, people["operator"], "值班时发热 38.6°C", by=office_user)
    flows.advance(flow, "inform_head", by=office_user)
    flows.advance(flow, "inform_office", by=office_user)
    flows.open_flow(org, people["other_plant"], "咳嗽", by=office_user)

    login(page, live_server, office_user.username)
    follow_menu(page, "/isolation/flows/")
    assert page.get_by_test_id("flow-row").count() == 2
    shot(page, "isolation-flows-desktop")
    submit(page, '[data-testid="flow-refer"] >> nth=0')

    flow.refresh_from_db()
    assert (flow.state, flow.case_id) == ("referred", case.pk)
    shot(page, "isolation-flows-referred-desktop")
