"""The command dashboard's data at scale: GET /api/v1/dashboard (every registered panel) as the
office, in-process (Django's test client, like bench/checkin.py's reads), over the demo
organization scaled to 100,000 staff with a fortnight of check-ins.

Uses the database named by DATABASE_URL as it is: build it with bench/checkin.py first
(`--staff 100000 --days 14 --no-load`), or copy the one built for issue 12:

    createdb -h 127.0.0.1 -U postgres -T hw_bench_12 hw_bench_12_d
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_12_d \
        .venv/bin/python bench/dashboard.py --runs 20

The clock is set to --at (default: 16:00 of the last day with check-ins, so that "today" is a
full day beside a full yesterday). Water-quality demo data (labs, points, plans, a fortnight
of results) is added once when the organization has no sampling points, and --alerts alerts
(half of them closed) when it has fewer. Prints, for a cold call (the process's memory and
the cache emptied: the sites, the reporting units and yesterday's totals are read again) and
for --runs warm calls: the median and max in ms and the number of SQL queries; --explain
prints the slowest queries of a warm call with their times.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

URL = "/api/v1/dashboard"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--at", help="the moment to run at, ISO (Asia/Shanghai when no offset)")
    p.add_argument("--alerts", type=int, default=500)
    p.add_argument("--explain", action="store_true", help="print the slowest queries")
    return p.parse_args()


def moment(org, at: str | None) -> dt.datetime:
    from django.db.models import Max
    from django.utils import timezone

    from headwater.health.models import CheckIn

    if at:
        when = dt.datetime.fromisoformat(at)
        return when if when.tzinfo else timezone.make_aware(when)
    last = CheckIn.objects.filter(organization=org).aggregate(d=Max("date"))["d"]
    if last is None:
        sys.exit("no check-ins: build the organization with bench/checkin.py --days 14 first")
    if not CheckIn.objects.filter(organization=org, date=last).count() > 1000:
        last -= dt.timedelta(days=1)  # the bench's "today" of building may be nearly empty
    return timezone.make_aware(dt.datetime.combine(last, dt.time(16)))


def ensure_quality(org) -> None:
    from headwater.quality import demo as quality_demo
    from headwater.quality.models import Result, SamplingPoint

    if SamplingPoint.objects.filter(organization=org).exists():
        return
    started = time.perf_counter()
    quality_demo.build(org, seed=2020, history_days=14)
    results = Result.objects.filter(organization=org).count()
    took = time.perf_counter() - started
    print(f"added water-quality demo data ({results:,} results) in {took:.1f} s")


def ensure_alerts(org, wanted: int) -> None:
    from headwater.alerts.models import Alert
    from headwater.core import clock
    from headwater.core.models import Unit

    have = Alert.objects.filter(organization=org).count()
    if have >= wanted:
        return
    units = list(Unit.objects.filter(organization=org, depth=2))
    now = clock.now()
    Alert.objects.bulk_create(
        Alert(
            organization=org,
            kind="bench.alert",
            severity=("info", "warning", "critical")[i % 3],
            title=f"压力测试告警 {i}",
            unit=units[i % len(units)],
            created_at=now - dt.timedelta(minutes=7 * (wanted - i)),
            closed_at=now if i % 2 else None,
        )
        for i in range(have, wanted)
    )
    print(f"added {wanted - have:,} alerts")


def queries_of(fn) -> list[tuple[float, str]]:
    from django.db import connection

    seen: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(wrapper):
        fn()
    return seen


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    import time_machine
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from headwater.core import demo, memo
    from headwater.core.models import Organization, User

    setup_test_environment()
    org = Organization.objects.get(slug=demo.SLUG)
    when = moment(org, args.at)
    with time_machine.travel(when, tick=True):
        ensure_quality(org)
        ensure_alerts(org, args.alerts)
        client = Client()
        client.force_login(User.objects.get(username="office"))

        def call():
            response = client.get(URL)
            assert response.status_code == 200, response.status_code

        def timed(fn) -> float:
            started = time.perf_counter()
            fn()
            return (time.perf_counter() - started) * 1000

        call()  # the process's first request (imports, translations, connection)
        cases = {}
        # cold: nothing remembered (a restarted worker); refresh: the cache warm but the
        # process's memory (HEADWATER_MEMO_SECONDS) gone, as a screen's call every 30 s finds
        # it; warm: calls back to back.
        for case, forget in (
            ("cold (memory and cache empty)", lambda: (memo.forget(), cache.clear())),
            ("refresh (memory empty)", memo.forget),
            ("warm (back to back)", lambda: None),
        ):
            forget()
            queries = queries_of(call)
            timings = []
            for _ in range(args.runs if case.startswith("warm") else max(args.runs // 2, 3)):
                forget()
                timings.append(timed(call))
            cases[case] = (timings, queries)

    staff = org.people.exclude(employment_status="left").count()
    print(f"database: {connection.vendor}; staff {staff:,}; at {when:%Y-%m-%d %H:%M %Z}")
    print(f"{'GET ' + URL:<32} {'runs':>5} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for case, (timings, queries) in cases.items():
        print(
            f"  {case:<30} {len(timings):>5} {statistics.median(timings):>10.1f} "
            f"{max(timings):>8.1f} {len(queries):>8}"
        )
    if args.explain:
        for case, (_timings, queries) in cases.items():
            print(f"slowest queries, {case}:")
            for ms, sql in sorted(queries, reverse=True)[:5]:
                print(f"{ms:8.1f} ms  {sql[:160]}")


if __name__ == "__main__":
    main()
