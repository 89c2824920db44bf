"""Risk areas: the office adds, edits, ends and deletes them on the page or imports them from a
spreadsheet (all or nothing, every bad row named, idempotent); every change is audited and
recomputes the codes, so a traveller back from a new high-risk area turns yellow. Unit heads
are refused and an outsider sees none of ours."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from headwater.core.errors import NotAllowed
from headwater.core.importer import RowError, Tally
from headwater.core.tests.factories import make_user
from headwater.health import services
from headwater.health.models import HealthCode, RiskArea

SH = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 2, 10)
PAGE = reverse("health:risk_areas")
IMPORT = reverse("health:risk_areas_import")
HEADER = ["地区", "风险等级", "起始日期", "截止日期"]
GOOD_ROWS = [
    ["湖北省武汉市", "高", dt.datetime(2026, 1, 23), None],
    ["浙江省温州市", "中风险", "2026/2/1", "2026-02-20"],
    ["北京市朝阳区", "low", "2026年2月3日", ""],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def office(client, office_user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(office_user)
    return client


@pytest.fixture
def on_day(time_machine):
    time_machine.move_to(dt.datetime.combine(DAY, dt.time(8), SH))


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def areas(org) -> list[tuple]:
    return list(
        RiskArea.objects.filter(organization=org)
        .order_by("name")
        .values_list("name", "level", "valid_from", "valid_to")
    )


GOOD_AREAS = [
    ("北京市朝阳区", "low", dt.date(2026, 2, 3), None),
    ("浙江省温州市", "medium", dt.date(2026, 2, 1), dt.date(2026, 2, 20)),
    ("湖北省武汉市", "high", dt.date(2026, 1, 23), None),
]


# --- Import --------------------------------------------------------------------------------


def test_good_file_imports_every_area(org, office_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.import_risk_areas(org, xlsx(GOOD_ROWS), "areas.xlsx", by=office_user)

    assert report.ok
    assert (report.total, report.tally) == (3, Tally(created=3))
    assert areas(org) == GOOD_AREAS
    assert len(callbacks) == 1  # every code is recomputed once, after the commit
    entry = LogEntry.objects.get_for_model(RiskArea).first()
    assert entry.actor == office_user


def test_english_headers_and_a_csv_file_import_too(org, office_user):
    csv = "area,level,valid_from,valid_to\r\n湖北省武汉市,high,2026-01-23,\r\n".encode("gb18030")

    report = services.import_risk_areas(org, csv, "areas.csv", by=office_user)

    assert report.tally == Tally(created=1)
    assert areas(org) == [("湖北省武汉市", "high", dt.date(2026, 1, 23), None)]


def test_bad_rows_are_named_and_nothing_is_written(org, office_user):
    rows = [
        ["湖北省武汉市", "高", "2026-01-23", ""],
        ["", "中", "2026-01-24", ""],
        ["浙江省温州市", "极高", "2026-13-01", ""],
        ["北京市朝阳区", "低", "2026-02-10", "2026-02-01"],
        ["湖北省武汉市", "中", "2026-01-23", ""],
    ]

    report = services.import_risk_areas(org, xlsx(rows), "areas.xlsx", by=office_user)

    assert not report.ok
    assert report.tally is None
    assert report.bad_rows == [
        RowError(3, ["Missing area"]),
        RowError(
            4,
            [
                "Unknown risk level 极高 (use 高, 中 or 低)",
                "The valid from 2026-13-01 is not a date (use 2020-01-23)",
            ],
        ),
        RowError(5, ["The valid to date is before the valid from date."]),
        RowError(6, ["Duplicate area / valid from in this file (also on row 2)"]),
    ]
    assert areas(org) == []


def test_a_file_without_the_area_column_is_refused(org, office_user):
    report = services.import_risk_areas(
        org, xlsx([["高", "2026-01-23"]], header=["风险等级", "起始日期"]), "x.xlsx", by=office_user
    )

    assert report.errors == ["The file has no “地区” column."]
    assert areas(org) == []


def test_reimporting_the_same_file_changes_nothing(
    org, office_user, django_capture_on_commit_callbacks
):
    data = xlsx(GOOD_ROWS)
    services.import_risk_areas(org, data, "areas.xlsx", by=office_user)
    entries = LogEntry.objects.count()

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.import_risk_areas(org, data, "areas.xlsx", by=office_user)

    assert again.tally == Tally(unchanged=3)
    assert areas(org) == GOOD_AREAS
    assert LogEntry.objects.count() == entries
    assert callbacks == []


def test_a_changed_level_or_end_updates_the_listed_area(org, office_user):
    services.import_risk_areas(org, xlsx(GOOD_ROWS), "areas.xlsx", by=office_user)
    changed = [["湖北省武汉市", "中", "2026-01-23", "2026-03-01"], *GOOD_ROWS[1:]]

    report = services.import_risk_areas(org, xlsx(changed), "areas.xlsx", by=office_user)

    assert report.tally == Tally(updated=1, unchanged=2)
    assert areas(org)[2] == ("湖北省武汉市", "medium", dt.date(2026, 1, 23), dt.date(2026, 3, 1))


def test_import_page_shows_the_bad_rows(office, org):
    upload = SimpleUploadedFile("areas.xlsx", xlsx([["湖北省武汉市", "很高", "2026-01-23", ""]]))

    response = office.post(IMPORT, {"file": upload})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-refused"' in html
    assert "Unknown risk level 很高 (use 高, 中 or 低)" in html
    assert areas(org) == []


def test_import_page_imports_a_good_file(office, org):
    response = office.post(IMPORT, {"file": SimpleUploadedFile("a.xlsx", xlsx(GOOD_ROWS))})

    assert response.status_code == 200
    assert response.context["report"].tally == Tally(created=3)
    assert areas(org) == GOOD_AREAS


def test_template_download_has_the_import_headers(office):
    response = office.get(IMPORT, {"template": "xlsx"})

    assert response.status_code == 200
    # Named in the user's language (English here).
    assert (
        response["Content-Disposition"] == 'attachment; filename="Risk areas import template.xlsx"'
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == HEADER
    assert ws.max_row == 1
    assert office.get(IMPORT, {"template": "pdf"}).status_code == 400


# --- The page ------------------------------------------------------------------------------


def test_a_new_high_risk_area_turns_a_recent_travellers_code_red(
    office, org, people, on_day, django_capture_on_commit_callbacks
):
    operator = people["operator"]
    user = make_user("li", person=operator)
    back = DAY - dt.timedelta(days=3)
    services.submit_checkin(
        operator,
        {
            "temperature": "36.5",
            "left_city": True,
            "travel_to": "湖北省武汉市",
            "returned_on": back.isoformat(),
        },
        by=user,
    )
    assert HealthCode.objects.get(person=operator, is_current=True).colour == "green"

    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            PAGE,
            {
                "action": "save",
                "name": "湖北省武汉市",
                "level": "high",
                "valid_from": "2026-01-23",
                "valid_to": "",
            },
        )

    assert response.status_code == 302
    code = HealthCode.objects.get(person=operator, is_current=True)
    assert (code.colour, code.rule_name, code.green_on) == (
        "red",
        "14天内到过高风险地区",
        back + dt.timedelta(days=14),
    )


def test_office_edits_and_ends_an_area_and_the_trail_names_them(office, office_user, org, on_day):
    area = RiskArea.objects.create(
        organization=org, name="湖北省武汉市", level="high", valid_from=dt.date(2026, 1, 23)
    )

    edited = office.post(
        PAGE,
        {
            "action": "save",
            "pk": area.pk,
            "name": "湖北省武汉市",
            "level": "medium",
            "valid_from": "2026-01-23",
        },
    )
    ended = office.post(PAGE, {"action": "end", "pk": area.pk, "valid_to": "2026-02-10"})

    assert (edited.status_code, ended.status_code) == (302, 302)
    area.refresh_from_db()
    assert (area.level, area.valid_to) == ("medium", DAY)
    entries = LogEntry.objects.get_for_object(area).order_by("id")
    assert [(e.action, e.actor) for e in entries][1:] == [
        (LogEntry.Action.UPDATE, office_user),
        (LogEntry.Action.UPDATE, office_user),
    ]
    page = office.get(PAGE)
    assert list(page.context["current"]) == [area]  # still a risk area on its last day


def test_an_area_ended_yesterday_is_listed_as_ended(office, org, on_day):
    area = RiskArea.objects.create(
        organization=org,
        name="A",
        level="low",
        valid_from=dt.date(2026, 1, 1),
        valid_to=DAY - dt.timedelta(1),
    )

    page = office.get(PAGE)

    assert (list(page.context["current"]), list(page.context["ended"])) == ([], [area])


def test_an_area_already_listed_from_that_day_is_refused(office, org):
    RiskArea.objects.create(
        organization=org, name="湖北省武汉市", level="high", valid_from=dt.date(2026, 1, 23)
    )

    response = office.post(
        PAGE,
        {"action": "save", "name": "湖北省武汉市", "level": "medium", "valid_from": "2026-01-23"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["This area is already listed from that day."]
    }
    assert areas(org) == [("湖北省武汉市", "high", dt.date(2026, 1, 23), None)]


def test_an_end_before_the_start_is_refused(office, org):
    area = RiskArea.objects.create(
        organization=org, name="A", level="low", valid_from=dt.date(2026, 1, 23)
    )

    response = office.post(
        PAGE,
        {
            "action": "save",
            "pk": area.pk,
            "name": "A",
            "level": "low",
            "valid_from": "2026-01-23",
            "valid_to": "2026-01-01",
        },
    )

    assert response.context["form"].errors == {
        "valid_to": ["The last day is before the first day."]
    }
    area.refresh_from_db()
    assert area.valid_to is None


def test_office_deletes_an_area(office, org):
    area = RiskArea.objects.create(
        organization=org, name="A", level="low", valid_from=dt.date(2026, 1, 23)
    )

    assert office.post(PAGE, {"action": "delete", "pk": area.pk}).status_code == 302
    assert areas(org) == []


def test_risk_areas_are_refused_to_a_unit_head_and_nothing_changes(client, org, unit_head_user):
    area = RiskArea.objects.create(
        organization=org, name="A", level="low", valid_from=dt.date(2026, 1, 23)
    )
    client.force_login(unit_head_user)

    assert client.get(PAGE).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert client.post(PAGE, {"action": "delete", "pk": area.pk}).status_code == 403
    upload = SimpleUploadedFile("a.xlsx", xlsx(GOOD_ROWS))
    assert client.post(IMPORT, {"file": upload}).status_code == 403
    assert areas(org) == [("A", "low", dt.date(2026, 1, 23), None)]
    with pytest.raises(NotAllowed):
        services.import_risk_areas(org, xlsx(GOOD_ROWS), "a.xlsx", by=unit_head_user)
    assert areas(org) == [("A", "low", dt.date(2026, 1, 23), None)]


def test_an_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(client, org):
    area = RiskArea.objects.create(
        organization=org, name="A", level="low", valid_from=dt.date(2026, 1, 23)
    )

    page = client.get(PAGE)
    deleted = client.post(PAGE, {"action": "delete", "pk": area.pk})

    assert (page.status_code, page["Location"]) == (302, f"{reverse('login')}?next={PAGE}")
    assert deleted.status_code == 302
    assert areas(org) == [("A", "low", dt.date(2026, 1, 23), None)]


def test_an_outsider_sees_and_changes_none_of_our_areas(client, org, outsider):
    area = RiskArea.objects.create(
        organization=org, name="湖北省武汉市", level="high", valid_from=dt.date(2026, 1, 23)
    )
    client.force_login(outsider)

    page = client.get(PAGE)
    assert page.status_code == 200
    assert list(page.context["current"]) == []
    assert "湖北省武汉市" not in page.content.decode().split('data-testid="current-areas"')[1]
    assert client.get(PAGE, {"edit": area.pk}).status_code == 404
    assert (
        client.post(PAGE, {"action": "end", "pk": area.pk, "valid_to": "2026-01-30"}).status_code
        == 404
    )
    assert client.post(PAGE, {"action": "delete", "pk": area.pk}).status_code == 404
    assert (
        client.post(
            PAGE,
            {
                "action": "save",
                "pk": area.pk,
                "name": "X",
                "level": "low",
                "valid_from": "2026-01-23",
            },
        ).status_code
        == 404
    )
    assert areas(org) == [("湖北省武汉市", "high", dt.date(2026, 1, 23), None)]
    with pytest.raises(NotAllowed):
        services.save_risk_area(
            org, by=outsider, area=None, name="X", level="low", valid_from=dt.date(2026, 1, 23)
        )
