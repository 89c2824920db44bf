"""The ranking's test networks: a NetworkModel with its Node, Link and Valve rows made from
an .inp string (or a WNTR example) through WNTR — a test helper only; the real import is the
models part's — and critical customers on its nodes.

The hand-built network, whose ranking is known exactly:

    R1 =P1= J1 =P2= J2 =P3= J3 =P6= J5 -P7- J6
             \\              /         \\
              =P4= J4 =P5==           -P8- J7

`=` pipes have a valve at both ends (each is a segment of its own); P7 and P8 have none,
so J5, J6, J7, P7 and P8 are one segment. The loop J1-J2-J3-J4 leaves every loop pipe
harmless. P1 cuts every junction; P6, P7 and P8 each cut J5, J6 and J7.
"""

from __future__ import annotations

import wntr

from headwater.network.models import CriticalCustomer, NetworkModel
from headwater.network.tests.factories_engine import LIBRARY
from headwater.network.tests.factories_network import model_rows

RANKING_NET = """\
[TITLE]
Ranking test network
[JUNCTIONS]
;ID  Elev  Demand
J1   10    1
J2   10    1
J3   10    1
J4   10    1
J5   10    2
J6   10    3
J7   10    1
[RESERVOIRS]
R1   60
[PIPES]
;ID  Node1  Node2  Length  Diam  Rough  Minor  Status
P1   R1     J1     100     600   100    0      Open
P2   J1     J2     100     300   100    0      Open
P3   J2     J3     100     300   100    0      Open
P4   J1     J4     100     300   100    0      Open
P5   J4     J3     100     300   100    0      Open
P6   J3     J5     100     300   100    0      Open
P7   J5     J6     100     200   100    0      Open
P8   J5     J7     100     200   100    0      Open
[OPTIONS]
Units     LPS
Headloss  H-W
[TIMES]
Duration  0
[COORDINATES]
R1   0    0
J1   100  0
J2   200  50
J3   300  0
J4   200  -50
J5   400  0
J6   500  50
J7   500  -50
[END]
"""
RANKING_VALVES = [
    (pipe, node)
    for pipe, ends in {
        "P1": ("R1", "J1"),
        "P2": ("J1", "J2"),
        "P3": ("J2", "J3"),
        "P4": ("J1", "J4"),
        "P5": ("J4", "J3"),
        "P6": ("J3", "J5"),
    }.items()
    for node in ends
]
RANKING_MATERIALS = {"P7": "DI", "P8": "CI"}  # ductile iron, cast iron: the last tie-break
RANKING_POPULATION = {"J5": 500, "J6": 1200, "J7": 800}


def load_model(
    org,
    text: str,
    valves=(),
    *,
    name: str = "测试管网",
    materials: dict | None = None,
    population: dict | None = None,
    current: bool = True,
) -> NetworkModel:
    """A model version of `org` with the rows of `text` and the valve layer `valves`
    ((link, node) pairs or WNTR's DataFrame)."""
    materials, population = materials or {}, population or {}
    return model_rows(
        org,
        text,
        valves,
        name=name,
        current=current,
        source="imported",
        nodes=lambda row: {"population": population.get(row["name"], 0)},
        links=lambda row: {"material": materials.get(row["name"], "")},
    )


def ranking_model(org, **kwargs) -> NetworkModel:
    return load_model(
        org,
        RANKING_NET,
        RANKING_VALVES,
        materials=RANKING_MATERIALS,
        population=RANKING_POPULATION,
        **kwargs,
    )


def example_model(org, name: str, valves_per_node: int = 1) -> NetworkModel:
    """A WNTR example network with a strategic N-k valve layer."""
    text = (LIBRARY / f"{name}.inp").read_text()
    return load_model(
        org,
        text,
        lambda wn: wntr.network.generate_valve_layer(wn, "strategic", valves_per_node),
        name=name,
    )


def customer(org, name: str, kind: str, nodes: list[str], **kwargs) -> CriticalCustomer:
    return CriticalCustomer.objects.create(
        organization=org, name=name, kind=kind, nodes=nodes, feeds=len(nodes), **kwargs
    )


def hand_customers(org) -> dict[str, CriticalCustomer]:
    """The hand-built network's customers: a hospital at J6, a dual-feed fever clinic at J4
    and J7, a telecom room at J7, and an inactive clinic at J6 that never counts."""
    return {
        "hospital": customer(org, "人民医院", "designated_hospital", ["J6"]),
        "clinic": customer(org, "发热门诊", "fever_clinic", ["J4", "J7"]),
        "telecom": customer(org, "电信机房", "telecom", ["J7"]),
        "closed": customer(org, "旧门诊", "fever_clinic", ["J6"], active=False),
    }
