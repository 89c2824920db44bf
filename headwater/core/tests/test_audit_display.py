"""The audit trail reads as words: fields by their Chinese labels, related rows by name,
yes/no, choices by label, local times to the minute; no ids or tree bookkeeping."""

import datetime as dt
import re

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from headwater.core import audit_display, services
from headwater.core.tests.factories import make_unit
from headwater.core.tests.timing import at


def rows_of(client, **params) -> list[list[tuple[str, str, str]]]:
    page = client.get(reverse("core:audit"), params).context["page"]
    return [entry.rows for entry in page]


def test_a_new_unit_shows_its_organization_by_name_and_no_tree_bookkeeping(
    client, office_user, tree, org
):
    make_unit(org, "化验中心", "LC", tree["company"])
    client.force_login(office_user)

    [rows] = rows_of(client, q="化验中心")

    assert sorted(rows) == sorted(
        [("组织", "", "金溪水务集团"), ("名称", "", "化验中心"), ("编码", "", "LC")]
    )


def test_a_person_moved_and_made_critical_shows_names_and_yes_no(client, office_user, people, tree):
    person = people["operator"]
    person.unit = tree["plant2"]
    person.is_critical = True
    services.save_person(person, by=office_user)
    client.force_login(office_user)

    rows = rows_of(client, model="person")[0]

    assert sorted(rows) == [("关键岗位", "否", "是"), ("单位", "运行甲班", "第二水厂")]


def test_times_are_local_to_the_minute_and_choices_and_logins_are_named(
    client, office_user, org, clock_at
):
    clock_at(at(dt.date(2025, 3, 4), 9, 30) + dt.timedelta(seconds=15, microseconds=123456))
    services.switch_level(org, "level2", by=office_user, reason="春节返岗高峰")
    client.force_login(office_user)

    [rows] = rows_of(client, model="responselevelchange")

    shown = {label: after for label, _before, after in rows}
    assert shown["变更时间"] == "2025-03-04 09:30"
    assert shown["响应级别"] == "二级响应"
    assert shown["变更人"] == "钱文员"
    assert shown["组织"] == "金溪水务集团"
    assert "ID" not in shown


def test_the_page_shows_no_python_values_or_utc_times(client, office_user, people, org):
    services.switch_level(org, "level2", by=office_user, reason="演练")
    client.force_login(office_user)

    html = client.get(reverse("core:audit")).content.decode()

    assert re.search(r"\b(True|False|None)\b", html) is None
    assert re.search(r"\d\d:\d\d:\d\d\.\d{6}", html) is None
    assert "numchild" not in html


def test_blank_fields_of_a_new_row_are_left_out(client, office_user, tree, org):
    client.force_login(office_user)

    [rows] = rows_of(client, model="user", q="office")

    assert [label for label, _before, _after in rows if label in ("名字", "姓氏")] == []
    assert ("用户名", "", "office") in rows


def test_every_recorded_field_has_a_chinese_label():
    english = [
        (model._meta.label, name, audit_display.label(model, name))
        for model in auditlog.get_models()
        for name in audit_display.shown_fields(
            model, dict.fromkeys(auditlog.get_model_fields(model)["include_fields"])
        )
        if re.fullmatch(r"[A-Za-z _]+", audit_display.label(model, name))
    ]

    assert english == []


def test_the_history_of_one_object_is_titled_by_its_kind_and_name(client, office_user, people):
    client.force_login(office_user)
    person = people["operator"]

    html = client.get(reverse("core:history", args=["person", person.pk])).content.decode()

    assert "审计日志 · 人员 · 李操作 (E2)" in html
    assert f"#{person.pk}" not in html


def test_a_list_of_choices_shows_each_items_label(db):
    from headwater.health.models import CheckIn

    entry = LogEntry(changes={"symptoms": [["cough"], ["fever", "cough"]]})
    entry.content_type = ContentType.objects.get_for_model(CheckIn)
    audit_display.describe([entry], organization=None)

    assert entry.rows == [("症状", "咳嗽", "发热、咳嗽")]
