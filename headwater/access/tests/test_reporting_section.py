"""The gates' section of the daily briefing: the day's passages and refusals by reason, the
fevers named, visitors, vehicles, the fullest slot of each canteen, bus trips without
disinfection, with 7-day trends; None for an organization without gates; a quiet sentence on
a day with nothing abnormal."""

import datetime as dt

from headwater.access.sections import access_section
from headwater.access.tests.factories_buses import make_gate, make_site
from headwater.access.tests.reporting_helpers import D, gate_day
from headwater.core.tiles import resolve

AFTER = D + dt.timedelta(days=1)


def test_no_section_for_an_organization_without_gates(org, tree):
    assert access_section(org, AFTER) is None


def test_a_day_with_nothing_abnormal_is_a_zero_report(org, tree):
    make_gate(make_site(org, tree["plant1"]), "大门")
    section = resolve(access_section(org, AFTER), "en")
    assert section["flags"] == []
    assert section["tables"] == []
    assert section["quiet"] == (
        "No fever at the gates, every bus trip disinfected, no visitor left waiting."
    )
    assert section["lines"][0] == "Passages in: 0; refused at the gates: 0; fevers: 0."


def test_the_section_tells_the_day_with_exact_figures(
    org, tree, people, django_assert_max_num_queries
):
    gate_day(org, tree, people)
    with django_assert_max_num_queries(14):
        section = resolve(access_section(org, AFTER), "en")
    assert section["title"] == "Gates and checkpoints"
    assert section["lines"] == [
        "Passages in: 9; refused at the gates: 3; fevers: 1.",
        "Visitors: 4 registered, 1 refused by their host, 2 awaiting their host at the end of "
        "the day.",
        "Vehicles: 2 entries, 1 refused.",
        "Commute buses: 2 trips, 2 boardings, 1 trips without a disinfection record.",
    ]
    figures = {f["key"]: (f["value"], f["previous"], f["trend"]) for f in section["figures"]}
    zeros = [0, 0, 0, 0, 0]
    assert figures["access.passages"] == (9, 1, [*zeros, 1, 9])
    assert figures["access.refused"] == (3, 1, [*zeros, 1, 3])
    assert figures["access.refused.red_code"] == (1, 1, [*zeros, 1, 1])
    assert figures["access.refused.fever"] == (1, 0, [*zeros, 0, 1])
    assert figures["access.refused.wrong_slot"] == (1, 0, [*zeros, 0, 1])
    assert figures["access.fevers"] == (1, 0, [*zeros, 0, 1])
    assert figures["access.visitors"] == (4, 1, [*zeros, 1, 4])
    assert figures["access.visitors_pending"] == (2, 1, [*zeros, 1, 2])
    assert figures["access.vehicles"] == (2, 0, [*zeros, 0, 2])
    assert figures["access.vehicles_refused"] == (1, 0, [*zeros, 0, 1])
    assert figures["access.slot_fill"] == (150, 0, [*zeros, 0, 150])
    assert figures["access.trips_not_disinfected"] == (1, 0, [*zeros, 0, 1])
    tables = {t["title"]: t["rows"] for t in section["tables"]}
    assert tables["Refusals at the gates by reason"] == [
        ["Fever", 1],
        ["Red code", 1],
        ["Not this canteen slot", 1],
    ]
    assert tables["The fullest meal slot of each canteen"] == [["总部食堂", "A 11:10", 3, 2, 150]]
    assert [(f["kind"], f["text"]) for f in section["flags"]] == [
        ("abnormal", "Fever at 一厂大门: 赵二厂, 38.1 °C at 07:45"),
        ("overdue", "Bus 1号线 departing 17:30: no disinfection recorded"),
        ("abnormal", "总部食堂, slot A 11:10: 3 people for 2 places"),
        ("decision", "2 visitors were still awaiting their host at the end of the day"),
    ]
    assert section["quiet"] == ""


def test_the_chinese_section_reads_the_same_figures(org, tree, people):
    gate_day(org, tree, people)
    section = resolve(access_section(org, AFTER), "zh-hans")
    assert section["title"] == "门禁卡点"
    assert section["flags"][0]["text"] == "一厂大门发现发热：赵二厂，38.1 °C，07:45"
