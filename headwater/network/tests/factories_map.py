"""A network model in the database for the map's tests: the NetworkModel, Node, Link and Valve
rows of an .inp file read with WNTR (the example networks WNTR ships, or a small text), made
current, with an optional strategic N-1 valve layer — what the models part's import writes.
Also critical customers and a small hand-built network whose answers are known."""

from __future__ import annotations

from pathlib import Path

from headwater.network.choices import LinkKind, ValveSource
from headwater.network.models import CriticalCustomer, NetworkModel, Valve
from headwater.network.tests.factories_network import model_rows


def example(name: str) -> Path:
    """An example network WNTR ships: Net1, Net3, Net6, ky4..."""
    import wntr

    return Path(wntr.__file__).parent / "library" / "networks" / f"{name}.inp"


def network_model(
    org,
    inp: str | Path = "Net1",
    *,
    valves: bool = True,
    version: int | None = None,
    current: bool = True,
) -> NetworkModel:
    """The rows of an example network (a name) or an .inp text, with a strategic N-1 valve
    layer (WNTR's, seed 1) when `valves`; customers and population in proportion to each
    junction's demand, and ductile iron pipes."""
    import wntr

    if isinstance(inp, Path) or "\n" not in str(inp):
        path = inp if isinstance(inp, Path) else example(str(inp))
        text, name = path.read_text(), path.stem
    else:
        text, name = str(inp), "hand-built"

    def people(row: dict) -> dict:
        demand = row["demand"]
        return {
            "customers": round(demand * 20) if demand > 0 else 0,
            "population": round(demand * 60) if demand > 0 else 0,
        }

    return model_rows(
        org,
        text,
        (lambda wn: wntr.network.generate_valve_layer(wn, "strategic", 1, seed=1))
        if valves
        else (),
        name=name,
        filename=f"{name}.inp",
        version=version,
        current=current,
        source=ValveSource.STRATEGIC,
        nodes=people,
        links=lambda row: {"material": "DI" if row["kind"] == LinkKind.PIPE else ""},
    )


def customer(org, name: str, nodes: list[str], **fields) -> CriticalCustomer:
    defaults = {
        "kind": "designated_hospital",
        "duty_phone": "0571-88001234",
        "contact": "张主任",
        "contact_phone": "13800138000",
        "min_pressure": 20,
    }
    return CriticalCustomer.objects.create(
        organization=org, name=name, nodes=nodes, **(defaults | fields)
    )


# A reservoir feeding a line of junctions with a branch; isolation valves at both ends of
# pipe P2, so a burst on P2 closes V1 and V2 and cuts J2 off (its segment), and J3 and J4
# beyond it (unintended), while J5 on the other branch is still fed.
SMALL_INP = """[TITLE]
Small hand-built network

[JUNCTIONS]
;ID  Elev  Demand
 J1  10    1
 J2  10    1
 J3  10    1
 J4  10    1
 J5  10    1

[RESERVOIRS]
 R1  60

[PIPES]
;ID  Node1  Node2  Length  Diameter  Roughness  MinorLoss  Status
 P1  R1     J1     100     300       100        0          Open
 P2  J1     J2     100     200       100        0          Open
 P3  J2     J3     100     200       100        0          Open
 P4  J3     J4     100     150       100        0          Open
 P5  J1     J5     100     200       100        0          Open

[OPTIONS]
 Units  LPS
 Headloss  H-W

[TIMES]
 Duration  0

[COORDINATES]
 R1  0    0
 J1  100  0
 J2  200  0
 J3  300  0
 J4  400  0
 J5  100  -100

[VERTICES]
 P3  250  20

[END]
"""
SMALL_VALVES = [("V1", "P2", "J1"), ("V2", "P3", "J2")]


def small_model(org, **kwargs) -> NetworkModel:
    """SMALL_INP with its two valves (V1 on P2 at J1, V2 on P3 at J2)."""
    model = network_model(org, SMALL_INP, valves=False, **kwargs)
    for name, link, node in SMALL_VALVES:
        Valve.objects.create(
            organization=org,
            model=model,
            name=name,
            link=link,
            node=node,
            source=ValveSource.IMPORTED,
        )
    NetworkModel.objects.filter(pk=model.pk).update(valve_layer=ValveSource.IMPORTED)
    model.refresh_from_db()
    return model
