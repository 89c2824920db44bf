"""The compliance report page, its Excel and PDF exports, the trend page, the report API, and
the office's journey through them in a real browser."""

import datetime as dt
import io
import re
import zlib
from urllib.parse import quote

import pytest
from django.utils import translation
from openpyxl import load_workbook

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot
from headwater.core.tests.factories import make_user
from headwater.quality.models import AnalyzerReading
from headwater.quality.tests.conftest import at
from headwater.quality.tests.test_reports import add_sample

MARCH = dt.date(2025, 3, 1)
REPORT = "/quality/report/"
API = "/api/v1/quality"


def zh(message: str) -> str:
    """What the page shows for `message` in Chinese (the message itself until translated)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def pdf_objects(data: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated, to search in."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def march(clock_at):
    clock_at(at(dt.date(2025, 3, 20), 10))


@pytest.fixture
def data(points, approver):
    """Plant 1's finished water: 19 of 20 samples pass; the network: one failing free
    chlorine among passes; raw water classified; one result still awaiting review."""
    fin, net = points["finished"], points["network"]
    for n in range(19):
        add_sample(fin, at(MARCH, 0) + dt.timedelta(hours=n), {"turbidity": "pass"})
    add_sample(fin, at(dt.date(2025, 3, 2), 8), {"turbidity": ("fail", {"raw": "1.6"})})
    add_sample(net, at(MARCH, 9), {"free_chlorine": "pass", "turbidity": "pass"})
    add_sample(
        net,
        at(dt.date(2025, 3, 3), 9),
        {"free_chlorine": ("fail", {"raw": "0.02", "value": "0.02", "limit_text": "≥0.05 mg/L"})},
    )
    add_sample(points["raw"], at(MARCH, 7), {"ammonia": ("classified", {"source_class": 3})})
    add_sample(fin, at(dt.date(2025, 3, 4), 8), {"turbidity": "fail"}, status="entered")
    return points


@pytest.fixture
def regulator(org):
    return make_user("regulator", organization=org, roles=[("regulator", None)])


# --- The page ------------------------------------------------------------------------------


def test_office_sees_the_month_s_rates_flags_and_exceedances(client, office_user, data, march):
    client.force_login(office_user)

    response = client.get(REPORT)

    assert response.status_code == 200
    rep = response.context["report"]
    assert rep.period.label == "2025-03"
    assert (rep.tests.passed, rep.tests.failed) == (21, 2)
    assert [(e.point, e.raw) for e in rep.exceedances] == [
        ("FIN-1 一厂出厂水", "1.6"),
        ("NET-1 河东管网末梢", "0.02"),
    ]
    html = response.content.decode()
    assert 'data-testid="by-plant"' in html and 'data-testid="raw-classes"' in html
    assert html.count('data-testid="exceedance-row"') == 2
    # the network's free chlorine, 1 of 2, is below 95%; plant 1 at 95% exactly is not
    assert 'data-testid="below-target"' in html
    plant1 = next(r for r in rep.by_plant if r.label == "第一水厂")
    assert (plant1.tests.rate, plant1.tests.below_target) == (95.0, False)
    assert f"{REPORT}export.xlsx?month=2025-03" in html


def test_the_report_page_needs_the_report_permission(client, staff_user, technician, data):
    assert client.get(REPORT).status_code == 302
    client.force_login(staff_user)
    assert client.get(REPORT).status_code == 403
    client.force_login(technician)
    assert client.get(REPORT).status_code == 403
    assert client.get(f"{REPORT}export.xlsx").status_code == 403


def test_an_outsider_sees_nothing_of_ours(client, outsider, data, march):
    client.force_login(outsider)

    response = client.get(REPORT)

    assert response.status_code == 200
    assert response.context["report"].tests.total == 0
    assert response.context["report"].exceedances == []
    assert "FIN-1" not in response.content.decode()


def test_a_plant_lab_head_sees_the_plant_only_and_cannot_pick_another(
    client, lab_head, data, tree, march
):
    client.force_login(lab_head)

    response = client.get(REPORT)

    rep = response.context["report"]
    assert (rep.tests.passed, rep.tests.failed) == (19, 1)
    assert [u.code for u in response.context["units"]] == ["P1"]
    assert client.get(REPORT, {"unit": tree["company"].pk}).status_code == 404


def test_a_regulator_sees_organization_wide_official_figures(client, regulator, data, march):
    client.force_login(regulator)

    rep = client.get(REPORT).context["report"]

    assert (rep.tests.passed, rep.tests.failed) == (21, 2)


def test_the_plant_filter_and_a_year_with_its_months(client, office_user, data, tree, march):
    client.force_login(office_user)

    plant = client.get(REPORT, {"unit": tree["plant1"].pk, "year": "2025"}).context["report"]

    assert (plant.tests.passed, plant.tests.failed) == (19, 1)
    assert [r.key for r in plant.by_month] == ["2025-03"]
    assert plant.period.label == "2025"


def test_a_bad_period_shows_a_message_and_this_month(client, office_user, data, march):
    client.force_login(office_user)

    response = client.get(REPORT, {"from": "2025-03-10", "to": "2025-03-01"})

    assert response.context["report"].period.label == "2025-03"
    assert zh("The period ends before it starts.") in response.content.decode()


# --- Exports -------------------------------------------------------------------------------


def test_the_excel_export_has_a_sheet_per_table(client, office_user, data, march):
    client.force_login(office_user)

    response = client.get(f"{REPORT}export.xlsx", {"month": "2025-03"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="water-quality-2025-03.xlsx"; '
        "filename*=UTF-8''" + quote("水质报表-2025-03.xlsx")
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        zh("Summary"),
        zh("By plant"),
        zh("By kind"),
        zh("By indicator"),
        zh("Exceedances"),
        zh("Guidance values"),
        zh("Raw-water classes"),
    ]
    plants = [[c.value for c in row] for row in book[zh("By plant")].iter_rows(min_row=2)]
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in plants] == [
        ("金溪水务集团", 3, 2, 1, 66.67),
        ("第一水厂", 20, 19, 1, 95.0),
    ]
    exceedances = list(book[zh("Exceedances")].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[4]) for r in exceedances] == [
        ("FIN-1 一厂出厂水", "浑浊度", "1.6"),
        ("NET-1 河东管网末梢", "游离氯", "0.02"),
    ]
    classes = list(book[zh("Raw-water classes")].iter_rows(min_row=2, values_only=True))
    assert classes[0] == ("第一水厂", "氨（以N计）", 0, 0, 1, 0, 0, 0, 1)


def test_the_pdf_export_is_an_a4_document_in_chinese(client, office_user, data, march):
    client.force_login(office_user)

    response = client.get(f"{REPORT}export.pdf", {"month": "2025-03"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    objects = pdf_objects(response.content)
    assert b"Noto-Sans-CJK-SC" in objects  # the Chinese font is embedded
    assert re.search(rb"/MediaBox \[0 0 595\.\d* 841\.\d*\]", objects)  # A4 portrait


def test_an_unknown_export_format_is_not_found(client, office_user):
    client.force_login(office_user)
    assert client.get(f"{REPORT}export.doc").status_code == 404


# --- Trend ---------------------------------------------------------------------------------


def test_the_trend_page_draws_results_readings_and_the_limit(client, office_user, data, march):
    net = data["network"]
    AnalyzerReading.objects.create(
        organization=net.organization,
        point=net,
        indicator="free_chlorine",
        at=at(dt.date(2025, 3, 3), 10),
        value="0.31",
        outcome="pass",
    )
    client.force_login(office_user)

    response = client.get(
        "/quality/trend/",
        {"point": net.pk, "indicator": "free_chlorine", "from": "2025-03-01", "to": "2025-03-31"},
    )

    assert response.status_code == 200
    chart = response.context["chart"]
    assert [(r["value"][1], r["fail"]) for r in chart["results"]] == [(0.1, False), (0.02, True)]
    assert chart["minimum"] == 0.05 and chart["maximum"] is None
    assert chart["readings"] == [["2025-03-03T10:00:00+08:00", 0.31]]
    assert 'id="trend-chart"' in response.content.decode()


def test_the_trend_page_opens_on_turbidity_not_on_a_detected_or_not_indicator(
    client, office_user, data, march
):
    add_sample(data["finished"], at(dt.date(2025, 3, 5), 8), {"total_coliforms": "pass"})
    client.force_login(office_user)

    response = client.get(
        "/quality/trend/",
        {"point": data["finished"].pk, "from": "2025-03-01", "to": "2025-03-31"},
    )

    assert [c for c, _name in response.context["indicators"]][:1] == ["total_coliforms"]
    assert response.context["code"] == "turbidity"
    assert len(response.context["chart"]["results"]) == 20


def test_the_trend_of_a_point_outside_the_scope_is_not_found(client, lab_head, data):
    client.force_login(lab_head)

    response = client.get("/quality/trend/", {"point": data["network"].pk})

    assert response.status_code == 404


def test_the_trend_link_of_an_indicator_opens_a_point_that_has_it(client, office_user, data):
    client.force_login(office_user)

    response = client.get("/quality/trend/", {"indicator": "free_chlorine"})

    assert response.context["point"] == data["network"]


# --- API -----------------------------------------------------------------------------------


def test_the_report_api_gives_the_same_figures(client, office_user, data, march):
    client.force_login(office_user)

    response = client.get(f"{API}/report", {"month": "2025-03"})

    assert response.status_code == 200
    body = response.json()
    assert body["date_from"] == "2025-03-01" and body["date_to"] == "2025-03-31"
    assert body["tests"]["passed"] == 21 and body["tests"]["failed"] == 2
    assert body["tests"]["rate"] == 91.3
    assert body["samples"]["total"] == 22
    assert [(r["label"], r["tests"]["rate"]) for r in body["by_plant"]] == [
        ("金溪水务集团", 66.67),
        ("第一水厂", 95.0),
    ]
    assert body["composite"]["items"][3]["rate"] == 50.0
    assert [e["raw"] for e in body["exceedances"]] == ["1.6", "0.02"]
    assert body["raw_classes"][0]["counts"] == [0, 0, 1, 0, 0, 0]


def test_the_report_api_refuses_without_the_permission(client, technician, data):
    client.force_login(technician)

    response = client.get(f"{API}/report")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_the_report_api_of_a_unit_outside_the_scope_is_not_found(client, lab_head, tree, data):
    client.force_login(lab_head)

    assert client.get(f"{API}/report", {"unit_id": tree["plant2"].pk}).status_code == 404
    body = client.get(
        f"{API}/report", {"unit_id": tree["plant1"].pk, "from": "2025-03-01", "to": "2025-03-31"}
    ).json()
    assert body["tests"]["total"] == 20


def test_the_report_api_refuses_a_reversed_period(client, office_user):
    client.force_login(office_user)

    response = client.get(f"{API}/report", {"from": "2025-03-10", "to": "2025-03-01"})

    assert response.status_code == 400
    assert response.json()["error"]["message"] == zh("The period ends before it starts.")


def test_the_trend_api(client, regulator, data):
    client.force_login(regulator)

    response = client.get(
        f"{API}/trend",
        {
            "point_id": data["network"].pk,
            "indicator": "free_chlorine",
            "from": "2025-03-01",
            "to": "2025-03-31",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert [(r["value"], r["outcome"]) for r in body["results"]] == [(0.1, "pass"), (0.02, "fail")]
    assert body["minimum"] == 0.05
    assert body["label"] == "游离氯"


def test_the_trend_api_hides_points_outside_the_scope(client, lab_head, outsider, data):
    client.force_login(lab_head)
    url = f"{API}/trend"
    params = {"point_id": data["network"].pk, "indicator": "free_chlorine"}

    assert client.get(url, params).status_code == 404
    client.force_login(outsider)
    assert client.get(url, params).status_code == 404


# --- In a browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_office_reads_the_report_and_opens_a_trend(live_server, desktop_page, office_user, points):
    today = clock.today()
    first = today.replace(day=1)
    fin, net = points["finished"], points["network"]
    for n in range(18):
        add_sample(fin, at(first, 0) + dt.timedelta(hours=n), {"turbidity": "pass", "ph": "pass"})
    add_sample(fin, at(first, 20), {"turbidity": ("fail", {"raw": "1.4", "value": "1.4"})})
    for n, value in enumerate(("0.35", "0.28", "0.02")):
        outcome = "fail" if value == "0.02" else "pass"
        add_sample(
            net,
            at(first, 8 + n),
            {
                "free_chlorine": (
                    outcome,
                    {"raw": value, "value": value, "limit_text": "≥0.05 mg/L"},
                )
            },
        )
    add_sample(points["raw"], at(first, 7), {"ammonia": ("classified", {"source_class": 2})})
    for n, value in enumerate(("0.33", "0.31", "0.30", "0.24", "0.12", "0.04")):
        AnalyzerReading.objects.create(
            organization=net.organization,
            point=net,
            indicator="free_chlorine",
            at=at(first, 8) + dt.timedelta(minutes=20 * n),
            value=value,
            outcome="pass" if value != "0.04" else "fail",
        )
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, office_user.username)

    follow_menu(page, "/quality/report/")
    page.wait_for_url(f"{live_server.url}/quality/report/")
    assert page.get_by_test_id("exceedance-total").inner_text() == "2"
    rows = page.locator("[data-testid=by-indicator] [data-testid=rate-row]")
    flagged = page.locator("[data-testid=by-indicator] [data-testid=below-target]")
    assert rows.count() == 3 and flagged.count() == 2
    assert page.get_by_test_id("exceedance-row").count() == 2
    shot(page, "quality-report-desktop")

    page.locator("[data-testid=by-indicator] [data-key=free_chlorine] a").click()
    page.wait_for_url("**/quality/trend/**")
    page.locator("#trend-chart canvas").first.wait_for()
    box = page.locator("#trend-chart canvas").first.bounding_box()
    assert box["width"] > 800 and box["height"] > 300
    assert page.get_by_test_id("trend-limit").inner_text() == "≥0.05 mg/L"
    assert page.get_by_test_id("reading-count").is_visible()
    page.wait_for_timeout(400)  # the chart's short entry animation
    shot(page, "quality-trend-desktop")
