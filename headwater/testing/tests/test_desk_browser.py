"""In a real browser on a phone (390×844): a desk operator fills one tube with five people by
typing its barcode and sees it close when full, starts the next tube by scanning a QR code
from a picture, and keeps registering through a dropped connection (the registration waits on
the phone, then is sent once). The live server runs on the real clock."""

import io

import pytest
import qrcode
from playwright.sync_api import expect

from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.core.tests.factories import PersonFactory
from headwater.testing.choices import EntryStatus, TubeState
from headwater.testing.models import RosterEntry, Sample, Tube
from headwater.testing.tests.factories import roster_people

pytestmark = pytest.mark.browser


@pytest.fixture
def crowd(campaign, people, tree, desk_user):
    """Seven people on the roster: the four of the root fixture and three of plant 2."""
    extra = [
        PersonFactory(unit=tree["plant2"], name=f"孙工{i}", employee_no=f"S{i}") for i in range(3)
    ]
    return roster_people(campaign, [*people.values(), *extra])


def open_desk(page, live_server, campaign):
    login(page, live_server, "desk")
    follow_menu(page, "/testing/desk/")
    shot(page, "testing-desk-home-phone")
    submit(page, f'a[href="/testing/desk/{campaign.sites.get().pk}/"]')


def find_and_register(page, employee_no):
    page.get_by_test_id("search").fill(employee_no)
    page.get_by_test_id("find").click()
    page.get_by_test_id("register").click()


def png_of(text: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text, border=4, box_size=8).save(buffer, format="PNG")
    return buffer.getvalue()


def test_five_people_fill_a_tube_typed_then_the_next_tube_is_scanned_from_a_picture(
    live_server, phone_page, campaign, crowd, tubes
):
    page = phone_page
    open_desk(page, live_server, campaign)
    page.get_by_test_id("barcode").fill(tubes[0].barcode)
    page.get_by_test_id("start-tube").click()
    expect(page.get_by_test_id("places-left")).to_have_text("5")

    page.get_by_test_id("issue-ticket").click()
    expect(page.get_by_test_id("ticket-number")).to_have_text("1")
    page.get_by_test_id("proxy-name").fill("王女儿")
    for i, entry in enumerate(crowd[:5]):
        find_and_register(page, entry.person.employee_no)
        expect(page.get_by_test_id("done-item")).to_have_count(i + 1)
        expect(page.get_by_test_id("places-left")).to_have_text(str(4 - i))
        if i == 2:
            shot(page, "testing-desk-filling-phone")
    expect(page.get_by_test_id("tube-state")).to_have_text("已封管")
    shot(page, "testing-desk-tube-full-phone")

    tube = Tube.objects.get(pk=tubes[0].pk)
    assert (tube.state, tube.samples.count()) == (TubeState.CLOSED, 5)
    first = Sample.objects.get(entry=crowd[0])
    assert (first.proxy_name, first.ticket.number) == ("王女儿", 1)

    page.get_by_test_id("barcode-picture").set_input_files(
        files=[{"name": "tube.png", "mimeType": "image/png", "buffer": png_of(tubes[1].barcode)}]
    )
    expect(page.get_by_test_id("tube-barcode")).to_have_text(tubes[1].barcode)
    find_and_register(page, crowd[5].person.employee_no)
    expect(page.get_by_test_id("places-left")).to_have_text("4")
    assert Sample.objects.get(entry=crowd[5]).tube_id == tubes[1].pk
    shot(page, "testing-desk-scanned-phone")


def test_a_registration_made_offline_waits_on_the_phone_and_is_sent_once(
    live_server, phone_page, campaign, crowd, tubes
):
    page = phone_page
    open_desk(page, live_server, campaign)
    page.get_by_test_id("barcode").fill(tubes[0].barcode)
    page.get_by_test_id("start-tube").click()
    expect(page.get_by_test_id("places-left")).to_have_text("5")
    page.get_by_test_id("search").fill(crowd[1].person.employee_no)
    page.get_by_test_id("find").click()
    page.get_by_test_id("register").wait_for()

    page.context.set_offline(True)
    page.get_by_test_id("register").click()
    expect(page.get_by_test_id("waiting")).to_have_text("1 条待发送")
    expect(page.get_by_test_id("places-left")).to_have_text("4")
    assert Sample.objects.count() == 0
    shot(page, "testing-desk-offline-phone")

    page.context.set_offline(False)
    page.get_by_test_id("waiting").wait_for(state="hidden")
    sample = Sample.objects.get()
    assert (sample.entry_id, sample.offline, sample.conflict) == (crowd[1].pk, True, False)
    assert RosterEntry.objects.get(pk=crowd[1].pk).status == EntryStatus.SAMPLED
    page.wait_for_timeout(5500)  # one more round of the sender: nothing is sent twice
    assert Sample.objects.count() == 1
    shot(page, "testing-desk-back-online-phone")
