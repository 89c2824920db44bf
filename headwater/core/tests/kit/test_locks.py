"""Row locks: only inside a transaction, in primary-key order, rows read fresh."""

import pytest
from django.db import transaction

from headwater.core import locks
from headwater.core.models import Site


@pytest.fixture
def three_sites(org):
    return [
        Site.objects.create(organization=org, code=f"S{i}", name=f"S{i}", kind="plant")
        for i in range(3)
    ]


@pytest.mark.django_db(transaction=True)
def test_locking_outside_a_transaction_is_refused(three_sites):
    with pytest.raises(RuntimeError):
        locks.lock(Site.objects.all())


def test_locked_rows_come_in_key_order_and_fresh(three_sites):
    stale = three_sites[1]
    Site.objects.filter(pk=stale.pk).update(name="renamed")

    with transaction.atomic():
        rows = locks.lock(Site.objects.order_by("-code"))

    assert [r.pk for r in rows] == sorted(s.pk for s in three_sites)
    assert rows[1].name == "renamed"


def test_lock_one_raises_does_not_exist_for_a_missing_row(three_sites):
    with transaction.atomic():
        assert locks.lock_one(Site, three_sites[0].pk).code == "S0"
        with pytest.raises(Site.DoesNotExist):
            locks.lock_one(Site, 10**9)
