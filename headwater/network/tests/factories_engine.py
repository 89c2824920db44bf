"""Networks for the engine's tests: WNTR's example networks, a hand-built network whose
answers are known exactly, and (for the services) a NetworkModel with its rows made from
an .inp string through WNTR — a test helper only; the real import is the models part's."""

import os
import tempfile
from pathlib import Path

import wntr

LIBRARY = Path(os.path.dirname(wntr.__file__)) / "library" / "networks"

# R1 feeds J1; J2 is walled in by three valves; J3..J7 hang on tank T1 (P8 and P9 are
# parallel); J5 and J6 hang on J2 only, and a valve at J5 on P7 puts J6 on its own.
#
#   R1 -P1- J1 -P2-|J2|-P3- J3 -P4- J4 -P5- T1
#                   |        =P8/P9= J7
#                   P6
#                   J5 |-P7- J6
HAND_BUILT = """\
[TITLE]
Hand-built network with known answers
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
[TANKS]
;ID  Elev  InitLvl  MinLvl  MaxLvl  Diam  MinVol
T1   40    5        0       10      20    0
[PIPES]
;ID  Node1  Node2  Length  Diam  Rough  Minor  Status
P1   R1     J1     100     300   100    0      Open
P2   J1     J2     100     300   100    0      Open
P3   J2     J3     100     300   100    0      Open
P4   J3     J4     100     300   100    0      Open
P5   J4     T1     100     300   100    0      Open
P6   J2     J5     100     200   100    0      Open
P7   J5     J6     100     150   100    0      Open
P8   J3     J7     100     100   100    0      Open
P9   J3     J7     100     100   100    0      Open
[OPTIONS]
Units     LPS
Headloss  H-W
[TIMES]
Duration  0
[COORDINATES]
R1   0    0
J1   100  0
J2   200  0
J3   300  0
J4   400  0
T1   500  0
J5   200  -100
J6   200  -200
J7   300  100
[END]
"""
# R1 feeds J1 and J2 through P0; tank T1 (5 m across, 2 m of water, 39.27 m³) hangs on
# J1. Closing P0 leaves the tank alone to feed 4 L/s: it drains after 39.27/0.004 =
# 9817 s, and only then do J1 and J2 lose water.
TANK_DRAINS = """\
[JUNCTIONS]
J1  10  2
J2  10  2
J3  10  0
[RESERVOIRS]
R1  60
[TANKS]
T1  40  2  0  4  5  0
[PIPES]
P0  R1  J1  100  300  100  0  Open
P1  J1  J2  100  200  100  0  Open
P2  T1  J1  100  300  100  0  Open
P3  R1  J3  100  300  100  0  Open
[OPTIONS]
Units     LPS
Headloss  H-W
[TIMES]
Duration         6:00
Hydraulic Timestep  1:00
[COORDINATES]
R1  0    0
J1  100  0
J2  200  0
T1  100  100
J3  0    100
[END]
"""
HAND_BUILT_VALVES = [("P2", "J2"), ("P3", "J2"), ("P6", "J2"), ("P7", "J5")]


def wn_from_inp(text: str) -> wntr.network.WaterNetworkModel:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.inp"
        path.write_text(text)
        return wntr.network.WaterNetworkModel(str(path))


def example(name: str) -> wntr.network.WaterNetworkModel:
    return wntr.network.WaterNetworkModel(str(LIBRARY / f"{name}.inp"))


def model_from_inp(
    organization,
    text: str,
    valves=(),
    *,
    version: int = 1,
    name: str = "测试管网",
    people: dict | None = None,
    source: str = "strategic",
):
    """A current NetworkModel with its Node/Link/Valve rows read from `text` as the import
    reads it; `people` gives (customers, population) per node id."""
    from headwater.network.tests.factories_network import model_rows

    given = {n: {"customers": c, "population": p} for n, (c, p) in (people or {}).items()}
    return model_rows(
        organization, text, valves, version=version, name=name, source=source, nodes=given
    )
