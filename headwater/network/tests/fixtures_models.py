"""Fixtures of the models part on the root conftest's organization: a dispatcher (sees the
network, may not change the models) and the office's Net1 version. Imported by each test
module of the part (`from …fixtures_models import *`), not a conftest.py."""

import pytest

from headwater.core.tests.factories import make_user
from headwater.network.tests.factories_models import make_model

__all__ = ["dispatcher_user", "net1"]


@pytest.fixture
def dispatcher_user(people):
    return make_user("dispatcher", person=people["head"], roles=[("dispatcher", None)])


@pytest.fixture
def net1(org, office_user):
    return make_model(org, office_user, "Net1")
