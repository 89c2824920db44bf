"""Users of the customers part's tests: a dispatcher and a leader (they see the board), beside
the shared office (manages the registry), unit head, staff member and outsider."""

import pytest

from headwater.core.tests.factories import PersonFactory, make_user


@pytest.fixture
def dispatcher_user(tree):
    person = PersonFactory(unit=tree["company"], name="孙调度", employee_no="E8")
    return make_user("dispatcher", person=person, roles=[("dispatcher", None)])


@pytest.fixture
def leader_user(tree):
    person = PersonFactory(unit=tree["company"], name="周领导", employee_no="E9")
    return make_user("leader", person=person, roles=[("leader", None)])
