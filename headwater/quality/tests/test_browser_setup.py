"""In a real browser: the central lab (quality department) on a desktop adds a sampling point
and a plan, imports an instrument export (a bad file first: every bad row named, nothing
written), and proposes a relaxation that a leader approves; a technician on a phone enters an
extra sample at a point of their choice."""

import datetime as dt

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import login, shot, submit, zh
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.quality.models import Relaxation, Result, Sample, SamplingPlan, SamplingPoint

pytestmark = pytest.mark.browser


def test_the_central_lab_sets_up_imports_and_relaxes_on_a_desktop(
    live_server, browser, desktop_page, points, labs, approver, people, tmp_path
):
    page = desktop_page
    login(page, live_server, "approver")

    # A new network point, tied to a node of the network model.
    page.goto(f"{live_server.url}/quality/setup/")
    submit(page, '[data-testid="new-point"]')
    page.fill("#id_code", "NET-9")
    page.fill("#id_name", "河西管网末梢")
    page.select_option("#id_kind", "network")
    page.select_option("#id_unit", str(points["network"].unit_id))
    page.select_option("#id_lab", str(labs["central"].pk))
    page.fill("#id_network_node", "J-909")
    submit(page, '[data-testid="point-form"] button[type=submit]')
    assert SamplingPoint.objects.get(code="NET-9").network_node == "J-909"

    # A plan: network water every Monday and Tuesday.
    submit(page, '[data-testid="new-plan"]')
    page.fill("#id_name", "管网水每周一、二")
    page.select_option("#id_lab", str(labs["central"].pk))
    page.select_option("#id_point_kind", "network")
    page.check('input[name="indicators"][value="turbidity"]')
    page.check('input[name="indicators"][value="free_chlorine"]')
    page.select_option("#id_frequency", "weekdays")
    page.check('input[name="weekdays"][value="0"]')
    page.check('input[name="weekdays"][value="1"]')
    page.fill("#id_times", "09:00")
    shot(page, "quality-plan-desktop")
    submit(page, '[data-testid="plan-form"] button[type=submit]')
    plan = SamplingPlan.objects.get()
    assert (plan.weekdays, plan.indicators) == ([0, 1], ["turbidity", "free_chlorine"])
    shot(page, "quality-setup-desktop")

    # An instrument export with a bad row is refused whole; the corrected one imports.
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"采样点编号,采样时间,指标,结果\nFIN-1,{yesterday} 08:00,浑浊度,0.3\n"
        f"FIN-1,{yesterday} 08:00,pH,abc\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/quality/import/")
    page.set_input_files("#import-file", str(bad))
    submit(page, 'main button[type="submit"]')
    assert page.locator('[data-testid="bad-row"]').count() == 1
    assert Result.objects.count() == 0
    good = tmp_path / "good.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace("abc", "7.2"), encoding="utf-8")
    page.set_input_files("#import-file", str(good))
    submit(page, 'main button[type="submit"]')
    assert page.locator('[data-testid="import-summary"]').is_visible()
    assert Result.objects.count() == 2
    shot(page, "quality-import-desktop")

    # A relaxation proposed with its risk assessment, approved by a leader.
    page.goto(f"{live_server.url}/quality/limits/")
    page.click("text=" + zh("Propose a relaxation"))
    page.select_option("#id_relax-indicator", "turbidity")
    page.fill("#id_relax-maximum", "3")
    page.fill("#id_relax-valid_from", clock.today().isoformat())
    page.fill("#id_relax-valid_until", (clock.today() + dt.timedelta(days=14)).isoformat())
    page.fill("#id_relax-reason", "暴雨后原水浊度高")
    page.fill("#id_relax-risk_assessment", "经专家评估，短期浑浊度≤3 NTU 风险可控。")
    submit(page, 'form:has(input[name="form"][value="relax"]) button[type=submit]')
    relaxation = Relaxation.objects.get()
    assert relaxation.status == "proposed"
    shot(page, "quality-limits-desktop")
    page.context.clear_cookies()
    make_user("leader", person=PersonFactory(unit=people["clerk"].unit), roles=[("leader", None)])
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/quality/limits/")
    submit(page, f'[data-testid="approve-{relaxation.pk}"]')
    relaxation.refresh_from_db()
    assert relaxation.status == "approved"


def test_a_technician_enters_an_extra_sample_on_a_phone(
    live_server, phone_page, points, technician
):
    page = phone_page
    login(page, live_server, "tech")
    page.goto(f"{live_server.url}/quality/tasks/")
    submit(page, '[data-testid="extra-sample"]')
    assert page.get_by_text(points["network"].name).count() == 0  # not the technician's
    submit(page, f'a[href="?point={points["finished"].pk}"]')
    page.fill('[data-testid="value-ph"]', "7.1")
    page.fill('[data-testid="value-turbidity"]', "0.1")
    page.click('[data-testid="below-turbidity"]')  # the number pad has no "<"
    assert page.input_value('[data-testid="value-turbidity"]') == "<0.1"
    shot(page, "quality-extra-sample-phone")
    submit(page, '[data-testid="save"]')
    sample = Sample.objects.get()
    assert dict(sample.results.values_list("indicator", "qualifier")) == {
        "ph": "",
        "turbidity": "<",
    }
