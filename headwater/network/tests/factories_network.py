"""One builder of network-model rows for every part's tests: the rows the real import reads
(`services.models_inp.parse`), written as a version of the organization, with a valve layer
and the per-node and per-link values a test needs (customers, population, material)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.network.models import Link, NetworkModel, Node, Valve
from headwater.network.services.models_inp import parse

Extra = dict[str, dict[str, Any]] | Callable[[dict], dict] | None


def model_rows(
    org,
    text: str,
    valves: Any = (),
    *,
    name: str = "测试管网",
    filename: str = "",
    version: int | None = None,
    current: bool = True,
    source: str = "strategic",
    nodes: Extra = None,
    links: Extra = None,
) -> NetworkModel:
    """A version of `org` with the nodes and links of `text` as the import reads them (the
    current one unless `current=False`). `valves`: (link, node) pairs, WNTR's layer
    DataFrame, or a function of the WaterNetworkModel giving either. `nodes` / `links`:
    {id: {field: value}} or a function of the read row giving the fields to add."""
    parsed = parse(text.encode())
    if callable(valves):
        valves = valves(parsed.wn)
    if hasattr(valves, "itertuples"):
        valves = [(row.link, row.node) for row in valves.itertuples()]
    valves = list(valves)
    if version is None:
        version = NetworkModel.objects.filter(organization=org).count() + 1
    if current:
        NetworkModel.objects.filter(organization=org, current=True).update(current=False)
    model = NetworkModel.objects.create(
        organization=org,
        version=version,
        name=name,
        filename=filename,
        inp=parsed.text,
        node_count=len(parsed.nodes),
        link_count=len(parsed.links),
        valve_layer=source if valves else "",
        current=current,
    )
    Node.objects.bulk_create(
        (Node(organization=org, model=model, **(r | _extra(nodes, r))) for r in parsed.nodes),
        batch_size=2000,
    )
    Link.objects.bulk_create(
        (Link(organization=org, model=model, **(r | _extra(links, r))) for r in parsed.links),
        batch_size=2000,
    )
    add_valves(model, valves, source=source)
    return model


def _extra(given: Extra, row: dict) -> dict:
    if given is None:
        return {}
    if callable(given):
        return given(row)
    return given.get(row["name"], {})


def add_valves(model, valves, *, source: str = "strategic") -> None:
    start = model.valves.count()
    Valve.objects.bulk_create(
        (
            Valve(
                organization_id=model.organization_id,
                model=model,
                name=f"V{start + i + 1}",
                link=link,
                node=node,
                source=source,
            )
            for i, (link, node) in enumerate(valves)
        ),
        batch_size=2000,
    )
