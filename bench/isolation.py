"""Isolation (issue 13): the monitor's phone page, the case list page and the escalation sweep
with 5,000 open cases in an organization of 100,000 staff.

Uses the demo organization already in the database named by DATABASE_URL (a copy of the
100,000-staff bench database), migrates it, and bulk-creates --cases open cases (if fewer are
open), --per-monitor to a monitor, with a follow-up on each of the last days for all and today
for half of them. Then times, in this process through Django's test client (median of --runs):

- GET /isolation/today/ as a monitor (their cases, today's due ones first),
- GET /isolation/ as the office (counts, filters, the first page of every case),
- services.escalate_missing_checks at 20:30 over every open case: the first sweep of the day
  (raising the unit heads' and the office's alerts, rolled back after each run) and a repeat
  sweep with everything raised already.

    createdb -h 127.0.0.1 -U postgres -T hw_bench_12 hw_bench_12_g
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_12_g \\
        .venv/bin/python bench/isolation.py --cases 5000
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=5000)
    p.add_argument("--per-monitor", type=int, default=5)
    p.add_argument("--days", type=int, default=5)
    p.add_argument("--runs", type=int, default=15)
    return p.parse_args()


def build(org, args) -> None:
    from django.db import transaction

    from headwater.core import clock
    from headwater.core.models import Person
    from headwater.isolation.models import Case, CaseCheck

    have = Case.objects.of(org).open().count()
    if have >= args.cases:
        return
    rng = random.Random(13)
    today = clock.today()
    taken = set(Case.objects.of(org).values_list("person_id", flat=True))
    people = [
        p
        for p in Person.objects.filter(organization=org).active().values_list("pk", "unit_id")
        if p[0] not in taken
    ]
    rng.shuffle(people)
    subjects = people[: args.cases - have]
    monitors = people[args.cases : args.cases + len(subjects) // args.per_monitor + 1]
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            [
                Case(
                    organization=org,
                    person_id=pk,
                    unit_id=unit,
                    kind="home",
                    reason="bench",
                    started_on=today - dt.timedelta(days=args.days),
                    planned_end=today + dt.timedelta(days=14 - args.days),
                    monitor_id=monitors[i // args.per_monitor][0],
                )
                for i, (pk, unit) in enumerate(subjects)
            ],
            batch_size=2000,
        )
        checks = [
            CaseCheck(
                organization=org,
                case=c,
                date=today - dt.timedelta(days=d),
                morning_temperature=Decimal("36.5"),
                channel="phone",
            )
            for i, c in enumerate(cases)
            for d in range(0 if i % 2 else 1, args.days)
        ]
        CaseCheck.objects.bulk_create(checks, batch_size=5000)
    print(f"created {len(cases):,} cases and {len(checks):,} follow-ups")


def login_for(org, person_id, username, role=None):
    from headwater.core.models import RoleGrant, User

    existing = User.objects.filter(person_id=person_id).first() if person_id else None
    if existing is not None:
        return existing
    user, _ = User.objects.get_or_create(
        username=username, defaults={"organization": org, "person_id": person_id}
    )
    if role and not RoleGrant.objects.filter(user=user, role=role).exists():
        RoleGrant.objects.create(user=user, role=role)
    return user


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections, connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from headwater.core import clock
    from headwater.core.models import Organization, Person
    from headwater.isolation import services
    from headwater.isolation.models import Case

    # The test client's requests would close the connection after each (and with it the
    # queries captured); the bench keeps it, as the test runner does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    org = max(Organization.objects.all(), key=lambda o: o.people.count())
    build(org, args)
    open_cases = Case.objects.of(org).open()
    print(
        f"organization: {Person.objects.filter(organization=org).count():,} staff, "
        f"{open_cases.count():,} open cases"
    )
    busiest = (
        open_cases.values("monitor_id").annotate(n=Count("id")).order_by("-n", "monitor_id")[0]
    )
    monitor = login_for(org, busiest["monitor_id"], "bench_monitor")
    office = login_for(org, None, "bench_office", role="office")
    client = Client()

    def page(user, url):
        client.force_login(user)

        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        median, worst = timed(get, args.runs)
        print(f"{url:<22} as {user.username:<14} median {median:6.1f} ms, max {worst:6.1f} ms")

    page(monitor, "/isolation/today/")
    print(f"  (the monitor has {busiest['n']} open cases)")
    page(office, "/isolation/")
    page(office, "/isolation/?overdue=1")

    now = clock.day_bounds(clock.today())[0].replace(hour=20, minute=30)

    def first_sweep():
        with transaction.atomic():
            n = services.escalate_missing_checks(org, now)
            transaction.set_rollback(True)
        return n

    with CaptureQueriesContext(connection) as q:
        raised = first_sweep()
    median, worst = timed(first_sweep, max(3, args.runs // 5))
    print(
        f"escalation sweep, first of the day: median {median:6.1f} ms, max {worst:6.1f} ms "
        f"({raised} alerts, {len(q)} queries)"
    )
    with transaction.atomic():
        services.escalate_missing_checks(org, now)
        with CaptureQueriesContext(connection) as q:
            again = services.escalate_missing_checks(org, now)
        median, worst = timed(lambda: services.escalate_missing_checks(org, now), args.runs)
        transaction.set_rollback(True)
    print(
        f"escalation sweep, repeated:         median {median:6.1f} ms, max {worst:6.1f} ms "
        f"({again} alerts, {len(q)} queries)"
    )


if __name__ == "__main__":
    main()
