"""Testing-app fixtures on the root conftest's organization (company → plant 1 → shift A,
plant 2; office, unit head of plant 1, a member of staff, an outsider of another
organization): an open campaign of today with one site, its roster of every person, a desk
operator (a member of staff of plant 2 listed for the campaign) and five unused tubes."""

import pytest
from django.conf import settings

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.testing.tests.factories import (
    add_operator,
    make_campaign,
    make_tubes,
    roster_people,
)


@pytest.fixture
def campaign(org, people):
    return make_campaign(org)


@pytest.fixture
def roster(campaign):
    return roster_people(campaign)


@pytest.fixture
def desk_user(campaign, tree):
    person = PersonFactory(unit=tree["plant2"], name="吴采样", employee_no="D1")
    add_operator(campaign, person)
    return make_user("desk", person=person, roles=[("staff", None)])


@pytest.fixture
def tubes(campaign):
    return make_tubes(campaign)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
