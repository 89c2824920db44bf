"""Notices at scale: publishing to 100,000 staff and the receipts page of that notice.

Uses the organization already in the database named by DATABASE_URL (the demo organization
scaled to 100,000 staff, e.g. a copy of hw_bench_12), applies the migrations, then:

- publishes a notice to the whole organization as the office (one receipt per active person:
  the INSERT … SELECT alone and the whole service call, with the robot alert);
- marks --done of the receipts done (a bulk UPDATE, not timed: it stands in for a morning of
  people confirming) so the counts are realistic;
- times the office's and a unit head's receipts page, the receipts API, the pending list,
  the xlsx export of every receipt, and "remind all who have not read".

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_12_e \
        .venv/bin/python bench/notices.py --logins

(--logins gives everybody a login first, once, so that the reminder reaches the 40,000 who
have not read; the demo has a dozen logins.)

Each run publishes a new notice. Prints median and worst of --runs timed runs (after one
warm-up) and the number of SQL queries.
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


def counted(connection, fn):
    seen: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(wrapper):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
    return result, elapsed, seen


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--done", type=float, default=0.6, help="share of receipts done")
    parser.add_argument(
        "--logins",
        action="store_true",
        help="first give everybody a login (core.logins), so that a reminder reaches them all",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    from headwater.core import demo
    from headwater.core.models import Person, User
    from headwater.notices import services
    from headwater.notices.inputs import PublishInput
    from headwater.notices.models import Receipt, Reminder

    setup_test_environment()
    call_command("migrate", verbosity=0)
    org = demo.Organization.objects.get(slug=demo.SLUG)
    office = User.objects.get(username="office")
    head = User.objects.get(username="unit_head")
    if args.logins:
        from headwater.core import logins

        started = time.perf_counter()
        logins.create_logins(org, None, by=office)
        print(f"logins for everybody: {time.perf_counter() - started:.1f} s (not counted below)")
    print(
        f"database: {connection.vendor}; staff: {Person.objects.filter(organization=org).count():,}"
    )

    data = PublishInput.parse(
        {"kind": "rules", "title": "基准测试通知", "body": "第一条\n第二条" * 50}
    )
    notice_and_created, total, sql = counted(
        connection, lambda: services.publish(org, data, by=office)
    )
    notice = notice_and_created[0]
    slow = sorted(sql, reverse=True)[:3]
    print(
        f"publish to the organization: {notice.audience:,} receipts in {total:.2f} s "
        f"({len(sql)} queries)"
    )
    statements = sum(seconds for seconds, _statement in sql)
    print(
        f"  statements {statements:.2f} s; the rest (the commit: foreign-key checks, WAL) "
        f"{total - statements:.2f} s"
    )
    for seconds, statement in slow:
        print(f"  {seconds:6.2f} s  {statement[:90]}")
    # The INSERT … SELECT alone, and the foreign-key checks PostgreSQL leaves to the commit:
    # the notice's receipts written again inside a transaction that is rolled back.
    try:
        with transaction.atomic():
            Receipt.objects.filter(notice=notice)._raw_delete(connection.alias)
            started = time.perf_counter()
            services._create_receipts(notice, [])
            alone = time.perf_counter() - started
            started = time.perf_counter()
            if connection.vendor == "postgresql":
                connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
            checks = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    print(
        f"  of which the INSERT … SELECT of {notice.audience:,} rows: {alone:.2f} s, "
        f"the commit's foreign-key checks: {checks:.2f} s"
    )

    cut = int(notice.audience * args.done)
    last = (
        Receipt.objects.filter(notice=notice).order_by("pk").values_list("pk", flat=True)[cut - 1]
    )
    with connection.cursor() as cursor:  # a morning of people confirming, in one statement
        cursor.execute(
            "UPDATE notices_receipt SET read_at = now(), acknowledged_at = now() "
            "WHERE notice_id = %s AND id <= %s",
            [notice.pk, last],
        )
    print(f"marked {cut:,} receipts done (not timed)")

    cases = [
        ("office", office, f"/notices/{notice.pk}/receipts/"),
        ("office", office, f"/api/v1/notices/{notice.pk}/receipts"),
        ("office", office, f"/api/v1/notices/{notice.pk}/pending"),
        ("office", office, "/notices/sent/"),
        ("unit_head", head, f"/notices/{notice.pk}/receipts/"),
        ("unit_head", head, f"/api/v1/notices/{notice.pk}/receipts"),
        ("office", office, f"/notices/{notice.pk}/receipts/?export=xlsx"),
    ]
    print(f"{'user':<10} {'request':<48} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for name, user, url in cases:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, url
        runs = args.runs if "export" not in url else 1
        times, queries = [], 0
        for _ in range(runs):
            response, elapsed, sql = counted(connection, partial(client.get, url))
            assert response.status_code == 200
            times.append(elapsed * 1000)
            queries = len(sql)
        print(
            f"{name:<10} {url:<48} {statistics.median(times):>10.1f} {max(times):>8.1f} "
            f"{queries:>8}"
        )

    reminder, elapsed, sql = counted(connection, lambda: services.remind(notice, by=office)[0])
    print(
        f"remind all who have not read (the tap): {reminder.recipients:,} people, "
        f"{elapsed * 1000:.0f} ms ({len(sql)} queries)"
    )
    sent, elapsed, sql = counted(connection, lambda: services.deliver_reminder(reminder.pk))
    print(f"  the queue's delivery: {sent:,} inbox items in {elapsed:.2f} s ({len(sql)} queries)")
    _, elapsed, sql = counted(connection, lambda: services.remind(notice, by=office))
    print(
        f"the same tap again: nothing sent, {elapsed * 1000:.1f} ms ({len(sql)} queries); "
        f"reminders: {Reminder.objects.filter(notice=notice).count()}"
    )


if __name__ == "__main__":
    main()
