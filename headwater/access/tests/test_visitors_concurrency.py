# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""The host and the office answering one visit at once, and a phone retrying a registration
in parallel, on PostgreSQL (SQLite has one writer at a time: no race to lose there)."""

import pytest
from django.db import connection

from headwater.access.choices import VisitState
from headwater.access.models import Visit
from headwater.access.services.visits import approve_visit, refuse_visit, register_visit
from headwater.access.tests.factories_visitors import switch_level, visit_data
from headwater.access.tests.visitors_fixtures import gate, guard, host  # noqa: F401
from headwater.testing.tests.test_desk_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and parallel writers: PostgreSQL"
    ),
]


def test_approve_and_refuse_at_once_leave_one_answer(org, gate, guard, host, office_user):
    switch_level(org, "level2")
    visit, _ = register_visit(gate, visit_data(host="E2"), by=guard)

    boxes = at_once(
        [
            lambda: approve_visit(visit, by=host),
            lambda: refuse_visit(visit, "不接待", by=office_user),
        ]
    )

    errors = [b.get("error") for b in boxes]
    assert sum(e is None for e in errors) == 1
    (loser,) = [e for e in errors if e is not None]
    assert loser.code == "visit_wrong_state"
    assert Visit.objects.get().state in (VisitState.APPROVED, VisitState.REFUSED)


def test_a_registration_retried_in_parallel_is_written_once(gate, guard):
    boxes = at_once(
        [lambda: register_visit(gate, visit_data(), by=guard, key="twice") for _ in range(3)]
    )

    assert [b.get("error") for b in boxes] == [None] * 3
    assert len({b["value"][0].pk for b in boxes}) == 1
    assert Visit.objects.count() == 1
