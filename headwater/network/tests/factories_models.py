"""Network model versions for tests: WNTR's example networks as uploaded bytes, imported
through the service (so every test's version is what an upload makes)."""

from pathlib import Path

import wntr

from headwater.network.services.models import import_inp

WNTR_DIR = Path(wntr.__file__).parent
NETWORKS = WNTR_DIR / "library" / "networks"
BAD = WNTR_DIR / "tests" / "networks_for_testing"


def network_bytes(name: str = "Net1") -> bytes:
    return (NETWORKS / f"{name}.inp").read_bytes()


def bad_bytes(name: str) -> bytes:
    return (BAD / f"{name}.inp").read_bytes()


def wntr_model(name: str = "Net1"):
    return wntr.network.WaterNetworkModel(str(NETWORKS / f"{name}.inp"))


def make_model(org, by, name: str = "Net1", **fields):
    """A version of WNTR's `name` network imported by `by` (who may manage the network)."""
    model, _created = import_inp(org, network_bytes(name), f"{name}.inp", by=by, **fields)
    return model
