"""In a real browser on a phone (390x844): the supervisor opens today's supervision from the
menu, draws the sample, records a call with one "no", and the unit head closes the correction
item it opened. The live server runs on the real clock."""

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.isolation.models_supervision import Correction, SupervisionCall
from headwater.isolation.tests.conftest import open_case

pytestmark = pytest.mark.browser


def test_a_supervisor_records_a_call_on_a_phone(
    live_server, phone_page, org, office_user, unit_head_user, people, monitor, volunteer
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

    login(page, live_server, office_user.username)
    follow_menu(page, "/isolation/supervision/")
    shot(page, "supervision-before-draw-phone")
    submit(page, '[data-testid="draw"]')
    assert page.get_by_test_id("todo-count").inner_text() == "1"
    shot(page, "supervision-today-phone")
    submit(page, '[data-testid="checklist"]')
    for finding in ("temperature", "supplies", "helpers"):
        page.click(f'label[for="{finding}-yes"]')
    page.click('label[for="family-no"]')
    page.fill('input[name="family_note"]', "家属与其同住未分室")
    shot(page, "supervision-call-phone")
    submit(page, '[data-testid="save-call"]')

    call = SupervisionCall.objects.get(case=case)
    assert (call.temperature_ok, call.family_ok, call.called_by_id) == (True, False, office_user.pk)
    assert page.get_by_test_id("todo-count").inner_text() == "0"
    assert "李操作" in page.get_by_test_id("done-call").inner_text()
    shot(page, "supervision-done-phone")

    page.context.clear_cookies()
    login(page, live_server, unit_head_user.username)
    page.goto(f"{live_server.url}/isolation/corrections/")
    page.fill('input[name="note"]', "已安排分室居住")
    shot(page, "supervision-corrections-phone")
    submit(page, '[data-testid="close"]')

    item = Correction.objects.get()
    assert (item.finding, item.note, item.closed_by_id) == (
        "family",
        "已安排分室居住",
        unit_head_user.pk,
    )


def test_the_office_follows_the_correction_items_on_the_desktop(
    live_server, desktop_page, org, office_user, people, monitor
):
    from headwater.isolation.inputs_supervision import CallInput
    from headwater.isolation.services import supervision

    open_case(org, office_user, people["operator"], monitor=monitor, started_on=clock.today())
    (call,), _ = supervision.draw_sample(org, by=office_user)
    answers = {f"{f}_ok": "yes" for f in ("temperature", "family", "supplies")}
    data = CallInput.parse(answers | {"helpers_ok": "no", "helpers_note": "志愿者三天未上门"})
    supervision.record_call(call, data, by=office_user)

    login(desktop_page, live_server, office_user.username)
    follow_menu(desktop_page, "/isolation/corrections/")

    assert "志愿者三天未上门" in desktop_page.get_by_test_id("correction").inner_text()
    assert desktop_page.locator('[data-testid="close"]').count() == 0  # the unit head closes
    shot(desktop_page, "supervision-corrections-desktop")
