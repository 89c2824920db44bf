"""The registry from a spreadsheet: rows checked like the form (nodes against the current
model), every bad row named and nothing written; a good file creates and updates, and the same
file again changes nothing and leaves no audit event."""

import pytest
from auditlog.models import LogEntry

from headwater.core.importer import export_table
from headwater.network.models import CriticalCustomer
from headwater.network.services.customers_import import COLUMNS, import_customers, template
from headwater.network.tests.factories_customers import make_customer, make_model

pytestmark = pytest.mark.django_db
GOOD = [
    ["市第一人民医院", "定点医院", "解放西路61号", "周主任", "0731-84440101", "0731-84440120",
     "J1、J2", "2", "28"],
    ["市疾控中心", "cdc", "", "", "", "0731 8446 0119", "J3", "1", "22.5"],
]  # fmt: skip


def upload(org, user, rows, fmt="xlsx"):
    return import_customers(org, export_table(COLUMNS, rows, fmt), f"重点用户.{fmt}", by=user)


def test_a_good_file_creates_the_customers(org, office_user):
    make_model(org)
    report = upload(org, office_user, GOOD)
    assert report.ok and (report.tally.created, report.tally.updated) == (2, 0)
    hospital = CriticalCustomer.objects.get(name="市第一人民医院")
    assert (hospital.kind, hospital.nodes, hospital.feeds, hospital.x) == (
        "designated_hospital",
        ["J1", "J2"],
        2,
        100,
    )
    cdc = CriticalCustomer.objects.get(name="市疾控中心")
    assert (cdc.kind, cdc.min_pressure, cdc.duty_phone) == ("cdc", 22.5, "0731 8446 0119")


def test_the_same_file_again_changes_nothing_and_leaves_no_trace(org, office_user):
    make_model(org)
    upload(org, office_user, GOOD, fmt="csv")
    events = LogEntry.objects.count()
    report = upload(org, office_user, GOOD, fmt="csv")
    assert (report.tally.created, report.tally.updated, report.tally.unchanged) == (0, 0, 2)
    assert LogEntry.objects.count() == events


def test_a_registered_name_is_brought_up_to_date(org, office_user):
    make_model(org)
    make_customer(org, name="市疾控中心", feeds=2, active=False)
    report = upload(org, office_user, GOOD)
    assert (report.tally.created, report.tally.updated) == (1, 1)
    cdc = CriticalCustomer.objects.get(name="市疾控中心")
    assert (cdc.feeds, cdc.nodes, cdc.active) == (1, ["J3"], True)


def test_every_bad_row_is_named_and_nothing_is_written(org, office_user):
    make_model(org, version=2)
    rows = [
        *GOOD,
        ["隔离酒店", "飞船", "", "", "", "", "J1", "1", "20"],
        ["核酸检测点", "核酸检测点", "", "", "", "", "J1;Q7；Q8", "0", "20"],
        ["应急指挥中心", "应急指挥中心", "", "", "", "拨打110", "J2", "1", "120"],
        ["市疾控中心", "cdc", "", "", "", "", "J3", "1", "22"],
    ]
    report = upload(org, office_user, rows)
    assert not report.ok
    bad = {r.row: r.errors for r in report.bad_rows}
    assert bad.pop(7)[0].endswith("在文件中重复（第 3 行也有）")
    assert bad == {
        4: ["请从列表中选择重点用户类型。"],
        5: ["独立水源数：1 到 9 的整数。"],
        6: ["最低压力：0 到 100 米之间的数。", "电话号码只能包含数字、“-”、“+”和空格。"],
    }
    assert CriticalCustomer.objects.count() == 0


def test_unknown_nodes_are_named_per_row(org, office_user):
    make_model(org, version=2)
    report = upload(org, office_user, [["核酸检测点", "testing_site", "", "", "", "", "J1;Q7；Q8",
                                        "1", "20"]])  # fmt: skip
    assert [r.errors for r in report.bad_rows] == [["不在当前管网模型（第 2 版）中：Q7、Q8"]]


def test_the_template_imports_back(org, office_user):
    report = import_customers(org, template("xlsx"), "t.xlsx", by=office_user)
    assert report.ok and report.tally.created == 1


def test_a_role_without_the_registry_may_not_import(org, unit_head_user):
    from headwater.core.errors import DomainError

    with pytest.raises(DomainError):
        upload(org, unit_head_user, GOOD)
    assert CriticalCustomer.objects.count() == 0
