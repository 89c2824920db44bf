""""On duty now" at scale: GET /duty/now/ (the phone page) and GET /api/v1/duty/now for 100
posts, 3,000 people and a month of published shifts (day and night, two people each),
timed in-process through Django's test client beside a trivial page (the home page), as a
member of staff.

Builds its organization (slug bench-duty) once with bulk_create in the database named by
DATABASE_URL; use a fresh PostgreSQL database:

    createdb -h 127.0.0.1 -U postgres hw_bench_16_now
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_16_now .venv/bin/headwater migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_16_now \
        .venv/bin/python bench/duty_now.py --runs 50

Prints, for each URL, the median and p95 in ms over --runs warm calls and the number of SQL
queries of one call. Target: "on duty now" under 50 ms.
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

SLUG = "bench-duty"
POSTS, PEOPLE, DAYS, UNITS = 100, 3000, 30, 10
URLS = ("/", "/duty/now/", "/api/v1/duty/now")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=50)
    return p.parse_args()


def build():
    from django.db import connection, transaction
    from django.utils import timezone

    from headwater.core.models import Organization, Person, RoleGrant, User
    from headwater.core.tests.factories import make_unit
    from headwater.duty.models import Assignment, Eligibility, Post, Roster, Shift

    org = Organization.objects.filter(slug=SLUG).first()
    if org is not None:
        return org, timezone.make_aware(dt.datetime.combine(first_day(org), dt.time(12)))
    started = time.perf_counter()
    today = timezone.localdate()
    start = today - dt.timedelta(days=DAYS // 2)
    with transaction.atomic():
        org = Organization.objects.create(name="压测水务", short_name="压测", slug=SLUG)
        root = make_unit(org, "压测水务", "B")
        units = [make_unit(org, f"水厂{i}", f"B{i}", root) for i in range(UNITS)]
        people = Person.objects.bulk_create(
            Person(
                organization=org,
                unit=units[i % UNITS],
                name=f"职工{i}",
                employee_no=f"B{i:05d}",
                phone=f"139{i:08d}",
            )
            for i in range(PEOPLE)
        )
        posts = Post.objects.bulk_create(
            Post(
                organization=org,
                name=f"岗位{i:03d}",
                kind="control_room",
                unit=units[i % UNITS],
                duty_phone=f"0571-8{i:07d}",
                min_people=2,
            )
            for i in range(POSTS)
        )
        team = PEOPLE // POSTS  # 30 people per post
        Eligibility.objects.bulk_create(
            Eligibility(organization=org, post=post, person=people[p * team + k])
            for p, post in enumerate(posts)
            for k in range(team)
        )
        rosters = {
            u.pk: Roster.objects.create(
                organization=org,
                unit=u,
                starts_on=start,
                ends_on=start + dt.timedelta(days=DAYS - 1),
                state="published",
            )
            for u in units
        }
        shifts = []
        for post in posts:
            for d in range(DAYS):
                day = start + dt.timedelta(days=d)
                for hour, label in ((8, "白班"), (20, "夜班")):
                    begins = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
                    shifts.append(
                        Shift(
                            organization=org,
                            roster=rosters[post.unit_id],
                            post=post,
                            label=label,
                            starts_at=begins,
                            ends_at=begins + dt.timedelta(hours=12),
                            night=hour == 20,
                        )
                    )
        shifts = Shift.objects.bulk_create(shifts, batch_size=2000)
        index = {p.pk: i for i, p in enumerate(posts)}
        Assignment.objects.bulk_create(
            (
                Assignment(
                    organization=org,
                    shift=s,
                    person=people[index[s.post_id] * team + (n * 2 + k) % team],
                    leads=k == 0,
                )
                for n, s in enumerate(shifts)
                for k in range(2)
            ),
            batch_size=5000,
        )
        user = User.objects.create_user(
            "bench-staff", password="x", organization=org, person=people[0]
        )
        RoleGrant.objects.create(user=user, role="staff", unit=None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    took = time.perf_counter() - started
    print(f"built {POSTS} posts, {PEOPLE:,} people, {len(shifts):,} shifts in {took:.1f} s")
    return org, timezone.make_aware(dt.datetime.combine(today, dt.time(12)))


def first_day(org):
    from headwater.duty.models import Roster

    r = Roster.objects.filter(organization=org).first()
    return r.starts_on + dt.timedelta(days=DAYS // 2)


def count_queries(fn) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


def time_read(org, when, runs: int) -> None:
    """The read alone (duty.now.on_duty: the posts, then the running assignments)."""
    from headwater.duty import now
    from headwater.duty.models import Post

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = now.on_duty(Post.objects.of(org), when)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    people = sum(len(r.people) for r in rows)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    queries = count_queries(lambda: now.on_duty(Post.objects.of(org), when))
    print(
        f"{'read (now.on_duty)':22} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
        f"{len(queries)} queries; {len(rows)} posts, {people} people on duty"
    )


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from headwater.core.models import User

    setup_test_environment()
    org, when = build()
    print(f"database: {connection.vendor}; moment {when:%Y-%m-%d %H:%M}")
    with time_machine.travel(when, tick=True):
        time_read(org, when, args.runs)
        client = Client()
        client.force_login(User.objects.get(username="bench-staff"))
        for url in URLS:
            response = client.get(url)  # warm
            assert response.status_code == 200, (url, response.status_code)
            queries = count_queries(lambda u=url: client.get(u))
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(
                f"{url:22} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
                f"{len(queries)} queries"
            )


if __name__ == "__main__":
    main()
