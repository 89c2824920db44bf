"""The receipts page: counts by unit (least done first), the people not done, the export;
a unit head sees their units only; staff and other organizations see nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from headwater.notices import services
from headwater.notices.models import Receipt

pytestmark = pytest.mark.django_db


def done(notice, user):
    services.confirm(Receipt.objects.get(notice=notice, person_id=user.person_id), by=user)


def test_receipts_by_unit_worst_first_and_who_is_not_done(
    publish, office_user, staff_user, english
):
    notice = publish()
    done(notice, staff_user)
    english.force_login(office_user)
    response = english.get(reverse("notices:receipts", args=[notice.pk]))
    assert response.status_code == 200
    units = response.context["units"]
    assert [(u["name"], u["total"], u["done"]) for u in units] == [
        ("金溪水务集团", 1, 0),
        ("第一水厂", 1, 0),
        ("第二水厂", 1, 0),
        ("运行甲班", 1, 1),
    ]
    assert response.context["totals"] == {"total": 4, "read": 1, "done": 1, "not_read": 3}
    pending = [r.person.name for r in response.context["object_list"]]
    assert sorted(pending) == sorted(["钱文员", "王厂长", "赵二厂"])


def test_a_unit_head_sees_only_their_units(publish, unit_head_user, english):
    notice = publish()
    english.force_login(unit_head_user)
    response = english.get(reverse("notices:receipts", args=[notice.pk]))
    assert response.context["totals"]["total"] == 2
    assert {u["name"] for u in response.context["units"]} == {"第一水厂", "运行甲班"}
    html = response.content.decode()
    assert "赵二厂" not in html


def test_a_unit_head_does_not_see_a_notice_that_reaches_none_of_their_people(
    publish, unit_head_user, tree, client
):
    notice = publish(units=[tree["plant2"]])
    client.force_login(unit_head_user)
    assert client.get(reverse("notices:receipts", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:remind", args=[notice.pk])).status_code == 404
    assert notice.pk not in [
        n.pk for n in client.get(reverse("notices:list")).context["object_list"]
    ]


def test_staff_and_outsiders_see_no_receipts(publish, staff_user, outsider, client):
    notice = publish()
    client.force_login(staff_user)
    assert client.get(reverse("notices:receipts", args=[notice.pk])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("notices:receipts", args=[notice.pk])).status_code == 404


def test_the_export_has_every_receipt_within_reach(publish, office_user, staff_user, english):
    notice = publish(
        requirement="quiz", question="Q", options=["错", "对"], answer=1, kind="training"
    )
    done_receipt = Receipt.objects.get(notice=notice, person_id=staff_user.person_id)
    services.confirm(done_receipt, by=staff_user, answer=1)
    english.force_login(office_user)
    response = english.get(reverse("notices:receipts", args=[notice.pk]) + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Unit",
        "Employee number",
        "Name",
        "Read at",
        "Acknowledged at",
        "Answer",
        "Correct",
        "Attempts",
    )
    assert len(rows) == 5
    operator = next(r for r in rows if r[2] == "李操作")
    assert operator[5:] == ("对", "Yes", 1)


def test_the_publish_page_publishes_to_the_chosen_units(office_user, tree, english):
    english.force_login(office_user)
    response = english.post(
        reverse("notices:publish"),
        {
            "kind": "handbook",
            "title": "防护手册",
            "body": "第一章",
            "unit_ids": [tree["plant1"].pk],
            "requirement": "acknowledge",
            "statement": "",
            "key": "page-1",
        },
    )
    assert response.status_code == 302
    receipts = Receipt.objects.select_related("notice")
    assert receipts.count() == 2
    assert receipts.first().notice.statement == "I have read this and will comply."


def test_the_publish_page_refuses_a_unit_head_outside_their_units(unit_head_user, tree, english):
    english.force_login(unit_head_user)
    response = english.post(
        reverse("notices:publish"),
        {"kind": "rules", "title": "T", "body": "B", "unit_ids": [tree["plant2"].pk]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Receipt.objects.count() == 0
