"""The gates' home tiles (scoped to the user: the office everything, a unit head the gates at
their sites and their own passages, staff nothing) and command-dashboard panels (passages and
refusals by reason, visitors, slot fill), with exact numbers in a few grouped queries."""

import pytest
from django.utils import translation

from headwater.access.screen import access_panels
from headwater.access.tests.reporting_helpers import D, gate_day
from headwater.access.tiles import access_tiles
from headwater.core.tests.timing import at
from headwater.core.tiles import render


@pytest.fixture
def day(org, tree, people, clock_at):
    clock_at(at(D, 11, 20))  # slot A (11:10–11:25) is running
    return gate_day(org, tree, people)


def tiles(user, org):
    with translation.override("en"):
        return [(t.title, t.value) for t in access_tiles(user, org)]


def test_the_office_sees_the_days_figures_and_the_slot_running_now(
    day, org, office_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        found = tiles(office_user, org)
    assert found == [
        ("Passages in today", "9"),
        ("Refused at the gates today", "3"),
        ("Visitors on site now", "1"),
        ("Slot fill now: 总部食堂 11:10", "3 / 2"),
    ]


def test_a_unit_head_counts_the_gates_of_their_sites_and_their_own_passages(
    day, org, unit_head_user
):
    assert tiles(unit_head_user, org) == [
        ("Passages in today", "5"),
        ("Refused at the gates today", "2"),
        ("Visitors on site now", "1"),
        ("Slot fill now: 总部食堂 11:10", "1 / 2"),
    ]


def test_staff_and_outsiders_get_no_tiles(day, org, staff_user, outsider):
    assert tiles(staff_user, org) == []
    assert tiles(outsider, outsider.organization) == []


def test_no_slot_tile_when_no_slot_runs(day, org, office_user, clock_at):
    clock_at(at(D, 14, 0))
    assert [t for t, _v in tiles(office_user, org)] == [
        "Passages in today",
        "Refused at the gates today",
        "Visitors on site now",
    ]


def test_the_dashboard_panels_show_the_organizations_day(day, org, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        panels = access_panels(org, D)
    with translation.override("en"):
        by_key = {p.key: p for p in panels}
        bars = by_key["access.passages"].data
        assert [(render(i["label"]), i["value"], i["colour"]) for i in bars["items"]] == [
            ("Let in", 9, "success"),
            ("Refused: Fever", 1, "danger"),
            ("Refused: Red code", 1, "danger"),
            ("Refused: Not this canteen slot", 1, "warning"),
        ]
        assert bars["max"] == 9
        assert render(by_key["access.passages"].note) == "3 refused"
        visitors = by_key["access.visitors"].data["items"]
        assert [(v["key"], v["text"]) for v in visitors] == [
            ("access.on_site", "1"),
            ("access.pending", "1"),
            ("access.registered", "4"),
        ]
        slots = by_key["access.slots"].data
        assert [(i["label"], i["text"], i["colour"]) for i in slots["items"]] == [
            ("总部食堂 11:10", "3 / 2", "danger"),
            ("总部食堂 11:25", "1 / 10", "success"),
        ]
        assert slots["max"] == 10


def test_no_panels_for_an_organization_without_gates(org, tree):
    assert access_panels(org, D) == []
