"""The dining pages as office, unit head, member of staff and another organization: the
canteens and a canteen's slots and week grid with its forms, the slot edit page, meal orders
with totals and the kitchen's Excel, the live fill and its htmx part."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from headwater.access.models import DiningGroup, MealOrder, MealSlot
from headwater.access.tests.factories_dining import (
    DiningGroupFactory,
    make_canteen,
    make_door,
    make_passage,
    make_slots,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_0930():
    with time_machine.travel(dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def canteen(org):
    return make_canteen(org)


def test_the_office_makes_slots_and_places_units_on_the_canteen_page(
    client, office_user, canteen, tree
):
    client.force_login(office_user)
    url = f"/access/dining/canteens/{canteen.pk}/"
    client.post(
        url,
        {"action": "generate", "first": "11:10", "minutes": "15", "count": "3", "capacity": "1"},
    )
    response = client.post(
        url,
        {
            "action": "spread",
            "unit_ids": [tree["plant1"].pk, tree["plant2"].pk],
            "starts_on": "2026-03-02",
            "rotates": "1",
        },
        follow=True,
    )

    assert MealSlot.objects.filter(canteen=canteen).count() == 3
    assert dict(DiningGroup.objects.values_list("unit__code", "position")) == {"P1": 0, "P2": 1}
    text = response.content.decode()
    assert "2026-03-02 11:10–11:25：2 人就餐，只有 1 个座位。" in text
    assert text.count('data-testid="grid-day"') == 7
    assert 'data-testid="over-capacity"' in text


def test_an_unticked_box_places_a_unit_that_does_not_rotate(client, office_user, canteen, tree):
    make_slots(canteen)
    client.force_login(office_user)
    client.post(
        f"/access/dining/canteens/{canteen.pk}/",
        {
            "action": "group",
            "unit_id": tree["plant2"].pk,
            "position": "2",
            "starts_on": "2026-03-02",
        },
    )

    assert DiningGroup.objects.values_list("position", "rotates").get() == (2, False)


def test_an_overlap_on_the_page_is_shown_and_nothing_changes(client, office_user, canteen):
    make_slots(canteen)
    client.force_login(office_user)
    response = client.post(
        f"/access/dining/canteens/{canteen.pk}/",
        {"action": "slot", "starts": "11:20", "minutes": "10", "capacity": "5"},
        follow=True,
    )

    assert "11:20–11:30 与本食堂的时段 第1批 重叠。" in response.content.decode()
    assert MealSlot.objects.count() == 3


def test_the_slot_edit_page_saves_and_shows_field_errors(client, office_user, canteen):
    slot = make_slots(canteen, count=1)[0]
    client.force_login(office_user)
    url = f"/access/dining/slots/{slot.pk}/edit/"
    bad = client.post(
        url, {"name": "午餐", "starts": "xx", "minutes": "15", "capacity": "10", "position": "0"}
    )
    assert "请输入时间，例如 11:10。" in bad.content.decode()
    good = client.post(
        url, {"name": "午餐", "starts": "11:00", "minutes": "20", "capacity": "10", "position": "0"}
    )
    assert good.status_code == 302
    slot.refresh_from_db()
    assert (slot.name, slot.starts, slot.capacity) == ("午餐", dt.time(11, 0), 10)


def test_a_unit_head_orders_and_the_kitchen_gets_the_totals_in_excel(
    client, unit_head_user, office_user, canteen, tree
):
    client.force_login(unit_head_user)
    page = client.get("/access/dining/orders/")
    assert page.context["day"] == dt.date(2026, 3, 3)
    assert [u.code for u in page.context["units"]] == ["P1", "P1A"]
    for unit, count in ((tree["plant1"], 10), (tree["shift_a"], 6), (tree["plant1"], 12)):
        client.post(
            "/access/dining/orders/?day=2026-03-03",
            {
                "canteen_id": canteen.pk,
                "unit_id": unit.pk,
                "kind": "box",
                "count": count,
                "key": f"{unit.pk}-{count}",
            },
        )
    assert sorted(MealOrder.objects.values_list("unit__code", "count")) == [("P1", 12), ("P1A", 6)]

    client.force_login(office_user)
    sheet = client.get("/access/dining/orders/", {"day": "2026-03-03", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    assert rows[0] == ("食堂", "单位", "类型", "份数", "备注")
    assert rows[1:3] == [
        ("职工食堂", "第一水厂", "盒饭", 12, None),
        ("职工食堂", "运行甲班", "盒饭", 6, None),
    ]
    assert rows[-1] == ("职工食堂", "合计", "盒饭", 18, None)


def test_a_unit_head_ordering_for_another_unit_on_the_page_is_refused(
    client, unit_head_user, canteen, tree
):
    client.force_login(unit_head_user)
    response = client.post(
        "/access/dining/orders/",
        {"canteen_id": canteen.pk, "unit_id": tree["plant2"].pk, "kind": "box", "count": 3},
    )

    assert response.status_code == 403
    assert MealOrder.objects.count() == 0


def test_the_live_fill_page_and_its_part(client, office_user, canteen, people):
    make_slots(canteen)
    make_passage(make_door(canteen), dt.datetime(2026, 3, 2, 11, 12), person=people["head"])
    client.force_login(office_user)
    with time_machine.travel(dt.datetime(2026, 3, 2, 3, 20, tzinfo=dt.UTC), tick=False):
        page = client.get("/access/dining/live/")
        part = client.get("/access/dining/live/", HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 20s"' in page.content.decode()
    assert b"<html" not in part.content
    assert part.content.decode().count('data-state="now"') == 1
    assert '<span data-testid="slot-people">1</span>' in part.content.decode()


def test_staff_and_outsiders_get_no_dining_page(client, staff_user, outsider, canteen):
    slot = make_slots(canteen, count=1)[0]
    group = DiningGroupFactory(canteen=canteen, unit=staff_user.person.unit)
    client.force_login(staff_user)
    assert client.get("/access/dining/").status_code == 403
    assert client.get(f"/access/dining/canteens/{canteen.pk}/").status_code == 403
    assert client.get("/access/dining/orders/").status_code == 403
    assert client.post(f"/access/dining/slots/{slot.pk}/delete/").status_code == 403
    assert client.post(f"/access/dining/groups/{group.pk}/delete/").status_code == 403
    assert 'data-testid="no-canteen"' in client.get("/access/dining/live/").content.decode()

    client.force_login(outsider)
    assert client.get(f"/access/dining/canteens/{canteen.pk}/").status_code == 404
    assert client.get(f"/access/dining/slots/{slot.pk}/edit/").status_code == 404
    assert client.post(f"/access/dining/slots/{slot.pk}/delete/").status_code == 404
    assert client.post(f"/access/dining/groups/{group.pk}/delete/").status_code == 404
    assert MealSlot.objects.count() == 1
    assert DiningGroup.objects.count() == 1
