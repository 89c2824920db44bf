"""In a real browser on a phone (390×844): a monitor records a follow-up with a fever, and
the case page shows the escalation flow at its first step with the remaining time and the
button to inform the unit head; pressing it moves the flow on. The live server runs on the
real clock."""

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import login, shot, submit
from headwater.isolation.models_flow import Flow
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
