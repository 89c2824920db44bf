"""The organization-wide code recompute (after new rules or risk areas) survives other people
writing at the same time, on SQLite and PostgreSQL, and a recompute that could not finish is
picked up again: no code stays stale."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import OperationalError, close_old_connections, connection

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.core.tests.timing import at
from headwater.health import services
from headwater.health.choices import CodeColour
from headwater.health.models import CheckIn, CodeRecompute, HealthCode
from headwater.health.rules import DEFAULT_RULES
from headwater.health.services import codes as codes_services

WRITERS = 3
SECONDS = 3
# Between one writer's requests: three writers then send up to ~30 check-ins a second, more
# than 2,700 staff send at the morning peak (2,700 in an hour is under one a second).
PAUSE = 0.1


@pytest.fixture
def crowd(org, tree):
    people = [PersonFactory(unit=tree["plant1"]) for _ in range(20)]
    return people


def _write_for(users, stop, busy):
    """Staff checking in and correcting as fast as they can until told to stop; a phone whose
    request meets a busy database sends it again (the same key), as the real one does."""
    close_old_connections()
    try:
        n = 0
        while not stop.is_set():
            for user in users:
                n += 1
                key = f"w{user.pk}-{n}"
                for attempt in range(8):
                    try:
                        services.submit_checkin(
                            user.person, {"temperature": f"36.{n % 9}"}, by=user, key=key
                        )
                        break
                    except OperationalError:
                        busy.append(key)
                        time.sleep(0.02 * 2**attempt)
                time.sleep(PAUSE)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_the_organization_recompute_finishes_while_others_write(org, tree, crowd, request):
    # The clock runs (tick): auditlog tells concurrent actors apart by the time they started.
    traveller = time_machine.travel(at(dt.date(2026, 12, 3), 9), tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)
    services.active_rule_set(org)
    writers = [
        make_user(f"w{i}", person=PersonFactory(unit=tree["plant2"]), roles=[("staff", None)])
        for i in range(WRITERS * 2)
    ]
    for person in crowd:
        services.recompute_code(person)
    # Stale, as after a rule change: the rules give these people green.
    HealthCode.objects.of(org).update(colour=CodeColour.RED, reason="stale", rule=None)
    stop, busy = threading.Event(), []
    threads = [
        threading.Thread(target=_write_for, args=(writers[i::WRITERS], stop, busy))
        for i in range(WRITERS)
    ]
    for t in threads:
        t.start()
    time.sleep(0.3)
    try:
        done = services.recompute_organization_codes(org.pk)
    finally:
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(SECONDS * 10)

    assert done == len(crowd) + len(writers)
    stale = HealthCode.objects.of(org).current().filter(reason="stale")
    assert list(stale.values_list("person__name", flat=True)) == []
    assert CheckIn.objects.of(org).count() > 0


@pytest.mark.django_db
def test_a_recompute_request_is_kept_with_the_change_and_finished_by_the_catch_up(
    org, office_user, people, clock_at, monkeypatch, django_capture_on_commit_callbacks
):
    """The queued job dies (a worker restart): the request stays open, and the periodic
    catch-up finishes it later, resuming after the people already done."""
    clock_at(at(dt.date(2026, 12, 3), 9))
    for person in people.values():
        services.recompute_code(person)

    def worker_died(organization_id):
        raise RuntimeError("worker restarted")

    monkeypatch.setattr(codes_services, "recompute_organization", worker_died)
    rules = [
        {
            "name": r.name,
            "colour": r.colour,
            "conditions": r.conditions,
            "recovery": r.recovery,
            "recovery_days": r.recovery_days,
        }
        for r in DEFAULT_RULES
    ]
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.publish_rules(org, rules, fever_threshold="37.5", note="阈值", by=office_user)
    request = CodeRecompute.objects.of(org).get()
    assert request.done_at is None
    assert services.catch_up_recomputes() == 0  # not late yet

    clock_at(at(dt.date(2026, 12, 3), 9, 5))
    recomputed = []
    real = codes_services.recompute_code
    monkeypatch.setattr(
        codes_services,
        "recompute_code",
        lambda person, **kw: recomputed.append(person.pk) or real(person, **kw),
    )
    assert services.catch_up_recomputes() == 1

    request.refresh_from_db()
    assert request.done_at is not None
    assert request.after_person_id == max(p.pk for p in people.values())
    assert sorted(recomputed) == sorted(p.pk for p in people.values())
    assert services.catch_up_recomputes() == 0  # nothing left open
