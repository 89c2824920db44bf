"""A network model in the database for the map's tests: the NetworkModel, Node, Link and Valve
rows of an .inp file read with WNTR (the example networks WNTR ships, or a small text), made
current, with an optional strategic N-1 valve layer — what the models part's import writes.
Also critical customers and a small hand-built network whose answers are known."""

from __future__ import annotations

from pathlib import Path

from headwater.network.choices import LinkKind, LinkStatus, NodeKind, ValveSource
from headwater.network.models import CriticalCustomer, Link, NetworkModel, Node, Valve


def example(name: str) -> Path:
    """An example network WNTR ships: Net1, Net3, Net6, ky4..."""
    import wntr

    return Path(wntr.__file__).parent / "library" / "networks" / f"{name}.inp"


def _node_rows(org, model, wn) -> list[Node]:
    rows = []
    for name, node in wn.nodes():
        x, y = node.coordinates if node.coordinates is not None else (None, None)
        kind = {"Junction": NodeKind.JUNCTION, "Tank": NodeKind.TANK}.get(
            node.node_type, NodeKind.RESERVOIR
        )
        demand = 0.0
        elevation = getattr(node, "elevation", None)
        if kind == NodeKind.JUNCTION:
            demand = sum(d.base_value for d in node.demand_timeseries_list) * 1000
        if elevation is None:
            elevation = getattr(node, "base_head", 0.0)
        rows.append(
            Node(
                organization=org,
                model=model,
                name=name,
                kind=kind,
                x=x,
                y=y,
                elevation=elevation,
                demand=demand,
                customers=round(demand * 20) if demand > 0 else 0,
                population=round(demand * 60) if demand > 0 else 0,
            )
        )
    return rows


def _link_rows(org, model, wn) -> list[Link]:
    rows = []
    for name, link in wn.links():
        kind = {"Pipe": LinkKind.PIPE, "Pump": LinkKind.PUMP}.get(link.link_type, LinkKind.VALVE)
        status = LinkStatus.OPEN
        if kind == LinkKind.PIPE and getattr(link, "check_valve", False):
            status = LinkStatus.CV
        elif str(getattr(link, "initial_status", "")).lower().endswith("closed"):
            status = LinkStatus.CLOSED
        rows.append(
            Link(
                organization=org,
                model=model,
                name=name,
                kind=kind,
                start=link.start_node_name,
                end=link.end_node_name,
                diameter=round(getattr(link, "diameter", 0) * 1000, 1),
                length=round(getattr(link, "length", 0), 1),
                status=status,
                material="DI" if kind == LinkKind.PIPE else "",
                vertices=[list(v) for v in link.vertices],
            )
        )
    return rows


def network_model(
    org,
    inp: str | Path = "Net1",
    *,
    valves: bool = True,
    version: int | None = None,
    current: bool = True,
) -> NetworkModel:
    """The rows of an example network (a name) or an .inp text, with a strategic N-1 valve
    layer (WNTR's, seed 1) when `valves`."""
    import wntr

    if isinstance(inp, Path) or "\n" not in str(inp):
        path = inp if isinstance(inp, Path) else example(str(inp))
        text, name = path.read_text(), path.stem
    else:
        text, name = str(inp), "hand-built"
    wn = _read(text)
    if version is None:
        version = NetworkModel.objects.filter(organization=org).count() + 1
    if current:
        NetworkModel.objects.filter(organization=org, current=True).update(current=False)
    model = NetworkModel.objects.create(
        organization=org,
        version=version,
        name=name,
        filename=f"{name}.inp",
        inp=text,
        node_count=wn.num_nodes,
        link_count=wn.num_links,
        current=current,
        valve_layer=ValveSource.STRATEGIC if valves else "",
    )
    Node.objects.bulk_create(_node_rows(org, model, wn), batch_size=2000)
    Link.objects.bulk_create(_link_rows(org, model, wn), batch_size=2000)
    if valves:
        layer = wntr.network.generate_valve_layer(wn, "strategic", 1, seed=1)
        Valve.objects.bulk_create(
            [
                Valve(
                    organization=org,
                    model=model,
                    name=f"V{i + 1}",
                    link=row.link,
                    node=row.node,
                    source=ValveSource.STRATEGIC,
                )
                for i, row in enumerate(layer.itertuples())
            ],
            batch_size=2000,
        )
    return model


def _read(text: str):
    import tempfile

    import wntr

    with tempfile.NamedTemporaryFile("w", suffix=".inp", delete=False) as f:
        f.write(text)
    try:
        return wntr.network.WaterNetworkModel(f.name)
    finally:
        Path(f.name).unlink()


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
