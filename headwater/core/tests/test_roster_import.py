"""Roster import: all or nothing, every bad row named, audited, idempotent, office only.

Messages are checked in English (the msgids) so that the tests do not depend on the
translation catalogue; pages and the API are asked for English with Accept-Language.
"""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from headwater.core import roster
from headwater.core.errors import NotAllowed
from headwater.core.importer import RowError, Tally
from headwater.core.models import Person
from headwater.core.tests.factories import valid_id_number

HEADER = ["工号", "姓名", "单位编码", "岗位", "手机", "身份证号", "在岗状态", "关键岗位"]
ID_1, ID_2, ID_3 = valid_id_number(101), valid_id_number(102), valid_id_number(103)
GOOD_ROWS = [
    ["N1", "张三", "P1A", "运行工", "13800000001", ID_1, "在岗", "是"],
    ["N2", "李四", "P2", "化验员", "13800000002", ID_2, "休假", "否"],
    ["N3", "王五", "HQ", "", "", "", "", ""],
]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages in English: pages follow the language cookie, services the active language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding: str, header=HEADER) -> bytes:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(data: bytes, name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_good_xlsx_creates_every_person(org, tree, office_user):
    before = Person.objects.filter(organization=org).count()

    report = roster.import_roster(org, io.BytesIO(xlsx(GOOD_ROWS)), "r.xlsx", by=office_user)

    assert report.ok
    assert (report.total, report.tally) == (3, Tally(created=3, updated=0, unchanged=0))
    assert Person.objects.filter(organization=org).count() == before + 3
    n1 = Person.objects.get(organization=org, employee_no="N1")
    assert (n1.name, n1.unit, n1.position, n1.phone, n1.id_number) == (
        "张三",
        tree["shift_a"],
        "运行工",
        "13800000001",
        ID_1,
    )
    assert (n1.employment_status, n1.is_critical) == ("active", True)
    n2 = Person.objects.get(organization=org, employee_no="N2")
    assert (n2.unit, n2.employment_status, n2.is_critical) == (tree["plant2"], "on_leave", False)
    n3 = Person.objects.get(organization=org, employee_no="N3")
    assert (n3.position, n3.phone, n3.id_number, n3.employment_status) == ("", "", "", "active")


def test_each_created_person_is_audited_by_the_importer(org, tree, office_user):
    roster.import_roster(org, xlsx(GOOD_ROWS), "r.xlsx", by=office_user)

    new_pks = Person.objects.filter(employee_no__in=["N1", "N2", "N3"]).values_list("pk")
    created = LogEntry.objects.filter(
        content_type__model="person", object_id__in=new_pks, action=LogEntry.Action.CREATE
    )
    assert created.count() == 3
    assert {e.actor for e in created} == {office_user}
    summary = LogEntry.objects.get_for_object(org).get(action=LogEntry.Action.UPDATE)
    assert summary.actor == office_user
    assert summary.changes["roster_import"] == [None, "3 created, 0 updated, 0 unchanged"]


def test_file_with_bad_rows_is_refused_naming_every_row_and_writes_nothing(
    org, tree, people, office_user
):
    rows = [
        GOOD_ROWS[0],  # row 2: good
        ["N4", "", "P1", "", "", "", "", ""],  # row 3
        ["N5", "赵六", "NOPE", "", "", "", "", ""],  # row 4
        ["N6", "孙七", "P1", "", "", "330784199001011230", "", ""],  # row 5
        ["N7", "周八", "P1", "", "12345", "", "", ""],  # row 6
        ["N1", "吴九", "P2", "", "", "", "", ""],  # row 7
        ["N8", "", "NOPE", "", "999", "", "退休", "也许"],  # row 8
    ]
    people_before = list(Person.objects.order_by("pk").values())
    log_before = LogEntry.objects.count()

    report = roster.import_roster(org, xlsx(rows), "r.xlsx", by=office_user)

    assert not report.ok
    assert report.total == 7
    assert report.tally is None
    assert report.bad_rows == [
        RowError(3, ["Missing name"]),
        RowError(4, ["Unknown unit NOPE"]),
        RowError(5, ["ID number is malformed: 330784199001011230"]),
        RowError(6, ["Phone number is malformed: 12345"]),
        RowError(7, ["Duplicate employee number in this file (also on row 2)"]),
        RowError(
            8,
            [
                "Missing name",
                "Unknown unit NOPE",
                "Phone number is malformed: 999",
                "Unknown employment status 退休",
                "Critical role must be yes or no (是/否), not 也许",
            ],
        ),
    ]
    assert list(Person.objects.order_by("pk").values()) == people_before
    assert LogEntry.objects.count() == log_before


def test_refused_upload_page_lists_every_bad_row_and_says_nothing_was_written(
    client, org, tree, office_user
):
    client.force_login(office_user)
    rows = [GOOD_ROWS[0], ["N4", "", "P1", "", "", "", "", ""], ["N5", "赵六", "NOPE"]]
    before = Person.objects.count()

    response = client.post(reverse("core:roster_import"), {"file": upload(xlsx(rows))}, **EN)

    assert response.status_code == 200
    report = response.context["report"]
    assert [(r.row, r.errors) for r in report.bad_rows] == [
        (3, ["Missing name"]),
        (4, ["Unknown unit NOPE"]),
    ]
    page = response.content.decode()
    assert "Nothing was written." in page
    assert "Nothing was imported: 2 rows have errors." in page
    assert "Unknown unit NOPE" in page
    assert Person.objects.count() == before


def test_successful_upload_page_shows_the_summary(client, org, tree, people, office_user):
    client.force_login(office_user)
    rows = [*GOOD_ROWS, ["E1", "王厂长", "P1", "厂长", "", "", "", ""]]

    response = client.post(reverse("core:roster_import"), {"file": upload(xlsx(rows))}, **EN)

    assert response.status_code == 200
    assert response.context["report"].tally == Tally(created=3, updated=1, unchanged=0)
    assert "3 created, 1 updated, 0 unchanged." in response.content.decode()


def test_reimporting_the_same_file_changes_nothing(org, tree, people, office_user):
    data = xlsx(
        [
            *GOOD_ROWS,
            ["E2", "李操作", "P1A", "操作工", "13912345678", "330784199001011231", "在岗", "否"],
        ]
    )
    first = roster.import_roster(org, data, "r.xlsx", by=office_user)
    assert first.tally == Tally(created=3, updated=0, unchanged=1)
    people_before = list(Person.objects.order_by("pk").values())
    log_before = LogEntry.objects.count()

    with CaptureQueriesContext(connection) as queries:
        again = roster.import_roster(org, data, "r.xlsx", by=office_user)

    assert again.tally == Tally(created=0, updated=0, unchanged=4)
    assert list(Person.objects.order_by("pk").values()) == people_before
    assert LogEntry.objects.count() == log_before
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE")]
    assert writes == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_is_imported_in_utf8_with_bom_and_in_gb18030(org, tree, office_user, encoding):
    data = csv_bytes(GOOD_ROWS, encoding)

    report = roster.import_roster(org, data, "花名册.csv", by=office_user)

    assert report.tally == Tally(created=3, updated=0, unchanged=0)
    names = set(
        Person.objects.filter(employee_no__in=["N1", "N2", "N3"]).values_list("name", flat=True)
    )
    assert names == {"张三", "李四", "王五"}


def test_english_headers_codes_and_extra_columns_are_accepted(org, tree, office_user):
    header = ["Employee No", "Name", "unit_code", "Remarks", "status", "critical"]
    rows = [
        ["N1", "张三", "P1", "ignored", "on_leave", "yes"],
        ["N2", "李四", "P2", "", "Seconded", "0"],
    ]

    report = roster.import_roster(org, xlsx(rows, header), "r.xlsx", by=office_user)

    assert report.tally == Tally(created=2, updated=0, unchanged=0)
    got = dict(
        Person.objects.filter(employee_no__in=["N1", "N2"]).values_list(
            "employee_no", "employment_status"
        )
    )
    assert got == {"N1": "on_leave", "N2": "seconded"}
    assert Person.objects.get(employee_no="N1").is_critical is True


def test_bad_rows_are_numbered_as_excel_shows_them_despite_blank_rows(org, tree, office_user):
    rows = [GOOD_ROWS[0], [], [None, "  "], ["N9", "", "P1"]]

    report = roster.import_roster(org, xlsx(rows), "r.xlsx", by=office_user)

    assert report.total == 2
    assert report.bad_rows == [RowError(5, ["Missing name"])]


def test_updating_a_person_is_audited_field_by_field(org, tree, people, office_user):
    operator = people["operator"]
    row = ["E2", "李操作", "P2", "值班长", "13912345678", "330784199001011231", "在岗", "是"]

    report = roster.import_roster(org, xlsx([row]), "r.xlsx", by=office_user)

    assert report.tally == Tally(created=0, updated=1, unchanged=0)
    operator.refresh_from_db()
    assert (operator.unit, operator.position, operator.is_critical) == (
        tree["plant2"],
        "值班长",
        True,
    )
    entry = LogEntry.objects.get_for_object(operator).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == office_user
    assert set(entry.changes) == {"unit", "position", "is_critical"}
    assert entry.changes["position"] == ["操作工", "值班长"]


def test_leaving_sets_the_left_on_date(org, tree, people, office_user):
    row = ["E2", "李操作", "P1A", "操作工", "13912345678", "330784199001011231", "离职", "否"]

    roster.import_roster(org, xlsx([row]), "r.xlsx", by=office_user)

    operator = Person.objects.get(pk=people["operator"].pk)
    assert operator.employment_status == "left"
    assert operator.left_on is not None


def test_a_masked_export_imports_back_unchanged(org, tree, people, office_user):
    exported = roster.export_roster(
        Person.objects.visible_to(office_user), "xlsx", unmasked=False, by=office_user
    )
    log_before = LogEntry.objects.count()

    report = roster.import_roster(org, exported, "export.xlsx", by=office_user)

    assert report.tally == Tally(created=0, updated=0, unchanged=4)
    assert Person.objects.get(pk=people["operator"].pk).phone == "13912345678"
    assert LogEntry.objects.count() == log_before


def test_a_masked_number_for_a_new_person_is_refused(org, tree, office_user):
    row = ["N1", "张三", "P1", "", "138****0001", "", "", ""]

    report = roster.import_roster(org, xlsx([row]), "r.xlsx", by=office_user)

    assert report.bad_rows == [RowError(2, ["The phone is masked; enter it in full."])]
    assert not Person.objects.filter(employee_no="N1").exists()


def test_missing_required_columns_refuse_the_whole_file(org, tree, office_user):
    report = roster.import_roster(
        org, xlsx([["张三", "P1"]], ["姓名", "单位编码"]), "r.xlsx", by=office_user
    )

    assert report.errors == ["The file has no “工号” column."]
    assert report.bad_rows == []
    assert not Person.objects.filter(name="张三").exists()


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"not a workbook", "r.xlsx", "The file could not be read as an Excel workbook."),
        (b"\xd0\xcf\x11\xe0", "r.xls", "Upload an Excel (.xlsx) or CSV file."),
        (b"", "r.csv", "The file is empty."),
        (
            "工号,姓名,单位编码\r\n".encode("utf-8-sig"),
            "r.csv",
            "The file has no rows below the header.",
        ),
    ],
    ids=["not-a-workbook", "old-xls", "empty", "header-only"],
)
def test_unreadable_files_are_refused_as_a_whole(org, tree, office_user, data, name, error):
    report = roster.import_roster(org, data, name, by=office_user)

    assert report.errors == [error]
    assert report.tally is None


@pytest.mark.parametrize("user", ["unit_head_user", "staff_user"])
def test_only_the_office_may_import(request, client, org, tree, user):
    user = request.getfixturevalue(user)
    client.force_login(user)
    before = Person.objects.count()
    log_before = LogEntry.objects.count()

    response = client.post(reverse("core:roster_import"), {"file": upload(xlsx(GOOD_ROWS))})
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        roster.import_roster(org, xlsx(GOOD_ROWS), "r.xlsx", by=user)

    assert Person.objects.count() == before
    assert LogEntry.objects.count() == log_before


def test_outsider_office_may_not_import_into_our_organization(org, tree, outsider):
    before = Person.objects.count()

    with pytest.raises(NotAllowed):
        roster.import_roster(org, xlsx(GOOD_ROWS), "r.xlsx", by=outsider)

    assert Person.objects.count() == before


def test_outsider_importing_our_unit_codes_gets_unknown_units(client, tree, outsider):
    client.force_login(outsider)

    response = client.post(
        reverse("core:roster_import"), {"file": upload(xlsx([GOOD_ROWS[0]]))}, **EN
    )

    assert response.context["report"].bad_rows == [RowError(2, ["Unknown unit P1A"])]
    assert not Person.objects.filter(employee_no="N1").exists()


def test_api_import_returns_the_summary(client, org, tree, office_user):
    client.force_login(office_user)

    response = client.post("/api/v1/people/import", {"file": upload(xlsx(GOOD_ROWS))}, **EN)

    assert response.status_code == 200
    assert response.json() == {"total": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert Person.objects.filter(employee_no__in=["N1", "N2", "N3"]).count() == 3


def test_api_import_refuses_bad_rows_with_422_and_every_row(client, org, tree, office_user):
    client.force_login(office_user)
    rows = [GOOD_ROWS[0], ["N4", "", "P1"], ["N1", "吴九", "NOPE"]]
    before = Person.objects.count()

    response = client.post("/api/v1/people/import", {"file": upload(xlsx(rows))}, **EN)

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "import_rejected",
            "message": "Nothing was imported: 2 rows have errors. Correct them and upload the file "
            "again.",
            "fields": {},
            "rows": [
                {"row": 3, "errors": ["Missing name"]},
                {
                    "row": 4,
                    "errors": [
                        "Unknown unit NOPE",
                        "Duplicate employee number in this file (also on row 2)",
                    ],
                },
            ],
        }
    }
    assert Person.objects.count() == before


def test_api_import_of_an_unreadable_file_names_the_file_field(client, org, tree, office_user):
    client.force_login(office_user)

    response = client.post("/api/v1/people/import", {"file": upload(b"x", "roster.pdf")}, **EN)

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"file": "Upload an Excel (.xlsx) or CSV file."}
    assert response.json()["error"]["rows"] == []


def test_api_import_is_forbidden_to_a_unit_head(client, org, tree, unit_head_user):
    client.force_login(unit_head_user)
    before = Person.objects.count()

    response = client.post("/api/v1/people/import", {"file": upload(xlsx(GOOD_ROWS))}, **EN)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Person.objects.count() == before


def test_template_download_has_the_headers_only(client, office_user):
    client.force_login(office_user)

    response = client.get(reverse("core:roster_template"), {"format": "csv"})

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig") == ",".join(HEADER) + "\r\n"


def test_import_page_offers_the_upload_form_and_template(client, office_user):
    client.force_login(office_user)

    page = client.get(reverse("core:roster_import")).content.decode()

    assert 'type="file"' in page
    assert 'accept=".xlsx,.csv' in page
    assert reverse("core:roster_template") in page
