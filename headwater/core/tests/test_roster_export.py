"""Roster export: scoped to the viewer, masked by default, full data only with the permission
and then logged; the file has the import's columns so it can be imported back."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from headwater.core import roster
from headwater.core.errors import NotAllowed
from headwater.core.models import Person, User
from headwater.core.tests.factories import PersonFactory

HEADER = ["工号", "姓名", "单位编码", "岗位", "手机", "身份证号", "在岗状态", "关键岗位"]
URL = reverse("core:roster_export")


def xlsx_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def employee_numbers(rows: list[list]) -> list[str]:
    return [r[0] for r in rows[1:]]


def test_export_is_masked_by_default(client, office_user, people):
    client.force_login(office_user)
    log_before = LogEntry.objects.count()

    response = client.get(URL, {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="roster-')
    rows = xlsx_rows(response.content)
    assert rows[0] == HEADER
    assert employee_numbers(rows) == ["E1", "E2", "E3", "E4"]
    operator = next(r for r in rows if r[0] == "E2")
    assert operator == [
        "E2",
        "李操作",
        "P1A",
        "操作工",
        "139****5678",
        "3307**********1231",
        "在岗",
        "否",
    ]
    assert LogEntry.objects.count() == log_before


def test_csv_export_is_utf8_with_bom_and_masked(client, office_user, people):
    client.force_login(office_user)

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    assert rows[0] == HEADER
    assert rows[2] == [
        "E2",
        "李操作",
        "P1A",
        "操作工",
        "139****5678",
        "3307**********1231",
        "在岗",
        "否",
    ]


def test_unit_head_export_contains_only_their_subtree(client, unit_head_user, people):
    client.force_login(unit_head_user)

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert employee_numbers(csv_rows(response.content)) == ["E1", "E2"]


def test_outsider_export_contains_none_of_ours(client, outsider, people):
    client.force_login(outsider)

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert employee_numbers(csv_rows(response.content)) == ["X1"]


def test_staff_may_not_export(client, staff_user):
    client.force_login(staff_user)

    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_unmasked_export_is_refused_without_the_permission(client, unit_head_user, org):
    client.force_login(unit_head_user)
    log_before = LogEntry.objects.count()

    response = client.get(URL, {"format": "xlsx", "unmasked": "1"})

    assert response.status_code == 403
    assert LogEntry.objects.count() == log_before
    with pytest.raises(NotAllowed):
        roster.export_roster(
            Person.objects.visible_to(unit_head_user), "csv", unmasked=True, by=unit_head_user
        )
    assert LogEntry.objects.count() == log_before


def test_unmasked_export_shows_full_data_and_is_logged(client, office_user, org, people):
    client.force_login(office_user)
    log_before = LogEntry.objects.count()

    response = client.get(URL, {"format": "xlsx", "unmasked": "1"})

    assert response.status_code == 200
    operator = next(r for r in xlsx_rows(response.content) if r[0] == "E2")
    assert operator[4:6] == ["13912345678", "330784199001011231"]
    assert LogEntry.objects.count() == log_before + 1
    entry = LogEntry.objects.get_for_object(org).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == office_user
    assert entry.changes == {
        "revealed": [None, "phone,id_number"],
        "roster_export": [None, "4 people, xlsx"],
    }


def test_unknown_format_is_a_bad_request(client, office_user):
    client.force_login(office_user)

    assert client.get(URL, {"format": "pdf"}).status_code == 400


def test_export_queries_do_not_grow_with_the_number_of_people(office_user, tree, people):
    def count_queries() -> int:
        user = User.objects.get(pk=office_user.pk)  # fresh, as on a new request
        with CaptureQueriesContext(connection) as queries:
            roster.export_roster(Person.objects.visible_to(user), "xlsx", unmasked=False, by=user)
        return len(queries)

    few = count_queries()
    PersonFactory.create_batch(30, unit=tree["plant2"])
    assert count_queries() == few


def test_formula_like_text_is_exported_as_text(office_user, tree):
    PersonFactory(unit=tree["plant1"], employee_no="Z1", name='=HYPERLINK("http://x")')

    data = roster.export_roster(
        Person.objects.filter(employee_no="Z1"), "xlsx", unmasked=False, by=office_user
    )

    ws = load_workbook(io.BytesIO(data)).active
    assert ws["B2"].data_type == "s"
    assert ws["B2"].value == '=HYPERLINK("http://x")'


def test_api_export_is_scoped_and_masked(client, unit_head_user, people):
    client.force_login(unit_head_user)

    response = client.get("/api/v1/people/export", {"format": "csv"})

    assert response.status_code == 200
    rows = csv_rows(response.content)
    assert employee_numbers(rows) == ["E1", "E2"]
    assert rows[2][4] == "139****5678"


def test_api_unmasked_export_is_forbidden_without_the_permission(client, unit_head_user):
    client.force_login(unit_head_user)
    log_before = LogEntry.objects.count()

    response = client.get("/api/v1/people/export", {"format": "csv", "unmasked": "true"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert LogEntry.objects.count() == log_before


def test_api_export_rejects_an_unknown_format(client, office_user):
    client.force_login(office_user)

    response = client.get("/api/v1/people/export", {"format": "pdf"})

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["format"]
