"""Duty fixtures on the root conftest's organization (company → plant 1 → shift A, plant 2;
office, unit head of plant 1, a member of staff): plant 1's control room (day and night
shifts, one licensed operator per shift) with a team of six operators of shift A, four of
them licensed."""

import pytest
from django.conf import settings

from headwater.core.tests.factories import PersonFactory
from headwater.duty.tests.factories import make_post, qualify


@pytest.fixture
def operators(tree, people):
    crew = [people["operator"]] + [
        PersonFactory(
            unit=tree["shift_a"], name=f"操作员{i}", employee_no=f"OP{i}", phone=f"1390000000{i}"
        )
        for i in range(1, 6)
    ]
    for person in crew[:4]:
        qualify(person)
    return crew


@pytest.fixture
def control_room(tree, operators):
    return make_post(
        tree["plant1"],
        qualification="plant_operator",
        min_qualified=1,
        critical=True,
        team=operators,
    )


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
