"""The map part's fixtures on the root conftest's organization: the small hand-built model of
factories_map (a burst on P2 closes V1 and V2 and cuts J2 off, J3 and J4 unintentionally),
a hospital fed from J3 and a clinic fed from J5, and the dispatcher and crew logins. Imported
by each test module of the part (`from …fixtures_map import *`), not a conftest.py, so that
the other parts of the network app keep their own fixtures."""

import pytest

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.network.tests.factories_map import customer, small_model

__all__ = ["clinic", "crew_user", "dispatcher_user", "hospital", "small"]


@pytest.fixture
def small(org):
    return small_model(org)


@pytest.fixture
def hospital(org, small):
    return customer(
        org, "市第一人民医院", ["J3"], duty_phone="0571-87001111", contact_phone="13900001111"
    )


@pytest.fixture
def clinic(org, small):
    return customer(org, "城东发热门诊", ["J5"], kind="fever_clinic", duty_phone="0571-87002222")


@pytest.fixture
def dispatcher_user(tree):
    person = PersonFactory(unit=tree["company"], name="周调度", employee_no="D1")
    return make_user("dispatcher", person=person, roles=[("dispatcher", None)])


@pytest.fixture
def crew_user(tree):
    person = PersonFactory(unit=tree["plant1"], name="吴抢修", employee_no="C1")
    return make_user("crew", person=person, roles=[("crew", None)])
