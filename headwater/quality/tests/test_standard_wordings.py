"""GB 5749-2022's own wordings and units are accepted: 臭和味 "无异臭、异味", 肉眼可见物 "无" /
"无肉眼可见物" as results; coliforms in CFU/100mL, the colony count in MPN/mL and colour in
铂钴色度单位 in an import. Equivalent spellings are stored in their canonical form; a unit
that is not an equivalent is still refused, naming the accepted ones."""

import datetime as dt

import pytest
from django.utils import translation

from headwater.core.importer import RowError
from headwater.quality import catalog, evaluate
from headwater.quality.imports import import_results
from headwater.quality.models import Result
from headwater.quality.tests.api_client import as_user, post
from headwater.quality.tests.conftest import at

DAY = dt.date(2026, 11, 2)
HEADER = "采样点编号,采样时间,指标,结果,单位\n"


@pytest.fixture(autouse=True)
def now(clock_at):
    clock_at(at(DAY, 18))


def read(code: str, text: str) -> tuple[str, str]:
    measured = evaluate.parse_value(text, catalog.indicator(code))
    return measured.qualifier, measured.raw


@pytest.mark.parametrize(
    ("code", "typed", "stored"),
    [
        ("odour", "无异臭、异味", "无异臭、异味"),
        ("odour", "无异臭异味", "无异臭、异味"),
        ("odour", "无异臭，异味", "无异臭、异味"),
        ("odour", " 无异臭 、异味 ", "无异臭、异味"),
        ("visible_matter", "无肉眼可见物", "无"),
        ("visible_matter", "无", "无"),
    ],
)
def test_the_standards_not_there_wordings_read_as_not_detected_in_canonical_form(
    code, typed, stored
):
    assert read(code, typed) == ("nd", stored)


def test_the_standards_there_wordings_read_as_detected():
    assert read("odour", "有异臭") == ("det", "有异臭")
    assert read("visible_matter", "有肉眼可见物") == ("det", "有肉眼可见物")


def test_api_entry_takes_the_standards_wordings_and_stores_them_canonically(
    client, points, technician
):
    body = {
        "point": "FIN-1",
        "values": {"odour": "无异臭异味", "visible_matter": "无肉眼可见物", "turbidity": "0.3"},
    }
    response = post(as_user(client, technician), "/samples", body)
    assert response.status_code == 201
    rows = {
        r["indicator"]: (r["raw"], r["qualifier"], r["outcome"]) for r in response.json()["results"]
    }
    assert rows == {
        "odour": ("无异臭、异味", "nd", "pass"),
        "visible_matter": ("无", "nd", "pass"),
        "turbidity": ("0.3", "", "pass"),
    }


def _import(user, *rows: str):
    data = (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")
    with translation.override("en"):
        return import_results(data, "results.csv", organization=user.organization, by=user)


def test_import_accepts_the_standards_equivalent_units(points, technician):
    report = _import(
        technician,
        "FIN-1,2026-11-02 08:00,总大肠菌群,未检出,CFU/100mL",
        "FIN-1,2026-11-02 08:00,大肠埃希氏菌,未检出,cfu/100ml",
        "FIN-1,2026-11-02 08:00,菌落总数,12,MPN/mL",
        "FIN-1,2026-11-02 08:00,色度,5,铂钴色度单位",
        "FIN-1,2026-11-02 08:00,臭和味,无异臭异味,",
        "FIN-1,2026-11-02 08:00,肉眼可见物,无肉眼可见物,",
    )
    assert report.ok, report.bad_rows
    rows = dict(Result.objects.values_list("indicator", "raw"))
    assert rows == {
        "total_coliforms": "未检出",
        "e_coli": "未检出",
        "plate_count": "12",
        "colour": "5",
        "odour": "无异臭、异味",
        "visible_matter": "无",
    }
    assert set(Result.objects.values_list("outcome", flat=True)) == {"pass"}


def test_import_still_refuses_a_unit_that_is_not_an_equivalent(points, technician):
    report = _import(
        technician,
        "FIN-1,2026-11-02 08:00,色度,5,mg/L",
        "FIN-1,2026-11-02 08:00,总大肠菌群,未检出,CFU/mL",
    )
    assert not report.ok
    assert report.bad_rows == [
        RowError(
            2,
            [
                "The unit mg/L does not match 色度, measured in "
                "度 / 铂钴色度单位 / 度（铂钴色度单位） / PCU / Pt-Co / Hazen"
            ],
        ),
        RowError(
            3, ["The unit CFU/mL does not match 总大肠菌群, measured in MPN/100mL / CFU/100mL"]
        ),
    ]
    assert not Result.objects.exists()
