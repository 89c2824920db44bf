"""The dining API as office, unit head, member of staff and another organization: slots made,
changed and deleted (an overlap 409, nothing changed), the rotation set and spread with its
capacity warnings, the week grid, today's fill, the caller's slot, meal orders placed and
listed; refusals in the one error shape."""

import datetime as dt
import json

import pytest
import time_machine

from headwater.access.models import DiningGroup, MealOrder, MealSlot
from headwater.access.tests.factories_dining import (
    DiningGroupFactory,
    make_canteen,
    make_door,
    make_passage,
    make_slots,
)

API = "/api/v1/access/dining"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_1130():
    with time_machine.travel(dt.datetime(2026, 3, 2, 3, 30, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def canteen(org):
    return make_canteen(org)


def send(client, method, url, body=None, **headers):
    return getattr(client, method)(
        url, json.dumps(body or {}), content_type="application/json", **headers
    )


def test_the_office_makes_changes_and_deletes_slots(client, office_user, canteen):
    client.force_login(office_user)
    made = send(
        client,
        "post",
        f"{API}/canteens/{canteen.pk}/slots/generate",
        {"first": "11:10", "minutes": 15, "count": 3, "capacity": 120},
    )
    assert made.status_code == 201
    assert [s["name"] for s in made.json()] == ["11:10–11:25", "11:25–11:40", "11:40–11:55"]
    overlap = send(
        client,
        "post",
        f"{API}/canteens/{canteen.pk}/slots",
        {"starts": "11:50", "minutes": 15, "capacity": 50},
    )
    assert (overlap.status_code, overlap.json()["error"]["code"]) == (409, "dining_slots_overlap")
    assert MealSlot.objects.count() == 3
    last = made.json()[2]["id"]
    changed = send(client, "patch", f"{API}/slots/{last}", {"capacity": 80})
    assert (changed.status_code, changed.json()["capacity"]) == (200, 80)
    assert client.delete(f"{API}/slots/{last}").status_code == 204
    assert [s["id"] for s in client.get(f"{API}/canteens/{canteen.pk}/slots").json()] == [
        s["id"] for s in made.json()[:2]
    ]


def test_a_slot_people_ate_in_is_not_deleted(client, office_user, canteen, people):
    slot = make_slots(canteen, count=1)[0]
    make_passage(
        make_door(canteen), dt.datetime(2026, 3, 2, 11, 12), person=people["head"], slot=slot
    )
    client.force_login(office_user)

    refused = client.delete(f"{API}/slots/{slot.pk}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "dining_slot_in_use")
    assert MealSlot.objects.filter(pk=slot.pk).exists()


def test_the_rotation_is_set_and_spread_with_capacity_warnings(client, office_user, canteen, tree):
    make_slots(canteen, capacity=1)
    client.force_login(office_user)
    url = f"{API}/canteens/{canteen.pk}/groups"

    put = send(
        client, "put", url, {"unit_id": tree["plant1"].pk, "position": 1, "starts_on": "2026-03-02"}
    )
    assert put.status_code == 201
    assert [(g["unit_name"], g["position"], g["people"]) for g in put.json()["groups"]] == [
        ("第一水厂", 1, 2)
    ]
    assert put.json()["warnings"][0] == {
        "day": "2026-03-02",
        "slot_id": MealSlot.objects.get(position=1).pk,
        "slot_name": "第2批",
        "people": 2,
        "capacity": 1,
    }
    again = send(
        client, "put", url, {"unit_id": tree["plant1"].pk, "position": 0, "starts_on": "2026-03-02"}
    )
    assert again.status_code == 200
    spread = send(
        client,
        "post",
        f"{url}/spread",
        {"unit_ids": [tree["plant2"].pk, tree["plant1"].pk], "starts_on": "2026-03-02"},
    )
    assert spread.status_code == 200
    placed = dict(DiningGroup.objects.values_list("unit__code", "position"))
    assert placed == {"P1": 0, "P2": 1}

    week = client.get(f"{API}/canteens/{canteen.pk}/week", {"start": "2026-03-02"}).json()
    assert [c["units"] for c in week["days"][1]["cells"]] == [[], ["第一水厂"], ["第二水厂"]]


def test_today_shows_each_slots_fill(client, office_user, canteen, people):
    make_slots(canteen)
    door = make_door(canteen)
    make_passage(door, dt.datetime(2026, 3, 2, 11, 26), person=people["head"])
    client.force_login(office_user)

    [today] = client.get(f"{API}/today", {"canteen": canteen.pk}).json()
    assert [(s["slot"]["name"], s["people"], s["state"]) for s in today["slots"]] == [
        ("第1批", 0, "past"),
        ("第2批", 1, "now"),
        ("第3批", 0, "next"),
    ]


def test_my_slot_answers_the_callers_slot_today(client, staff_user, canteen, tree):
    slots = make_slots(canteen)
    client.force_login(staff_user)
    assert client.get(f"{API}/my-slot").json()["slot"] is None

    DiningGroupFactory(
        canteen=canteen, unit=tree["plant1"], position=0, starts_on=dt.date(2026, 3, 1)
    )
    mine = client.get(f"{API}/my-slot").json()
    assert (mine["day"], mine["slot"]["id"], mine["canteen_name"]) == (
        "2026-03-02",
        slots[1].pk,
        "职工食堂",
    )


def test_a_unit_head_orders_meals_and_lists_them(client, unit_head_user, canteen, tree):
    client.force_login(unit_head_user)
    body = {"canteen_id": canteen.pk, "unit_id": tree["shift_a"].pk, "kind": "box", "count": 8}
    first = send(client, "post", f"{API}/orders", body, HTTP_IDEMPOTENCY_KEY="a1")
    retry = send(client, "post", f"{API}/orders", {**body, "count": 9}, HTTP_IDEMPOTENCY_KEY="a1")
    change = send(client, "post", f"{API}/orders", {**body, "count": 10})

    assert (first.status_code, retry.status_code, change.status_code) == (201, 200, 200)
    assert (first.json()["day"], change.json()["count"]) == ("2026-03-03", 10)
    listed = client.get(f"{API}/orders").json()
    assert (listed["count"], listed["items"][0]["kind_label"]) == (1, "盒饭")


def test_a_unit_head_ordering_for_another_unit_is_refused(client, unit_head_user, canteen, tree):
    client.force_login(unit_head_user)
    body = {"canteen_id": canteen.pk, "unit_id": tree["plant2"].pk, "kind": "box", "count": 8}

    refused = send(client, "post", f"{API}/orders", body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert MealOrder.objects.count() == 0


def test_a_unit_head_sees_their_units_orders_only(
    client, unit_head_user, office_user, canteen, tree
):
    client.force_login(office_user)
    for unit in (tree["plant1"], tree["plant2"]):
        body = {"canteen_id": canteen.pk, "unit_id": unit.pk, "kind": "group", "count": 20}
        assert send(client, "post", f"{API}/orders", body).status_code == 201
    client.force_login(unit_head_user)

    assert [o["unit_name"] for o in client.get(f"{API}/orders").json()["items"]] == ["第一水厂"]


def test_staff_and_outsiders_change_nothing_and_see_no_canteen(
    client, staff_user, outsider, canteen, tree
):
    slot = make_slots(canteen, count=1)[0]
    client.force_login(staff_user)
    assert (
        send(
            client,
            "post",
            f"{API}/canteens/{canteen.pk}/slots",
            {"starts": "12:00", "minutes": 15, "capacity": 5},
        ).status_code
        == 403
    )
    assert client.delete(f"{API}/slots/{slot.pk}").status_code == 403
    order = {"canteen_id": canteen.pk, "unit_id": tree["shift_a"].pk, "kind": "box", "count": 1}
    assert send(client, "post", f"{API}/orders", order).status_code == 403
    assert client.get(f"{API}/today").json() == []

    client.force_login(outsider)
    assert client.get(f"{API}/canteens/{canteen.pk}/slots").status_code == 404
    assert client.delete(f"{API}/slots/{slot.pk}").status_code == 404
    assert client.get(f"{API}/canteens/{canteen.pk}/week").status_code == 404
    assert send(client, "post", f"{API}/orders", order).status_code == 404
    assert client.get(f"{API}/orders").json()["count"] == 0
    assert MealSlot.objects.count() == 1
    assert MealOrder.objects.count() == 0
