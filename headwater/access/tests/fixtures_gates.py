"""Access-app fixtures on the root conftest's organization (company → plant 1 → shift A,
plant 2): a site of each plant, a gate at each, and a member of staff of plant 2 on the
second gate's duty team (a guard without a unit grant). Imported by each test module of the
gates part (`from …fixtures_gates import *`), not a conftest.py, so that the other parts of the
access app keep their own fixtures without a shared file."""

import pytest

from headwater.access.tests.factories_gates import make_gate, make_team
from headwater.core.tests.factories import PersonFactory, SiteFactory, make_user

__all__ = ["gate", "gate2", "guard_person", "guard_user", "sibling_head", "sites"]


@pytest.fixture
def sites(org, tree):
    return {
        "plant1": SiteFactory(organization=org, unit=tree["plant1"], name="第一水厂", code="S1"),
        "plant2": SiteFactory(organization=org, unit=tree["plant2"], name="第二水厂", code="S2"),
    }


@pytest.fixture
def gate(sites):
    return make_gate(sites["plant1"], "一厂东门")


@pytest.fixture
def gate2(sites):
    return make_gate(sites["plant2"], "二厂北门")


@pytest.fixture
def guard_person(tree):
    return PersonFactory(unit=tree["plant2"], name="周值守", employee_no="G1", phone="13700000001")


@pytest.fixture
def guard_user(guard_person, gate2):
    make_team(gate2, "北门一组", people=[guard_person])
    return make_user("guard", person=guard_person, roles=[("staff", None)])


@pytest.fixture
def sibling_head(people, tree):
    """The head of plant 2: another subtree than plant 1's gate."""
    return make_user("head2", person=people["other_plant"], roles=[("unit_head", tree["plant2"])])
