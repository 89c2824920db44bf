"""Household members at scale: the grid screening of relatives (网格化筛查) and the briefing's
household section over a copy of the 100,000-staff bench database.

Adds about 1.5 relatives per active member of staff (0, 1, 2 or 3 by person id) and their
lines of today in the staff's morning check-ins (97 % reported, 0.5 % abnormal) with bulk
INSERT … SELECT, once; then times, in-process through Django's test client, the office's
screening of the whole organization (page, API, a status filter, the Excel export) and a unit
head's of their plant, and the briefing section.

    createdb -h 127.0.0.1 -U postgres -T hw_bench_12 hw_bench_12_f
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_12_f \\
        .venv/bin/python bench/household.py

Prints one line per request: median and 95th percentile of --runs timed runs (after one
warm-up), and the number of SQL queries.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from bench.scope import count_queries  # noqa: E402

MEMBERS_SQL = """
INSERT INTO core_householdmember
    (organization_id, person_id, name, relation, phone, address, is_active, created_at)
SELECT p.organization_id, p.id, '家属' || p.id || '-' || n,
       (ARRAY['spouse','child','parent','grandparent'])[n],
       '139' || lpad(((p.id * 7 + n) %% 100000000)::text, 8, '0'), '金溪市', true, now()
FROM core_person p CROSS JOIN generate_series(1, 3) AS n
WHERE p.organization_id = %s AND p.employment_status <> 'left' AND n <= p.id %% 4
"""
LINES_SQL = """
INSERT INTO health_householdcheckin
    (organization_id, member_id, person_id, checkin_id, date, temperature, symptoms, travel,
     note, is_abnormal, updated_at)
SELECT m.organization_id, m.id, m.person_id, c.id, c.date,
       CASE WHEN m.id %% 200 = 0 THEN 38.2 ELSE 36.5 END, '[]'::jsonb, false, '',
       m.id %% 200 = 0, c.submitted_at
FROM core_householdmember m JOIN health_checkin c
  ON c.person_id = m.person_id AND c.date = %s AND c.slot = 'am'
WHERE m.organization_id = %s AND m.id %% 33 <> 0
"""


def timed(client, connection, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    queries = count_queries(connection, lambda: client.get(url))
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Max
    from django.test import Client
    from django.test.utils import setup_test_environment

    from headwater.core import clock, demo
    from headwater.core.models import HouseholdMember, RoleGrant, Unit, User
    from headwater.health.household_section import household_section
    from headwater.health.models import CheckIn, HouseholdCheckIn

    setup_test_environment()
    call_command("migrate", verbosity=0)
    org = demo.Organization.objects.get(slug=demo.SLUG)
    # The day of the bench database's latest check-ins (it was built on another day).
    today = CheckIn.objects.of(org).aggregate(last=Max("date"))["last"] or clock.today()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if not HouseholdMember.objects.of(org).exists():
            cursor.execute(MEMBERS_SQL, [org.pk])
        if not HouseholdCheckIn.objects.of(org).filter(date=today).exists():
            cursor.execute(LINES_SQL, [today, org.pk])
        cursor.execute("ANALYZE core_householdmember; ANALYZE health_householdcheckin")
    print(f"relatives and the day's lines ready in {time.perf_counter() - started:.1f} s")
    staff = org.people.active().count()
    members = HouseholdMember.objects.of(org).count()
    lines = HouseholdCheckIn.objects.of(org).filter(date=today).count()
    print(
        f"{staff:,} staff, {members:,} relatives ({members / staff:.2f} each), "
        f"{lines:,} lines on {today}"
    )

    office, head = Client(), Client()
    office.force_login(User.objects.get(username="office"))
    unit_head = User.objects.get(username="unit_head")
    head.force_login(unit_head)
    top = Unit.objects.filter(organization=org, depth=1).order_by("path").first()
    plant = RoleGrant.objects.filter(user=unit_head).exclude(unit=None).first().unit
    page = f"/health/household/?day={today}&"
    api = f"/api/v1/health/household-screening?day={today}&"
    for label, client, url in [
        ("office: page, whole organization", office, f"{page}unit={top.pk}"),
        ("office: page, abnormal only", office, f"{page}unit={top.pk}&status=abnormal"),
        (
            "office: page, not reported, page 50",
            office,
            f"{page}unit={top.pk}&status=not_reported&page=50",
        ),
        ("office: API, whole organization", office, f"{api}unit={top.pk}"),
        (
            "office: Excel export, abnormal",
            office,
            f"{page}unit={top.pk}&status=abnormal&export=xlsx",
        ),
        ("unit head: page, own plant", head, f"{page}unit={plant.pk}"),
        ("unit head: API, own plant", head, f"{api}unit={plant.pk}"),
    ]:
        median, p95, queries = timed(client, connection, url, args.runs)
        print(f"{label:40} median {median:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries")

    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        household_section(org, today + __import__("datetime").timedelta(days=1))
        times.append((time.perf_counter() - started) * 1000)
    print(f"{'briefing section (7 days)':40} median {statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
