"""Meal orders: a unit head orders box meals or a group order for their units (the office for
any unit), by default for tomorrow; ordering again changes the number (one order per canteen,
unit, day and kind, the change audited); a retried request with the same key writes once;
orders for today close at 10:00 and orders for a past day are refused; a unit head cannot
order for another unit."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry

from headwater.access.inputs_dining import OrderInput
from headwater.access.models import MealOrder
from headwater.access.services.dining_orders import place_order
from headwater.access.tests.factories_dining import make_canteen
from headwater.core.errors import DomainError, NotAllowed

TODAY = dt.date(2026, 3, 2)
TOMORROW = TODAY + dt.timedelta(days=1)
pytestmark = pytest.mark.django_db


def at(hour, minute=0):
    return time_machine.travel(dt.datetime(2026, 3, 2, hour - 8, minute, tzinfo=dt.UTC), tick=False)


@pytest.fixture(autouse=True)
def morning():
    with at(9, 0):
        yield


@pytest.fixture
def canteen(org):
    return make_canteen(org)


def order(unit, count, *, day=None, kind="box", note=""):
    data = {"unit_id": unit.pk, "kind": kind, "count": count, "note": note}
    if day:
        data["day"] = day.isoformat()
    return OrderInput.parse(data, unit.organization_id, TOMORROW)


def test_a_unit_head_orders_box_meals_for_tomorrow_by_default(canteen, tree, unit_head_user):
    placed, created = place_order(canteen, order(tree["shift_a"], 12), by=unit_head_user)

    assert created is True
    assert (placed.unit, placed.day, placed.kind, placed.count) == (
        tree["shift_a"],
        TOMORROW,
        "box",
        12,
    )
    assert placed.ordered_by == unit_head_user


def test_ordering_again_changes_the_number_and_is_audited(canteen, tree, unit_head_user):
    first, _ = place_order(canteen, order(tree["plant1"], 12), by=unit_head_user)
    again, created = place_order(
        canteen, order(tree["plant1"], 15, note="加2份素食"), by=unit_head_user
    )

    assert (created, again.pk) == (False, first.pk)
    assert MealOrder.objects.count() == 1
    again.refresh_from_db()
    assert (again.count, again.note) == (15, "加2份素食")
    change = LogEntry.objects.get_for_object(again).filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict["count"] == [12, 15]


def test_box_meals_and_a_group_order_are_two_orders(canteen, tree, office_user):
    place_order(canteen, order(tree["plant2"], 10), by=office_user)
    place_order(canteen, order(tree["plant2"], 30, kind="group"), by=office_user)

    assert sorted(MealOrder.objects.values_list("kind", "count")) == [("box", 10), ("group", 30)]


def test_a_retry_with_the_same_key_writes_once(canteen, tree, unit_head_user):
    first, created = place_order(canteen, order(tree["plant1"], 12), by=unit_head_user, key="k-1")
    retry, created_again = place_order(
        canteen, order(tree["plant1"], 99), by=unit_head_user, key="k-1"
    )

    assert (created, created_again, retry.pk) == (True, False, first.pk)
    assert MealOrder.objects.get().count == 12


def test_a_unit_head_cannot_order_for_another_unit(canteen, tree, unit_head_user, staff_user):
    with pytest.raises(NotAllowed):
        place_order(canteen, order(tree["plant2"], 5), by=unit_head_user)
    with pytest.raises(NotAllowed):
        place_order(canteen, order(tree["shift_a"], 5), by=staff_user)

    assert MealOrder.objects.count() == 0


def test_orders_for_today_are_taken_until_ten(canteen, tree, unit_head_user):
    placed, created = place_order(canteen, order(tree["plant1"], 4, day=TODAY), by=unit_head_user)

    assert (placed.day, created) == (TODAY, True)


def test_orders_for_today_are_refused_from_ten_and_nothing_changes(canteen, tree, unit_head_user):
    place_order(canteen, order(tree["plant1"], 4, day=TODAY), by=unit_head_user)
    with at(10, 0), pytest.raises(DomainError) as e:
        place_order(canteen, order(tree["plant1"], 9, day=TODAY), by=unit_head_user)

    assert e.value.code == "dining_order_closed"
    assert e.value.message == "2026-03-02 的订餐已于当天 10:00 截止，请为以后的日子订餐。"
    assert MealOrder.objects.get().count == 4


def test_orders_for_a_past_day_are_refused(canteen, tree, office_user):
    with pytest.raises(DomainError):
        place_order(
            canteen, order(tree["plant1"], 4, day=TODAY - dt.timedelta(days=1)), by=office_user
        )

    assert MealOrder.objects.count() == 0


def test_bad_order_input_names_each_field():
    with pytest.raises(DomainError) as e:
        OrderInput.parse({"unit_id": "x", "kind": "soup", "count": "-1"}, 1, TOMORROW)

    assert set(e.value.fields) == {"unit_id", "kind", "count"}
