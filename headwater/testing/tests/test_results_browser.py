"""In a real browser on the desktop: the office imports the laboratory's sheet with one
positive tube, sees the summary, follows it to the retest list (the tube's members, phones
masked) and takes one member's retest swab into a printed single tube. The live server runs on
the real clock."""

import pytest

from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.testing.choices import EntryStatus, TubeKind
from headwater.testing.models import Retest
from headwater.testing.tests.factories import make_tubes
from headwater.testing.tests.results_helpers import sample_into, sheet, statuses

pytestmark = pytest.mark.browser


def test_the_office_imports_results_with_a_positive_tube_and_sees_the_retests(
    live_server, desktop_page, org, office_user, campaign, roster, tubes, tmp_path
):
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sample_into(tubes[0], roster[:2])
    sample_into(tubes[1], roster[2:])
    single = make_tubes(campaign, count=1, prefix="S", kind=TubeKind.SINGLE)[0]
    upload = tmp_path / "检测结果.csv"
    upload.write_bytes(
        sheet(
            [
                (tubes[0].barcode, "阴性", "2020-02-01 10:00", "2"),
                (tubes[1].barcode, "阳性", "2020-02-01 10:05", "2"),
            ]
        )
    )

    login(page, live_server, office_user.username)
    follow_menu(page, "/testing/results/")
    shot(page, "testing-results-desktop")
    submit(page, '[data-testid="import-link"]')
    page.set_input_files("#import-file", str(upload))
    submit(page, "main form button[type=submit]")

    assert "已登记 2 管" in page.get_by_test_id("import-summary").inner_text()
    shot(page, "testing-results-import-desktop")
    submit(page, '[data-testid="retests-link"]')

    assert page.get_by_test_id("retest-count").inner_text() == "2"
    assert page.locator("#f-state option:checked").inner_text() == "待复检"
    names = page.get_by_test_id("retest-name").all_inner_texts()
    assert sorted(n.strip() for n in names) == sorted(e.person.name for e in roster[2:])
    assert "139****5678" not in page.content() or roster[1] in roster[2:]
    shot(page, "testing-retests-desktop")

    first = page.get_by_test_id("retest-sample-form").first
    first.locator("input[name=barcode]").fill(single.barcode)
    with page.expect_navigation():
        first.locator("button").click()

    assert page.get_by_test_id("retest-tube").inner_text().startswith(f"已采样（{single.barcode}）")
    retest = Retest.objects.get(sample__tube=single)
    assert statuses([retest.entry]) == [EntryStatus.RETESTING]
    shot(page, "testing-retests-sampled-desktop")
