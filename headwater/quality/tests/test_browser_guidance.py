"""In a real browser on the office's desktop: a month with a gross α result over its guidance
value shows it apart — counted beside the pass rate, listed as calling for a nuclide
analysis, and not among the exceedances."""

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import login, shot, zh
from headwater.quality.tests.conftest import at
from headwater.quality.tests.test_reports import add_sample

pytestmark = pytest.mark.browser


def test_office_sees_a_guidance_value_result_apart_from_the_exceedances(
    live_server, desktop_page, office_user, points
):
    first = clock.today().replace(day=1)
    fin = points["finished"]
    for n in range(4):
        add_sample(fin, at(first, 1 + n), {"turbidity": "pass"})
    add_sample(
        fin,
        at(first, 6),
        {"gross_alpha": ("guidance", {"raw": "0.62", "value": "0.62", "limit_text": "≤0.5 Bq/L"})},
    )
    page = desktop_page
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/quality/report/")
    assert page.locator('[data-testid="test-rate"]').inner_text() == "100.00%"
    assert page.locator('[data-testid="exceedance-total"]').inner_text() == "0"
    row = page.locator('[data-testid="guidance-row"]')
    assert row.count() == 1
    assert "总α放射性" in row.inner_text() and "0.62" in row.inner_text()
    assert zh("Over a guidance value: nuclide analysis needed") in page.locator("main").inner_text()
    page.locator('[data-testid="guidance"]').scroll_into_view_if_needed()
    shot(page, "quality-report-guidance-desktop")
