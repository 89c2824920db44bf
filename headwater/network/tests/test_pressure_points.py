"""The points service: the office creates, changes and stops watching points, enrols and
revokes their devices; bad input is named by field and changes nothing."""

import pytest

from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import DeviceToken
from headwater.network.inputs_pressure import DeviceInput, PointInput
from headwater.network.models import PressurePoint
from headwater.network.services import points
from headwater.network.tests.factories_pressure import *  # noqa: F403
from headwater.network.tests.factories_pressure import make_device, make_point

pytestmark = pytest.mark.django_db


def data(**over):
    values = {"code": "YL-01", "name": "第一医院", "kind": "pressure", "node": "J1", "low": "20"}
    values.update(over)
    return PointInput.parse(values)


def test_the_office_creates_a_point_on_a_node_of_the_current_model(office_user, network_model):
    point, created = points.save_point(data(high="60.5"), by=office_user, key="k1")
    assert created is True
    assert (point.code, point.node, point.low, point.high, point.active) == (
        "YL-01",
        "J1",
        20.0,
        60.5,
        True,
    )
    again, created = points.save_point(data(high="60.5"), by=office_user, key="k1")
    assert (again.pk, created) == (point.pk, False)
    assert PressurePoint.objects.count() == 1


def test_a_code_is_unique_in_the_organization(org, office_user, network_model):
    make_point(org, "YL-01")
    with pytest.raises(DomainError) as refused:
        points.save_point(data(), by=office_user)
    assert refused.value.fields == {"code": "已有监测点使用这个编号。"}
    assert PressurePoint.objects.count() == 1


def test_a_node_must_be_in_the_current_model(office_user, network_model):
    with pytest.raises(DomainError) as refused:
        points.save_point(data(node="J99"), by=office_user)
    assert refused.value.code == "network_unknown_node"
    assert refused.value.fields == {"node": "不是当前管网模型的节点。"}
    assert PressurePoint.objects.count() == 0


def test_a_node_without_any_model_is_refused_but_no_node_is_fine(office_user):
    with pytest.raises(DomainError) as refused:
        points.save_point(data(), by=office_user)
    assert refused.value.code == "network_no_model"
    point, _created = points.save_point(data(node=""), by=office_user)
    assert point.node == ""


@pytest.mark.parametrize(
    ("over", "fields"),
    [
        ({"low": "30", "high": "30"}, {"high": "上限必须高于下限。"}),
        ({"low": "250"}, {"low": "请输入 -10 到 200 之间的数。"}),
        ({"high": "abc"}, {"high": "请输入 -10 到 200 之间的数。"}),
        ({"low": "inf"}, {"low": "请输入 -10 到 200 之间的数。"}),
        (
            {"code": "", "name": "x" * 101},
            {"code": "这个字段是必填项。", "name": "最多 100 个字。"},
        ),
        ({"kind": "volts"}, {"kind": "请从列表中选择。"}),
    ],
)
def test_bad_input_is_named_by_field(over, fields):
    with pytest.raises(DomainError) as refused:
        data(**over)
    assert refused.value.fields == fields


def test_a_flow_point_takes_flow_sized_thresholds():
    assert data(kind="flow", low="-5000", high="90000").high == 90000.0


def test_staff_and_unit_heads_may_not_create_points(staff_user, unit_head_user, network_model):
    for user in (staff_user, unit_head_user):
        with pytest.raises(NotAllowed):
            points.save_point(data(), by=user)
    assert PressurePoint.objects.count() == 0


def test_a_dispatcher_sees_points_but_may_not_change_them(org, dispatcher_user, network_model):
    point = make_point(org)
    with pytest.raises(NotAllowed):
        points.save_point(data(), by=dispatcher_user, point=point)


def test_the_office_changes_thresholds_and_stops_watching(org, office_user, network_model):
    point = make_point(org)
    point, created = points.save_point(data(low="25", high="55"), by=office_user, point=point)
    assert (created, point.low, point.high) == (False, 25.0, 55.0)
    point, changed = points.deactivate_point(point, by=office_user)
    assert (changed, point.active) == (True, False)
    assert points.deactivate_point(point, by=office_user)[1] is False


def test_enrolling_binds_a_new_device_and_returns_its_token_once(org, office_user):
    point = make_point(org)
    point, raw = points.enrol_device(point, DeviceInput.parse({"name": "RTU-9"}), by=office_user)
    assert raw.startswith("hw_")
    assert DeviceToken.authenticate(raw) == point.device
    assert point.device.name == "RTU-9"


def test_one_enrolled_device_may_be_bound_to_another_point(org, office_user, network_model):
    device = make_device(org)[0]
    point = make_point(org, "YL-02")
    point, _ = points.save_point(
        data(code="YL-02", device_id=device.pk), by=office_user, point=point
    )
    assert point.device_id == device.pk


def test_an_outsiders_device_cannot_be_bound(org, office_user, outsider, network_model):
    foreign = make_device(outsider.organization)[0]
    with pytest.raises(DomainError) as refused:
        points.save_point(data(device_id=foreign.pk), by=office_user)
    assert refused.value.fields == {"device_id": "请选择本单位已登记的设备。"}


def test_revoking_stops_the_device(org, office_user, point):
    _point, changed = points.revoke_device(point, by=office_user)
    assert changed is True
    point.device.refresh_from_db()
    assert point.device.revoked_at is not None
    assert points.revoke_device(point, by=office_user)[1] is False
