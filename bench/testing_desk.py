"""Registering one person at a test-campaign desk (issue 14): POST
/api/v1/testing/desk/sites/{id}/samples through Django's test client (middleware, session,
the service), in an organization of 100,000 staff with a campaign of 20,000 on its roster.

Uses the largest organization in the database named by DATABASE_URL (a copy of the
100,000-staff bench database), migrates it, and builds (bulk_create) an open campaign of today
with --roster people, one site with a desk operator, and tubes of five. Then registers --runs
people, each with its own Idempotency-Key, timing each request; prints the median and p95 and
the SQL statements one registration sends. The campaign is left in the copy (rebuilt each run).

    createdb -h 127.0.0.1 -U postgres -T hw_bench_14 hw_bench_14_desk
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_14_desk \\
        .venv/bin/python bench/testing_desk.py
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

NAME = "bench: desk"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--roster", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=200)
    return p.parse_args()


def build(org, roster: int):
    from headwater.core.models import Person, User
    from headwater.testing.choices import EntrySource
    from headwater.testing.models import Campaign, RosterEntry, Sample
    from headwater.testing.tests.factories import add_operator, make_campaign, make_tubes

    old = Campaign.objects.filter(organization=org, name=NAME)
    Sample.objects.filter(campaign__in=old).delete()
    old.delete()
    campaign = make_campaign(org, name=NAME, days=1)
    site = campaign.sites.get()
    people = list(
        Person.objects.filter(organization=org, employment_status="active")
        .order_by("pk")
        .values_list("pk", "unit_id")[: roster + 1]
    )
    operator_id = people.pop()[0]
    RosterEntry.objects.bulk_create(
        (
            RosterEntry(
                organization=org,
                campaign=campaign,
                person_id=pk,
                unit_id=unit_id,
                site=site,
                source=EntrySource.UNIT,
            )
            for pk, unit_id in people
        ),
        batch_size=5000,
    )
    make_tubes(campaign, count=roster // 5 + 1, prefix="BENCH")
    operator = Person.objects.get(pk=operator_id)
    add_operator(campaign, operator, site)
    user, _ = User.objects.get_or_create(
        username="bench_desk", defaults={"organization": org, "person": operator}
    )
    user.person, user.organization = operator, org
    user.save()
    return campaign, site, user


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.test import Client

    from headwater.core.models import Organization, Person
    from headwater.testing.models import RosterEntry, Tube

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    org = max(Organization.objects.all(), key=lambda o: o.people.count())
    campaign, site, user = build(org, args.roster)
    entries = list(
        RosterEntry.objects.filter(campaign=campaign).order_by("?").values_list("pk", flat=True)
    )
    tubes = list(
        Tube.objects.filter(campaign=campaign).order_by("pk").values_list("barcode", flat=True)
    )
    print(
        f"organization: {Person.objects.filter(organization=org).count():,} staff; "
        f"campaign: {len(entries):,} on the roster, {len(tubes):,} tubes of {campaign.pool_size}"
    )
    client = Client()
    client.force_login(user)
    url = f"/api/v1/testing/desk/sites/{site.pk}/samples"

    def register(i: int):
        body = {"barcode": tubes[i // campaign.pool_size], "entry_id": entries[i]}
        response = client.post(
            url,
            json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"{run}-{i}",
        )
        assert response.status_code == 201, response.content

    run = time.time_ns()
    register(0)  # warm up (imports, the first connection, the session)
    queries: list[str] = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        register(1)
    times = []
    for i in range(2, args.runs + 2):
        start = time.perf_counter()
        register(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"register one person: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
        f"over {len(times)} registrations (target: under 50 ms)"
    )
    print(f"SQL statements of one registration (request included): {len(queries)}")
    for q in queries:
        print("  ", q[:150])


if __name__ == "__main__":
    main()
