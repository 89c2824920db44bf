"""Demo data of the network models part for `headwater demo`: the demo organization's
network is WNTR's Net3 (97 nodes, 119 links, a river, a lake and three tanks), imported
as version 1 named 示范管网 (Net3), current, with a strategic N-1 isolation-valve layer of
seed 0. Deterministic: the other parts place their critical customers and pressure points
on its nodes (they look up the current model)."""

from __future__ import annotations

from pathlib import Path

from headwater.core.demo import extension
from headwater.core.models import Organization
from headwater.network.services.models import generate_valves, import_inp

NAME = "示范管网 (Net3)"
NOTE = "WNTR 自带的 EPANET 示例管网 Net3，用作演示。"


def net3_bytes() -> bytes:
    import wntr  # noqa: PLC0415

    return (Path(wntr.__file__).parent / "library" / "networks" / "Net3.inp").read_bytes()


@extension
def build(org: Organization, seed: int, history_days: int) -> None:
    model, _created = import_inp(org, net3_bytes(), "Net3.inp", by=None, name=NAME, note=NOTE)
    generate_valves(model, placement="strategic", n=1, seed=0, by=None)
