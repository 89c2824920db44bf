"""On PostgreSQL the passages table is partitioned by month on `at` (migration 0002): a
passage of a month without a partition lands in DEFAULT and moves into the month's partition
when the daily task creates it; old months are dropped for retention."""

import datetime as dt

import pytest
from django.db import connection

from headwater.access import partitions
from headwater.access.models import Passage
from headwater.access.tasks_tracing import create_passage_partitions
from headwater.access.tests.factories_tracing import at, gate, passage

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL partitioning"),
]


def where(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM access_passage WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_table_is_partitioned_with_its_key_and_indexes_on_the_parent():
    with connection.cursor() as cursor:
        assert partitions.is_partitioned(cursor)
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'access_passage'::regclass AND contype IN ('p', 'u') ORDER BY 1"
        )
        keys = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'access_passage'"
        )
        indexes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND confrelid = 'access_passage'::regclass"
        )
        references = cursor.fetchone()[0]
    assert keys == ["PRIMARY KEY (id, at)", "UNIQUE (organization_id, key, at)"]
    wanted = {"access_passage_gate_cover", "access_passage_person_cover", "access_passage_org_at"}
    assert wanted <= set(indexes)
    # tracing reads the others at a gate, and a person's passages, from the index alone
    assert indexes["access_passage_gate_cover"].endswith(
        "(gate_id, at) INCLUDE (person_id, slot_id, trip_id)"
    )
    assert indexes["access_passage_person_cover"].endswith(
        "(person_id, at) INCLUDE (gate_id, slot_id, trip_id)"
    )
    assert references == 0  # nothing points at a passage


def test_a_month_without_partition_lands_in_default_then_moves_into_its_month(org, people):
    east = gate(org)
    far = dt.date(2031, 5, 1)
    row = passage(people["operator"], east, at(far, 9))
    assert where(row.pk) == partitions.DEFAULT

    created = partitions.ensure_months(far, ahead=0)

    assert created == ["access_passage_y2031m05"]
    assert where(row.pk) == "access_passage_y2031m05"
    assert Passage.objects.get(pk=row.pk).person_id == people["operator"].pk


def test_this_month_has_a_partition_and_the_task_is_idempotent(org, people):
    create_passage_partitions.call_local()
    assert create_passage_partitions.call_local() == []
    row = passage(people["operator"], gate(org), dt.datetime.now(dt.UTC))
    assert where(row.pk) != partitions.DEFAULT


def test_old_months_are_dropped_for_retention(org):
    partitions.ensure_months(dt.date(2030, 2, 1), ahead=0, since=dt.date(2030, 1, 1))

    dropped = partitions.drop_before(dt.date(2030, 2, 1))

    assert "access_passage_y2030m01" in dropped
    assert "access_passage_y2030m02" not in dropped
