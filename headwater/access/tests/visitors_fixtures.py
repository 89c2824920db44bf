"""Fixtures of the visitor tests (imported by each test file: the access app's conftest is
shared with the other parts). On the root conftest's organization: a gate of plant 1's site,
its guard (guard role over plant 1), a host (the operator 李操作, E2, with a login)."""

import pytest

from headwater.access.tests.factories_visitors import make_gate
from headwater.core.tests.factories import PersonFactory, make_user


@pytest.fixture
def gate(org, tree):
    return make_gate(org, tree["plant1"])


@pytest.fixture
def guard(tree):
    person = PersonFactory(unit=tree["plant1"], name="孙门卫", employee_no="G1")
    return make_user("guard", person=person, roles=[("guard", tree["plant1"])])


@pytest.fixture
def host(staff_user):
    return staff_user


@pytest.fixture
def other_guard(tree):
    """A guard of plant 2: not a guard of plant 1's gate."""
    person = PersonFactory(unit=tree["plant2"], name="钱门卫", employee_no="G2")
    return make_user("guard2", person=person, roles=[("guard", tree["plant2"])])
