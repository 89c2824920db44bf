"""The gate ledger (台账) of a post and a day: exactly the day's passages and vehicle entries
of that gate, oldest first, with the counts at the top; phones masked, names in full; the
whole day in Excel and PDF; 200 lines to a page in few queries; seen by the office, the head
of the gate's unit and the gate's own team only."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from headwater.access.choices import Decision, Direction, RefusalReason
from headwater.access.tests.factories_gates import (
    local,
    make_passage,
    make_vehicle,
    make_visit,
)
from headwater.access.tests.fixtures_gates import *  # noqa: F403 (the gates fixtures)
from headwater.core.privacy import mask_phone

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 10)


@pytest.fixture
def day_rows(gate, gate2, people, office_user):
    """On DAY at the plant 1 gate: three people in, one out, a fever and a red code refused,
    a visitor; a vehicle in and one refused. Other gates and days hold rows that must not
    show."""
    op, head = people["operator"], people["head"]
    rows = [
        make_passage(gate, local(DAY, 7, 5), person=op, guard=office_user),
        make_passage(gate, local(DAY, 7, 6), person=head, temperature="36.2"),
        make_passage(
            gate,
            local(DAY, 7, 30),
            person=people["other_plant"],
            temperature="37.8",
            decision=Decision.REFUSE,
            reason=RefusalReason.FEVER,
        ),
        make_passage(
            gate,
            local(DAY, 8, 0),
            person=people["clerk"],
            decision=Decision.REFUSE,
            reason=RefusalReason.RED_CODE,
        ),
        make_passage(gate, local(DAY, 9, 15), visit=make_visit(gate)),
        make_passage(gate, local(DAY, 17, 30), person=op, direction=Direction.OUT),
        make_passage(gate, local(DAY, 23, 59, 59), person=head),
    ]
    make_passage(gate, local(DAY - dt.timedelta(days=1), 23, 59), person=op)
    make_passage(gate, local(DAY + dt.timedelta(days=1), 0, 0), person=op)
    make_passage(gate2, local(DAY, 10, 0), person=op)
    make_vehicle(
        gate,
        local(DAY, 6, 40),
        "浙A12345",
        driver_name="陈司机",
        cargo="药剂",
        disinfected=True,
        driver_phone="13811112222",
    )
    make_vehicle(
        gate,
        local(DAY, 11, 0),
        "浙B55555",
        decision=Decision.REFUSE,
        reason=RefusalReason.SITE_CLOSED,
    )
    make_vehicle(gate2, local(DAY, 11, 0), "浙C00000")
    return rows


def ledger_url(gate, name="access:gate_ledger"):
    return reverse(name, args=[gate.pk]) + f"?day={DAY.isoformat()}"


def test_the_ledger_shows_exactly_the_days_rows_of_the_gate_and_its_counts(
    client, office_user, gate, day_rows
):
    client.force_login(office_user)
    response = client.get(ledger_url(gate))
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [(r["n"], r["time"], r["name"], r["direction"], r["decision"]) for r in lines] == [
        (1, "07:05:00", "李操作", "in", "allow"),
        (2, "07:06:00", "王厂长", "in", "allow"),
        (3, "07:30:00", "赵二厂", "in", "refuse"),
        (4, "08:00:00", "钱文员", "in", "refuse"),
        (5, "09:15:00", "孙访客", "in", "allow"),
        (6, "17:30:00", "李操作", "out", "allow"),
        (7, "23:59:59", "王厂长", "in", "allow"),
    ]
    first, fever, visitor = lines[0], lines[2], lines[4]
    assert (first["phone"], first["unit"], first["temperature"], first["guard"]) == (
        "139****5678",
        "运行甲班",
        "36.5",
        "钱文员",
    )
    assert (fever["temperature"], fever["remark"]) == ("37.8", "发热")
    assert (visitor["unit"], visitor["phone"], visitor["visitor"]) == (
        "金溪建设公司",
        "138****1111",
        True,
    )
    counts = response.context["counts"]
    assert (counts.people_in, counts.people_out, counts.refused, counts.total) == (4, 1, 2, 7)
    assert [(code, n) for code, _label, n in counts.refused_by_reason] == [
        ("fever", 1),
        ("red_code", 1),
    ]
    assert (counts.vehicles, counts.vehicles_in, counts.vehicles_refused) == (2, 1, 1)
    vehicles = response.context["vehicles"]
    assert [(v["plate"], v["driver"], v["cargo"], v["disinfected"]) for v in vehicles] == [
        ("浙A12345", "陈司机", "药剂", True),
        ("浙B55555", "", "", False),
    ]
    assert response.context["on_duty"] == ["钱文员"]
    page = response.content.decode()
    assert "13912345678" not in page and "139****5678" in page


def test_the_excel_holds_the_whole_day_in_two_sheets(client, office_user, gate, day_rows):
    client.force_login(office_user)
    response = client.get(ledger_url(gate, "access:gate_ledger_xlsx"))
    assert response.status_code == 200
    assert "gate-ledger-2026-02-10.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    people, cars = (list(ws.iter_rows(values_only=True)) for ws in book.worksheets)
    assert people[0][:3] == ("序号", "时间", "姓名")
    assert [r[2] for r in people[1:]] == [
        "李操作",
        "王厂长",
        "赵二厂",
        "钱文员",
        "孙访客",
        "李操作",
        "王厂长",
    ]
    assert people[3][7:9] == ("已拒绝", "发热")
    assert [r[2] for r in cars[1:]] == ["浙A12345", "浙B55555"]
    assert cars[1][4] == "138****2222"


def test_the_pdf_is_a_printed_ledger(client, office_user, gate, day_rows):
    client.force_login(office_user)
    response = client.get(ledger_url(gate, "access:gate_ledger_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_page_shows_200_lines_at_a_time_in_few_queries(
    client, office_user, gate, people, django_assert_max_num_queries
):
    for i in range(450):
        make_passage(gate, local(DAY, 6) + dt.timedelta(seconds=20 * i), person=people["operator"])
    client.force_login(office_user)
    with django_assert_max_num_queries(16):
        response = client.get(ledger_url(gate) + "&page=3")
    lines = response.context["lines"]
    assert (len(lines), lines[0]["n"], lines[-1]["n"], response.context["pages"]) == (
        50,
        401,
        450,
        3,
    )


def test_a_unit_head_of_another_subtree_gets_404(client, sibling_head, gate, day_rows):
    client.force_login(sibling_head)
    for name in ("access:gate_ledger", "access:gate_ledger_xlsx", "access:gate_ledger_pdf"):
        assert client.get(ledger_url(gate, name)).status_code == 404
    assert client.get(f"/api/v1/access/gates/{gate.pk}/ledger?day=2026-02-10").status_code == 404


def test_the_unit_head_of_the_gates_site_sees_its_ledger(client, unit_head_user, gate, day_rows):
    client.force_login(unit_head_user)
    assert client.get(ledger_url(gate)).status_code == 200


def test_a_team_member_sees_their_gates_ledger_only(client, guard_user, gate, gate2, day_rows):
    client.force_login(guard_user)
    response = client.get(ledger_url(gate2))
    assert response.status_code == 200
    assert [r["name"] for r in response.context["lines"]] == ["李操作"]
    assert client.get(ledger_url(gate)).status_code == 404


def test_an_outsider_and_a_member_of_staff_get_404(client, outsider, staff_user, gate, day_rows):
    for user in (outsider, staff_user):
        client.force_login(user)
        assert client.get(ledger_url(gate)).status_code == 404


def test_a_bad_day_shows_today(client, office_user, gate):
    client.force_login(office_user)
    with time_machine.travel(local(DAY, 12), tick=False):
        response = client.get(reverse("access:gate_ledger", args=[gate.pk]) + "?day=2026-13-01")
    assert response.context["day"] == DAY


def test_the_api_ledger_is_paginated_and_the_summary_counts(
    client, office_user, gate, day_rows, people
):
    client.force_login(office_user)
    base = f"/api/v1/access/gates/{gate.pk}/ledger"
    page = client.get(base, {"day": "2026-02-10"}).json()
    assert page["count"] == 7
    assert [(r["n"], r["name"], r["phone"]) for r in page["items"][:2]] == [
        (1, "李操作", "139****5678"),
        (2, "王厂长", mask_phone(people["head"].phone)),
    ]
    summary = client.get(f"{base}/summary", {"day": "2026-02-10"}).json()
    assert {k: summary[k] for k in ("people_in", "people_out", "refused", "vehicles")} == {
        "people_in": 4,
        "people_out": 1,
        "refused": 2,
        "vehicles": 2,
    }
    assert [(r["reason"], r["count"]) for r in summary["refused_by_reason"]] == [
        ("fever", 1),
        ("red_code", 1),
    ]
    vehicles = client.get(f"{base}/vehicles", {"day": "2026-02-10"}).json()
    assert [v["plate"] for v in vehicles["items"]] == ["浙A12345", "浙B55555"]
    xlsx = client.get(f"{base}/xlsx", {"day": "2026-02-10"})
    pdf = client.get(f"{base}/pdf", {"day": "2026-02-10"})
    assert (xlsx.status_code, pdf.status_code) == (200, 200)
    assert pdf.content.startswith(b"%PDF")
