"""Scope at scale: how fast pages and API lists answer when they are cut to the viewer.

Builds (or reuses) the demo organization with --staff people in the database named by
DATABASE_URL, then times the office's and a unit head's people list (page and API), the units
page (staff counts per unit) and the home page, in-process through Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench \
        .venv/bin/python bench/scope.py --staff 100000

Prints one line per request: median and 95th percentile of --runs timed runs (after one
warm-up), and the number of SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from functools import partial

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def count_queries(connection, fn) -> list[str]:
    """The SQL statements that fn() sends (Django resets its own log per request)."""
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from headwater.core import demo
    from headwater.core.models import Person, User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    org = demo.Organization.objects.filter(slug=demo.SLUG).first()
    if org is None or Person.objects.filter(organization=org).count() != args.staff:
        started = time.perf_counter()
        demo.run(staff=args.staff, seed=demo.DEFAULT_SEED, reset=True)
        print(f"built demo with {args.staff:,} staff in {time.perf_counter() - started:.1f} s")
    print(f"database: {connection.vendor}; staff: {Person.objects.count():,}")

    cases = [
        ("office", "/api/v1/people"),
        ("office", "/api/v1/people?page=1000"),
        ("office", "/core/people/"),
        ("office", "/core/people/?q=XC050000"),
        ("office", "/core/units/"),
        ("office", "/"),
        ("unit_head", "/api/v1/people"),
        ("unit_head", "/core/people/"),
        ("unit_head", "/core/units/"),
    ]
    print(f"{'user':<10} {'request':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for username, url in cases:
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, url
        timings = []
        queries = count_queries(connection, partial(client.get, url))
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"{username:<10} {url:<28} {statistics.median(timings):>10.1f} {p95:>8.1f} "
            f"{len(queries):>8}"
        )


if __name__ == "__main__":
    main()
