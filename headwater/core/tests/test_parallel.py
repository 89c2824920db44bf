"""Statements side by side (`core.parallel`): on their own connections outside a transaction
on PostgreSQL, one after the other on the connection in use inside one."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from headwater.core import parallel
from headwater.core.models import Organization

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def where() -> tuple[int, int]:
    """(this thread, this connection's server process)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()" if POSTGRESQL else "SELECT 0")
        return threading.get_ident(), cursor.fetchone()[0]


@pytest.mark.django_db
def test_inside_a_transaction_the_calls_run_here_in_order_and_see_its_rows():
    Organization.objects.create(name="并行水务", short_name="并行", slug="parallel")
    seen = parallel.side_by_side(
        lambda: Organization.objects.filter(slug="parallel").count(), where, where
    )

    assert parallel.possible() is False
    assert seen[0] == 1
    assert seen[1] == seen[2] == where()


@pytest.mark.django_db
def test_an_error_in_a_call_is_raised_to_the_caller():
    def fails():
        raise LookupError("no such row")

    with pytest.raises(LookupError, match="no such row"):
        parallel.side_by_side(where, fails)


@pytest.mark.skipif(not POSTGRESQL, reason="side by side on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_others_run_on_connections_of_their_own():
    Organization.objects.create(name="并行水务", short_name="并行", slug="parallel")
    here = where()

    first, second, count = parallel.side_by_side(
        where, where, lambda: Organization.objects.filter(slug="parallel").count()
    )

    assert parallel.possible() is True
    assert first == here
    assert second[0] != here[0] and second[1] != here[1]
    assert count == 1
