"""In a real browser: the office, on a 1366×768 desktop, opens the gate posts from the menu,
enrols a scanner (its token shown once with a QR code) and builds a duty team; a team member,
on a phone (390×844), reads the gate's ledger of the day. The live server runs on the real
clock, so the ledger's rows are written for today."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from headwater.access.choices import Decision, RefusalReason
from headwater.access.models import GateTeam
from headwater.access.tests.factories_gates import make_passage, make_vehicle, make_visit
from headwater.access.tests.fixtures_gates import *  # noqa: F403 (the gates fixtures)
from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, open_page, shot, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def office_page(browser):
    """The office's screen: 1366×768, Chinese."""
    context, page, problems = open_page(browser, viewport={"width": 1366, "height": 768})
    yield page
    context.close()
    assert not problems, problems


def test_the_office_enrols_a_scanner_and_builds_a_team(
    live_server, office_page, office_user, gate, gate2, people
):
    page = office_page
    login(page, live_server, "office")
    follow_menu(page, "/access/gates/")
    expect(page.get_by_test_id("gate-row")).to_have_count(2)
    shot(page, "access-gates-list-desktop")
    submit(page, f'a[href="/access/gates/{gate.pk}/"]')
    page.get_by_label("设备名称").fill("东门平板1")
    submit(page, '[data-testid="enrol"]')
    token = page.get_by_test_id("device-token").inner_text()
    assert token.startswith("hw_")
    expect(page.get_by_test_id("device-qr")).to_be_visible()
    shot(page, "access-gates-enrolled-desktop")
    submit(page, f'a[href="/access/gates/{gate.pk}/"]')
    expect(page.get_by_test_id("device-row")).to_have_count(1)
    form = page.get_by_test_id("team-form")
    form.get_by_label("组名").fill("东门一组")
    form.get_by_label("组长（工号或手机号）").fill("E1")
    submit(page, '[data-testid="create-team"]')
    page.get_by_test_id("member-who").fill("E2")
    submit(page, '[data-testid="add-member"]')
    expect(page.get_by_test_id("member")).to_have_count(2)
    shot(page, "access-gates-detail-desktop")
    team = GateTeam.objects.get()
    assert sorted(team.members.values_list("person__employee_no", flat=True)) == ["E1", "E2"]


def test_a_team_member_reads_the_ledger_on_a_phone(
    live_server, phone_page, guard_user, gate2, people
):
    now = timezone.localtime(clock.now())
    today = now.replace(hour=7, minute=0, second=0, microsecond=0)
    if now.hour < 8:  # early in the morning: yesterday's rows would not be today's
        today = now.replace(minute=0, second=0, microsecond=0)
    make_passage(gate2, today, person=people["operator"], guard=guard_user)
    make_passage(
        gate2,
        today,
        person=people["head"],
        temperature="37.9",
        decision=Decision.REFUSE,
        reason=RefusalReason.FEVER,
        guard=guard_user,
    )
    make_passage(gate2, today, visit=make_visit(gate2), guard=guard_user)
    make_vehicle(gate2, today, "浙A12345", driver_name="陈司机", cargo="药剂", disinfected=True)
    page = phone_page
    login(page, live_server, "guard")
    page.goto(f"{live_server.url}/access/gates/{gate2.pk}/ledger/")
    expect(page.get_by_test_id("ledger-line")).to_have_count(3)
    expect(page.get_by_test_id("count-refused")).to_have_text("1")
    expect(page.get_by_test_id("vehicle-line")).to_have_count(1)
    expect(page.get_by_test_id("on-duty")).to_have_text("周值守")
    shot(page, "access-gates-ledger-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"
