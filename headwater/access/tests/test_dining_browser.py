"""In a real browser: the office lays out a canteen's slots and spreads units over them on a
desktop (1366×768) and sees the week's rotation grid; on a phone the live fill page counts
the people let in and redraws itself (htmx) without a reload when another comes in."""

import datetime as dt

import pytest
from django.utils import timezone

from headwater.access import views_dining
from headwater.access.models import DiningGroup, MealOrder, MealSlot
from headwater.access.tests.factories_dining import make_canteen, make_door, make_passage
from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.core.tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def test_the_office_lays_out_the_slots_and_the_rotation(
    live_server, desktop_page, org, office_user, tree
):
    canteen = make_canteen(org)
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, office_user.username)
    follow_menu(page, "/access/dining/")
    submit(page, f'a[href="/access/dining/canteens/{canteen.pk}/"]')

    page.fill("#g-first", "11:10")
    page.fill("#g-minutes", "15")
    page.fill("#g-count", "3")
    page.fill("#g-capacity", "2")
    submit(page, '[data-testid="generate-slots"]')
    assert page.get_by_test_id("slot-row").count() == 3

    page.select_option(
        "#spread-units", [str(tree["plant1"].pk), str(tree["plant2"].pk), str(tree["company"].pk)]
    )
    submit(page, '[data-testid="spread-units"]')
    assert DiningGroup.objects.filter(canteen=canteen).count() == 3
    assert page.get_by_test_id("grid-day").count() == 7
    first_day = page.get_by_test_id("grid-day").first
    assert [c.inner_text().split()[0] for c in first_day.get_by_test_id("grid-cell").all()] == [
        "第一水厂",
        "金溪水务集团",
        "第二水厂",
    ]
    # plant 1 brings 2 (the largest, first slot); the company only its clerk, as the plants
    # have their own groups; with 2 places a slot nothing is over
    assert page.get_by_test_id("over-capacity").count() == 0
    page.fill("#s-starts", "11:20")
    submit(page, '[data-testid="add-slot"]')
    assert "重叠" in page.locator(".alert-danger").inner_text()
    assert MealSlot.objects.filter(canteen=canteen).count() == 3
    shot(page, "access-dining-rotation-desktop")


def test_the_live_fill_redraws_on_a_phone(
    live_server, phone_page, org, office_user, tree, monkeypatch
):
    monkeypatch.setattr(views_dining, "REFRESH_SECONDS", 2)
    canteen = make_canteen(org)
    now = timezone.localtime(clock.now())
    start = (now - dt.timedelta(minutes=5)).replace(second=0, microsecond=0)
    for i in range(3):
        MealSlot.objects.create(
            organization=org,
            canteen=canteen,
            name=f"第{i + 1}批",
            starts=(start + dt.timedelta(minutes=15 * i)).time(),
            minutes=15,
            capacity=4,
            position=i,
        )
    door = make_door(canteen)
    make_passage(door, now - dt.timedelta(minutes=1), person=PersonFactory(unit=tree["plant1"]))
    page = phone_page
    login(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/access/dining/live/")
    now_card = page.locator('[data-testid="slot-fill"][data-state="now"]')
    assert now_card.get_by_test_id("slot-people").inner_text() == "1"

    make_passage(door, now, person=PersonFactory(unit=tree["plant2"]))
    page.wait_for_function(
        "() => document.querySelector('[data-state=now] [data-testid=slot-people]')"
        ".textContent === '2'",
        timeout=10_000,
    )
    # htmx sizes the new bar once the swapped part has settled
    page.wait_for_function(
        "() => document.querySelector('[data-state=now] [data-bar-width]').style.width === '50%'"
    )
    shot(page, "access-dining-live-phone")


def test_a_unit_head_orders_box_meals_on_a_phone(
    live_server, phone_page, org, unit_head_user, tree
):
    canteen = make_canteen(org)
    page = phone_page
    login(page, live_server, unit_head_user.username)
    follow_menu(page, "/access/dining/orders/")
    page.select_option("#o-canteen", str(canteen.pk))
    page.select_option("#o-unit", str(tree["shift_a"].pk))
    page.select_option("#o-kind", "box")
    page.fill("#o-count", "12")
    submit(page, '[data-testid="place-order"]')
    page.select_option("#o-unit", str(tree["shift_a"].pk))
    page.select_option("#o-kind", "group")
    page.fill("#o-count", "30")
    submit(page, '[data-testid="place-order"]')

    assert page.get_by_test_id("order-row").count() == 2
    assert [t.inner_text() for t in page.get_by_test_id("total-meals").all()] == ["12", "30"]
    assert sorted(MealOrder.objects.values_list("kind", "count")) == [("box", 12), ("group", 30)]
    shot(page, "access-dining-orders-phone")
