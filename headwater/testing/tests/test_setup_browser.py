"""In a real browser on the desktop: the office creates a campaign, adds a site, whole units
and a list of outside people, makes the batches, sends the notices and prints a sheet of tube
labels whose PDF carries the barcodes."""

import datetime as dt
import subprocess

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit, zh
from headwater.testing.models import Batch, Campaign, LabelSheet, RosterEntry, Tube

pytestmark = pytest.mark.browser

OUTSIDERS = (
    "姓名,单位/公司,手机号,身份证号\n"
    "周民工,江河建设,13700001111,330784198505051232\n"
    "吴监理,清源监理,13700002222,11010519491231002X\n"
)


def test_the_office_prepares_a_campaign(
    live_server, desktop_page, org, office_user, people, tree, tmp_path
):
    page = desktop_page
    login(page, live_server, office_user.username)
    follow_menu(page, "/testing/campaigns/")
    submit(page, '[data-testid="new-campaign"]')
    today = clock.today()
    page.fill("#id_name", "全员核酸检测（第2轮）")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=1)).isoformat())
    page.select_option("#id_pool_size", "5")
    page.fill("#id_bring", "身份证、口罩")
    submit(page, '[data-testid="save-campaign"]')
    campaign = Campaign.objects.get(name="全员核酸检测（第2轮）")
    assert page.get_by_test_id("campaign-state").inner_text() == zh("Being prepared")

    page.fill("#id_name", "一号采样点")
    page.fill("#id_address", "厂区东门")
    submit(page, '[data-testid="add-site"]')
    assert page.get_by_test_id("site-row").count() == 1

    page.select_option("#unit-ids", [str(tree["plant1"].pk), str(tree["plant2"].pk)])
    submit(page, '[data-testid="add-units"]')
    assert page.get_by_test_id("roster-total").inner_text() == "3"

    submit(page, '[data-testid="import-link"]')
    upload = tmp_path / "外来人员.csv"
    upload.write_text(OUTSIDERS, encoding="utf-8")
    page.set_input_files("#import-file", str(upload))
    submit(page, 'form[enctype] button[type="submit"]')
    assert "加入名单 2 人" in page.get_by_test_id("import-summary").inner_text()
    shot(page, "testing-setup-import-desktop")
    submit(page, '[data-testid="back-to-campaign"]')
    assert page.get_by_test_id("roster-total").inner_text() == "5"

    page.fill("#id_minutes", "45")
    submit(page, '[data-testid="generate-batches"]')
    assert page.get_by_test_id("batch-row").count() == 5
    assert RosterEntry.objects.filter(campaign=campaign, batch__isnull=True).count() == 0

    submit(page, '[data-testid="send-notices"]')
    assert page.get_by_test_id("notified").count() == 3

    page.fill("#label-count", "10")
    submit(page, '[data-testid="print-labels"]')
    sheet = LabelSheet.objects.get(campaign=campaign)
    assert Tube.objects.filter(campaign=campaign, state="unused").count() == 10
    href = page.get_by_test_id("sheet-pdf").get_attribute("href")
    pdf = page.request.get(live_server.url + href).body()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert all(b in text for b in sheet.barcodes())
    assert Batch.objects.filter(campaign=campaign).count() == 5
    shot(page, "testing-setup-campaign-desktop")

    submit(page, '[data-testid="roster-link"]')
    assert page.get_by_test_id("entry-row").count() == 5
    shot(page, "testing-setup-roster-desktop")
