"""Gross α and gross β radioactivity have guidance values (指导值, GB 5749-2022), not limits:
a result above one is "over a guidance value — nuclide analysis needed", never a fail. It
raises no exceedance alert, stays out of the fails of every pass rate, and is shown apart on
the sample page, the report page, its Excel and PDF exports and the API."""

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from headwater.alerts.models import Alert
from headwater.quality import catalog, evaluate, exports
from headwater.quality.models import SamplingTask
from headwater.quality.tests.api_client import DAY, as_user, post
from headwater.quality.tests.conftest import at
from headwater.quality.tests.test_reports import add_sample, report

MARCH = dt.date(2025, 3, 1)
LABEL = "Exceeds guidance value — nuclide analysis needed"


def _evaluate(code: str, text: str, kind: str = "finished") -> evaluate.Evaluation:
    ctx = evaluate.Context(kind=kind, supply_type="urban", on=DAY)
    return evaluate.evaluate(code, evaluate.parse_value(text, catalog.indicator(code)), ctx)


@pytest.mark.parametrize(
    ("code", "text", "outcome"),
    [
        ("gross_alpha", "0.6", "guidance"),
        ("gross_alpha", "0.5", "pass"),
        ("gross_beta", "1.5", "guidance"),
        ("gross_beta", ">2", "guidance"),
        ("gross_beta", "0.8", "pass"),
        ("turbidity", "1.5", "fail"),  # a limit still fails
    ],
)
def test_a_result_over_a_guidance_value_calls_for_nuclide_analysis_not_a_fail(code, text, outcome):
    assert _evaluate(code, text).outcome == outcome


def test_api_entry_shows_the_guidance_outcome_and_raises_no_exceedance(
    client, points, technician, clock_at
):
    clock_at(at(DAY, 9))
    body = {"point": "FIN-1", "values": {"gross_alpha": "0.8", "turbidity": "0.3"}}
    response = post(as_user(client, technician), "/samples", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201
    rows = {r["indicator"]: r for r in response.json()["results"]}
    alpha = rows["gross_alpha"]
    assert (alpha["outcome"], alpha["outcome_label"], alpha["limit_text"]) == (
        "guidance",
        LABEL,
        "≤0.5 Bq/L",
    )
    assert not Alert.objects.exists()
    assert not SamplingTask.objects.filter(kind="resample").exists()


@pytest.fixture
def month(points, clock_at):
    """Five finished-water samples: turbidity passes in all, gross α is over its guidance
    value in one."""
    clock_at(at(dt.date(2025, 3, 20), 10))
    fin = points["finished"]
    for n in range(5):
        outcomes = {"turbidity": "pass"}
        if n == 0:
            outcomes["gross_alpha"] = ("guidance", {"raw": "0.62", "limit_text": "≤0.5 Bq/L"})
        add_sample(fin, at(MARCH, 8 + n), outcomes)
    return points


def test_guidance_results_are_not_fails_in_the_pass_rates(month, org):
    rep = report(org)
    assert (rep.tests.passed, rep.tests.failed, rep.tests.guidance, rep.tests.rate) == (
        5,
        0,
        1,
        100.0,
    )
    assert (rep.samples.passed, rep.samples.failed, rep.samples.rate) == (5, 0, 100.0)
    assert (rep.exceedance_total, rep.exceedances) == (0, [])
    assert rep.guidance_total == 1
    assert [(g.indicator, g.raw, g.limit_text) for g in rep.guidance] == [
        ("gross_alpha", "0.62", "≤0.5 Bq/L")
    ]
    assert [(r.key, r.tests.failed, r.tests.guidance) for r in rep.by_month] == [("2025-03", 0, 1)]


def test_report_page_and_api_list_the_guidance_results(client, office_user, month):
    client.force_login(office_user)
    page = client.get("/quality/report/", {"month": "2025-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="guidance-row" data-indicator="gross_alpha"' in html
    assert 'data-testid="exceedance-row"' not in html
    body = client.get("/api/v1/quality/report", {"month": "2025-03"}).json()
    assert (body["guidance_total"], body["exceedance_total"], body["tests"]["rate"]) == (
        1,
        0,
        100.0,
    )
    assert [(g["indicator"], g["raw"], g["guidance_value"]) for g in body["guidance"]] == [
        ("gross_alpha", "0.62", "≤0.5 Bq/L")
    ]


def test_the_excel_and_pdf_exports_list_the_guidance_results(month, org, monkeypatch):
    rep = report(org)
    with translation.override("en"):
        book = load_workbook(io.BytesIO(exports.workbook(rep)))
        sheet = [list(r) for r in book["Guidance values"].iter_rows(values_only=True)]
        assert sheet[1][3:] == ["总α放射性", "0.62", "≤0.5 Bq/L", LABEL]
        summary = [r[:2] for r in book["Summary"].iter_rows(values_only=True)]
        assert ("Over a guidance value: nuclide analysis needed", 1) in summary
        rendered = []
        monkeypatch.setattr(
            "weasyprint.HTML", lambda string, **options: rendered.append(string) or _Pdf()
        )
        assert exports.pdf(rep) == b"%PDF"
    assert "Over a guidance value: nuclide analysis needed (1)" in rendered[0]
    assert "0.62" in rendered[0]


class _Pdf:
    def write_pdf(self):
        return b"%PDF"


def test_the_sample_page_marks_a_guidance_result(client, points, technician, clock_at, settings):
    clock_at(at(DAY, 9))
    body = {"point": "FIN-1", "values": {"gross_beta": "1.4"}}
    sample_id = post(as_user(client, technician), "/samples", body).json()["id"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/quality/samples/{sample_id}/").content.decode()
    assert 'class="table-warning" data-testid="result-gross_beta"' in html
    assert LABEL in html
