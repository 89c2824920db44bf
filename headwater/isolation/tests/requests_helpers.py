"""Fixtures of the service request tests: a case of the operator (李操作, shift A) with its
monitor and a volunteer who can log in, a pool volunteer over plant 1, a sibling volunteer
over plant 2, and helpers that book through the service."""

import pytest

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.isolation.inputs_requests import RequestInput
from headwater.isolation.services import requests as svc
from headwater.isolation.tests.conftest import at, open_case

BOOK = {
    "kind": "shopping",
    "details": "大米5斤、鸡蛋一盒",
    "window_start": at(14),
    "window_end": at(16),
}


@pytest.fixture
def helper(tree):
    person = PersonFactory(
        unit=tree["shift_a"], name="周志愿", employee_no="V1", phone="13800000002"
    )
    return make_user("helper", person=person, roles=[("monitor", tree["shift_a"])])


@pytest.fixture
def pool(tree):
    person = PersonFactory(unit=tree["plant1"], name="吴池", employee_no="V2", phone="13800000003")
    return make_user("pool", person=person, roles=[("monitor", tree["plant1"])])


@pytest.fixture
def sibling(tree):
    person = PersonFactory(unit=tree["plant2"], name="郑邻", employee_no="V3", phone="13800000004")
    return make_user("sibling", person=person, roles=[("monitor", tree["plant2"])])


@pytest.fixture
def case(org, office_user, people, monitor, helper, time_machine):
    time_machine.move_to(at(9), tick=False)
    return open_case(
        org,
        office_user,
        people["operator"],
        monitor=monitor,
        volunteer=helper.person,
        address="金溪路1号3-201",
    )


@pytest.fixture
def pool_case(org, office_user, people, monitor, time_machine):
    """A case without a volunteer: its requests go to the pool."""
    time_machine.move_to(at(9), tick=False)
    return open_case(org, office_user, people["operator"], monitor=monitor)


def book(case, user, key="", **values):
    return svc.book(case, RequestInput.parse({**BOOK, **values}), by=user, key=key)


__all__ = ["book", "case", "helper", "pool", "pool_case", "sibling"]
