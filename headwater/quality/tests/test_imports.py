"""Importing results from an instrument's spreadsheet export: samples grouped by point and
time, each result evaluated, every bad row named with its Excel row number and nothing
written, re-uploads refused, scope and permission enforced."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from headwater.core.importer import RowError
from headwater.quality import catalog, evaluate, services
from headwater.quality.imports import import_results, parse_sampled_at, unit_key
from headwater.quality.models import Result, Sample
from headwater.quality.tests.conftest import at

DAY = dt.date(2026, 11, 2)
HEADER = "采样点编号,采样时间,指标,结果,单位\n"


@pytest.fixture(autouse=True)
def now(clock_at):
    clock_at(at(DAY + dt.timedelta(days=1), 10))


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their msgid form."""
    with translation.override("en"):
        yield


def csv_file(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8-sig")


def run(data: bytes, user, filename: str = "results.csv"):
    return import_results(data, filename, organization=user.organization, by=user)


def stored() -> tuple[int, int]:
    return Sample.objects.count(), Result.objects.count()


GOOD = csv_file(
    "FIN-1,2026-11-02 08:00,浑浊度,0.35,NTU",
    "FIN-1,2026/11/2 8:00,free_chlorine,0.5,mg/l",
    "FIN-1,2026-11-02 08:00,Total coliforms,未检出,MPN/100mL",
    "FIN-1,2026-11-02 16:00,turbidity,1.5,ntu",
    "RAW-1,2026-11-02 08:00,砷,<0.01,mg/L",
)


# --- Good files ------------------------------------------------------------------------------


def test_csv_import_groups_rows_into_samples_and_evaluates_every_result(points, technician):
    report = run(GOOD, technician)

    assert report.ok
    assert (report.samples, report.results, report.exceedances) == (3, 5, 1)
    assert report.tally.created == 5
    samples = Sample.objects.order_by("point__code", "sampled_at")
    assert [(s.point.code, s.sampled_at, s.source, s.lab_id, s.entered_by) for s in samples] == [
        ("FIN-1", at(DAY, 8), "import", points["finished"].lab_id, technician),
        ("FIN-1", at(DAY, 16), "import", points["finished"].lab_id, technician),
        ("RAW-1", at(DAY, 8), "import", points["raw"].lab_id, technician),
    ]
    morning = samples[0]
    assert {
        r.indicator: (r.raw, r.qualifier, r.value, r.outcome, r.status)
        for r in morning.results.all()
    } == {
        "turbidity": ("0.35", "", Decimal("0.35"), "pass", "entered"),
        "free_chlorine": ("0.5", "", Decimal("0.5"), "pass", "entered"),
        "total_coliforms": ("未检出", "nd", None, "pass", "entered"),
    }
    afternoon = samples[1].results.get()
    assert (afternoon.indicator, afternoon.outcome, afternoon.limit_text) == (
        "turbidity",
        "fail",
        "≤1 NTU",
    )
    result = Result.objects.get(point=points["raw"])
    assert (result.sampled_on, result.unit_id, result.point_kind) == (
        DAY,
        points["raw"].unit_id,
        "raw",
    )


def test_xlsx_import_reads_excel_datetimes_and_numbers(points, technician):
    wb = Workbook()
    ws = wb.active
    ws.append(["point code", "sampled at", "indicator", "value", "unit"])  # English headers
    ws.append(["FIN-1", dt.datetime(2026, 11, 2, 8, 0), "浑浊度", 0.35, "NTU"])
    ws.append(["FIN-1", dt.datetime(2026, 11, 2, 8, 0), "pH", 7.2, None])
    ws.append(["FIN-1", dt.datetime(2026, 11, 2, 0, 0), "浑浊度", 1, "NTU"])  # midnight
    out = io.BytesIO()
    wb.save(out)

    report = run(out.getvalue(), technician, "results.xlsx")

    assert report.ok, report.bad_rows
    assert (report.samples, report.results, report.exceedances) == (2, 3, 0)
    assert sorted(
        Result.objects.values_list("sampled_at", "indicator", "raw", "value", "outcome")
    ) == [
        (at(DAY, 0), "turbidity", "1", Decimal("1"), "pass"),
        (at(DAY, 8), "ph", "7.2", Decimal("7.2"), "pass"),
        (at(DAY, 8), "turbidity", "0.35", Decimal("0.35"), "pass"),
    ]


def test_below_detection_value_is_stored_as_such_and_evaluated(points, technician):
    report = run(
        csv_file(
            "FIN-1,2026-11-02 08:00,砷,<0.01,mg/L",
            "FIN-1,2026-11-02 08:00,cadmium,＜0.001,mg/L",
        ),
        technician,
    )

    assert report.ok
    assert sorted(Result.objects.values_list("indicator", "raw", "qualifier", "value")) == [
        ("arsenic", "<0.01", "<", Decimal("0.01")),
        ("cadmium", "＜0.001", "<", Decimal("0.001")),
    ]
    assert set(Result.objects.values_list("outcome", flat=True)) == {"pass"}


def test_exceedances_are_handed_over_once_for_the_whole_import(points, technician, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "handle_exceedances", lambda results: calls.append(results))

    run(GOOD, technician)

    assert len(calls) == 1
    assert [(r.point.code, r.indicator, r.outcome) for r in calls[0]] == [
        ("FIN-1", "turbidity", "fail")
    ]


def test_an_exceedance_alerts_and_opens_a_resampling_task(points, technician):
    run(GOOD, technician)

    task = points["finished"].tasks.get()
    assert (task.kind, task.indicators) == ("resample", ["turbidity"])


def test_import_leaves_one_audit_entry_not_one_per_row(points, technician):
    before = LogEntry.objects.count()

    run(
        csv_file("FIN-1,2026-11-02 08:00,浑浊度,0.35,NTU", "FIN-1,2026-11-02 08:00,pH,7.1,"),
        technician,
    )

    entries = LogEntry.objects.order_by("pk")[before:]
    assert [list(e.changes) for e in entries] == [["file", "quality_result_import"]]
    assert entries[0].changes["file"] == [None, "results.csv"]


# --- Refusals: nothing written --------------------------------------------------------------


def _parse_error(text: str, code: str) -> str:
    with pytest.raises(ValueError) as e:
        evaluate.parse_value(text, catalog.indicator(code))
    return str(e.value)


def test_every_bad_row_is_named_with_its_excel_row_and_nothing_is_written(points, technician):
    report = run(
        csv_file(
            "FIN-1,2026-11-02 08:00,浑浊度,0.35,NTU",  # row 2: good
            "XX-9,2026-11-02 08:00,浑浊度,0.35,NTU",
            "FIN-1,2026-11-02 08:00,unobtainium,0.35,NTU",
            "FIN-1,2026-11-02 09:00,浑浊度,0.35,mg/L",
            "FIN-1,2026-11-02 10:00,浑浊度,abc,NTU",
            "FIN-1,2 Nov 2026,浑浊度,0.35,NTU",
            ",2026-11-02 08:00,浑浊度,,NTU",
        ),
        technician,
    )

    assert not report.ok and report.tally is None
    assert report.bad_rows == [
        RowError(3, ["Unknown sampling point XX-9"]),
        RowError(4, ["Unknown indicator unobtainium"]),
        RowError(5, ["The unit mg/L does not match 浑浊度, measured in NTU"]),
        RowError(6, [_parse_error("abc", "turbidity")]),
        RowError(7, ["The sampling time 2 Nov 2026 is not a date and time (use 2026-11-02 08:00)"]),
        RowError(8, ["Missing sampling point", "Missing result"]),
    ]
    assert stored() == (0, 0)


def test_a_missing_column_refuses_the_file(points, technician):
    report = run("采样点编号,采样时间,指标\nFIN-1,2026-11-02 08:00,浑浊度\n".encode(), technician)

    assert report.errors == ["The file has no “结果” column."]
    assert stored() == (0, 0)


def test_a_sampling_time_in_the_future_is_refused(points, technician):
    report = run(csv_file("FIN-1,2026-11-03 10:01,浑浊度,0.35,NTU"), technician)

    assert report.bad_rows == [RowError(2, ["The sampling time 2026-11-03 10:01 is in the future"])]
    assert stored() == (0, 0)


def test_the_same_result_twice_in_the_file_is_refused_on_the_later_row(points, technician):
    report = run(
        csv_file(
            "FIN-1,2026-11-02 08:00,浑浊度,0.35,NTU",
            "FIN-1,2026-11-02 08:00,pH,7.1,",
            "fin-1,2026/11/2 8:00,turbidity,0.4,ntu",  # same point, time and indicator
        ),
        technician,
    )

    assert report.bad_rows == [
        RowError(4, ["The same point, time and indicator are already on row 2"])
    ]
    assert stored() == (0, 0)


def test_uploading_the_same_file_again_is_refused_row_by_row(points, technician):
    assert run(GOOD, technician).ok
    before = stored()

    report = run(GOOD, technician)

    already = ["This result is already stored (imported or entered before)"]
    assert report.bad_rows == [RowError(n, already) for n in range(2, 7)]
    assert stored() == before == (3, 5)


def test_new_indicators_of_a_stored_sample_join_it(points, technician):
    run(csv_file("FIN-1,2026-11-02 08:00,浑浊度,0.35,NTU"), technician)

    report = run(csv_file("FIN-1,2026-11-02 08:00,pH,7.1,"), technician)

    assert (report.samples, report.results) == (0, 1)
    assert Sample.objects.get().results.count() == 2


# --- Scope and permission -------------------------------------------------------------------


def test_a_point_outside_the_importers_units_is_unknown_to_them(points, technician, approver):
    line = "NET-1,2026-11-02 08:00,浑浊度,0.35,NTU"

    refused = run(csv_file(line), technician)
    imported = run(csv_file(line), approver)

    assert refused.bad_rows == [RowError(2, ["Unknown sampling point NET-1"])]
    assert imported.ok and Result.objects.get().point == points["network"]


def test_importing_needs_the_permission_to_enter_results(points, office_user):
    from headwater.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        run(GOOD, office_user)
    assert stored() == (0, 0)


def test_the_page_refuses_users_who_may_not_enter_results(client, points, office_user):
    client.force_login(office_user)
    upload = io.BytesIO(GOOD)
    upload.name = "results.csv"

    assert client.get(reverse("quality:import")).status_code == 403
    assert client.post(reverse("quality:import"), {"file": upload}).status_code == 403
    assert stored() == (0, 0)


def test_the_page_imports_the_file_and_shows_the_counts(client, points, technician):
    client.force_login(technician)
    upload = io.BytesIO(GOOD)
    upload.name = "results.csv"

    response = client.post(reverse("quality:import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.samples, report.results, report.exceedances) == (3, 5, 1)
    assert stored() == (3, 5)
    assert 'data-testid="import-summary"' in response.content.decode()


def test_the_page_lists_the_bad_rows(client, points, technician):
    client.force_login(technician)
    upload = io.BytesIO(csv_file("FIN-1,2026-11-02 08:00,浑浊度,abc,NTU"))
    upload.name = "results.csv"

    response = client.post(reverse("quality:import"), {"file": upload})

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="bad-row"') == 1
    assert stored() == (0, 0)


def test_the_template_has_the_import_headers(client, technician):
    client.force_login(technician)

    response = client.get(reverse("quality:import_template", args=["csv"]))

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == [
        "采样点编号,采样时间,指标,结果,单位"
    ]


# --- Cell parsers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-02 08:00", at(DAY, 8)),
        ("2026/11/2 8:00", at(DAY, 8)),
        ("2026-11-02 08:00:00", at(DAY, 8)),
        ("2026-11-02T08:05", at(DAY, 8, 5)),
        ("2026年11月2日 8:30", at(DAY, 8, 30)),
        ("2026-11-02", at(DAY, 0)),
        ("46328.3333333333", at(DAY, 8)),
        ("2026-13-02 08:00", None),
        ("tomorrow", None),
    ],
)
def test_sampling_times_in_the_usual_spellings(text, expected):
    assert parse_sampled_at(text) == expected


def test_obvious_unit_spellings_are_the_same_unit():
    assert unit_key("mg/l") == unit_key("mg/L")
    assert unit_key("ntu") == unit_key("NTU")
    assert unit_key("cfu/ml") == unit_key("CFU/mL")
    assert unit_key("无量纲") == unit_key("")
    assert unit_key("mg/L") != unit_key("NTU")
