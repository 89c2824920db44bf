"""The demo's critical customers sit on junctions of WNTR's Net3 (the model the models part
imports), two of them fed from two sides; without a current model the demo skips them, and
building again adds nothing."""

import os

import pytest
import wntr

from headwater.network.demo_customers import build
from headwater.network.models import CriticalCustomer
from headwater.network.tests.factories_customers import make_model

pytestmark = pytest.mark.django_db


def net3_nodes() -> dict:
    path = os.path.join(os.path.dirname(wntr.__file__), "library", "networks", "Net3.inp")
    wn = wntr.network.WaterNetworkModel(path)
    return {name: node.coordinates for name, node in wn.nodes()}


def test_the_demo_registers_customers_on_net3_and_again_adds_nothing(org):
    make_model(org, nodes=net3_nodes())
    build(org, 2020, 0)
    build(org, 2020, 0)
    customers = CriticalCustomer.objects.filter(organization=org)
    assert customers.count() == 9
    assert sorted(c.name for c in customers if c.feeds == 2) == [
        "市应急指挥中心",
        "市第一人民医院（定点医院）",
    ]
    hospital = customers.get(name="市第一人民医院（定点医院）")
    assert (hospital.nodes, hospital.x, hospital.y) == (["101", "103"], 13.81, 22.94)


def test_without_a_model_the_demo_skips_the_registry(org):
    build(org, 2020, 0)
    assert CriticalCustomer.objects.count() == 0
