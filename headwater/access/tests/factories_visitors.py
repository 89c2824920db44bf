"""Shared data of the visitor tests: a gate at a site of plant 1, its guard (a unit grant of
the guard role over plant 1) and a team member without any grant, a host with a login, and
helpers to switch the level or set a setting."""

from decimal import Decimal

from headwater.access.inputs_visits import VehicleInput, VisitInput
from headwater.access.models import Gate, GateTeam, GateTeamMember
from headwater.core import levels
from headwater.core.models import LevelSettingValue, ResponseLevelChange
from headwater.core.tests.factories import SiteFactory


def make_gate(org, unit, *, kind="office", name="东门", checks_temperature=True) -> Gate:
    site = SiteFactory(organization=org, unit=unit, kind=kind, name=f"{unit.name}厂区")
    return Gate.objects.create(
        organization=org, site=site, name=name, kind="gate", checks_temperature=checks_temperature
    )


def add_to_team(gate: Gate, person) -> GateTeamMember:
    team, _ = GateTeam.objects.get_or_create(organization=gate.organization, gate=gate, name="一队")
    return GateTeamMember.objects.create(organization=gate.organization, team=team, person=person)


def switch_level(org, level: str) -> None:
    ResponseLevelChange.objects.create(organization=org, level=level, reason="测试")
    levels.forget(org)


def set_setting(org, key: str, value, level: str = "normal") -> None:
    LevelSettingValue.objects.update_or_create(
        organization=org, key=key, level=level, defaults={"value": value}
    )
    levels.forget(org)


def visit_data(**overrides) -> VisitInput:
    data = {
        "name": "张来访",
        "phone": "13800001111",
        "id_number": "330784199001011231",
        "company": "杭州管材有限公司",
        "reason": "送检修配件",
        "host": "",
        "temperature": "36.5",
        "travel_history": "无",
        "contact_history": "无",
    }
    data.update(overrides)
    return VisitInput.parse(data)


def vehicle_data(**overrides) -> VehicleInput:
    data = {
        "plate": "浙A12345",
        "driver_name": "周司机",
        "driver_phone": "13700002222",
        "driver_temperature": "36.6",
        "cargo": "管材",
        "disinfected": True,
    }
    data.update(overrides)
    return VehicleInput.parse(data)


NORMAL = Decimal("36.5")
