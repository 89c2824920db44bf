"""Builders for the pressure watch's tests: a current network model with a few junctions,
points and telemetry devices written directly (the services are tested on their own)."""

import datetime as dt

import pytest
from django.utils import timezone

from headwater.core.models import DeviceToken
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.network.choices import NodeKind
from headwater.network.models import NetworkModel, Node, PressurePoint

__all__ = ["dispatcher_user", "network_model", "device", "point", "local"]


def make_model(org, nodes=("J1", "J2", "J3")) -> NetworkModel:
    model = NetworkModel.objects.create(
        organization=org, version=1, name="Net", inp="[JUNCTIONS]\n", current=True
    )
    Node.objects.bulk_create(
        Node(organization=org, model=model, name=n, kind=NodeKind.JUNCTION, demand=1) for n in nodes
    )
    return model


def make_device(org, name="RTU-1") -> tuple[DeviceToken, str]:
    return DeviceToken.issue(org, name, None)


def make_point(org, code="YL-01", *, device=None, low=20.0, high=60.0, **fields) -> PressurePoint:
    fields.setdefault("name", f"压力点{code}")
    return PressurePoint.objects.create(
        organization=org, code=code, device=device, low=low, high=high, **fields
    )


def local(hour: int, minute: int = 0, day: dt.date = dt.date(2026, 3, 2)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def dispatcher_user(tree):
    person = PersonFactory(unit=tree["company"], name="孙调度", employee_no="D1")
    return make_user("dispatcher", person=person, roles=[("dispatcher", None)])


@pytest.fixture
def network_model(org):
    return make_model(org)


@pytest.fixture
def device(org):
    return make_device(org)[0]


@pytest.fixture
def point(org, device):
    return make_point(org, device=device, node="J1")
