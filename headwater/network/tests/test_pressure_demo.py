"""The pressure watch's demo: on a current model (Net3's junctions here) five points with a
day of readings every five minutes, one dipping below its low threshold with its alarm and
work order; nothing without a model."""

import pytest
import wntr

from headwater.alerts.models import Alert
from headwater.network import demo_pressure
from headwater.network.models import PressurePoint, Reading, WorkOrder
from headwater.network.tests.factories_pressure import make_model

pytestmark = pytest.mark.django_db


def net3_junctions() -> list[str]:
    path = f"{wntr.__path__[0]}/library/networks/Net3.inp"
    return wntr.network.WaterNetworkModel(path).junction_name_list


def test_the_demo_builds_points_on_the_current_models_junctions(org):
    make_model(org, nodes=net3_junctions())
    demo_pressure.build(org, seed=1, history_days=14)
    points = list(PressurePoint.objects.filter(organization=org))
    assert len(points) == 5
    assert len({p.device_id for p in points}) == 1
    assert all(p.node in set(net3_junctions()) for p in points)
    assert Reading.objects.filter(point=points[0]).count() == 24 * 12 + 1
    states = {p.code: p.last_value < p.low for p in points}
    assert states == {"YL-01": True, "YL-02": False, "YL-03": False, "YL-04": False, "YL-05": False}
    alert = Alert.objects.get(kind="network.pressure")
    assert alert.episode == f"network.pressure:{points[0].pk}"
    assert WorkOrder.objects.get().point_id == points[0].pk


def test_no_model_no_demo_points(org):
    demo_pressure.build(org, seed=1, history_days=14)
    assert PressurePoint.objects.count() == 0
