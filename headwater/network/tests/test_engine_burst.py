"""A burst's impact from the database rows: valves, segment, unintended isolation, people
and demand cut off, critical customers cut / losing water / below pressure, tanker points,
and the refusals."""

import json

import pytest

from headwater.core.errors import DomainError
from headwater.network import graph
from headwater.network.choices import CustomerKind
from headwater.network.errors import NetworkError
from headwater.network.models import CriticalCustomer
from headwater.network.services.burst import impact
from headwater.network.tests.factories_engine import (
    HAND_BUILT,
    HAND_BUILT_VALVES,
    LIBRARY,
    TANK_DRAINS,
    model_from_inp,
)
from headwater.network.tests.factories_network import add_valves


@pytest.fixture(autouse=True)
def fresh_topologies():
    graph.forget()
    yield
    graph.forget()


@pytest.fixture
def hand(org):
    people = {"J5": (40, 120), "J6": (60, 150), "J2": (10, 25)}
    return model_from_inp(org, HAND_BUILT, HAND_BUILT_VALVES, people=people)


def customer(org, name, nodes, **fields):
    fields = {"kind": "hospital", "min_pressure": 20, "duty_phone": "0571-8888", **fields}
    return CriticalCustomer.objects.create(organization=org, name=name, nodes=nodes, **fields)


def test_burst_on_p6_isolates_j5_and_cuts_j6_off_unintended(hand, org):
    clinic = customer(org, "发热门诊", ["J6"], kind="fever_clinic", x=200, y=-200)
    customer(org, "双水源医院", ["J6", "J1"])  # a second feed from J1 keeps it fed
    customer(org, "疾控中心", ["J1"], kind="cdc")

    result = impact(hand, "P6", hydraulic=False).as_dict()

    assert result["model"] == hand.pk and result["version"] == 1 and result["pipe"] == "P6"
    assert result["valves"] == [
        {"link": "P6", "node": "J2", "x": 200.0, "y": -10.0},
        {"link": "P7", "node": "J5", "x": 200.0, "y": -110.0},
    ]
    assert result["segment"] == {"nodes": ["J5"], "links": ["P6"]}
    assert result["cut_nodes"] == ["J5", "J6"]
    assert result["unintended_nodes"] == ["J6"]
    assert (result["customers"], result["population"]) == (100, 270)
    assert result["demand"] == pytest.approx(5.0)
    assert result["hydraulic"] is None
    assert result["seconds"]["hydraulic"] == 0
    [cut] = result["critical"]
    assert cut["id"] == clinic.pk and cut["effect"] == "cut" and cut["pressure"] is None
    assert cut["kind_label"] == str(CustomerKind.FEVER_CLINIC.label)
    assert cut["duty_phone"] == "0571-8888"
    # Nearest junctions outside the cut-off: J2 (200 away), then J1 and J3 (223.6).
    assert [(t["node"], t["distance"]) for t in cut["tankers"]] == [
        ("J2", 200.0),
        ("J1", 223.6),
        ("J3", 223.6),
    ]
    json.dumps(result)


def test_with_hydraulics_the_cut_customer_gets_tankers_fed_at_its_pressure(hand, org):
    customer(org, "发热门诊", ["J6"], kind="fever_clinic", x=200, y=-200, min_pressure=44)

    result = impact(hand, "P6").as_dict()

    [cut] = result["critical"]
    assert cut["effect"] == "cut"
    assert cut["pressure"] == pytest.approx(0, abs=0.1)  # EPANET 2.3: at the minimum pressure
    # J2 and J3 stay below 44 m in the run; J1 is fed at about 46.9 m.
    assert [t["node"] for t in cut["tankers"]] == ["J1"]
    assert cut["tankers"][0]["pressure"] > 44
    assert result["hydraulic"]["lost"] == [] and result["hydraulic"]["low"] == []
    assert result["seconds"]["hydraulic"] > 0


def test_a_burst_next_to_the_reservoir_leaves_customers_on_the_tank_below_pressure(hand, org):
    customer(org, "指挥中心", ["J3"], kind="command_center", min_pressure=40)
    customer(org, "通信枢纽", ["J4"], kind="telecom", min_pressure=10)

    result = impact(hand, "P1").as_dict()

    assert set(result["cut_nodes"]) == {"J1", "R1"}
    assert result["valves"][0]["link"] == "P2" and len(result["valves"]) == 1
    [low] = result["critical"]
    assert (low["name"], low["effect"]) == ("指挥中心", "low")
    assert 30 < low["pressure"] < 40
    assert low["tankers"] == []


def test_a_customer_on_a_tank_that_drains_loses_water_without_being_cut(org):
    model = model_from_inp(org, TANK_DRAINS, [("P0", "R1"), ("P0", "J1")])
    customer(org, "方舱医院", ["J2"], kind="designated_hospital", x=200, y=0)

    result = impact(model, "P0").as_dict()

    assert result["cut_nodes"] == [] and result["segment"] == {"nodes": [], "links": ["P0"]}
    [lost] = result["critical"]
    assert lost["effect"] == "lost"
    assert [t["node"] for t in lost["tankers"]] == ["J3"]  # the only junction still fed
    assert result["hydraulic"]["lost"] == ["J1", "J2"]


def test_an_unknown_link_is_refused(hand):
    with pytest.raises(DomainError) as refused:
        impact(hand, "P99")
    assert refused.value.code == NetworkError.UNKNOWN_LINK
    assert refused.value.status == 404
    assert "P99" in refused.value.message and "管网模型" in refused.value.message


def test_a_pump_is_not_a_pipe(org):
    net1 = model_from_inp(org, (LIBRARY / "Net1.inp").read_text())
    with pytest.raises(DomainError) as refused:
        impact(net1, "9")
    assert refused.value.code == NetworkError.NOT_A_PIPE
    assert "不是管道" in refused.value.message


def test_topology_is_read_once_then_only_the_valve_stamp(hand, django_assert_num_queries):
    first = graph.topology(hand)
    with django_assert_num_queries(1):
        assert graph.topology(hand) is first
    assert len(first.nodes) == 9 and len(first.links) == 9 and len(first.valves) == 4


def test_a_changed_valve_layer_gives_a_new_topology(hand):
    before = graph.topology(hand)
    assert impact(hand, "P1", hydraulic=False).isolation.unintended_nodes == ()
    add_valves(hand, [("P4", "J3")])
    after = graph.topology(hand)
    assert after is not before and len(after.valves) == 5
    # P4's valve at J3 puts J4 and T1 in a segment of their own; J3's side is unchanged.
    assert set(impact(hand, "P4", hydraulic=False).isolation.nodes) == {"J4", "T1"}
