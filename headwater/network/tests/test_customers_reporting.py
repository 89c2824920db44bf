"""The briefing section, the home tiles and the command-screen panel of the critical
customers: what they name and count, and that they stay silent for an organization without
customers or a model."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from headwater.core import clock
from headwater.core.tiles import resolve
from headwater.network.choices import WorkOrderState
from headwater.network.models import Reading
from headwater.network.screen import network_panels
from headwater.network.sections import network_section
from headwater.network.tests.factories_customers import (
    make_customer,
    make_model,
    make_order,
    make_point,
)
from headwater.network.tiles import network_tiles

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


DAY = dt.date(2026, 2, 3)  # the day reported; the briefing is of the 4th


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(at(DAY + dt.timedelta(days=1), 8, 0), tick=False):
        yield


def reading(point, hour, value, day=DAY):
    Reading.objects.create(
        organization_id=point.organization_id, point=point, at=at(day, hour, 0), value=value
    )


def test_no_section_without_customers_or_a_model(org):
    assert network_section(org, DAY + dt.timedelta(days=1)) is None


def test_the_section_names_customers_cut_and_at_risk_and_counts_the_day(org):
    make_model(org)
    hospital = make_customer(org, name="市第一人民医院", feeds=2)
    clinic = make_customer(org, name="发热门诊", feeds=2)
    make_customer(org, name="电信机房", feeds=2)
    cut = make_order(org, critical=[(hospital, "cut"), (clinic, "low")])
    make_order(
        org,
        state=WorkOrderState.CLOSED,
        opened_at=at(DAY, 9, 0),
        closed_at=at(DAY, 15, 0),
        x=9000,
        y=9000,
    )
    point = make_point(org, low=20, high=60, node="J4", value=30, at=clock.now())
    reading(point, 1, 19.5)  # below
    reading(point, 2, 61)  # above
    reading(point, 3, 40)  # fine
    reading(point, 4, 10, day=DAY - dt.timedelta(days=1))  # the day before
    section = resolve(network_section(org, DAY + dt.timedelta(days=1)), "zh-hans")
    assert [f["text"] for f in section["flags"]] == [
        f"重点用户停水：市第一人民医院（工单 {cut.number} 关阀停水）",
        f"重点用户供水有风险：发热门诊（工单 {cut.number} 导致低压）",
        "2 次压力读数超出阈值",
    ]
    assert section["lines"] == [
        "重点用户 3 户：正常供水 1，有风险 1，停水 1。",
        "管网工单：新开 1，关闭 1，处理中 1。",
        "压力报警：2 次读数。",
    ]
    figures = {f["key"]: (f["value"], f["previous"]) for f in section["figures"]}
    assert figures == {
        "network.pressure_alarms": (2, 1),
        "network.orders_opened": (1, 0),
        "network.orders_closed": (1, 0),
    }
    assert section["tables"][0]["rows"][0][:3] == [
        "市第一人民医院",
        "停水",
        f"工单 {cut.number} 关阀停水",
    ]
    english = resolve(network_section(org, DAY + dt.timedelta(days=1)), "en")
    assert english["flags"][0]["text"] == (
        f"Critical customer cut off: 市第一人民医院 (Cut off by work order {cut.number})"
    )


def test_a_quiet_day_is_a_zero_report(org):
    make_customer(org, feeds=2)
    section = resolve(network_section(org, DAY + dt.timedelta(days=1)), "zh-hans")
    assert (section["flags"], section["quiet"]) == ([], "所有重点用户供水正常，无压力报警。")


def test_tiles_count_customers_cut_at_risk_and_active_orders(org, office_user, staff_user):
    hospital = make_customer(org, name="医院", feeds=2)
    clinic = make_customer(org, name="门诊", feeds=2)
    make_order(org, critical=[(hospital, "cut"), (clinic, "lost")])
    make_order(org, x=9000, y=9000)
    tiles = {t.title: (t.value, t.colour) for t in network_tiles(office_user, org)}
    assert tiles == {
        "重点用户 停水 / 有风险": ("1 / 1", "danger"),
        "处理中的管网工单": ("2", "warning"),
    }
    assert network_tiles(staff_user, org) == []


def test_no_tiles_for_an_organization_without_customers_or_orders(org, office_user):
    assert network_tiles(office_user, org) == []


def test_the_panel_lists_the_customers_not_fed(org):
    from headwater.core.screen import resolved

    assert network_panels(org, DAY) == []
    hospital = make_customer(org, name="市第一人民医院", feeds=2)
    make_customer(org, name="电信机房", feeds=2)
    order = make_order(org, critical=[(hospital, "cut")])
    (panel,) = network_panels(org, DAY)
    data = resolved(panel.data)
    assert (panel.kind, data["more"], str(resolved(panel.note))) == (
        "list",
        0,
        "共 2 户，停水 1，有风险 0",
    )
    assert data["items"] == [
        {
            "id": f"network.customer.{hospital.pk}.cut",
            "time": "停水",
            "text": "市第一人民医院",
            "note": f"工单 {order.number} 关阀停水",
            "colour": "danger",
            "muted": False,
        }
    ]
