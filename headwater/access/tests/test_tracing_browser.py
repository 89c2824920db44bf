"""In a real browser on an office desktop (1366×768): the office follows the menu to contact
tracing, finds a person, traces two levels deep, sees the contacts with their evidence and
the graph of the chains, and opens a follow-up for a chosen contact. The live server runs on
the real clock: the passages are of today."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from headwater.access.choices import GateKind
from headwater.access.tests.factories_tracing import gate, passage, slot
from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.core.tests.factories import PersonFactory
from headwater.health.models import StatusRecord

pytestmark = pytest.mark.browser


@pytest.fixture
def chain(org, tree, people):
    now = clock.now().replace(microsecond=0)
    hour = dt.timedelta(hours=1)
    east, door = gate(org, "东门"), gate(org, "食堂", GateKind.CANTEEN)
    lunch = slot(door)
    operator, head = people["operator"], people["head"]
    extra = [
        PersonFactory(unit=tree["plant2"], name=f"孙工{i}", employee_no=f"S{i}") for i in range(4)
    ]
    passage(operator, east, now - 3 * hour)
    passage(head, east, now - 3 * hour + dt.timedelta(minutes=4))
    passage(operator, door, now - 2 * hour, slot=lunch)
    for i, person in enumerate(extra[:2]):
        passage(person, door, now - 2 * hour + dt.timedelta(minutes=i + 1), slot=lunch)
    passage(head, east, now - hour)
    for i, person in enumerate(extra[2:]):
        passage(person, east, now - hour + dt.timedelta(minutes=i + 2))
    return people


def test_the_office_traces_sees_the_graph_and_opens_a_follow_up(
    live_server, desktop_page, office_user, chain
):
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, office_user.username)
    follow_menu(page, "/access/tracing/")
    page.get_by_test_id("search").fill("李操作")
    submit(page, "[data-testid=find]")
    expect(page.get_by_test_id("person")).to_have_value(str(chain["operator"].pk))
    submit(page, "[data-testid=run]")

    rows = page.get_by_test_id("contact")
    expect(rows).to_have_count(5)
    assert [rows.nth(i).get_attribute("data-level") for i in range(5)] == ["1"] * 3 + ["2"] * 2
    assert rows.first.get_by_test_id("score").inner_text() == "2"
    expect(page.get_by_test_id("traced")).to_contain_text("李操作")
    canvas = page.locator("#trace-graph canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box["width"] > 1000 and box["height"] > 250
    page.wait_for_timeout(1500)  # the force layout settles
    shot(page, "access-tracing-desktop")

    page.locator(f'[data-testid=contact][data-person="{chain["head"].pk}"] input').check()
    submit(page, "[data-testid=open-followups]")
    expect(page.locator(".alert")).to_contain_text("已开启：1")
    assert StatusRecord.objects.filter(person=chain["head"]).count() == 1
    shot(page, "access-tracing-followed-desktop")
