"""The board's rules, one by one (ADR 0026): cut by a work order's impact; at risk by an
impact's "lost" or "low", by a low or silent pressure point, by a work order near a single-fed
customer; fed otherwise; and a bounded number of queries whatever the number of customers."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headwater.core import clock, levels
from headwater.core.models import Organization
from headwater.network.choices import SupplyState, WorkOrderState
from headwater.network.services import board
from headwater.network.tests.factories_customers import (
    make_customer,
    make_model,
    make_order,
    make_point,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 2, 3, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def only(org):
    (state,) = board.states(org)
    return state.state, [str(r) for r in state.reasons]


def test_a_customer_without_trouble_is_fed(org):
    make_model(org)
    make_customer(org, feeds=2)
    make_order(org, x=5000, y=0)  # far away
    assert only(org) == (SupplyState.FED, [])


def test_a_work_order_that_cuts_it_off_cuts_it(org):
    customer = make_customer(org, feeds=2)
    order = make_order(org, critical=[(customer, "cut")])
    assert only(org) == (SupplyState.CUT, [f"工单 {order.number} 关阀停水"])


def test_a_closed_work_order_no_longer_counts(org):
    customer = make_customer(org, feeds=2)
    make_order(org, critical=[(customer, "cut")], state=WorkOrderState.CLOSED)
    assert only(org) == (SupplyState.FED, [])


@pytest.mark.parametrize(("effect", "reason"), [("lost", "导致失水"), ("low", "导致低压")])
def test_a_work_order_that_leaves_it_without_water_or_pressure_puts_it_at_risk(org, effect, reason):
    customer = make_customer(org, feeds=2)
    order = make_order(org, critical=[(customer, effect)], state=WorkOrderState.ISOLATED)
    assert only(org) == (SupplyState.AT_RISK, [f"工单 {order.number} {reason}"])


def test_the_worst_effect_of_an_order_counts_and_cut_wins_over_risks(org):
    customer = make_customer(org, feeds=2)
    make_order(org, critical=[(customer, "low"), (customer, "cut")])
    make_order(org, critical=[(customer, "lost")])
    state, reasons = only(org)
    assert state == SupplyState.CUT
    assert [r[-4:] for r in reasons] == ["关阀停水", "导致失水"]


def test_pressure_below_the_customers_minimum_puts_it_at_risk(org):
    point = make_point(org, value=18.24, at=clock.now() - dt.timedelta(minutes=2))
    make_customer(org, min_pressure=20, pressure_point=point, feeds=2)
    assert only(org) == (SupplyState.AT_RISK, ["压力 18.2 米，低于要求的 20 米"])


def test_pressure_below_the_points_low_threshold_puts_it_at_risk(org):
    point = make_point(org, value=24, low=25, at=clock.now())
    make_customer(org, min_pressure=20, pressure_point=point, feeds=2)
    assert only(org) == (SupplyState.AT_RISK, ["压力 24.0 米，低于要求的 25 米"])


def test_pressure_above_both_floors_is_fed_and_shown(org):
    at = clock.now() - dt.timedelta(minutes=5)
    point = make_point(org, value=31.5, low=25, at=at)
    make_customer(org, min_pressure=28, pressure_point=point, feeds=2)
    (state,) = board.states(org)
    assert (state.state, state.pressure, state.pressure_at, state.silent) == (
        SupplyState.FED,
        31.5,
        at,
        False,
    )


def test_a_silent_pressure_point_puts_it_at_risk(org):
    point = make_point(org, value=30, at=clock.now() - dt.timedelta(minutes=31))
    make_customer(org, pressure_point=point, feeds=2)
    assert only(org) == (SupplyState.AT_RISK, ["压力点 P-01 已 31 分钟无读数"])
    assert board.states(org)[0].silent is True


def test_a_point_never_read_is_silent(org):
    make_customer(org, pressure_point=make_point(org), feeds=2)
    assert only(org) == (SupplyState.AT_RISK, ["压力点 P-01 尚无读数"])


def test_a_single_fed_customer_with_a_work_order_nearby_is_at_risk(org, settings):
    make_model(org)
    make_customer(org, feeds=1)  # at J1 (100, 0)
    order = make_order(org, node="J3")  # at (300, 0): 200 away, no coordinates of its own
    assert only(org) == (SupplyState.AT_RISK, [f"单水源，200 米外有工单 {order.number}"])
    (state,) = board.states(org)
    assert [(o.number, o.distance) for o in state.orders] == [(order.number, 200.0)]


def test_a_dual_fed_customer_with_a_work_order_nearby_stays_fed_and_lists_it(org):
    make_customer(org, feeds=2)
    order = make_order(org, x=150, y=0)
    (state,) = board.states(org)
    assert (state.state, state.redundancy, [o.number for o in state.orders]) == (
        SupplyState.FED,
        "双水源",
        [order.number],
    )


def test_nearby_is_the_levels_setting(org):
    from headwater.core.models import LevelSettingValue

    make_customer(org, feeds=1)  # at (100, 0)
    make_order(org, x=100, y=500)
    assert only(org)[0] == SupplyState.AT_RISK
    LevelSettingValue.objects.create(
        organization=org, key="network.nearby_metres", level=org.response_level, value=400
    )
    levels.forget(org)
    assert only(org) == (SupplyState.FED, [])


def test_an_inactive_customer_is_not_on_the_board(org):
    make_customer(org, active=False)
    assert board.states(org) == []


def test_malformed_impacts_are_skipped(org):
    customer = make_customer(org, feeds=2)
    order = make_order(org, x=9999, y=9999)
    order.impact = {"critical": [{"id": "x"}, "junk", {"id": customer.pk, "effect": "melted"}]}
    order.save()
    assert only(org) == (SupplyState.FED, [])


def test_worst_customers_come_first(org):
    fed = make_customer(org, name="电信机房", feeds=2)
    cut = make_customer(org, name="隔离酒店", feeds=2)
    make_order(org, critical=[(cut, "cut")])
    assert [s.customer.pk for s in board.states(org)] == [cut.pk, fed.pk]


def test_the_board_takes_a_few_queries_whatever_the_number_of_customers(org):
    make_model(org)

    def queries():
        fresh = Organization.objects.get(pk=org.pk)  # settings not yet read on it
        with CaptureQueriesContext(connection) as ctx:
            board.states(fresh)
        return len(ctx.captured_queries)

    make_customer(org, name="c0", x=None, y=None, pressure_point=make_point(org, "P0"))
    make_order(org, node="J2")
    few = queries()
    for i in range(1, 40):
        point = make_point(org, f"P{i}", value=30, at=clock.now())
        make_customer(org, name=f"c{i}", nodes=("J2",), x=None, y=None, pressure_point=point)
        make_order(org, node="J3", x=None, y=None)
    assert queries() == few <= 6
