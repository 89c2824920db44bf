"""`field__in_array=ids`: thousands of ids as one array parameter on PostgreSQL, a plain IN
elsewhere; the same rows either way (CI runs both)."""

import pytest
from django.db import connection

from headwater.core.models import Person
from headwater.core.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_rows_with_those_ids_and_no_others(tree):
    a, b, c = (PersonFactory(unit=tree["plant1"]) for _ in range(3))

    found = Person.objects.filter(pk__in_array={a.pk, c.pk, 10**9}).order_by("pk")

    assert list(found) == [a, c]


def test_no_ids_find_nothing(tree):
    PersonFactory(unit=tree["plant1"])

    assert list(Person.objects.filter(pk__in_array=[])) == []


def test_on_postgresql_the_ids_are_one_parameter():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's array parameter")
    sql, params = Person.objects.filter(pk__in_array=range(5000)).query.sql_with_params()

    assert '"core_person"."id" = ANY(%s)' in sql
    assert params == (list(range(5000)),)
