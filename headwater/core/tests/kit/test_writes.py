"""The one write contract: a client key returns the first outcome and writes nothing again.

A new key costs one statement: the write runs and its key row is inserted after it; a key seen
before makes that insert fail, and the retry's write is rolled back whole (with whatever it
scheduled on commit) before the first outcome is answered."""

import threading

import pytest
from django.db import connection, transaction

from headwater.core.models import IdempotencyKey, Site
from headwater.core.writes import forget_old_keys, idempotent


def _site_writer(org, code, calls):
    def write():
        calls.append(code)
        site, created = Site.objects.get_or_create(
            organization=org, code=code, defaults={"name": code, "kind": "plant"}
        )
        return site, created

    return write


def test_the_same_key_returns_the_first_outcome_and_writes_once(
    org, staff_user, django_capture_on_commit_callbacks
):
    calls = []
    first = idempotent(
        "test.site", by=staff_user, key="k1", model=Site, write=_site_writer(org, "A", calls)
    )

    def retry():
        site, created = _site_writer(org, "B", calls)()
        transaction.on_commit(lambda: calls.append("B sent"))
        return site, created

    with django_capture_on_commit_callbacks(execute=True) as scheduled:
        again = idempotent("test.site", by=staff_user, key="k1", model=Site, write=retry)

    assert (first[1], again[1]) == (True, False)
    assert again[0].pk == first[0].pk
    assert calls == ["A", "B"]  # the retry's write ran, and was rolled back whole:
    assert scheduled == []
    assert list(Site.objects.filter(organization=org).values_list("code", flat=True)) == ["A"]
    assert IdempotencyKey.objects.filter(user=staff_user, key="k1").count() == 1


def test_keys_are_per_actor_and_per_action(org, staff_user, office_user):
    calls = []
    idempotent("test.site", by=staff_user, key="k", model=Site, write=_site_writer(org, "A", calls))
    idempotent(
        "test.site", by=office_user, key="k", model=Site, write=_site_writer(org, "B", calls)
    )
    idempotent(
        "test.other", by=staff_user, key="k", model=Site, write=_site_writer(org, "C", calls)
    )

    assert calls == ["A", "B", "C"]


def test_a_correction_with_its_own_key_is_idempotent_too(org, staff_user):
    """The second write changes an existing object (created False); retried, it answers the
    correction's outcome and leaves no second key."""
    calls = []
    idempotent(
        "test.site", by=staff_user, key="first", model=Site, write=_site_writer(org, "A", calls)
    )

    correction = idempotent(
        "test.site", by=staff_user, key="fix", model=Site, write=_site_writer(org, "A", calls)
    )
    retried = idempotent(
        "test.site", by=staff_user, key="fix", model=Site, write=_site_writer(org, "A", calls)
    )

    assert (correction[1], retried[1]) == (False, False)
    assert retried[0].pk == correction[0].pk
    assert IdempotencyKey.objects.filter(user=staff_user).count() == 2


def test_without_a_key_every_call_writes(org, staff_user):
    calls = []
    idempotent("test.site", by=staff_user, key="", model=Site, write=_site_writer(org, "A", calls))
    idempotent(
        "test.site", by=staff_user, key="  ", model=Site, write=_site_writer(org, "A", calls)
    )

    assert calls == ["A", "A"]
    assert IdempotencyKey.objects.count() == 0


def test_a_failed_write_leaves_no_key_and_no_object_so_the_retry_runs(org, staff_user):
    def failing():
        Site.objects.create(organization=org, code="A", name="A", kind="plant")
        raise RuntimeError("lost connection to the printer")

    with pytest.raises(RuntimeError):
        idempotent("test.site", by=staff_user, key="k", model=Site, write=failing)

    assert Site.objects.filter(organization=org).count() == 0
    assert IdempotencyKey.objects.count() == 0
    site, created = idempotent(
        "test.site", by=staff_user, key="k", model=Site, write=_site_writer(org, "A", [])
    )
    assert created is True


def test_a_side_effect_scheduled_on_commit_runs_once(
    org, staff_user, django_capture_on_commit_callbacks
):
    sent = []

    def write():
        transaction.on_commit(lambda: sent.append("alert"))
        return _site_writer(org, "A", [])()

    with django_capture_on_commit_callbacks(execute=True):
        idempotent("test.site", by=staff_user, key="k", model=Site, write=write)
        idempotent("test.site", by=staff_user, key="k", model=Site, write=write)

    assert sent == ["alert"]


def test_old_keys_are_forgotten(org, staff_user):
    import datetime as dt

    from headwater.core import clock

    idempotent("test.site", by=staff_user, key="k", model=Site, write=_site_writer(org, "A", []))

    assert forget_old_keys(clock.now() - dt.timedelta(days=30)) == 0
    assert forget_old_keys(clock.now() + dt.timedelta(seconds=1)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="row-level concurrency needs PostgreSQL"
)
def test_two_parallel_requests_with_one_key_write_once(org, staff_user):
    """Two copies of one request race past the replay check; the unique key makes the second
    roll back whole and answer the first outcome."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def write_for(code):
        def write():
            site = Site.objects.create(organization=org, code=code, name=code, kind="plant")
            barrier.wait(timeout=5)  # both have written before either records its key
            return site, True

        return write

    def run(code):
        try:
            results.append(
                idempotent("test.site", by=staff_user, key="k", model=Site, write=write_for(code))
            )
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert {site.pk for site, _ in results} == set(
        Site.objects.filter(organization=org).values_list("pk", flat=True)
    )
    assert Site.objects.filter(organization=org).count() == 1
