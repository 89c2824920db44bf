"""Test campaigns (issue 14): the completeness view of a campaign of 20,000 people in an
organization of 100,000 staff.

Uses the demo organization already in the database named by DATABASE_URL (a copy of the
100,000-staff bench database), migrates it, and bulk-creates (once) a campaign of --people
staff of the largest units: pools of five, 85% sampled, half of the sampled with a result,
a few positive pools whose members have open retests, a few registrations kept from an
offline queue. Then times through Django's test client (median of --runs):

- GET /testing/campaigns/<id>/completeness/ as the office and as a unit head,
- the same page's live part (htmx), the office,
- GET /api/v1/testing/campaigns/<id>/completeness and .../completeness/names?gap=not_sampled.

    createdb -h 127.0.0.1 -U postgres -T hw_bench_14 hw_bench_14_completeness
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_14_completeness \\
        .venv/bin/python bench/testing_completeness.py
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
NAME = "bench completeness"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--people", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=15)
    return p.parse_args()


def build(org, args):
    from django.db import connection, transaction

    from headwater.core import clock
    from headwater.core.models import Person
    from headwater.testing import choices as c
    from headwater.testing.models import Campaign, Retest, RosterEntry, Sample, SamplingSite, Tube

    existing = Campaign.objects.filter(organization=org, name=NAME).first()
    if existing:
        return existing
    rng = random.Random(14)
    today = clock.today()
    now = clock.now()
    people = list(
        Person.objects.filter(organization=org)
        .active()
        .order_by("unit__path", "pk")
        .values_list("pk", "unit_id")[: args.people]
    )
    with transaction.atomic():
        campaign = Campaign.objects.create(
            organization=org,
            name=NAME,
            starts_on=today - dt.timedelta(days=1),
            ends_on=today,
            pool_size=5,
            state=c.CampaignState.OPEN,
        )
        site = SamplingSite.objects.create(organization=org, campaign=campaign, name="bench")
        entries = RosterEntry.objects.bulk_create(
            (
                RosterEntry(
                    organization=org,
                    campaign=campaign,
                    person_id=pk,
                    unit_id=unit,
                    site=site,
                    source=c.EntrySource.UNIT,
                )
                for pk, unit in people
            ),
            batch_size=5000,
        )
        taken = [e for e in entries if rng.random() < 0.85]
        tubes = Tube.objects.bulk_create(
            (
                Tube(
                    organization=org,
                    campaign=campaign,
                    barcode=f"B{campaign.pk:03d}{i:06d}",
                    capacity=5,
                    state=c.TubeState.CLOSED,
                    site=site,
                )
                for i in range((len(taken) + 4) // 5)
            ),
            batch_size=5000,
        )
        samples = []
        positive = set(rng.sample(range(len(tubes) // 2), 6))
        for k, tube in enumerate(tubes):
            members = taken[k * 5 : (k + 1) * 5]
            with_result = k < len(tubes) // 2
            if with_result:
                tube.result = c.TubeResult.POSITIVE if k in positive else c.TubeResult.NEGATIVE
                tube.result_at = now
                tube.lab_members = len(members) - (1 if k % 997 == 0 else 0)
            for e in members:
                samples.append(
                    Sample(
                        organization=org,
                        campaign=campaign,
                        entry=e,
                        tube=tube,
                        taken_at=now,
                        conflict=k % 1499 == 0,
                        offline=k % 1499 == 0,
                    )
                )
                e.status = (
                    (c.EntryStatus.RETEST if k in positive else c.EntryStatus.CLEARED)
                    if with_result
                    else c.EntryStatus.SAMPLED
                )
        Sample.objects.bulk_create(samples, batch_size=5000)
        Tube.objects.bulk_update(tubes, ["result", "result_at", "lab_members"], batch_size=5000)
        RosterEntry.objects.bulk_update(taken, ["status"], batch_size=5000)
        Retest.objects.bulk_create(
            Retest(organization=org, campaign=campaign, entry=s.entry, pool=s.tube)
            for s in samples
            if s.tube.result == c.TubeResult.POSITIVE
        )
    if connection.vendor == "postgresql":  # what autovacuum would do after such a load
        with connection.cursor() as cursor:
            for table in ("rosterentry", "sample", "tube", "retest"):
                cursor.execute(f"ANALYZE testing_{table}")
            cursor.execute("ANALYZE core_person")
    print(
        f"created a campaign of {len(entries):,} people, {len(samples):,} samples in "
        f"{len(tubes):,} tubes, {len(positive)} positive pools"
    )
    return campaign


def login_for(org, username, role, unit=None):
    from headwater.core.models import RoleGrant, User

    user, _ = User.objects.get_or_create(username=username, defaults={"organization": org})
    if not RoleGrant.objects.filter(user=user, role=role).exists():
        RoleGrant.objects.create(user=user, role=role, unit=unit)
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
    from django.db import close_old_connections, connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from headwater.core.models import Organization, Unit

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    org = max(Organization.objects.all(), key=lambda o: o.people.count())
    campaign = build(org, args)
    busiest = (
        campaign.entries.exclude(unit=None)
        .values("unit__path")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["unit__path"]
    )
    unit = Unit.objects.get(organization=org, path=busiest[:8] if len(busiest) > 8 else busiest)
    office = login_for(org, "bench_testing_office", "office")
    head = login_for(org, "bench_testing_head", "unit_head", unit)
    print(f"campaign {campaign.pk}: {campaign.entries.count():,} people; unit head of {unit.name}")
    client = Client()
    base = f"/testing/campaigns/{campaign.pk}/completeness/"
    api = f"/api/v1/testing/campaigns/{campaign.pk}/completeness"

    def measure(user, url, label, **headers):
        client.force_login(user)

        def get():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)

        # with DEBUG on, the build's queries fill the log (9,000 at most) and a capture
        # after them would count none: start from an empty log
        reset_queries()
        with CaptureQueriesContext(connection) as q:
            get()
        median, worst = timed(get, args.runs)
        print(f"{label:<44} median {median:6.1f} ms, max {worst:6.1f} ms ({len(q)} queries)")

    measure(office, base, "page, office")
    measure(office, base, "live part (htmx), office", HTTP_HX_REQUEST="true")
    measure(office, base + "?gap=two_tubes", "page, office, sampled twice")
    measure(head, base, "page, unit head")
    measure(office, api, "API completeness, office")
    measure(head, api, "API completeness, unit head")
    measure(office, api + "/names?gap=not_sampled", "API names (not sampled), office")


if __name__ == "__main__":
    main()
