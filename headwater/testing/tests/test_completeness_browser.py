"""In a real browser on the desktop: the office follows the menu to the completeness page,
reads the gaps and the names behind one, and sees the page update by itself when somebody
missing is sampled (htmx polling)."""

import pytest
from playwright.sync_api import expect

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.testing.choices import EntryStatus
from headwater.testing.models import Sample
from headwater.testing.tests.factories_completeness import gappy_campaign

pytestmark = pytest.mark.browser


def test_the_office_sees_the_gaps_and_the_page_updates_itself(
    live_server, desktop_page, office_user, campaign, people
):
    page = desktop_page
    gaps = gappy_campaign(campaign, people)
    login(page, live_server, office_user.username)
    follow_menu(page, "/testing/completeness/")

    assert page.get_by_test_id("total-roster").inner_text() == "7"
    assert page.get_by_test_id("gap-not_sampled").get_attribute("data-count") == "2"
    assert page.get_by_test_id("name-row").all_inner_texts()[0].startswith("王厂长")
    rows = page.get_by_test_id("unit-row").all_inner_texts()
    assert rows[0].startswith("宏远监理")
    shot(page, "testing-completeness-desktop")

    submit(page, '[data-testid="gap-two_tubes"]')
    names = page.get_by_test_id("name-row").all_inner_texts()
    assert [n.split("\t")[0] for n in names] == ["李操作", "郑监理"]
    submit(page, '[data-testid="gap-not_sampled"]')

    # 王厂长 is sampled at a desk: within the polling interval the page counts one missing.
    entry = gaps["entries"]["王厂长"]
    Sample.objects.create(
        organization=campaign.organization,
        campaign=campaign,
        entry=entry,
        tube=gaps["tubes"]["T3"],
        taken_at=clock.now(),
    )
    entry.status = EntryStatus.SAMPLED
    entry.save(update_fields=["status"])
    expect(page.get_by_test_id("gap-not_sampled")).to_have_attribute(
        "data-count", "1", timeout=30_000
    )
    assert page.get_by_test_id("total-sampled").inner_text().startswith("6")
    assert [n.split("\t")[0] for n in page.get_by_test_id("name-row").all_inner_texts()] == [
        "孙监理"
    ]
    shot(page, "testing-completeness-updated-desktop")
