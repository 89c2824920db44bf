"""The office's health overview (counts, report statuses at the deadline, possible
concealment, the trend) and a person's health timeline; each refused to the roles that may
not use it.

Pages are asked for in English (the language cookie) so that messages are the msgids."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from headwater.health import services
from headwater.health.tests.office_pages import (
    DAY,
    OVERVIEW,
    at,
    check_in,
    current_code,
    unit_row,
    zero_report,
)

# --- Overview ------------------------------------------------------------------------------


def test_overview_counts_checkins_and_abnormal_for_the_unit_and_the_organization(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.2")
    check_in(people["head"])

    response = office.get(OVERVIEW)

    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals["done"], totals["total"], totals["abnormal"]) == (2, 4, 1)
    assert totals["rate"] == 50.0
    assert (totals["green"], totals["yellow"], totals["red"]) == (1, 1, 0)
    assert [r.unit for r in response.context["rows"]] == [tree["plant1"]]
    row = unit_row(response, tree["plant1"])
    assert (row.staff, row.done, row.abnormal, row.rate) == (2, 2, 1, 100.0)
    assert 'data-testid="trend-chart"' in response.content.decode()


@pytest.mark.parametrize(
    ("sent_at", "viewed_at", "status"),
    [
        ((9, 59, 59), (10, 30, 0), "on_time"),
        ((10, 0, 1), (10, 30, 0), "late"),
        (None, (10, 0, 1), "missing"),
        (None, (9, 0, 0), "not_due"),
    ],
)
def test_report_status_at_the_deadline(
    office, unit_head_user, tree, time_machine, sent_at, viewed_at, status
):
    if sent_at:
        time_machine.move_to(at(*sent_at))
        zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(*viewed_at))

    response = office.get(OVERVIEW)

    assert (unit_row(response, tree["plant1"]).status or "not_due") == status
    html = response.content.decode()
    assert f'data-testid="report-status" data-status="{status}"' in html


def test_zero_report_after_a_fever_checkin_is_flagged_with_the_evidence(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    fever = check_in(people["operator"], "38.4", symptoms=["cough"])
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(9, 30))

    response = office.get(OVERVIEW)

    row = unit_row(response, tree["plant1"])
    assert row.evidence == [fever]
    assert row.evidence[0].description == "38.4 °C, Cough"
    assert response.context["flagged"] == 1
    html = response.content.decode()
    assert html.count('data-testid="concealment-flag"') == 1
    evidence = html[html.index('data-testid="evidence-row"') :]
    assert "李操作" in evidence and "08:00" in evidence and "38.4 °C, Cough" in evidence
    assert "Zero report — nothing abnormal" in evidence


def test_fever_checkin_after_the_zero_report_is_not_flagged(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(8, 30))
    check_in(people["operator"], "38.4")

    response = office.get(OVERVIEW)

    row = unit_row(response, tree["plant1"])
    assert (row.abnormal, row.evidence, row.status) == (1, [], "on_time")
    assert response.context["flagged"] == 0
    assert 'data-testid="concealment-flag"' not in response.content.decode()


def test_report_that_counts_the_abnormal_member_is_not_flagged(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4")
    services.submit_unit_report(
        tree["plant1"], by=unit_head_user, counts={"on_duty": 1, "abnormal": 1}
    )

    response = office.get(OVERVIEW)

    assert unit_row(response, tree["plant1"]).evidence == []


def test_overview_of_a_past_day_and_its_trend(office, unit_head_user, people, tree, time_machine):
    time_machine.move_to(at(8, day=DAY - dt.timedelta(days=1)))
    check_in(people["operator"], "38.0")
    check_in(people["head"])
    time_machine.move_to(at(8))
    check_in(people["head"])

    past = office.get(OVERVIEW, {"date": "2026-02-09"})
    today = office.get(OVERVIEW)

    assert past.context["day"] == DAY - dt.timedelta(days=1)
    assert (past.context["totals"]["done"], past.context["totals"]["abnormal"]) == (2, 1)
    assert unit_row(past, tree["plant1"]).status == "missing"
    trend = today.context["trend"]
    assert len(trend["dates"]) == 14
    assert (trend["dates"][-2:], trend["rate"][-2:], trend["abnormal"][-2:]) == (
        ["02-09", "02-10"],
        [50.0, 25.0],
        [1, 0],
    )
    script = re.search(
        r'<script id="trend-data" type="application/json">(.*?)</script>', today.content.decode()
    )
    assert json.loads(script.group(1)) == trend


def test_overview_refuses_a_bad_or_future_date_and_shows_today(office, time_machine, people):
    time_machine.move_to(at(8))
    for value in ("2026-13-01", "2026-02-11"):
        response = office.get(OVERVIEW, {"date": value})
        assert response.status_code == 200
        assert response.context["day"] == DAY
        assert "Choose a day up to today." in response.content.decode()


def test_overview_is_refused_to_unit_heads_and_staff(client, unit_head_user, staff_user):
    for user in (unit_head_user, staff_user):
        client.force_login(user)
        assert client.get(OVERVIEW).status_code == 403


# --- A person's timeline -------------------------------------------------------------------


def test_person_timeline_shows_checkins_codes_and_followups_with_personal_data_masked(
    office, people, time_machine
):
    operator = people["operator"]
    time_machine.move_to(at(8, day=DAY - dt.timedelta(days=1)))
    check_in(operator, "36.6")
    time_machine.move_to(at(8))
    check_in(operator, "37.8")

    response = office.get(reverse("health:person", args=[operator.pk]))

    assert response.status_code == 200
    assert [c.temperature for c in response.context["checkins"]] == [
        Decimal("37.8"),
        Decimal("36.6"),
    ]
    code = current_code(operator)
    assert (code.colour, code.rule_name, code.rule_set_version) == (
        "yellow",
        "发热",
        1,
    )
    html = response.content.decode()
    assert "发热 (v1)" in html
    assert html.count('data-testid="code-row"') == 2  # green, then yellow
    assert "37.8 °C" in html
    assert "139****5678" in html and "13912345678" not in html
    assert operator.id_number not in html
    assert [f.reason for f in response.context["followups"]] == ["37.8 °C"]


def test_person_timeline_is_404_outside_the_viewers_units_and_403_for_staff(
    client, unit_head_user, staff_user, people
):
    client.force_login(unit_head_user)
    assert client.get(reverse("health:person", args=[people["operator"].pk])).status_code == 200
    assert client.get(reverse("health:person", args=[people["other_plant"].pk])).status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("health:person", args=[people["operator"].pk])).status_code == 403


EVIDENCE = "李操作（08:00 38.4 °C，咳嗽）"


def test_overview_exports_to_excel_as_the_viewer_sees_it_with_a_chinese_name(
    client, office_user, unit_head_user, people, tree, time_machine
):
    import io
    from urllib.parse import unquote

    from openpyxl import load_workbook

    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4", symptoms=["cough"])
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)
    client.force_login(office_user)

    response = client.get(OVERVIEW, {"date": "2026-02-10", "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "健康总览-2026-02-10.xlsx"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "单位",
        "人数",
        "已打卡",
        "打卡率（%）",
        "异常",
        "日报告",
        "报送时间",
        "单位上报内容",
        "可能瞒报",
        "证据",
    ]
    assert rows[1:] == [["第一水厂", 2, 1, 50, 1, "按时", "09:00:00", "零报告", "是", EVIDENCE]]


def test_overview_export_is_refused_to_unit_heads(client, unit_head_user):
    client.force_login(unit_head_user)
    assert client.get(OVERVIEW, {"export": "xlsx"}).status_code == 403


def test_overview_offers_export_and_remind_now_to_the_office(office, time_machine):
    time_machine.move_to(at(9))
    html = office.get(OVERVIEW).content.decode()
    assert 'data-testid="export-xlsx"' in html and 'data-testid="remind-now"' in html
    past = office.get(OVERVIEW, {"date": "2026-02-09"}).content.decode()
    assert 'data-testid="remind-now"' not in past  # reminders are for today
