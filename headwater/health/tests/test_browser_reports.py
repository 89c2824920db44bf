"""In a real browser: a unit head on a phone taps the zero report after a member's fever and
sees the warning with today's figures (not the earlier report's), sends it anyway and it is
flagged; then reminds the member who has not checked in. The office on a desktop reminds
everyone, exports the overview to Excel, and clears the flag with a reason.

The live server runs on the real clock: at the normal level there is one check-in a day and
its window is the whole day, so nothing here depends on the hour."""

import pytest

from headwater.alerts.models import InboxItem
from headwater.core import clock
from headwater.core.tests.browser.harness import login, shot, submit, zh
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.health import services
from headwater.health.models import UnitReport

pytestmark = pytest.mark.browser


@pytest.fixture
def morning_of_plant1(people, tree, unit_head_user):
    """An early zero report with hand-typed counts, then a fever and a newcomer who has not
    checked in."""
    services.submit_unit_report(
        tree["plant1"], by=unit_head_user, counts={"on_duty": 7, "working_from_home": 1}, zero=True
    )
    operator = people["operator"]
    services.submit_checkin(
        operator,
        {"temperature": "38.3", "symptoms": ["cough"]},
        by=make_user("li", person=operator),
    )
    services.submit_checkin(people["head"], {"temperature": "36.4"}, by=unit_head_user)
    newcomer = PersonFactory(unit=tree["shift_a"], name="孙新人", employee_no="E5")
    return make_user("sun", person=newcomer, roles=[("staff", None)])


def test_unit_head_sees_todays_figures_after_the_zero_warning_and_reminds_on_a_phone(
    live_server, phone_page, unit_head_user, morning_of_plant1
):
    page = phone_page
    login(page, live_server, unit_head_user.username)
    page.goto(f"{live_server.url}/health/unit/report/")
    assert page.input_value("#id_on_duty") == "7"  # the earlier zero report's counts

    submit(page, '[data-testid="zero-report"]')

    assert page.locator('[data-testid="zero-anyway"]').is_visible()
    assert page.locator('[data-testid="todays-figures-note"]').is_visible()
    assert "李操作" in page.locator('[data-testid="zero-warning"]').inner_text()
    figures = {n: page.input_value(f"#id_{n}") for n in services.REPORT_COUNTS}
    assert figures == {
        "on_duty": "2",
        "working_from_home": "0",
        "on_leave": "0",
        "isolated": "0",
        "abnormal": "1",
    }
    shot(page, "health-unit-report-zero-warning-todays-figures-phone")

    submit(page, '[data-testid="zero-anyway"]')

    report = UnitReport.objects.get()
    assert (report.is_zero, report.abnormal, report.on_duty) == (True, 0, 2)
    assert report.flag is not None and report.flag.abnormal_known == 1
    assert [f.contradicts for f in report.filings.order_by("filed_at")] == [False, True]

    page.goto(f"{live_server.url}/health/unit/")
    button = page.locator('[data-testid="remind-now"]')
    assert button.is_enabled()
    shot(page, "health-unit-remind-now-phone")
    submit(page, '[data-testid="remind-now"]')

    assert "1" in page.locator(".alert-success").inner_text()
    assert list(
        InboxItem.objects.filter(alert__kind="health.reminder").values_list(
            "user__username", flat=True
        )
    ) == ["sun"]
    shot(page, "health-unit-reminded-phone")


def test_office_reminds_exports_and_clears_the_flag_on_a_desktop(
    live_server, desktop_page, office_user, unit_head_user, morning_of_plant1, tree
):
    services.submit_unit_report(
        tree["plant1"], by=unit_head_user, counts={"on_duty": 2}, zero=True
    )  # contradicts the fever: flagged
    page = desktop_page
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/health/overview/")
    row = page.locator('[data-testid=unit-row][data-unit="P1"]')
    assert row.get_by_test_id("concealment-flag").inner_text() == zh("Possible concealment")

    submit(page, '[data-testid="remind-now"]')
    assert page.locator(".alert-success").is_visible()
    shot(page, "health-overview-reminded-desktop")

    with page.expect_download() as download:
        page.click('[data-testid="export-xlsx"]')
    assert download.value.suggested_filename == f"健康总览-{clock.today():%Y-%m-%d}.xlsx"

    page.locator('[data-testid="evidence-row"] summary').click()
    submit(page, '[data-testid="review-flag"]')
    assert page.locator('[data-testid="open-flag"]').is_visible()
    page.fill("#id_reason", "已电话核实：李操作体温复测正常")
    shot(page, "health-report-filings-desktop")
    submit(page, '[data-testid="clear-flag"]')

    assert page.locator('[data-testid="no-flag"]').is_visible()
    assert "已电话核实" in page.locator('[data-testid="cleared"]').inner_text()
    assert UnitReport.objects.get().flag is None
    shot(page, "health-report-flag-cleared-desktop")
